// Bench adapter: parse every case of a feeds bench folder (cases.json + files/) with its
// headers and URL, and return the predictions JSON the scorer reads.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Feed } from '../src/core/types.ts';
import { parseFeed } from '../src/feeds/index.ts';

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
