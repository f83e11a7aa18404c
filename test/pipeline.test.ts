// The whole pipeline against a loopback fixture server: sources → fetch → feed → page →
// extract → store, with the failures real servers produce.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/core/config.ts';
import { silentLogger } from '../src/core/log.ts';
import { openApp, type App } from '../src/cli/app.ts';
import { runPass } from '../src/jobs/ingest.ts';

let server: http.Server;
let base = '';
let app: App;
let dir = '';
const hits: Record<string, number> = {};

const page = (title: string, paras: string[]) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} | The Test Courier</title>
<meta property="og:site_name" content="The Test Courier"><meta property="article:published_time" content="2026-11-26T09:00:00Z"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<main><article><h1>${title}</h1><p class="byline">By Ada Reporter</p>
${paras.map((p) => `<p>${p}</p>`).join('\n')}
</article><aside><h2>Related stories</h2><ul><li><a href="/x">Something else entirely</a></li></ul></aside></main>
<footer>© The Test Courier</footer></body></html>`;

const para = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `Paragraph ${i + 1} about ${topic}: officials said the talks would continue next week, and residents described a long night of waiting for news from the capital while the council met in closed session.`);

const rss = (items: { title: string; link: string; guid: string; desc?: string }[], title = 'Test Courier') => `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>${title}</title><link>${base}/</link><description>d</description>
${items.map((i) => `<item><title>${i.title}</title><link>${i.link}</link><guid>${i.guid}</guid><pubDate>Thu, 26 Nov 2026 09:00:00 GMT</pubDate><description>${i.desc ?? 'Summary'}</description></item>`).join('\n')}
</channel></rss>`;

function handler(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = req.url ?? '/';
  hits[url] = (hits[url] ?? 0) + 1;
  const n = hits[url];
  const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
    res.writeHead(status, headers);
    res.end(body);
  };
  switch (url) {
    case '/robots.txt':
      return send(200, 'User-agent: *\nDisallow: /private/\n', { 'content-type': 'text/plain' });
    case '/etag.xml': {
      if (req.headers['if-none-match'] === '"v1"') return send(304, '');
      return send(200, rss([{ title: 'Harbour bridge reopens after repairs', link: `${base}/a/bridge`, guid: 'bridge' }], 'ETag Feed'), { 'content-type': 'application/rss+xml', etag: '"v1"' });
    }
    case '/flaky.xml':
      if (n === 1) return send(500, 'oops');
      return send(200, rss([{ title: 'Council approves new budget', link: `${base}/a/budget`, guid: 'budget' }], 'Flaky Feed'), { 'content-type': 'application/rss+xml' });
    case '/slow.xml':
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
      return; // never ends: the fetcher must time out
    case '/gone.xml':
      return send(410, 'gone');
    case '/moved.xml':
      return send(301, '', { location: '/gzip.xml' });
    case '/gzip.xml':
      return send(200, gzipSync(rss([{ title: 'Storm closes schools across the coast', link: `${base}/a/storm`, guid: 'storm' }], 'Gzip Feed')), {
        'content-type': 'application/rss+xml',
        'content-encoding': 'gzip',
      });
    case '/latin1.xml': {
      const xml = `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Le Courrier de Genève</title><link>${base}/</link><description>d</description>
