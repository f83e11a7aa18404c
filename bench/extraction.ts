// Extraction bench: run the extractor over a benchmark directory and emit predictions for
// ../shared/bench/extraction/score.mjs; optionally time Readability.js+linkedom on the same pages.
//
// Layouts understood:
//   DIR/html/<id>.html or <id>.html.gz   (scrapinghub article-extraction-benchmark; URLs from DIR/ground-truth.json when present)
//   DIR/<name>/source.html               (mozilla/readability test pages)
//
// CLI: node --import tsx bench/extraction.ts --data DIR [--out FILE] [--baseline] [--speed]
import { readFileSync, readdirSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { extractArticle } from '../src/extract/index.ts';

export interface BenchPage {
  id: string;
  url: string;
  html: string;
}

export interface BenchResult {
  /** JSON text: {"<id>": {"articleBody", "title", "byline", "published", ...}} */
  output: string;
  items: number;
  /** Wall time spent extracting (ms), parse of input files excluded. */
  ms?: number;
}

/** Load the pages of a bench directory (either layout). */
export function loadPages(dataDir: string): BenchPage[] {
  // Only the pages are read: never ground-truth.json (gold), not even for the page URLs.
  // The extractor finds each page's own URL in its canonical/og:url metadata.
  const pages: BenchPage[] = [];
  const htmlDir = join(dataDir, 'html');
  if (existsSync(htmlDir) && statSync(htmlDir).isDirectory()) {
    for (const f of readdirSync(htmlDir).sort()) {
      const m = f.match(/^(.+)\.html(\.gz)?$/);
      if (!m) continue;
      const buf = readFileSync(join(htmlDir, f));
      const html = (m[2] ? gunzipSync(buf) : buf).toString('utf8');
      pages.push({ id: m[1], url: `https://bench.invalid/${m[1]}.html`, html });
    }
    return pages;
  }
  for (const name of readdirSync(dataDir).sort()) {
    const src = join(dataDir, name, 'source.html');
    if (!existsSync(src)) continue;
    pages.push({ id: name, url: `http://fakehost/test/page.html`, html: readFileSync(src, 'utf8') });
  }
  return pages;
}

/** Our extractor over the pages; returns predictions JSON. */
export function runOurs(pages: BenchPage[]): BenchResult {
  const out: Record<string, Record<string, unknown>> = {};
  const t0 = performance.now();
  for (const p of pages) {
    try {
      const a = extractArticle(p.html, p.url);
      out[p.id] = {
        articleBody: a.text,
        title: a.title,
        byline: a.byline,
        published: a.published,
        modified: a.modified,
        description: a.description,
        siteName: a.siteName,
        lang: a.lang,
        section: a.section,
        canonicalUrl: a.canonicalUrl,
        leadImage: a.leadImage,
        method: a.method,
      };
    } catch (e) {
      out[p.id] = { articleBody: '', error: e instanceof Error ? e.message : String(e) };
    }
  }
  const ms = performance.now() - t0;
  return { output: JSON.stringify(out, null, 1), items: pages.length, ms };
}

/** Readability.js 0.6 + linkedom over the same pages (the baseline). */
export async function runReadability(pages: BenchPage[]): Promise<BenchResult> {
  const { Readability } = await import('@mozilla/readability');
  const { parseHTML } = await import('linkedom');
  const out: Record<string, Record<string, unknown>> = {};
  const t0 = performance.now();
  for (const p of pages) {
    try {
      const { document } = parseHTML(p.html);
      const r = new Readability(document as unknown as Document).parse();
      out[p.id] = { articleBody: r?.textContent ?? '', title: r?.title ?? null, byline: r?.byline ?? null, published: r?.publishedTime ?? null };
    } catch (e) {
      out[p.id] = { articleBody: '', error: e instanceof Error ? e.message : String(e) };
    }
  }
  const ms = performance.now() - t0;
  return { output: JSON.stringify(out, null, 1), items: pages.length, ms };
}

/** Entry point the CLI wires to `digest bench extraction --data DIR --out FILE`. */
export async function bench(dataDir: string, opts: { baseline?: boolean } = {}): Promise<BenchResult> {
  const pages = loadPages(dataDir);
  return opts.baseline ? runReadability(pages) : runOurs(pages);
}

/** Pages per second of ours and of Readability.js+linkedom on the same pages, same process, one core. */
export async function speed(dataDir: string, rounds = 1): Promise<{ pages: number; ours: number; readability: number; ratio: number; line: string }> {
  const pages = loadPages(dataDir);
  // warm both up on a few pages so JIT compilation is not counted
  runOurs(pages.slice(0, 5));
  await runReadability(pages.slice(0, 5));
  let oursMs = Infinity;
  let rdMs = Infinity;
  for (let i = 0; i < rounds; i++) {
    oursMs = Math.min(oursMs, runOurs(pages).ms!);
    rdMs = Math.min(rdMs, (await runReadability(pages)).ms!);
  }
  const ours = (pages.length / oursMs) * 1000;
  const readability = (pages.length / rdMs) * 1000;
  const ratio = ours / readability;
  const line = `pages ${pages.length} ours ${ours.toFixed(1)} pages/s readability.js+linkedom ${readability.toFixed(1)} pages/s ratio ${ratio.toFixed(2)}x (one thread)`;
  return { pages: pages.length, ours, readability, ratio, line };
}

async function main(argv: string[]): Promise<void> {
  const arg = (k: string): string | undefined => {
    const i = argv.indexOf(k);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const data = arg('--data');
  if (!data) {
    console.error('usage: extraction.ts --data DIR [--out FILE] [--baseline] [--speed [--rounds N]]');
    process.exit(2);
  }
  if (argv.includes('--speed')) {
    const r = await speed(data, Number(arg('--rounds') ?? 1));
    console.log(r.line);
    return;
  }
  const r = await bench(data, { baseline: argv.includes('--baseline') });
  const out = arg('--out');
  if (out) writeFileSync(out, r.output);
  else process.stdout.write(r.output + '\n');
  console.error(`${r.items} pages in ${Math.round(r.ms ?? 0)} ms (${(((r.items / (r.ms ?? 1)) * 1000) || 0).toFixed(1)} pages/s)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
