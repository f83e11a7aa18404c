// The fetcher against hostile and ordinary loopback servers that the tests start themselves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { DigestError } from '../core/errors.ts';
import { createFetcher, parseRobots, parseRetryAfter, type FetchOptions, type LookupFn } from './index.ts';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const routes = new Map<string, Handler>();
const hits = new Map<string, number[]>(); // path -> arrival times
let server: http.Server;
let base = '';
let port = 0;
const timers = new Set<NodeJS.Timeout>();

before(async () => {
  server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const list = hits.get(path) ?? [];
    list.push(Date.now());
    hits.set(path, list);
    const h = routes.get(path);
    if (h) return h(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not here');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

after(async () => {
  for (const t of timers) clearInterval(t);
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const LOOPBACK: Partial<FetchOptions> = {
  allowPrivateRanges: ['127.0.0.1/32', '::1/128'],
  perHostIntervalMs: 0,
  retries: 0,
  retryBaseMs: 10,
  respectRobots: false,
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

async function expectError(p: Promise<unknown>, kind: string, extra?: (e: DigestError) => void): Promise<DigestError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DigestError, `expected a DigestError, got ${String(e)}`);
    assert.equal(e.kind, kind, `expected ${kind}, got ${e.kind}: ${e.message}`);
    extra?.(e);
    return e;
  }
  assert.fail(`expected a ${kind} error, but the fetch succeeded`);
}

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback news</title></channel></rss>';

test('plain 200: body, headers, final URL, User-Agent and Accept sent', async () => {
  let seenUa = '';
  let seenAccept = '';
  routes.set('/feed.xml', (req, res) => {
    seenUa = req.headers['user-agent'] ?? '';
    seenAccept = req.headers['accept'] ?? '';
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"abc"' });
    res.end(FEED);
  });
  const doc = await withFetcher({ userAgent: 'TestDigest/9.9' }, (f) => f.fetch(`${base}/feed.xml`, { kind: 'feed' }));
  assert.equal(doc.status, 200);
  assert.equal(doc.body.toString('utf8'), FEED);
  assert.equal(doc.url, `${base}/feed.xml`);
  assert.equal(doc.headers['content-type'], 'application/rss+xml');
  assert.equal(doc.etag, '"abc"');
  assert.equal(doc.notModified, false);
  assert.equal(seenUa, 'TestDigest/9.9');
  assert.match(seenAccept, /application\/rss\+xml/);
});

test('conditional GET: ETag and Last-Modified sent back, 304 -> notModified', async () => {
  const lm = 'Tue, 01 Oct 2024 10:00:00 GMT';
  let conditional = 0;
  routes.set('/cond.xml', (req, res) => {
    if (req.headers['if-none-match'] === '"v1"' && req.headers['if-modified-since'] === lm) {
      conditional++;
      res.writeHead(304, { etag: '"v1"' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xml', etag: '"v1"', 'last-modified': lm });
    res.end(FEED);
  });
  await withFetcher({}, async (f) => {
    const first = await f.fetch(`${base}/cond.xml`);
    assert.equal(first.status, 200);
    assert.equal(first.etag, '"v1"');
    assert.equal(first.lastModified, lm);
    const second = await f.fetch(`${base}/cond.xml`, { etag: first.etag, lastModified: first.lastModified });
    assert.equal(second.status, 304);
    assert.equal(second.notModified, true);
    assert.equal(second.body.length, 0);
    assert.equal(second.etag, '"v1"');
    assert.equal(second.lastModified, lm, 'Last-Modified carried over from the request when the 304 omits it');
  });
  assert.equal(conditional, 1);
});

test('500 then success: retried with backoff; without retries it is an http 500 error', async () => {
  let n = 0;
  routes.set('/flaky', (_req, res) => {
    n++;
    if (n % 2 === 1) {
      res.writeHead(500);
      res.end('oops');
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('fine');
    }
  });
  const doc = await withFetcher({ retries: 2 }, (f) => f.fetch(`${base}/flaky`));
  assert.equal(doc.body.toString(), 'fine');
  assert.equal(n, 2);
  n = 0;
  await expectError(withFetcher({ retries: 0 }, (f) => f.fetch(`${base}/flaky`)), 'http', (e) => assert.equal(e.status, 500));
  assert.equal(n, 1);
});

test('429 with Retry-After: waits that long and retries; too long a wait fails with retryAfterSec', async () => {
  let n = 0;
  routes.set('/busy', (_req, res) => {
    n++;
    if (n === 1) {
      res.writeHead(429, { 'retry-after': '1' });
      res.end('slow down');
    } else {
      res.writeHead(200);
      res.end('ok');
    }
  });
  const t0 = Date.now();
  const doc = await withFetcher({ retries: 1 }, (f) => f.fetch(`${base}/busy`));
  assert.equal(doc.body.toString(), 'ok');
  assert.ok(Date.now() - t0 >= 950, `waited only ${Date.now() - t0} ms`);
  routes.set('/busy-long', (_req, res) => {
    res.writeHead(429, { 'retry-after': '3600' });
    res.end();
  });
  const t1 = Date.now();
  await expectError(withFetcher({ retries: 3, maxRetryAfterSec: 60 }, (f) => f.fetch(`${base}/busy-long`)), 'http', (e) => {
    assert.equal(e.status, 429);
    assert.equal(e.retryAfterSec, 3600);
  });
  assert.ok(Date.now() - t1 < 1000, 'did not sit out an hour-long Retry-After');
  assert.equal(hits.get('/busy-long')?.length, 1);
});

test('404 and 410 are http errors with their status and are not retried', async () => {
  routes.set('/gone', (_req, res) => {
    res.writeHead(410);
    res.end('gone');
  });
  await expectError(withFetcher({ retries: 3 }, (f) => f.fetch(`${base}/gone`)), 'http', (e) => assert.equal(e.status, 410));
  assert.equal(hits.get('/gone')?.length, 1);
  await expectError(withFetcher({}, (f) => f.fetch(`${base}/nothing-here`)), 'http', (e) => assert.equal(e.status, 404));
});

test('slow trickle: total timeout', async () => {
  routes.set('/trickle', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const t = setInterval(() => {
      if (res.writableEnded || res.destroyed) return clearInterval(t);
      res.write('.');
    }, 100);
    timers.add(t);
    res.on('close', () => clearInterval(t));
  });
  const t0 = Date.now();
  await expectError(withFetcher({ timeoutMs: 500 }, (f) => f.fetch(`${base}/trickle`)), 'timeout');
  const took = Date.now() - t0;
  assert.ok(took >= 450 && took < 2000, `took ${took} ms`);
});

test('connect timeout: a resolver that never answers', async () => {
  const hang: LookupFn = () => {};
  const t0 = Date.now();
  await expectError(withFetcher({ lookup: hang, connectTimeoutMs: 300 }, (f) => f.fetch(`http://hang.example.test:${port}/`)), 'timeout');
  assert.ok(Date.now() - t0 < 1500);
});

test('body over the cap: with and without Content-Length', async () => {
  const big = Buffer.alloc(300_000, 0x61);
  routes.set('/big-cl', (_req, res) => {
    res.writeHead(200, { 'content-length': String(big.length) });
    res.end(big);
  });
  routes.set('/big-chunked', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    for (let i = 0; i < 30; i++) res.write(big.subarray(0, 10_000));
    res.end();
  });
  await expectError(withFetcher({ maxBytes: 100_000 }, (f) => f.fetch(`${base}/big-cl`)), 'too_large');
  await expectError(withFetcher({ maxBytes: 100_000 }, (f) => f.fetch(`${base}/big-chunked`)), 'too_large');
  const ok = await withFetcher({ maxBytes: 400_000 }, (f) => f.fetch(`${base}/big-chunked`));
  assert.equal(ok.body.length, 300_000);
});

test('gzip bomb: refused by the cap on decompressed size', async () => {
  const bomb = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024), { level: 9 });
  assert.ok(bomb.length < 100_000);
  routes.set('/bomb', (_req, res) => {
    res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length), 'content-type': 'application/xml' });
    res.end(bomb);
  });
  const t0 = Date.now();
  const e = await expectError(withFetcher({ maxBytes: 1_000_000 }, (f) => f.fetch(`${base}/bomb`)), 'too_large');
  assert.match(e.message, /decompressed/);
  assert.ok(Date.now() - t0 < 3000);
});

