// WebSub end to end on loopback: a site whose feed names a hub, a fake hub, and the digest
// (pipeline + web app). Fetching the feed subscribes at the hub with our callback, topic and a
// fresh secret; the hub verifies the callback (challenge echoed); the hub pushes signed new
// content and the article is stored; badly signed, unsigned and oversized pushes are refused
// and store nothing; renewal near the lease end keeps the secret; a failing hub fails nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/core/config.ts';
import { silentLogger } from '../src/core/log.ts';
import { openApp, websubCallbackBase, type App } from '../src/cli/app.ts';
import { runPass } from '../src/jobs/ingest.ts';
import { ingestPushed } from '../src/jobs/websub.ts';
import { createWebApp, type WebApp } from '../src/web/index.ts';
import { signBody } from '../src/feeds/index.ts';

let site: http.Server;
let hub: http.Server;
let digest: http.Server;
let siteBase = '';
let hubBase = '';
let digestBase = '';
let app: App;
let web: WebApp;
let dir = '';

interface Subscription {
  params: URLSearchParams;
  verification: Promise<{ challenge: string; status: number; body: string }>;
}
const subscribeRequests: Subscription[] = [];
let brokenHubHits = 0;
const denials: Promise<number>[] = [];

const page = (title: string, topic: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><article><h1>${title}</h1>
${[1, 2, 3, 4, 5].map((i) => `<p>Paragraph ${i} about ${topic}: the harbour authority said the works would continue through the winter, and residents described long queues at the ferry terminal while the council met.</p>`).join('\n')}
</article></main></body></html>`;

const entries = [
  { id: 'tag:pushed.example,2026:1', title: 'Ferry timetable changes again', path: '/a/1', topic: 'the ferry' },
  { id: 'tag:pushed.example,2026:2', title: 'Harbour crane arrives by sea', path: '/a/2', topic: 'the crane' },
  { id: 'tag:pushed.example,2026:3', title: 'Forged story nobody published', path: '/a/3', topic: 'a forgery' },
];

function atom(list: typeof entries, hubUrl: string, self = `${siteBase}/feed.xml`): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Pushed Courier</title><id>tag:pushed.example,2026:feed</id>
<link rel="alternate" href="${siteBase}/"/><link rel="self" href="${self}"/><link rel="hub" href="${hubUrl}"/>
<updated>2026-11-26T09:00:00Z</updated>
${list
  .map(
    (e) => `<entry><id>${e.id}</id><title>${e.title}</title><link href="${siteBase}${e.path}"/><updated>2026-11-26T09:00:00Z</updated>
<summary>${e.title}, in short.</summary></entry>`,
  )
  .join('\n')}
</feed>`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** The fake hub: accepts subscriptions (202), then verifies the callback like a real hub. */
async function hubHandler(req: http.IncomingMessage, res: http.ServerResponse) {
  const body = await readBody(req);
  if (req.url === '/broken' && req.method === 'POST') {
    brokenHubHits++;
    res.writeHead(500, { 'content-type': 'text/plain' });
    return res.end('hub on fire');
  }
  if (req.url === '/deny' && req.method === 'POST') {
    // Accepts, then tells the subscriber it refuses (hub.mode=denied).
    const params = new URLSearchParams(body);
    res.writeHead(202);
    res.end();
    const cb = new URL(params.get('hub.callback')!);
    cb.searchParams.set('hub.mode', 'denied');
    cb.searchParams.set('hub.topic', params.get('hub.topic')!);
    cb.searchParams.set('hub.reason', 'not today');
    denials.push(fetch(cb).then((r) => r.status));
    return;
  }
  if (req.url !== '/hub' || req.method !== 'POST' || !/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
    res.writeHead(400);
    return res.end();
  }
  const params = new URLSearchParams(body);
  res.writeHead(202);
  res.end();
  // Verification of intent, after answering, as hubs do.
  const verification = (async () => {
    const challenge = randomBytes(12).toString('hex');
    const cb = new URL(params.get('hub.callback')!);
    cb.searchParams.set('hub.mode', 'subscribe');
    cb.searchParams.set('hub.topic', params.get('hub.topic')!);
    cb.searchParams.set('hub.challenge', challenge);
    cb.searchParams.set('hub.lease_seconds', '172800');
    const r = await fetch(cb);
    return { challenge, status: r.status, body: await r.text() };
  })();
  subscribeRequests.push({ params, verification });
}

function push(sourceId: number, body: string, headers: Record<string, string>) {
  return fetch(`${digestBase}/websub/${sourceId}`, { method: 'POST', body, headers: { 'content-type': 'application/atom+xml', ...headers } });
}

async function listen(s: http.Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

async function close(s: http.Server | undefined) {
  if (!s) return;
  s.closeAllConnections();
  await new Promise<void>((r) => s.close(() => r()));
}

before(async () => {
  site = http.createServer((req, res) => {
    const e = entries.find((x) => x.path === req.url);
    if (req.url === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/atom+xml' });
      return res.end(atom(entries.slice(0, 1), `${hubBase}/hub`));
    }
    if (req.url === '/broken-hub.xml') {
      res.writeHead(200, { 'content-type': 'application/atom+xml' });
      return res.end(atom([], `${hubBase}/broken`, `${siteBase}/broken-hub.xml`));
    }
    if (req.url === '/denied.xml') {
      res.writeHead(200, { 'content-type': 'application/atom+xml' });
      return res.end(atom([], `${hubBase}/deny`, `${siteBase}/denied.xml`));
    }
    if (e) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page(e.title, e.topic));
    }
    res.writeHead(404);
    res.end();
  });
  hub = http.createServer((req, res) => void hubHandler(req, res));
  // The digest's web server: the app is wired after its address is known (the callback base).
  let handler: http.RequestListener = (_req, res) => {
    res.writeHead(503);
    res.end();
  };
  digest = http.createServer((req, res) => handler(req, res));
  [siteBase, hubBase, digestBase] = await Promise.all([listen(site), listen(hub), listen(digest)]);
  dir = mkdtempSync(join(tmpdir(), 'digest-websub-'));
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir: dir,
      fetch: { allowPrivateRanges: ['127.0.0.1/32'], timeoutMs: 3000, connectTimeoutMs: 1000, retries: 0, perHostIntervalMs: 0, perHostConcurrency: 4 },
      websub: { callbackBase: `${digestBase}/` },
    },
  });
  app = await openApp(config, { log: silentLogger });
  web = createWebApp({
    store: app.store,
    log: () => {},
    maxPushBytes: 64 * 1024,
    onPush: async (id, body, headers) => {
      const source = await app.store.getSource(id);
      if (source) await ingestPushed(app.pipeline, source, body, headers);
    },
  });
  handler = web.handler;
});

