#!/usr/bin/env node
// Builds dist/ (what bin/digest.js runs): `tsc -p tsconfig.build.json` (incremental), then
// copies the non-TypeScript files src/ reads at run time (site.css, icon.svg, the NER model,
// the demo's content, …: every file that is not .ts, a README or under fixtures/) beside the
// compiled modules. `npm ci` runs it (prepare), so does `npm run build`, and scripts/test.mjs
// before every test run, so tests that start the CLI never run a stale build. When no input is
// newer than the last build it returns at once.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');
const INPUT_DIRS = ['src', 'bench'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'];

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function isAsset(file) {
  const rel = relative(root, file);
  if (!rel.startsWith('src/') || rel.endsWith('.ts')) return false;
  if (rel.split('/').includes('fixtures')) return false;
  return !/(^|\/)README\.md$/.test(rel);
}

/** Builds dist/ if anything changed since the last build; returns true if it built. */
export function build({ quiet = false } = {}) {
  const inputs = [...INPUT_DIRS.flatMap((d) => walk(join(root, d))), ...INPUT_FILES.map((f) => join(root, f)).filter(existsSync)];
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : -1;
  if (built >= 0 && inputs.every((f) => statSync(f).mtimeMs <= built)) return false;
  const started = Date.now();
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`build failed: tsc -p tsconfig.build.json exited with ${r.status ?? r.signal}`);
  let copied = 0;
  for (const f of inputs.filter(isAsset)) {
    const to = join(dist, relative(root, f));
    if (existsSync(to) && statSync(to).mtimeMs >= statSync(f).mtimeMs && statSync(to).size === statSync(f).size) continue;
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(f, to);
    copied++;
  }
  // The stamp is dated when the build started: a file saved during the build is newer, so the
  // next build runs again.
  writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
  utimesSync(stamp, started / 1000, started / 1000);
  if (!quiet) process.stderr.write(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s (${copied} asset(s) copied)\n`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    build();
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
