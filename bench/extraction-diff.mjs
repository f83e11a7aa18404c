// One page: which gold paragraphs we missed (-) and which paragraphs we added (+).
//   node --import tsx bench/extraction-diff.mjs SET ID-PREFIX [--all]
import { loadSet, runSet } from './extraction-sets.mjs';

const [name, prefix] = process.argv.slice(2);
const set = loadSet(name);
set.pages = set.pages.filter((p) => p.id.startsWith(prefix));
const pred = runSet(set);
const toks = (s) => (s.match(/[\p{L}\p{N}_]+/gu) || []).join(' ');
for (const p of set.pages) {
  const gold = set.truth[p.id].articleBody.split(/\n\n/);
  const ours = pred[p.id].articleBody.split(/\n\n/);
  const gAll = ' ' + gold.map(toks).join(' ') + ' ';
  const oAll = ' ' + ours.map(toks).join(' ') + ' ';
  console.log(`== ${p.id} ${set.truth[p.id].url} method ${pred[p.id].method} gold ${gold.length} paras, ours ${ours.length}`);
  for (const g of gold) if (!oAll.includes(' ' + toks(g) + ' ')) console.log('  - ' + g.slice(0, 200));
  for (const o of ours) if (!gAll.includes(' ' + toks(o) + ' ')) console.log('  + ' + o.slice(0, 200));
  if (process.argv.includes('--all')) console.log(ours.map((o) => '  | ' + o.slice(0, 120)).join('\n'));
}