after(async () => {
  await web?.pushesIdle();
  await app?.close();
  await Promise.all([close(site), close(hub), close(digest)]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('subscribe, verify, signed push stored, forged pushes refused', async () => {
  const source = await app.store.addSource({ url: `${siteBase}/feed.xml` });

  // 1. Fetching the feed subscribes at the hub it names.
  const pass = await runPass(app.pipeline, { sources: [source] });
  assert.equal(pass.results[0].outcome, 'ok');
  assert.equal(pass.results[0].newArticles, 1);
  assert.equal(subscribeRequests.length, 1, 'one subscription request');
  const sub = subscribeRequests[0];
  const stored = (await app.store.getSource(source.id))!;
  assert.equal(sub.params.get('hub.mode'), 'subscribe');
  assert.equal(sub.params.get('hub.callback'), `${digestBase}/websub/${source.id}`);
  assert.equal(sub.params.get('hub.topic'), `${siteBase}/feed.xml`);
  assert.equal(sub.params.get('hub.lease_seconds'), String(10 * 86400));
  const secret = sub.params.get('hub.secret')!;
  assert.ok(secret && secret.length >= 24, 'a fresh secret is sent');
  assert.equal(stored.websubSecret, secret);
  assert.equal(stored.websubHub, `${hubBase}/hub`);
  assert.equal(stored.websubTopic, `${siteBase}/feed.xml`);

  // 2. The hub verifies the callback: the challenge is echoed, the subscription is active.
  const v = await sub.verification;
  assert.equal(v.status, 200);
  assert.equal(v.body, v.challenge);
  const active = (await app.store.getSource(source.id))!;
  assert.equal(active.websubState, 'active');
  const leaseLeft = Date.parse(active.websubLeaseUntil!) - Date.now();
  assert.ok(leaseLeft > 172800_000 - 60_000 && leaseLeft <= 172800_000, `lease from hub.lease_seconds (${leaseLeft} ms)`);

  // Verifications that do not match are refused and echo nothing.
  const verifyUrl = (id: number, q: Record<string, string>) => `${digestBase}/websub/${id}?${new URLSearchParams(q)}`;
  const replay = await fetch(verifyUrl(source.id, { 'hub.mode': 'subscribe', 'hub.topic': `${siteBase}/feed.xml`, 'hub.challenge': 'again' }));
  assert.equal(replay.status, 404, 'nothing pending any more');
  assert.doesNotMatch(await replay.text(), /again/);
  assert.equal((await fetch(verifyUrl(999, { 'hub.mode': 'subscribe', 'hub.topic': 'x', 'hub.challenge': 'c' }))).status, 404);
  assert.equal((await fetch(verifyUrl(source.id, { 'hub.mode': 'unsubscribe', 'hub.topic': `${siteBase}/feed.xml`, 'hub.challenge': 'c' }))).status, 404);

  // 3. The hub pushes signed new content: the new article is stored.
  const fresh = atom(entries.slice(0, 2), `${hubBase}/hub`);
  const ok = await push(source.id, fresh, { 'x-hub-signature-256': signBody(fresh, secret, 'sha256') });
  assert.equal(ok.status, 202);
  await web.pushesIdle();
  const crane = await app.store.getArticleByUrl(`${siteBase}/a/2`);
  assert.ok(crane, 'the pushed article is stored');
  assert.equal(crane.title, 'Harbour crane arrives by sea');
  assert.equal(crane.sourceId, source.id);
  assert.match(crane.text, /Paragraph 1 about the crane/);
  assert.equal(await app.store.countArticles(), 2, 'the article already known is not duplicated');
  const log = await app.store.recentFetches(source.id, 5);
  assert.equal(log[0].outcome, 'push');
  assert.equal(log[0].newArticles, 1);

  // 4. Wrongly signed, unsigned, or signed with another secret: 403, nothing stored.
  const forged = atom(entries, `${hubBase}/hub`);
  const bad: Record<string, string>[] = [
    { 'x-hub-signature-256': signBody(forged, 'not-the-secret', 'sha256') },
    { 'x-hub-signature-256': signBody(fresh, secret, 'sha256') }, // a valid signature of another body
    { 'x-hub-signature': 'sha256=zz' },
    {},
  ];
  for (const h of bad) {
    const r = await push(source.id, forged, h);
    assert.equal(r.status, 403, JSON.stringify(h));
  }
  // Too large, even when signed: 413.
  const huge = forged + `<!-- ${'x'.repeat(70 * 1024)} -->`;
  assert.equal((await push(source.id, huge, { 'x-hub-signature-256': signBody(huge, secret, 'sha256') })).status, 413);
  // An unknown subscription: 410, so the hub drops it.
  assert.equal((await push(4242, forged, { 'x-hub-signature-256': signBody(forged, secret, 'sha256') })).status, 410);
  await web.pushesIdle();
  assert.equal(await app.store.getArticleByUrl(`${siteBase}/a/3`), null, 'the forged article is not stored');
  assert.equal(await app.store.countArticles(), 2);

  // The legacy sha1 header is accepted too.
  const sha1 = await push(source.id, forged, { 'x-hub-signature': signBody(forged, secret, 'sha1') });
  assert.equal(sha1.status, 202);
  await web.pushesIdle();
  assert.ok(await app.store.getArticleByUrl(`${siteBase}/a/3`));
});

test('no re-subscription while the lease runs; renewal near its end keeps the secret', async () => {
  const source = (await app.store.findSourceByUrl(`${siteBase}/feed.xml`))!;
  const before = subscribeRequests.length;
  await runPass(app.pipeline, { sources: [source] });
  assert.equal(subscribeRequests.length, before, 'the lease has two days left: no request');

  // 25 hours later the lease ends within a day: renew, same hub, topic and secret.
  const realNow = app.pipeline.now;
  app.pipeline.now = () => new Date(Date.now() + 25 * 3600_000);
  try {
    await runPass(app.pipeline, { sources: [(await app.store.getSource(source.id))!] });
  } finally {
    app.pipeline.now = realNow;
  }
  assert.equal(subscribeRequests.length, before + 1, 'renewal sent');
  const renewal = subscribeRequests.at(-1)!;
  assert.equal(renewal.params.get('hub.secret'), source.websubSecret);
  assert.equal(renewal.params.get('hub.callback'), `${digestBase}/websub/${source.id}`);
  const v = await renewal.verification;
  assert.equal(v.body, v.challenge);
  assert.equal((await app.store.getSource(source.id))?.websubState, 'active');
});

test('a hub that fails the request fails nothing else; it is not asked again at once', async () => {
  const source = await app.store.addSource({ url: `${siteBase}/broken-hub.xml` });
  const r = await runPass(app.pipeline, { sources: [source] });
  assert.equal(r.results[0].outcome, 'ok', 'the pass goes on');
  assert.equal(brokenHubHits, 1);
  const s = (await app.store.getSource(source.id))!;
  assert.equal(s.websubState, null, 'not pending: the hub refused');
  assert.equal(s.websubHub, `${hubBase}/broken`);
  assert.ok(s.websubRequestedAt);
  await runPass(app.pipeline, { sources: [s] });
  assert.equal(brokenHubHits, 1, 'retried only after a while');
  // Pushes for a subscription that never became pending or active are refused.
  const body = atom([], `${hubBase}/broken`);
  assert.equal((await push(source.id, body, { 'x-hub-signature-256': signBody(body, s.websubSecret!, 'sha256') })).status, 410);
});

test('a hub that denies the subscription: marked denied, not asked again that day, pushes refused', async () => {
  const source = await app.store.addSource({ url: `${siteBase}/denied.xml` });
  await runPass(app.pipeline, { sources: [source] });
  assert.equal(denials.length, 1);
  assert.equal(await denials[0], 200, 'the denial notice is acknowledged');
  const s = (await app.store.getSource(source.id))!;
  assert.equal(s.websubState, 'denied');
  await runPass(app.pipeline, { sources: [s] });
  assert.equal(denials.length, 1, 'not asked again at once');
  const body = atom([], `${hubBase}/deny`);
  assert.equal((await push(source.id, body, { 'x-hub-signature-256': signBody(body, s.websubSecret!, 'sha256') })).status, 410);
  // A denial for another topic changes nothing.
  const other = await fetch(`${digestBase}/websub/${source.id}?${new URLSearchParams({ 'hub.mode': 'denied', 'hub.topic': 'https://elsewhere.example/feed' })}`);
  assert.equal(other.status, 404);
});

test('the callback base: websub.callbackBase, else a public web.baseUrl, never a loopback one', () => {
  const cfg = (o: Record<string, unknown>) => loadConfig({ env: {}, overrides: o });
  assert.equal(websubCallbackBase(cfg({})), undefined, 'off by default');
  assert.equal(websubCallbackBase(cfg({ web: { baseUrl: 'https://digest.example.org' } })), 'https://digest.example.org');
  assert.equal(websubCallbackBase(cfg({ web: { baseUrl: 'http://localhost:8080' } })), undefined);
  assert.equal(websubCallbackBase(cfg({ web: { baseUrl: 'http://192.168.1.5:8080' } })), undefined);
  assert.equal(websubCallbackBase(cfg({ web: { baseUrl: 'http://[::1]:8080' } })), undefined);
  assert.equal(
    websubCallbackBase(cfg({ web: { baseUrl: 'http://localhost:8080' }, websub: { callbackBase: 'https://hooks.example.net/digest' } })),
    'https://hooks.example.net/digest',
  );
  assert.equal(websubCallbackBase(cfg({ web: { baseUrl: 'https://digest.example.org' }, websub: { enabled: false } })), undefined);
  assert.equal(websubCallbackBase(loadConfig({ env: { DIGEST_WEBSUB_CALLBACK_BASE: 'https://cb.example/' } })), 'https://cb.example/');
});