test('gzip, deflate (zlib and raw) and br bodies are decoded', async () => {
  const text = FEED.repeat(50);
  const bodies: Record<string, [string, Buffer]> = {
    '/enc-gzip': ['gzip', zlib.gzipSync(text)],
    '/enc-deflate': ['deflate', zlib.deflateSync(text)],
    '/enc-deflate-raw': ['deflate', zlib.deflateRawSync(text)],
    '/enc-br': ['br', zlib.brotliCompressSync(text)],
  };
  for (const [path, [enc, body]] of Object.entries(bodies)) {
    routes.set(path, (req, res) => {
      assert.match(req.headers['accept-encoding'] ?? '', /br/);
      res.writeHead(200, { 'content-encoding': enc, 'content-type': 'application/xml' });
      res.end(body);
    });
  }
  await withFetcher({}, async (f) => {
    for (const path of Object.keys(bodies)) {
      const doc = await f.fetch(`${base}${path}`);
      assert.equal(doc.body.toString('utf8'), text, path);
    }
  });
});

test('wrong content type is still fetched (the caller decides what it is)', async () => {
  routes.set('/feed-as-octets', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(FEED);
  });
  const doc = await withFetcher({}, (f) => f.fetch(`${base}/feed-as-octets`, { kind: 'feed' }));
  assert.equal(doc.headers['content-type'], 'application/octet-stream');
  assert.equal(doc.body.toString(), FEED);
});

