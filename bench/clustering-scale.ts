// Scale check: a synthetic stream of up to 1M articles built from the clustering dev headlines
// (the 5,000-headline, 29-hour stream replayed again and again, each replay shifted 30 hours
// later), fed to one StoryClusterer. Reports articles/s and heap at 10k, 100k and 1M.
//
//   node --expose-gc --import tsx bench/clustering-scale.ts [--data DIR] [--n 1000000]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoryClusterer, type StoryClustererOptions } from '../src/stories/index.ts';

export interface ScalePoint {
  articles: number;
  /** Articles per second over the stretch since the previous point. */
  perSecond: number;
  /** Heap in use after a GC (when --expose-gc is on), MB. */
  heapMB: number;
  activeStories: number;
}

export function runScale(
  dataDir: string,
  total = 1_000_000,
  checkpoints = [10_000, 100_000, 1_000_000],
  opts: StoryClustererOptions = {},
  log: (p: ScalePoint) => void = () => {},
): ScalePoint[] {
  const base = readFileSync(join(dataDir, 'articles.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; title: string; text?: string; published: string; source?: string });
  const t0 = Date.parse(base[0].published);
  const shift = 30 * 3600_000;
  const c = new StoryClusterer(opts);
  const points: ScalePoint[] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  let last = performance.now();
  let lastN = 0;
  let clusterMs = 0;
  for (let i = 0; i < total; i++) {
    const r = Math.floor(i / base.length);
    const a = base[i % base.length];
    const published = new Date(Date.parse(a.published) - t0 + Date.UTC(2020, 0, 1) + r * shift).toISOString();
    const s = performance.now();
    c.add({ id: `${a.id}#${r}`, title: a.title, text: a.text === a.title ? null : a.text, published, source: a.source });
    clusterMs += performance.now() - s;
    if (checkpoints.includes(i + 1)) {
      const now = performance.now();
      if (gc) gc();
      const p: ScalePoint = {
        articles: i + 1,
        perSecond: Math.round(((i + 1 - lastN) / clusterMs) * 1000),
        heapMB: Math.round(process.memoryUsage().heapUsed / 1048576),
        activeStories: c.activeStories,
      };
      points.push(p);
      log(p);
      void now;
      last = performance.now();
      lastN = i + 1;
      clusterMs = 0;
    }
  }
  void last;
  return points;
}

const isMain = process.argv[1] && import.meta.url === new URL('file://' + process.argv[1]).href;
if (isMain) {
  const arg = (n: string) => {
    const i = process.argv.indexOf(n);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const data = arg('--data') ?? '../shared/bench/clustering/dev';
  const n = Number(arg('--n') ?? 1_000_000);
  const cps = [10_000, 100_000, 1_000_000].filter((x) => x <= n);
  if (!cps.includes(n)) cps.push(n);
  if (!(globalThis as { gc?: () => void }).gc) console.error('note: run with node --expose-gc for heap figures after GC');
  runScale(data, n, cps, {}, (p) =>
    console.log(`${p.articles} articles: ${p.perSecond} articles/s, heap ${p.heapMB} MB, ${p.activeStories} stories in window`),
  );
}
