#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with Node's own test runner (through tsx).
// Usage: node scripts/test.mjs [filter...]   (a filter keeps files whose path contains it)
// It first brings dist/ up to date (scripts/build.mjs, incremental): the tests that start the
// `digest` command as a real process run the compiled build, never a stale one.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { build } from './build.mjs';

const root = new URL('..', import.meta.url).pathname;
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts')) files.push(relative(root, p));
  }
}
for (const d of ['src', 'test']) walk(join(root, d));
const filters = process.argv.slice(2);
const chosen = files.sort().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (chosen.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
try {
  build();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...chosen],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(r.status ?? 1);
