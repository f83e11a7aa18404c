// digest bench <task> --data DIR --out FILE: runs a stage on a development set laid out
// like ../shared/bench/<task>, reading only the inputs, and writes the predictions the
// task's scorer reads. Items per second go to stderr.
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { usage } from './main.ts';

type BenchFn = (dataDir: string) => Promise<{ output: string; items: number }>;

export const BENCH_TASKS: Record<string, { what: string; load: () => Promise<BenchFn> }> = {
  extraction: { what: 'DIR/html/<id>.html[.gz] → {"<id>": {articleBody, title, ...}}', load: async () => (await import('../extract/bench.ts')).bench },
  feeds: { what: 'DIR/cases.json + DIR/files/ → {"<file>": Feed | null}', load: async () => (await import('../feeds/bench.ts')).bench },
  sanitize: { what: 'DIR/cases.jsonl + DIR/benign.jsonl → {"<id>": "<sanitised html>"}', load: async () => (await import('../extract/sanitize-bench.ts')).bench },
  clustering: { what: 'DIR/articles.jsonl → {"<id>": "<story>"}', load: async () => (await import('../stories/bench.ts')).bench },
  neardup: { what: 'DIR/items.jsonl + DIR/pairs.jsonl → {"a","b","dup"} lines', load: async () => (await import('../dedupe/bench.ts')).bench },
  quotes: { what: 'DIR/docs.jsonl → {"<id>": [{quote, start, end, speaker, role}]}', load: async () => (await import('../nlp/bench.ts')).benchQuotes },
  ner: { what: 'DIR/sentences.jsonl → {"<id>": [{start, end, type}]}', load: async () => (await import('../nlp/bench.ts')).benchNer },
};

/** Speed against a baseline on the same data in the same run (--compare). */
const COMPARE: Record<string, (dataDir: string, rounds: number) => Promise<string>> = {
  extraction: async (dir, rounds) => (await (await import('../extract/bench.ts')).speed(dir, rounds)).line,
  feeds: async (_dir, rounds) => {
    const { speed } = await import('../feeds/speed.ts');
    return speed(2000, rounds)
      .map((r) => JSON.stringify(r))
      .join('\n');
  },
};

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description(`run a stage on a benchmark set and write its predictions (tasks: ${Object.keys(BENCH_TASKS).join(', ')})`)
    .argument('<task>', Object.entries(BENCH_TASKS).map(([k, v]) => `${k}: ${v.what}`).join('; '))
    .requiredOption('--data <dir>', 'folder laid out like ../shared/bench/<task>/dev')
    .requiredOption('--out <file>', 'where to write the predictions')
    .option('--compare', `also time a baseline on the same data in the same run (${Object.keys(COMPARE).join(', ')}: Readability.js+linkedom, feedsmith)`)
    .option('--rounds <n>', 'timing rounds for --compare (the best is kept)', '3')
    .action(async (task: string, opts: { data: string; out: string; compare?: boolean; rounds: string }) => {
      const spec = BENCH_TASKS[task];
      if (!spec) throw usage(`unknown bench task "${task}"; tasks: ${Object.keys(BENCH_TASKS).join(', ')}`);
      if (!existsSync(opts.data)) throw usage(`--data ${opts.data} does not exist`);
      const fn = await spec.load();
      const t0 = performance.now();
      const { output, items } = await fn(opts.data);
      const sec = (performance.now() - t0) / 1000;
      writeFileSync(opts.out, output);
      process.stderr.write(`${task}: ${items} items in ${sec.toFixed(2)} s = ${(items / sec).toFixed(1)} items/s → ${opts.out}\n`);
      if (opts.compare) {
        const cmp = COMPARE[task];
        if (!cmp) throw usage(`--compare is not available for ${task}; it is for ${Object.keys(COMPARE).join(', ')}`);
        process.stderr.write((await cmp(opts.data, Math.max(1, Number(opts.rounds) || 1))) + '\n');
      }
    });
}
