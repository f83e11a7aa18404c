// What one TUNING value does, page by page: run every set with the shipped value and with another
// one, count the pages (and sites) that are better or worse with the shipped value.
//   node --import tsx bench/extraction-toggle.mjs KEY VALUE      e.g. promoTail 0
import { SETS, loadSet, runSet, score } from './extraction-sets.mjs';
import { TUNING } from '../src/extract/body.ts';

const [key, value] = process.argv.slice(2);
if (!(key in TUNING)) {
  console.error(`usage: extraction-toggle.mjs KEY VALUE (KEY one of ${Object.keys(TUNING).join(', ')})`);
  process.exit(2);
}
const shipped = TUNING[key];
const f1 = (p) => (p.precision + p.recall ? (2 * p.precision * p.recall) / (p.precision + p.recall) : 0);
for (const name of SETS) {
  const set = loadSet(name);
  const a = score(set.truth, runSet(set)).pages;
  TUNING[key] = Number(value);
  const b = score(set.truth, runSet(set)).pages;
  TUNING[key] = shipped;
  let up = 0;
  let down = 0;
  let exUp = 0;
  let exDown = 0;
  const sites = new Set();
  a.forEach((p, i) => {
    const d = f1(p) - f1(b[i]);
    if (d > 1e-9) {
      up++;
      sites.add(set.site[p.id]);
    } else if (d < -1e-9) down++;
    if (p.accuracy > b[i].accuracy) exUp++;
    if (p.accuracy < b[i].accuracy) exDown++;
  });
  console.log(`${name}: ${key}=${shipped} (shipped) vs ${value}: ${up} pages better (${sites.size} sites), ${down} worse; exact +${exUp} -${exDown}`);
}
