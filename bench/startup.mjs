#!/usr/bin/env node
// Start-up times of the `digest` command (docs/benchmarks.md, "Start-up"), median of N runs:
//   node bench/startup.mjs help [N] [REPO]   wall and CPU time of `node bin/digest.js --help`
//   node bench/startup.mjs demo [N] [REPO]   `npm run demo -- --port P --data-dir TMP`: seconds from
//                                            process start to the first 200 on /healthz, and to the
//                                            first 200 on / (the sample fully ingested)
// REPO defaults to this checkout (give another one to measure it the same way).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [what, nArg, repoArg] = process.argv.slice(2);
const n = Number(nArg ?? 5);
const repo = repoArg ?? fileURLToPath(new URL('..', import.meta.url));
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const fmt = (a) => a.map((x) => x.toFixed(2)).join(' ');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function status(url) {
  try {
    const r = await fetch(url);
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
}

if (what === 'help') {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < n; i++) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', process.execPath, 'bin/digest.js', '--help'], { cwd: repo, encoding: 'utf8' });
    const [e, u, s] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
    wall.push(e);
    cpu.push(u + s);
  }
  console.log(`digest --help: wall ${fmt(wall)} s (median ${median(wall).toFixed(2)}); cpu ${fmt(cpu)} s (median ${median(cpu).toFixed(2)})`);
} else if (what === 'demo') {
  const health = [];
  const ready = [];
  for (let i = 0; i < n; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'digest-startup-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const t0 = performance.now();
    const child = spawn('npm', ['run', 'demo', '--', '--port', String(port), '--data-dir', join(dir, 'data')], { cwd: repo, detached: true, stdio: 'ignore' });
    let tHealth = null;
    let tReady = null;
    while (performance.now() - t0 < 60_000 && tReady === null) {
      if (tHealth === null && (await status(`http://127.0.0.1:${port}/healthz`)) === 200) tHealth = (performance.now() - t0) / 1000;
      if (tHealth !== null && (await status(`http://127.0.0.1:${port}/`)) === 200) tReady = (performance.now() - t0) / 1000;
      else await sleep(20);
    }
    process.kill(-child.pid, 'SIGTERM');
    await new Promise((r) => child.on('exit', r));
    rmSync(dir, { recursive: true, force: true });
    if (tReady === null) throw new Error(`the demo did not answer on port ${port} within 60 s`);
    health.push(tHealth);
    ready.push(tReady);
  }
  console.log(`demo: first 200 on /healthz ${fmt(health)} s (median ${median(health).toFixed(2)}); first 200 on / ${fmt(ready)} s (median ${median(ready).toFixed(2)})`);
} else {
  console.error('usage: node bench/startup.mjs help|demo [runs] [repo]');
  process.exit(2);
}
