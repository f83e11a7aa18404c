// digest bench <task> --data DIR --out FILE: runs a stage on a development set laid out
// like ../shared/bench/<task>, reading only the inputs, and writes the predictions the
// task's scorer reads. Items per second go to stderr. The adapters live in bench/, which a
// git checkout has (built to dist/bench/ by `npm ci`) and an installed package does not.
import { existsSync, writeFileSync } from 'node:fs';
import { DigestError } from '../core/errors.ts';
import { usage } from './context.ts';
import { BENCH_TASKS, COMPARE } from './bench-tasks.ts';

export interface BenchOpts {
  data: string;
  out: string;
  compare?: boolean;
  rounds: string;
}

async function fromCheckout<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new DigestError('usage', `digest bench needs the bench/ folder of a git checkout, with its dev dependencies (run npm ci there): ${(e as Error).message}`);
  }
}

export async function bench(task: string, opts: BenchOpts): Promise<void> {
  const spec = BENCH_TASKS[task];
  if (!spec) throw usage(`unknown bench task "${task}"; tasks: ${Object.keys(BENCH_TASKS).join(', ')}`);
  if (!existsSync(opts.data)) throw usage(`--data ${opts.data} does not exist`);
  const cmp = opts.compare ? COMPARE[task] : undefined;
  if (opts.compare && !cmp) throw usage(`--compare is not available for ${task}; it is for ${Object.keys(COMPARE).join(', ')}`);
  const fn = await fromCheckout(spec.load);
  const t0 = performance.now();
  const { output, items } = await fn(opts.data);
  const sec = (performance.now() - t0) / 1000;
  writeFileSync(opts.out, output);
  process.stderr.write(`${task}: ${items} items in ${sec.toFixed(2)} s = ${(items / sec).toFixed(1)} items/s → ${opts.out}\n`);
  if (cmp) process.stderr.write((await fromCheckout(() => cmp.run(opts.data, Math.max(1, Number(opts.rounds) || 1)))) + '\n');
}
