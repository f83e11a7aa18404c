// The `digest` command as a user runs it: a real process, a temp data folder, and a
// loopback site whose feed has to be discovered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

const BIN = new URL('../bin/digest.js', import.meta.url).pathname;
let server: http.Server;
let base = '';
let dir = '';

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DIGEST_DATA_DIR: dir, DIGEST_FETCH_ALLOW_PRIVATE: '127.0.0.1/32', DIGEST_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const feed = () => `<?xml version="1.0"?><rss version="2.0"><channel><title>Quayside Gazette</title><link>${base}/</link><description>News</description>
<item><title>Lighthouse restored</title><link>${base}/news/lighthouse</link><guid>lh</guid><pubDate>Thu, 26 Nov 2026 09:00:00 GMT</pubDate><description>The lighthouse is restored.</description></item>
</channel></rss>`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'digest-cli-'));
  server = http.createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(`<html><head><title>Quayside Gazette</title><link rel="alternate" type="application/rss+xml" title="RSS" href="/rss/news.xml"></head><body>Home</body></html>`);
    }
    if (req.url === '/rss/news.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      return res.end(feed());
    }
    if (req.url === '/news/lighthouse') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<html lang="en"><head><title>Lighthouse restored | Quayside Gazette</title></head><body><article><h1>Lighthouse restored</h1>
