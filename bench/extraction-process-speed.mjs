// Whole-process speed: time `bench/extraction.ts` as a fresh process for ours and for
// Readability.js+linkedom (--baseline) on the same pages, alternating, best of N rounds.
// Wall time includes node start-up, module loading and reading the pages, the same for both.
//   node bench/extraction-process-speed.mjs DIR [--rounds 3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const dir = argv[0];
const rounds = Number(argv.includes('--rounds') ? argv[argv.indexOf('--rounds') + 1] : 3);
const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'ex-speed-'));
const run = (baseline) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/extraction.ts', '--data', dir, '--out', join(tmp, 'o.json'), ...(baseline ? ['--baseline'] : [])], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return performance.now() - t0;
};
let ours = Infinity;
let theirs = Infinity;
for (let i = 0; i < rounds; i++) {
  ours = Math.min(ours, run(false));
  theirs = Math.min(theirs, run(true));
}
rmSync(tmp, { recursive: true, force: true });
console.log(`whole process, best of ${rounds}: ours ${(ours / 1000).toFixed(2)} s, readability.js+linkedom ${(theirs / 1000).toFixed(2)} s, ratio ${(theirs / ours).toFixed(2)}x`);