test('redirects: followed to the end, loops and too many hops refused, refused targets refused', async () => {
  for (let i = 0; i < 10; i++) {
    routes.set(`/hop${i}`, (_req, res) => {
      res.writeHead(i % 2 ? 301 : 302, { location: `/hop${i + 1}` });
      res.end();
    });
  }
  routes.set('/hop10', (_req, res) => {
    res.writeHead(200);
    res.end('arrived');
  });
  routes.set('/loop-a', (_req, res) => {
    res.writeHead(302, { location: `${base}/loop-b` });
    res.end();
  });
  routes.set('/loop-b', (_req, res) => {
    res.writeHead(307, { location: '/loop-a' });
    res.end();
  });
  routes.set('/to-metadata', (_req, res) => {
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
    res.end();
  });
  routes.set('/to-file', (_req, res) => {
    res.writeHead(302, { location: 'file:///etc/passwd' });
    res.end();
  });
  await withFetcher({ maxRedirects: 5 }, async (f) => {
    const doc = await f.fetch(`${base}/hop6`);
    assert.equal(doc.body.toString(), 'arrived');
    assert.equal(doc.url, `${base}/hop10`);
    assert.equal(doc.requestUrl, `${base}/hop6`);
    await expectError(f.fetch(`${base}/hop0`), 'too_many_redirects');
    await expectError(f.fetch(`${base}/loop-a`), 'too_many_redirects');
    await expectError(f.fetch(`${base}/to-metadata`), 'refused');
    await expectError(f.fetch(`${base}/to-file`), 'refused');
  });
  // hop0 -> ... -> hop5 is 5 redirects; the 6th (to hop6) is refused before it is requested
  assert.equal(hits.get('/hop5')?.length, 1);
  assert.equal(hits.get('/hop6')?.length, 1, 'only the first fetch reached hop6');
});

test('per-host minimum interval and concurrency limits are respected', async () => {
  let active = 0;
  let maxActive = 0;
  routes.set('/paced', (_req, res) => {
    active++;
    maxActive = Math.max(maxActive, active);
    setTimeout(() => {
      active--;
      res.writeHead(200);
      res.end('x');
    }, 30);
  });
  await withFetcher({ perHostIntervalMs: 250, perHostConcurrency: 4 }, (f) => Promise.all([0, 1, 2].map(() => f.fetch(`${base}/paced`))));
  const times = hits.get('/paced')!;
  assert.equal(times.length, 3);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 230, `gap ${times[i] - times[i - 1]} ms`);
  hits.delete('/paced');
  maxActive = 0;
  routes.set('/slow', (_req, res) => {
    active++;
    maxActive = Math.max(maxActive, active);
    setTimeout(() => {
      active--;
      res.writeHead(200);
      res.end('x');
    }, 80);
  });
  await withFetcher({ perHostConcurrency: 2, globalConcurrency: 8 }, (f) => Promise.all([0, 1, 2, 3, 4].map(() => f.fetch(`${base}/slow`))));
  assert.equal(maxActive, 2, 'per-host concurrency 2');
  maxActive = 0;
  // the same server under two host names (127.0.0.1 and localhost) shares a global limit of 1
  await withFetcher({ perHostConcurrency: 4, globalConcurrency: 1 }, (f) =>
    Promise.all([0, 1, 2, 3].map((i) => f.fetch(`http://${i % 2 ? 'localhost' : '127.0.0.1'}:${port}/slow`))),
  );
  assert.equal(maxActive, 1, 'global concurrency 1');
});