<item><title>Élections à Genève : la participation dépasse 60 %</title><link>${base}/a/geneve</link><guid>geneve</guid></item>
<item><title>Bot-walled story</title><link>${base}/a/botwall</link><guid>botwall</guid><description>&lt;p&gt;The feed's own summary of the walled story, with enough words to stand in for the page.&lt;/p&gt;</description></item>
</channel></rss>`;
      return send(200, Buffer.from(xml, 'latin1'), { 'content-type': 'application/rss+xml; charset=ISO-8859-1' });
    }
    case '/a/bridge':
      return send(200, page('Harbour bridge reopens after repairs', para('the bridge', 6)), { 'content-type': 'text/html; charset=utf-8' });
    case '/a/budget':
      return send(200, page('Council approves new budget', para('the budget', 6)), { 'content-type': 'text/html; charset=utf-8' });
    case '/a/storm':
      return send(200, page('Storm closes schools across the coast', para('the storm', 6)), { 'content-type': 'text/html; charset=utf-8' });
    case '/a/geneve':
      return send(200, page('Élections à Genève', para('the vote in Genève', 6)), { 'content-type': 'text/html; charset=utf-8' });
    case '/a/botwall':
      return send(403, '<html><head><title>Just a moment...</title></head><body>Checking your browser before accessing. cf-chl</body></html>', { 'content-type': 'text/html', server: 'cloudflare' });
    default:
      return send(404, 'not found');
  }
}

before(async () => {
  server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'digest-pipeline-'));
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir: dir,
      fetch: { allowPrivateRanges: ['127.0.0.1/32'], timeoutMs: 1500, connectTimeoutMs: 1000, retries: 0, perHostIntervalMs: 0, perHostConcurrency: 4 },
      schedule: { minIntervalSec: 300, maxIntervalSec: 3600, defaultIntervalSec: 600, tickSec: 60 },
    },
  });
  app = await openApp(config, { log: silentLogger });
  for (const p of ['/etag.xml', '/flaky.xml', '/slow.xml', '/gone.xml', '/moved.xml', '/latin1.xml']) {
    await app.store.addSource({ url: base + p });
  }
});

after(async () => {
  await app?.close();
  server?.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

test('a first pass stores what it can and records each failure on its own source', async () => {
  const s = await runPass(app.pipeline, { sources: await app.store.listSources() });
  assert.equal(s.sources, 6);
  const bySuffix = (p: string) => s.results.find((r) => r.source.url.endsWith(p))!;
  assert.equal(bySuffix('/etag.xml').outcome, 'ok');
  assert.equal(bySuffix('/etag.xml').newArticles, 1);
  assert.equal(bySuffix('/flaky.xml').outcome, 'error');
  assert.equal(bySuffix('/flaky.xml').error?.kind, 'http');
  assert.equal(bySuffix('/slow.xml').error?.kind, 'timeout');
  assert.equal(bySuffix('/gone.xml').error?.status, 410);
  assert.equal(bySuffix('/moved.xml').outcome, 'ok', 'redirect followed to a gzip body');
  assert.equal(bySuffix('/latin1.xml').newArticles, 2);

  const gone = (await app.store.listSources()).find((x) => x.url.endsWith('/gone.xml'))!;
  assert.equal(gone.disabled, true, '410 disables the source');
  assert.equal(gone.lastErrorKind, 'http');
  const slow = (await app.store.listSources()).find((x) => x.url.endsWith('/slow.xml'))!;
  assert.equal(slow.lastErrorKind, 'timeout');
  assert.match(slow.lastError ?? '', /slow\.xml/);

  const { items } = await app.store.listArticles({ limit: 50 });
  const titles = items.map((a) => a.title).sort();
  assert.deepEqual(titles, [
    'Bot-walled story',
    'Harbour bridge reopens after repairs',
    'Storm closes schools across the coast',
    'Élections à Genève : la participation dépasse 60 %',
  ]);
  const storm = items.find((a) => a.title.startsWith('Storm'))!;
  assert.equal(storm.extractedFrom, 'page');
  assert.match(storm.text, /Paragraph 1 about the storm/);
  assert.doesNotMatch(storm.text, /Related stories|Something else entirely|© The Test Courier/);
  const walled = items.find((a) => a.title === 'Bot-walled story')!;
  assert.equal(walled.extractedFrom, 'feed', 'the page failed, so the feed content is used');
  assert.match(walled.extractionError ?? '', /bot_wall|403/);
  assert.match(walled.text, /feed's own summary/);
});

test('the next pass: 304 for the ETag feed, the flaky feed recovers, nothing is duplicated', async () => {
  const before = await app.store.countArticles();
  const sources = (await app.store.listSources()).filter((x) => !x.disabled && !x.url.endsWith('/slow.xml'));
  const s = await runPass(app.pipeline, { sources });
  const bySuffix = (p: string) => s.results.find((r) => r.source.url.endsWith(p))!;
  assert.equal(bySuffix('/etag.xml').outcome, 'not_modified');
  assert.equal(bySuffix('/flaky.xml').outcome, 'ok');
  assert.equal(bySuffix('/flaky.xml').newArticles, 1);
  assert.equal(bySuffix('/latin1.xml').newArticles, 0, 'same items again are not new');
  assert.equal(await app.store.countArticles(), before + 1);
  const flaky = (await app.store.listSources()).find((x) => x.url.endsWith('/flaky.xml'))!;
  assert.equal(flaky.lastErrorKind, null);
  assert.equal(flaky.errorCount, 0);
  assert.ok(flaky.nextDueAt && Date.parse(flaky.nextDueAt) > Date.now());
});
