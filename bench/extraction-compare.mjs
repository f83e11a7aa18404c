// Pages whose F1 changed between two prediction files of one set.
//   node bench/extraction-compare.mjs SET OLD.json NEW.json
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, evaluate } from './extraction-sets.mjs';

const [name, a, b] = process.argv.slice(2);
const truth = JSON.parse(readFileSync(join(BENCH, name, 'ground-truth.json'), 'utf8'));
const pa = evaluate(truth, JSON.parse(readFileSync(a, 'utf8')), { nBootstrap: 0 }).pages;
const pb = evaluate(truth, JSON.parse(readFileSync(b, 'utf8')), { nBootstrap: 0 }).pages;
const f = (p) => (p.precision + p.recall ? (2 * p.precision * p.recall) / (p.precision + p.recall) : 0);
const rows = pa.map((p, i) => [p.id, f(p), f(pb[i]), p.accuracy, pb[i].accuracy]).filter((r) => Math.abs(r[1] - r[2]) > 1e-9 || r[3] !== r[4]);
rows.sort((x, y) => x[2] - x[1] - (y[2] - y[1]));
for (const r of rows) console.log(`${r[0].slice(0, 30).padEnd(30)} ${r[1].toFixed(3)} -> ${r[2].toFixed(3)} acc ${r[3]}->${r[4]}`);
