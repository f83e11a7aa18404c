#!/usr/bin/env node
// Entry point of the `digest` command: runs the compiled JavaScript in dist/, which `npm ci`
// builds (the prepare script) and `npm run build` rebuilds.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(`digest: the compiled program (dist/) is missing in ${root}: run npm ci or npm run build there\n`);
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