test('robots.txt is respected for pages (cached per host), not for feeds', async () => {
  routes.set('/robots.txt', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('User-agent: *\nDisallow: /private/\n\nUser-agent: EvilBot\nDisallow: /\n');
  });
  routes.set('/private/story.html', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<p>secret</p>');
  });
  routes.set('/public/story.html', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<p>hello</p>');
  });
  hits.delete('/robots.txt');
  await withFetcher({ respectRobots: true }, async (f) => {
    const e = await expectError(f.fetch(`${base}/private/story.html`, { kind: 'page' }), 'refused');
    assert.match(e.message, /robots/);
    const ok = await f.fetch(`${base}/public/story.html`, { kind: 'page' });
    assert.equal(ok.body.toString(), '<p>hello</p>');
    const asFeed = await f.fetch(`${base}/private/story.html`, { kind: 'feed' });
    assert.equal(asFeed.status, 200);
  });
  assert.equal(hits.get('/robots.txt')?.length, 1, 'robots.txt fetched once');
  assert.equal(hits.get('/private/story.html')?.length, 1, 'only the feed request reached the disallowed path');
  await expectError(withFetcher({ respectRobots: true, userAgent: 'EvilBot/1.0' }, (f) => f.fetch(`${base}/public/story.html`, { kind: 'page' })), 'refused');
});

test('bot wall: a challenge page becomes bot_wall, not content', async () => {
  routes.set('/challenge', (_req, res) => {
    res.writeHead(403, { 'content-type': 'text/html', server: 'cloudflare' });
    res.end('<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script>window._cf_chl_opt={cvId:"3"};</script></body></html>');
  });
  routes.set('/plain-403', (_req, res) => {
    res.writeHead(403, { 'content-type': 'text/html' });
    res.end('<h1>Forbidden</h1>');
  });
  routes.set('/challenge-200', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><head><title>Just a moment...</title></head><body><h1>Checking your browser before accessing the site.</h1><p>This process is automatic.</p></body></html>');
  });
  routes.set('/article-about-walls', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<html><head><title>Why sites say "Just a moment..."</title></head><body><p>${'Bot checks slow readers down. '.repeat(40)}</p></body></html>`);
  });
  await withFetcher({ retries: 2 }, async (f) => {
    await expectError(f.fetch(`${base}/challenge`, { kind: 'page' }), 'bot_wall', (e) => assert.equal(e.status, 403));
    await expectError(f.fetch(`${base}/challenge-200`, { kind: 'page' }), 'bot_wall', (e) => assert.equal(e.status, 200));
    const ok = await f.fetch(`${base}/article-about-walls`, { kind: 'page' });
    assert.equal(ok.status, 200, 'one marker in an ordinary page is not a wall');
    await expectError(f.fetch(`${base}/plain-403`), 'http', (e) => assert.equal(e.status, 403));
  });
  assert.equal(hits.get('/challenge')?.length, 1, 'bot walls are not retried');
});

test('TLS failure: https to a plain-HTTP port', async () => {
  await expectError(withFetcher({}, (f) => f.fetch(`https://127.0.0.1:${port}/feed.xml`)), 'tls');
});

test('DNS failure: the resolver answers ENOTFOUND', async () => {
  const nx: LookupFn = (hostname, options, cb) =>
    process.nextTick(() => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), options.all ? [] : '', 0));
  await expectError(withFetcher({ lookup: nx, retries: 2 }, (f) => f.fetch('http://no-such-host.example.test/feed')), 'dns');
});

