// Bench adapter: parse every case of a feeds bench folder (cases.json + files/) with its
// headers and URL, and return the predictions JSON the scorer reads.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Feed } from '../core/types.ts';
import { parseFeed } from './parse.ts';

interface BenchCase {
  file: string;
  headers?: Record<string, string>;
  url?: string;
}

export async function bench(dataDir: string): Promise<{ output: string; items: number }> {
  const cases = JSON.parse(await readFile(join(dataDir, 'cases.json'), 'utf8')) as BenchCase[];
  const out: Record<string, Feed | null> = {};
  for (const c of cases) {
    let feed: Feed | null;
    try {
      const body = await readFile(join(dataDir, 'files', c.file));
      // The scored shape is feedparser's: no product fallbacks (titles/ids made up) here.
      feed = parseFeed(body, { url: c.url, headers: c.headers, fallbacks: false });
    } catch {
      feed = null;
    }
    out[c.file] = feed;
  }
  return { output: JSON.stringify(out), items: cases.length };
}

// Until `digest bench feeds` is wired: npx tsx src/feeds/bench.ts DATA_DIR OUT.json
if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeFile } = await import('node:fs/promises');
  const [dataDir, outFile] = process.argv.slice(2);
  if (!dataDir || !outFile) {
    console.error('usage: npx tsx src/feeds/bench.ts DATA_DIR OUT.json');
    process.exit(2);
  }
  const t = performance.now();
  const r = await bench(dataDir);
  await writeFile(outFile, r.output);
  const sec = (performance.now() - t) / 1000;
  console.error(`${r.items} feeds in ${sec.toFixed(2)} s (${(r.items / sec).toFixed(0)} items/s)`);
}
