// The client-API conformance harness (../shared/bench/clientapi/conformance.mjs, relative to the
// repo root) against a real `digest run` and the harness's loopback feed server, both started
// here as child processes; set up with the commands a user types. Fails on any FAIL or SKIP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/digest.js');
const BENCH = join(ROOT, '../shared/bench/clientapi');
const HARNESS = join(BENCH, 'conformance.mjs');
const present = existsSync(HARNESS) && existsSync(join(BENCH, 'feedserver.mjs'));
let dir = '';
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout!.on('data', (d: Buffer) => (out += d));
    p.stderr!.on('data', (d: Buffer) => (err += d));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

/** Starts a long-running child and resolves once a line of its output matches. */
function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(p);
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start: ${seen.slice(-500)}`)), 20_000);
    const on = (d: Buffer) => {
      seen += d;
      if (ready.test(seen)) {
        clearTimeout(timer);
        resolve(p);
      }
    };
    p.stdout!.on('data', on);
    p.stderr!.on('data', on);
    p.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${seen.slice(-500)}`)));
  });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'digest-sync-conf-'));
});
after(async () => {
  for (const c of children) {
    if (c.exitCode === null) {
      const done = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await done;
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

test('conformance.mjs --api both: every check passes against digest run', { skip: present ? false : `the client-API harness is not at ${BENCH}`, timeout: 240_000 }, async () => {
  const feedPort = await freePort();
  const webPort = await freePort();
  // The loopback fixtures need private ranges allowed, and no per-host pause between article pages.
  const config = join(dir, 'digest.config.json');
  writeFileSync(config, JSON.stringify({ fetch: { allowPrivateRanges: ['127.0.0.1/32'], perHostIntervalMs: 0, perHostConcurrency: 4 } }));
  const env = { DIGEST_DATA_DIR: join(dir, 'data'), DIGEST_CONFIG: config, DIGEST_PORT: String(webPort), DIGEST_LOG_LEVEL: 'info' };
  writeFileSync(join(dir, 'pw'), 'user password 1\n');
  writeFileSync(join(dir, 'app'), 'app-password-for-sync\n');
  let r = await run([BIN, 'user', 'add', 'syncer', '--password-file', join(dir, 'pw')], env);
  assert.equal(r.code, 0, r.err);
  r = await run([BIN, 'user', 'app-password', 'add', 'syncer', '--label', 'phone', '--password-file', join(dir, 'app')], env);
  assert.equal(r.code, 0, r.err);

  await start([join(BENCH, 'feedserver.mjs'), '--port', String(feedPort)], {}, /./);
  await start([BIN, 'run'], env, /serving the digest at/);
  const server = `http://127.0.0.1:${webPort}`;
  // Miniflux's layout, then FreshRSS's paths (the aliases apps preset for FreshRSS use).
  for (const layout of [[], ['--greader-base', `${server}/api/greader.php`, '--fever-url', `${server}/api/fever.php`]]) {
    r = await run([HARNESS, '--server', server, '--user', 'syncer', '--password', 'app-password-for-sync',
      '--feed', `http://127.0.0.1:${feedPort}/a.xml`, '--expect-items', '25', '--api', 'both', ...layout], {});
    const lines = r.out.split('\n');
    const bad = lines.filter((l) => /^(FAIL|SKIP) /.test(l));
    assert.deepEqual(bad, [], r.out + r.err);
    assert.match(lines.filter(Boolean).at(-1) ?? '', /^61 passed, 0 failed/, r.out);
    assert.equal(r.code, 0, r.out + r.err);
  }
});