test('connection refused is a network error', async () => {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  await expectError(withFetcher({}, (f) => f.fetch(`http://127.0.0.1:${closedPort}/`)), 'network');
});

test('default policy refuses loopback; a stub resolver answer is checked at connect time', async () => {
  await expectError(withFetcher({ allowPrivateRanges: [] }, (f) => f.fetch(`${base}/feed.xml`)), 'refused');
  const toLoop: LookupFn = (_h, options, cb) => process.nextTick(() => (options.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
  await expectError(withFetcher({ allowPrivateRanges: [], lookup: toLoop }, (f) => f.fetch(`http://news.example.test:${port}/feed.xml`)), 'refused');
  const ok = await withFetcher({ lookup: toLoop }, (f) => f.fetch(`http://news.example.test:${port}/feed.xml`));
  assert.equal(ok.status, 200);
});

test('robots.txt parser: groups, wildcards, longest match, allow wins ties', () => {
  const r = parseRobots(
    ['User-agent: OccasionalDigest', 'Disallow: /drafts', 'Allow: /drafts/public', 'Disallow: /*.pdf$', '', 'User-agent: *', 'Disallow: /'].join('\n'),
    'OccasionalDigest/0.1 (+https://example.org)',
  );
  assert.equal(r.isAllowed('/news/a.html'), true);
  assert.equal(r.isAllowed('/drafts/x'), false);
  assert.equal(r.isAllowed('/drafts/public/x'), true);
  assert.equal(r.isAllowed('/files/a.pdf'), false);
  assert.equal(r.isAllowed('/files/a.pdf?x=1'), true);
  const other = parseRobots('User-agent: *\nDisallow: /\nCrawl-delay: 5', 'SomethingElse/1');
  assert.equal(other.isAllowed('/anything'), false);
  assert.equal(other.crawlDelaySec, 5);
  const tie = parseRobots('User-agent: *\nDisallow: /a\nAllow: /a', 'x');
  assert.equal(tie.isAllowed('/a'), true);
  assert.equal(parseRobots('User-agent: *\nDisallow:', 'x').isAllowed('/x'), true);
});

test('Retry-After: seconds and HTTP dates', () => {
  const now = Date.parse('2024-10-01T10:00:00Z');
  assert.equal(parseRetryAfter('120', now), 120);
  assert.equal(parseRetryAfter('Tue, 01 Oct 2024 10:01:30 GMT', now), 90);
  assert.equal(parseRetryAfter('soon', now), null);
  assert.equal(parseRetryAfter(undefined, now), null);
});

test('close() fails requests still waiting for a host slot instead of leaving them hanging', async () => {
  routes.set('/wait', (_req, res) => {
    res.writeHead(200);
    res.end('w');
  });
  const f = createFetcher({ ...LOOPBACK, perHostIntervalMs: 10_000 });
  const first = await f.fetch(`${base}/wait`);
  assert.equal(first.status, 200);
  const second = f.fetch(`${base}/wait`); // must wait 10 s for the host interval
  setTimeout(() => f.close(), 50);
  const t0 = Date.now();
  await expectError(second, 'network');
  assert.ok(Date.now() - t0 < 2000);
});

test('a connection cut mid-body is a network error, and network errors are retried', async () => {
  let n = 0;
  routes.set('/cut', (req, res) => {
    n++;
    if (n === 1) {
      res.writeHead(200, { 'content-length': '1000', 'content-type': 'text/plain' });
      res.write('only part of it');
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('complete');
  });
  await expectError(withFetcher({ retries: 0 }, (f) => f.fetch(`${base}/cut`)), 'network');
  n = 0;
  const doc = await withFetcher({ retries: 1 }, (f) => f.fetch(`${base}/cut`));
  assert.equal(doc.body.toString(), 'complete');
  assert.equal(n, 2);
});

test('a body that is not valid gzip is an error, not garbage', async () => {
  routes.set('/bad-gzip', (_req, res) => {
    res.writeHead(200, { 'content-encoding': 'gzip' });
    res.end(Buffer.from('this is not gzip at all, just text pretending'));
  });
  await expectError(withFetcher({}, (f) => f.fetch(`${base}/bad-gzip`)), 'network', (e) => assert.match(e.message, /decode/));
});
