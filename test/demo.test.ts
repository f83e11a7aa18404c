// The demo as a new user gets it: the bundled sample served on loopback, ingested through
// the real fetch path, and the digest served — checked page by page over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/core/config.ts';
import { silentLogger } from '../src/core/log.ts';
import { openApp, type App } from '../src/cli/app.ts';
import { runPass } from '../src/jobs/ingest.ts';
import { startDemoServer } from '../src/demo/index.ts';
import { createWebApp } from '../src/web/index.ts';

let sample: Awaited<ReturnType<typeof startDemoServer>>;
let app: App;
let web: { url: string; close(): Promise<void> };
let dir = '';
const CRUFT = /Site icon|Recommended Stories|list of \d+ items|end of list|Source link|Exit mobile version|a story for you|Checking your browser/i;

before(async () => {
  sample = await startDemoServer({ host: '127.0.0.1', hosts: 'per-outlet' });
  dir = mkdtempSync(join(tmpdir(), 'digest-demo-'));
  app = await openApp(
    loadConfig({ env: {}, overrides: { dataDir: dir, fetch: { allowPrivateRanges: ['127.0.0.0/8'], perHostIntervalMs: 0, perHostConcurrency: 4 } } }),
    { log: silentLogger },
  );
  for (const url of sample.feeds) await app.store.addSource({ url });
  const summary = await runPass(app.pipeline, { sources: await app.store.listSources() });
  assert.equal(summary.failed, 0);
  web = await createWebApp({ store: app.store, siteTitle: 'Occasional Digest', log: silentLogger }).listen(0, '127.0.0.1');
});

after(async () => {
  await web?.close();
  await app?.close();
  await sample?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string) => {
  const r = await fetch(web.url + path);
  return { status: r.status, text: await r.text() };
};

test('the API lists at least 40 articles from at least 5 sources, none with republisher cruft', async () => {
  const items: { id: number; source: string; url: string; text: string }[] = [];
  let cursor = '';
  do {
    const page = JSON.parse((await get(`/api/articles?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).text);
    items.push(...page.items);
    cursor = page.next ?? '';
  } while (cursor);
  assert.ok(items.length >= 40, `${items.length} articles`);
  assert.ok(new Set(items.map((i) => i.source)).size >= 5);
  for (const a of items) {
    assert.doesNotMatch(a.text, CRUFT, `article ${a.id} (${a.source}) carries cruft`);
    assert.ok(a.text.length > 200, `article ${a.id} has a body`);
  }
});

test('every article page links prominently to its original and shows no cruft', async () => {
  const { items } = await app.store.listArticles({ limit: 100 });
  for (const a of items) {
    const { status, text } = await get(`/articles/${a.id}`);
    assert.equal(status, 200);
    const original = a.canonicalUrl ?? a.url; // the page's own canonical URL, tracking parameters gone
    assert.ok(text.includes(`href="${original.replace(/&/g, '&amp;')}"`), `article ${a.id} links to ${original}`);
    assert.match(text, /Read at /);
    const body = text.slice(text.indexOf('<article'), text.indexOf('</article>'));
    assert.doesNotMatch(body, CRUFT, `article page ${a.id}`);
  }
});

test('stories gather several outlets, copies fold under their original, and who said what is shown', async () => {
  const stories = JSON.parse((await get('/api/stories?limit=50')).text).items as { id: number; sourceCount: number }[];
  const big = stories.filter((s) => s.sourceCount >= 3);
  assert.ok(big.length >= 3, `${big.length} stories with 3+ outlets`);
  const { items } = await app.store.listArticles({ limit: 100 });
  const copies = items.filter((a) => a.duplicateOf !== null);
  assert.ok(copies.length >= 2, 'the republished copies are recognised');
  for (const c of copies) {
    const original = items.find((a) => a.id === c.duplicateOf)!;
    assert.notEqual(original.sourceTitle, 'The Daily Relay', 'the republisher is never credited as the original');
    assert.equal(c.storyId, original.storyId);
    const page = (await get(`/stories/${original.storyId}`)).text;
    assert.match(page, /Also carried by/);
  }
  const withQuotes = await Promise.all(big.map(async (s) => JSON.parse((await get(`/api/stories/${s.id}/quotes`)).text)));
  assert.ok(withQuotes.some((q) => (q.items ?? q).length >= 3), 'story quotes are served');
  const storyPage = (await get(`/stories/${big[0].id}`)).text;
  assert.match(storyPage, /Who said what/);
});
