// Metadata exact-match rates of src/extract on the mozilla/readability test pages.
// Usage: node --import tsx scripts/extract-metadata-score.ts [DIR] [--verbose]
//   DIR defaults to ../shared/bench/extraction/readability (each <name>/source.html + expected-metadata.json).
// A field counts only on pages whose expected-metadata.json has that key (null included: then we
// must find nothing). Strings compare exactly after collapsing whitespace runs to one space;
// publishedTime compares as instants. "extra" counts pages where upstream expects null but we
// found a value (most are real dates/site names the page states that Readability ignores).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { extractArticle, isoDate } from '../src/extract/index.ts';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const dir = args.find((a) => !a.startsWith('--')) ?? new URL('../../shared/bench/extraction/readability', import.meta.url).pathname;
const FIELDS = [
  ['title', 'title'],
  ['byline', 'byline'],
  ['excerpt', 'description'],
  ['siteName', 'siteName'],
  ['publishedTime', 'published'],
  ['lang', 'lang'],
] as const;
const hit: Record<string, number> = {};
const tot: Record<string, number> = {};
const misses: string[] = [];
const extra: Record<string, number> = {};
let suffixOk = 0;
// Pages where upstream expects a value: how often we give exactly that value.
const valued: Record<string, number> = {};
const valuedHit: Record<string, number> = {};
let pages = 0;
for (const name of readdirSync(dir).sort()) {
  const src = join(dir, name, 'source.html');
  const exp = join(dir, name, 'expected-metadata.json');
  if (!existsSync(src) || !existsSync(exp)) continue;
  pages++;
  const want = JSON.parse(readFileSync(exp, 'utf8')) as Record<string, string | null>;
  let got: Record<string, unknown>;
  try {
    got = extractArticle(readFileSync(src, 'utf8'), 'http://fakehost/test/page.html') as unknown as Record<string, unknown>;
  } catch (e) {
    got = {};
  }
  for (const [wk, gk] of FIELDS) {
    if (!(wk in want)) continue;
    tot[wk] = (tot[wk] ?? 0) + 1;
    const ws = (v: unknown): string | null => (v == null || String(v).trim() === '' ? null : String(v).replace(/\s+/g, ' ').trim());
    const w = ws(want[wk]);
    const g = ws(got[gk]);
    if (w === null && g !== null) extra[wk] = (extra[wk] ?? 0) + 1;
    let ok = w === g;
    if (!ok && wk === 'publishedTime' && w && g) ok = isoDate(w) === isoDate(g);
    if (ok) hit[wk] = (hit[wk] ?? 0) + 1;
    // Titles: also count matches up to a trailing site/section part that we drop on purpose
    // ("How to Build a Terrarium | eHow" -> "How to Build a Terrarium").
    if (wk === 'title' && (ok || (w && g && w.startsWith(g) && /^\s*[|\-–—·:»]\s*\S/.test(w.slice(g.length))))) suffixOk++;
    if (w !== null) {
      valued[wk] = (valued[wk] ?? 0) + 1;
      if (ok) valuedHit[wk] = (valuedHit[wk] ?? 0) + 1;
    }
    if (!ok) misses.push(`${name}\t${wk}\twant=${JSON.stringify(w)}\tgot=${JSON.stringify(g)}`);
  }
}
if (verbose) for (const m of misses) console.log(m);
const parts = FIELDS.map(([wk]) => `${wk} ${((hit[wk] ?? 0) / (tot[wk] || 1)).toFixed(3)} (${hit[wk] ?? 0}/${tot[wk] ?? 0}${extra[wk] ? `, extra ${extra[wk]}` : ''})`);
console.log(`metadata exact-match on ${pages} pages: ${parts.join('  ')}`);
console.log(`where upstream has a value: ${FIELDS.map(([wk]) => `${wk} ${((valuedHit[wk] ?? 0) / (valued[wk] || 1)).toFixed(3)} (${valuedHit[wk] ?? 0}/${valued[wk] ?? 0})`).join('  ')}`);
console.log(`title ignoring a trailing site/section part: ${(suffixOk / (tot.title || 1)).toFixed(3)} (${suffixOk}/${tot.title ?? 0})`);