${[1, 2, 3, 4].map((i) => `<p>Paragraph ${i}: the old lighthouse on the point has been restored by volunteers over three summers, and its lamp will shine again from Saturday night.</p>`).join('')}
</article></body></html>`);
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

test('--help works on the program and on every command; a wrong flag is a usage error (exit 2)', async () => {
  const top = await run(['--help']);
  assert.equal(top.code, 0);
  const commands = ['add', 'import', 'export', 'sources', 'remove', 'rename', 'move', 'fetch', 'serve', 'run', 'extract', 'parse-feed', 'demo', 'brief', 'bench'];
  for (const c of commands) assert.match(top.out, new RegExp(`\\n\\s+${c}\\b`), `${c} is listed`);
  const sub = await run(['add', '--help']);
  assert.equal(sub.code, 0);
  assert.match(sub.out, /Usage: digest add/);
  const bad = await run(['fetch', '--no-such-flag']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown option/);
  const unknownTask = await run(['bench', 'nope', '--data', dir, '--out', join(dir, 'x.json')]);
  assert.equal(unknownTask.code, 2);
  assert.match(unknownTask.err, /unknown bench task "nope"/);
  const badConfig = await run(['sources'], { DIGEST_PORT: 'eighty' });
  assert.equal(badConfig.code, 2);
  assert.match(badConfig.err, /DIGEST_PORT="eighty" is not a number/);
});

test('add discovers the feed of a site, fetch ingests it, sources shows its health', async () => {
  const add = await run(['add', base + '/', '--folder', 'Local']);
  assert.equal(add.code, 0, add.err);
  assert.match(add.out, /added #1 Quayside Gazette \(.*\/rss\/news\.xml\)/);
  const again = await run(['add', base + '/rss/news.xml']);
  assert.match(again.out, /already subscribed: #1 Quayside Gazette\n/);
  const fetch = await run(['fetch']);
  assert.equal(fetch.code, 0, fetch.err);
  assert.match(fetch.out, /1 source\(s\): 1 ok, 0 not modified, 0 failed; 1 new article\(s\)/);
  const list = await run(['sources']);
  assert.match(list.out, /id\s+folder\s+title\s+url\s+last fetch\s+status\s+last error\s+next due\s+articles/);
  assert.match(list.out, /Local\s+Quayside Gazette.*ok 200.*\s1$/m);
  const json = JSON.parse((await run(['sources', '--json'])).out);
  assert.equal(json[0].folder, 'Local');
  assert.equal(json[0].articleCount, 1);
});

test('add of an existing source with --folder/--title updates it and says so; rename and move', async () => {
  const upd = await run(['add', base + '/rss/news.xml', '--folder', 'Harbour', '--title', 'The Gazette']);
  assert.equal(upd.code, 0, upd.err);
  assert.match(upd.out, /already subscribed: #1 The Gazette; updated folder Harbour and title "The Gazette"/);
  let json = JSON.parse((await run(['sources', '--json'])).out);
  assert.deepEqual([json[0].folder, json[0].title], ['Harbour', 'The Gazette']);
  const ren = await run(['rename', base + '/rss/news.xml', 'Quayside Gazette']);
  assert.match(ren.out, /renamed #1 The Gazette to Quayside Gazette/);
  const mv = await run(['move', '1', 'Local']);
  assert.match(mv.out, /moved #1 Quayside Gazette to folder Local/);
  json = JSON.parse((await run(['sources', '--json'])).out);
  assert.deepEqual([json[0].folder, json[0].title], ['Local', 'Quayside Gazette']);
  const missing = await run(['move', '99', 'X']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no source 99/);
});

test('export writes OPML that import reads back with its folders; remove unsubscribes', async () => {
  const exp = await run(['export']);
  assert.equal(exp.code, 0);
  assert.match(exp.out, /<opml version="2.0">/);
  const file = join(dir, 'subs.opml');
  writeFileSync(file, exp.out);
  const rm = await run(['remove', '1']);
  assert.match(rm.out, /removed #1 Quayside Gazette/);
  const missing = await run(['remove', '1']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no source 1/);
  const imp = await run(['import', file]);
  assert.match(imp.out, /imported 1 source\(s\)/);
  const json = JSON.parse((await run(['sources', '--json'])).out);
  assert.equal(json.length, 1);
  assert.equal(json[0].folder, 'Local');
  const noFile = await run(['import', join(dir, 'nope.opml')]);
  assert.equal(noFile.code, 2);
});

test('parse-feed and extract print one document as JSON', async () => {
  const f = await run(['parse-feed', base + '/rss/news.xml']);
  assert.equal(f.code, 0, f.err);
  const feedJson = JSON.parse(f.out);
  assert.equal(feedJson.title, 'Quayside Gazette');
  assert.equal(feedJson.items[0].link, `${base}/news/lighthouse`);
  const e = await run(['extract', base + '/news/lighthouse']);
  assert.equal(e.code, 0, e.err);
  const art = JSON.parse(e.out);
  assert.equal(art.title, 'Lighthouse restored');
  assert.match(art.text, /^Paragraph 1: the old lighthouse/);
  assert.equal(art.text.split('\n\n').length, 4);
  const refused = await run(['extract', base + '/news/lighthouse'], { DIGEST_FETCH_ALLOW_PRIVATE: '' });
  assert.equal(refused.code, 1);
  assert.match(refused.err, /refused/);
});

test('run fetches on schedule, serves the digest, and stops cleanly on SIGTERM', async () => {
  const p = spawn(process.execPath, [BIN, 'run', '--port', '0'], {
    env: { ...process.env, DIGEST_DATA_DIR: dir, DIGEST_FETCH_ALLOW_PRIVATE: '127.0.0.1/32', DIGEST_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number>((r) => p.on('close', (c) => r(c ?? -1)));
  for (let i = 0; i < 300 && !/fetch pass done/.test(err); i++) await new Promise((r) => setTimeout(r, 50));
  const url = /serving the digest at (http:\/\/\S+)/.exec(err)?.[1];
  assert.ok(url, `no URL in the log: ${err}`);
  assert.match(err, /fetch pass done sources=\d+/);
  const api = await (await fetch(`${url}/api/articles?limit=5`)).json();
  assert.equal(api.items[0].title, 'Lighthouse restored');
  p.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('demo listens at once, answers "almost ready" until the sample is ingested, then serves all of it', async () => {
  const p = spawn(process.execPath, [BIN, '--data-dir', join(dir, 'demo'), 'demo', '--port', '0'], {
    env: { ...process.env, DIGEST_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  p.stdout.on('data', (d) => (out += d));
  p.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number>((r) => p.on('close', (c) => r(c ?? -1)));
  for (let i = 0; i < 600 && !/serving the digest at/.test(err); i++) await new Promise((r) => setTimeout(r, 20));
  const url = /serving the digest at (http:\/\/\S+)/.exec(err)?.[1];
  assert.ok(url, `no URL in the log: ${err}`);
  const health = await fetch(`${url}/healthz`);
  assert.equal(health.status, 200);
  const early = await fetch(`${url}/`);
  if (early.status === 503) assert.match(await early.text(), /ingesting its sample/);
  else assert.equal(early.status, 200);
  for (let i = 0; i < 1500 && !/demo: open/.test(out); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(out, /48 new article\(s\)/);
  assert.match(out, new RegExp(`Occasional Digest demo: open ${url}`));
  for (let i = 0; i < 100 && !/Sign in as demo/.test(out); i++) await new Promise((r) => setTimeout(r, 20));
  const demoPassword = /Sign in as demo with password (\S+) /.exec(out)?.[1];
  assert.ok(demoPassword, out);
  const form = await fetch(`${url}/login`);
  const pre = /digest_login_csrf=([^;]+)/.exec(form.headers.get('set-cookie')!)![1];
  const signIn = await fetch(`${url}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: `digest_login_csrf=${pre}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'demo', password: demoPassword, csrf: pre }).toString(),
  });
  assert.equal(signIn.status, 303, 'the printed demo credentials sign in');
  assert.equal(((await (await fetch(`${url}/healthz`)).json()) as { articles: number }).articles, 48);
  const home = await fetch(`${url}/`);
  assert.equal(home.status, 200);
  assert.doesNotMatch(await home.text(), /ingesting its sample/);
  p.kill('SIGTERM');
  assert.equal(await exited, 0);
});
