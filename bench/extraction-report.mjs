// Per-set scores and the worst pages of each set (per-page precision/recall, sorted by page F1).
//   node --import tsx bench/extraction-report.mjs [--set NAME]... [--worst N] [--save DIR] [--site]
// --save DIR writes DIR/<set>.json predictions; --site prints per-site scores.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SETS, loadSet, runSet, score, fmt } from './extraction-sets.mjs';

const argv = process.argv.slice(2);
const arg = (k, d) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
const sets = argv.flatMap((a, i) => (argv[i - 1] === '--set' ? [a] : []));
const worst = Number(arg('--worst', 0));
const save = arg('--save');
for (const name of sets.length ? sets : SETS) {
  const set = loadSet(name);
  const t0 = performance.now();
  const pred = runSet(set);
  const ms = performance.now() - t0;
  if (save) {
    mkdirSync(save, { recursive: true });
    writeFileSync(join(save, name.replace(/\//g, '-') + '.json'), JSON.stringify(pred));
  }
  const m = score(set.truth, pred);
  let extra = '';
  if (set.titles) {
    let ok = 0;
    let exact = 0;
    const ws = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
    for (const id of Object.keys(set.truth)) {
      const norm = (s) => ws(s).replace(/[‘’'`´"“”?]/g, '').toLowerCase();
      if (norm(pred[id]?.title) === norm(set.titles[id]?.title)) ok++;
      if (ws(pred[id]?.title) === ws(set.titles[id]?.title)) exact++;
    }
    extra = ` title exact ${(exact / m.n).toFixed(3)} (${exact}/${m.n}), ignoring case and quote marks ${(ok / m.n).toFixed(3)} (${ok}/${m.n})`;
  }
  console.log(`${name.padEnd(20)} ${fmt(m)}${extra} ${(ms / set.pages.length).toFixed(1)} ms/page`);
  if (set.titles) {
    const byGroup = {};
    for (const p of set.pages) (byGroup[set.titles[p.id]?.group ?? '?'] ??= []).push(p.id);
    for (const [g, ids] of Object.entries(byGroup).sort()) console.log(`   ${g.padEnd(28)} ${fmt(score(set.truth, pred, ids))}`);
  }
  if (argv.includes('--site')) {
    const bySite = {};
    for (const p of set.pages) (bySite[set.site[p.id]] ??= []).push(p.id);
    const rows = Object.entries(bySite).filter(([, ids]) => ids.length >= 2).map(([s, ids]) => [s, score(set.truth, pred, ids)]);
    rows.sort((a, b) => a[1].f1 - b[1].f1);
    for (const [s, r] of rows.slice(0, 15)) console.log(`   ${s.padEnd(28)} ${fmt(r)}`);
  }
  if (worst) {
    const rows = m.pages.map((p) => ({ ...p, f1: p.precision + p.recall ? (2 * p.precision * p.recall) / (p.precision + p.recall) : 0 }));
    rows.sort((a, b) => a.f1 - b.f1);
    for (const r of rows.slice(0, worst))
      console.log(`   ${r.id.slice(0, 24).padEnd(24)} F1 ${r.f1.toFixed(3)} P ${r.precision.toFixed(3)} R ${r.recall.toFixed(3)} ${set.site[r.id]} ${pred[r.id]?.method ?? ''} ${set.titles?.[r.id]?.group ?? ''}`);
  }
}
