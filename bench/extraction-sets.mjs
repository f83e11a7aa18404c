// Shared helpers for the extraction bench scripts (bench/extraction-report.mjs, bench/extraction-folds.mjs):
// load a set's pages and gold, group pages by site, run the extractor in process, score with the
// shared scorer. Run the scripts with `node --import tsx bench/<script>.mjs`.
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadPages } from './extraction.ts';
import { extractArticle } from '../src/extract/extract.ts';

export const BENCH = resolve(process.env.EXTRACTION_BENCH ?? new URL('../../shared/bench/extraction', import.meta.url).pathname);
export const SETS = ['dev', 'big9-chaos/dev', 'cleanportaleval/dev', 'readability'];

const { evaluate } = await import(join(BENCH, 'score.mjs'));
export { evaluate };

const SLD = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'edu']);
/** Registrable part of a host ("news.bbc.co.uk" -> "bbc.co.uk"), so one site's sub-domains and years fall in one fold. */
export function siteOf(url) {
  let h;
  try {
    h = new URL(url).hostname.toLowerCase();
  } catch {
    return '?';
  }
  const p = h.split('.');
  if (p.length >= 3 && SLD.has(p[p.length - 2]) && p[p.length - 1].length === 2) return p.slice(-3).join('.');
  return p.slice(-2).join('.');
}

/** Pages, gold and site of each page of a set (readability pages: one site each). */
export function loadSet(name) {
  const dir = join(BENCH, name);
  const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8'));
  const pages = loadPages(dir).filter((p) => p.id in truth);
  const site = {};
  for (const p of pages) site[p.id] = truth[p.id].url ? siteOf(truth[p.id].url) : p.id;
  const titlesFile = join(dir, 'titles.json');
  const titles = existsSync(titlesFile) ? JSON.parse(readFileSync(titlesFile, 'utf8')) : null;
  return { name, dir, truth, pages, site, titles };
}

/** Run the extractor on every page: {id: article}. */
export function runSet(set, opts) {
  const out = {};
  for (const p of set.pages) {
    try {
      const a = extractArticle(p.html, p.url, opts);
      out[p.id] = { articleBody: a.text, title: a.title, method: a.method };
    } catch (e) {
      out[p.id] = { articleBody: '', error: String(e) };
    }
  }
  return out;
}

export function score(truth, pred, ids) {
  const t = ids ? Object.fromEntries(ids.map((i) => [i, truth[i]])) : truth;
  const r = evaluate(t, pred, { nBootstrap: 0 });
  const empty = Object.keys(t).filter((i) => !(pred[i]?.articleBody ?? '').trim()).length;
  return { ...r.metrics, empty, pages: r.pages };
}

export const fmt = (m) =>
  `F1 ${m.f1.toFixed(3)} P ${m.precision.toFixed(3)} R ${m.recall.toFixed(3)} acc ${m.accuracy.toFixed(3)} empty ${m.empty} (n=${m.n})`;
