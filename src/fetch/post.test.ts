// POST and custom headers through the fetcher, against a loopback server the test starts:
// the body and headers arrive as sent, a POST is never retried, its redirects are not
// followed, and the SSRF policy applies to it as to a GET.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DigestError } from '../core/errors.ts';
import { createFetcher, type FetchOptions } from './index.ts';

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;
const routes = new Map<string, Handler>();
const seen: Seen[] = [];
let server: http.Server;
let base = '';

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', path, headers: req.headers, body });
      const h = routes.get(path);
      if (h) return h(req, body, res);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const LOOPBACK: Partial<FetchOptions> = {
  allowPrivateRanges: ['127.0.0.1/32', '::1/128'],
  perHostIntervalMs: 0,
  retries: 3,
  retryBaseMs: 5,
  respectRobots: true,
  timeoutMs: 5000,
  connectTimeoutMs: 2000,
};

async function withFetcher<T>(opts: Partial<FetchOptions>, fn: (f: ReturnType<typeof createFetcher>) => Promise<T>): Promise<T> {
  const f = createFetcher({ ...LOOPBACK, ...opts });
  try {
    return await fn(f);
  } finally {
    f.close();
  }
}

const hitsOf = (path: string) => seen.filter((s) => s.path === path);

test('POST sends the body, its length and the caller headers; the answer comes back', async () => {
  routes.set('/hub', (req, body, res) => {
    res.writeHead(202, { 'content-type': 'text/plain', 'x-echo-length': String(Buffer.byteLength(body)) });
    res.end('accepted');
  });
  const form = 'hub.mode=subscribe&hub.topic=https%3A%2F%2Fexample.org%2Ffeed&hub.callback=https%3A%2F%2Fme.example%2Fwebsub%2F1';
  const doc = await withFetcher({}, (f) =>
    f.fetch(`${base}/hub`, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Extra': 'yes' } }),
  );
  assert.equal(doc.status, 202);
  assert.equal(doc.body.toString(), 'accepted');
  assert.equal(doc.headers['x-echo-length'], String(form.length));
  const got = hitsOf('/hub').at(-1)!;
  assert.equal(got.method, 'POST');
  assert.equal(got.body, form);
  assert.equal(got.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(got.headers['content-length'], String(form.length));
  assert.equal(got.headers['x-extra'], 'yes');
  assert.ok(String(got.headers['user-agent']).length > 0, 'the default user agent is still sent');
});

test('POST with a Buffer body and no body at all', async () => {
  routes.set('/buf', (_req, body, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`got ${Buffer.byteLength(body)}`);
  });
  const bytes = Buffer.from([0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]); // "héllo"
  const a = await withFetcher({}, (f) => f.fetch(`${base}/buf`, { method: 'POST', body: bytes }));
  assert.equal(a.body.toString(), 'got 6');
  assert.equal(hitsOf('/buf').at(-1)!.body, 'héllo');
  const b = await withFetcher({}, (f) => f.fetch(`${base}/buf`, { method: 'POST' }));
  assert.equal(b.body.toString(), 'got 0');
  assert.equal(hitsOf('/buf').at(-1)!.headers['content-length'], '0');
});

test('a failing POST is sent once (no retries), a failing GET is retried', async () => {
  routes.set('/flaky', (_req, _body, res) => {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('busy');
  });
  const before = hitsOf('/flaky').length;
  await assert.rejects(
    withFetcher({}, (f) => f.fetch(`${base}/flaky`, { method: 'POST', body: 'x=1' })),
    (e: unknown) => e instanceof DigestError && e.kind === 'http' && e.status === 503,
  );
  assert.equal(hitsOf('/flaky').length - before, 1, 'POST sent exactly once');
  const mid = hitsOf('/flaky').length;
  await assert.rejects(withFetcher({}, (f) => f.fetch(`${base}/flaky`)), (e: unknown) => e instanceof DigestError && e.status === 503);
  assert.equal(hitsOf('/flaky').length - mid, 4, 'GET tried 1 + 3 retries');
});

test('a POST is not redirected, a GET still is', async () => {
  routes.set('/moved', (_req, _body, res) => {
    res.writeHead(307, { location: '/target' });
    res.end();
  });
  routes.set('/target', (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('target');
  });
  const before = hitsOf('/target').length;
  await assert.rejects(
    withFetcher({}, (f) => f.fetch(`${base}/moved`, { method: 'POST', body: 'a=b' })),
    (e: unknown) => e instanceof DigestError && e.kind === 'http' && e.status === 307 && /not followed/.test(e.message),
  );
  assert.equal(hitsOf('/target').length, before, 'the redirect target was never asked');
  const doc = await withFetcher({}, (f) => f.fetch(`${base}/moved`));
  assert.equal(doc.body.toString(), 'target');
});

test('POST obeys the SSRF policy (loopback refused unless allowed) and sends no conditional headers', async () => {
  routes.set('/cond', (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  const before = hitsOf('/cond').length;
  await assert.rejects(
    withFetcher({ allowPrivateRanges: [] }, (f) => f.fetch(`${base}/cond`, { method: 'POST', body: 'a=b' })),
    (e: unknown) => e instanceof DigestError && e.kind === 'refused',
  );
  assert.equal(hitsOf('/cond').length, before, 'nothing reached the server');
  await withFetcher({}, (f) => f.fetch(`${base}/cond`, { method: 'POST', body: 'a=b', etag: '"v1"', lastModified: 'Wed, 01 May 2024 10:00:00 GMT' }));
  const got = hitsOf('/cond').at(-1)!;
  assert.equal(got.headers['if-none-match'], undefined);
  assert.equal(got.headers['if-modified-since'], undefined);
});

test('custom headers on a GET; reserved ones are ignored and injected line breaks refused', async () => {
  routes.set('/hdr', (_req, _body, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  await withFetcher({}, (f) => f.fetch(`${base}/hdr`, { headers: { Authorization: 'Bearer t', Host: 'evil.example', Accept: 'text/plain' } }));
  const got = hitsOf('/hdr').at(-1)!;
  assert.equal(got.method, 'GET');
  assert.equal(got.headers.authorization, 'Bearer t');
  assert.equal(got.headers.accept, 'text/plain');
  assert.equal(got.headers.host, base.replace('http://', ''), 'Host stays the URL host');
  const before = hitsOf('/hdr').length;
  await assert.rejects(
    withFetcher({}, (f) => f.fetch(`${base}/hdr`, { headers: { 'X-A': 'a\r\nX-Injected: 1' } })),
    (e: unknown) => e instanceof DigestError && e.kind === 'usage',
  );
  await assert.rejects(
    withFetcher({}, (f) => f.fetch(`${base}/hdr`, { body: 'x' })),
    (e: unknown) => e instanceof DigestError && e.kind === 'usage',
  );
  assert.equal(hitsOf('/hdr').length, before);
});
