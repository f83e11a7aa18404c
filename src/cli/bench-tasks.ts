// The `digest bench` tasks: what each reads and writes, and where its adapter lives. The
// adapters are development tools under bench/ (not shipped), loaded only when a task runs.

export type BenchFn = (dataDir: string) => Promise<{ output: string; items: number }>;

export const BENCH_TASKS: Record<string, { what: string; load: () => Promise<BenchFn> }> = {
  extraction: { what: 'DIR/html/<id>.html[.gz] → {"<id>": {articleBody, title, ...}}', load: async () => (await import('../../bench/extraction.ts')).bench },
  feeds: { what: 'DIR/cases.json + DIR/files/ → {"<file>": Feed | null}', load: async () => (await import('../../bench/feeds.ts')).bench },
  sanitize: { what: 'DIR/cases.jsonl + DIR/benign.jsonl → {"<id>": "<sanitised html>"}', load: async () => (await import('../../bench/sanitize.ts')).bench },
  clustering: { what: 'DIR/articles.jsonl → {"<id>": "<story>"}', load: async () => (await import('../../bench/clustering.ts')).bench },
  neardup: { what: 'DIR/items.jsonl + DIR/pairs.jsonl → {"a","b","dup"} lines', load: async () => (await import('../../bench/neardup.ts')).bench },
  quotes: { what: 'DIR/docs.jsonl → {"<id>": [{quote, start, end, speaker, role}]}', load: async () => (await import('../../bench/nlp.ts')).benchQuotes },
  ner: { what: 'DIR/sentences.jsonl → {"<id>": [{start, end, type}]}', load: async () => (await import('../../bench/nlp.ts')).benchNer },
};

/** Speed against a baseline on the same data in the same run (--compare). */
export const COMPARE: Record<string, { baseline: string; run: (dataDir: string, rounds: number) => Promise<string> }> = {
  extraction: {
    baseline: 'Readability.js+linkedom',
    run: async (dir, rounds) => (await (await import('../../bench/extraction.ts')).speed(dir, rounds)).line,
  },
  feeds: {
    baseline: 'feedsmith',
    run: async (_dir, rounds) => {
      const { speed } = await import('../../bench/feeds-speed.ts');
      return speed(2000, rounds)
        .map((r) => JSON.stringify(r))
        .join('\n');
    },
  },
};
