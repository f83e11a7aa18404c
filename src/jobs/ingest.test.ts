// The ingest pass on a real SQLite store, with documents served from memory: claiming,
// resuming after a pass that died half-way, and validators kept only for complete passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import type { FetchedDocument } from '../core/types.ts';
import { DigestError } from '../core/errors.ts';
import { silentLogger } from '../core/log.ts';
import { parseFeed } from '../feeds/index.ts';
import { extractArticle } from '../extract/index.ts';
import { htmlToText } from '../core/htmltext.ts';
import { runPass, type PipelineDeps } from './ingest.ts';

const FEED = 'https://courier.example/feed.xml';
const items = [1, 2, 3, 4, 5];
const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title><link>https://courier.example/</link>
${items.map((i) => `<item><title>Story number ${i}</title><link>https://courier.example/s/${i}</link><guid>s${i}</guid><pubDate>Thu, 26 Nov 2026 0${i}:00:00 GMT</pubDate></item>`).join('')}
</channel></rss>`;
const page = (i: number) =>
  `<html><head><title>Story number ${i}</title></head><body><article><h1>Story number ${i}</h1>${[1, 2, 3, 4]
    .map((p) => `<p>Paragraph ${p} of story ${i}, in which the harbour master explained at length why the ferry timetable changed again this winter.</p>`)
    .join('')}</article></body></html>`;

function doc(url: string, body: string, headers: Record<string, string> = {}): FetchedDocument {
  return { requestUrl: url, url, status: 200, headers, body: Buffer.from(body), notModified: false, etag: headers.etag ?? null, lastModified: null, elapsedMs: 1 };
}

function deps(store: Store, fetchLog: string[], behave: (url: string) => 'ok' | 'hang' | 'fail' = () => 'ok'): PipelineDeps {
  return {
    store,
    log: silentLogger,
    schedule: { defaultIntervalSec: 1800, minIntervalSec: 300, maxIntervalSec: 86400 },
    async fetch(url, req) {
      fetchLog.push(url);
      const b = behave(url);
      if (b === 'hang') return new Promise<FetchedDocument>(() => {});
      if (b === 'fail') throw new DigestError('network', 'connection reset', { subject: url });
      if (url === FEED) {
        if (req?.etag === '"v1"') return { ...doc(url, ''), status: 304, notModified: true, etag: '"v1"' };
        return doc(url, rss, { etag: '"v1"', 'content-type': 'application/rss+xml' });
      }
      const i = Number(url.split('/').pop());
      return doc(url, page(i), { 'content-type': 'text/html' });
    },
    parseFeed: (d) => parseFeed(d.body, { url: d.url }),
    extract: async (d) => extractArticle(d.body.toString('utf8'), d.url),
    fromFeedContent: (html) => ({ html, text: htmlToText(html) }),
  };
}

async function withStore(fn: (store: Store, path: string) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'digest-ingest-'));
  const path = join(dir, 'd.db');
  const store = await openStore({ driver: 'sqlite', path });
  try {
    await fn(store, path);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('two passes at once never fetch the same source twice', async () => {
  await withStore(async (store) => {
    await store.addSource({ url: FEED });
    const log: string[] = [];
    const d = deps(store, log);
    const [a, b] = await Promise.all([runPass(d), runPass(d)]);
    assert.equal(a.sources + b.sources, 1, 'the due source is claimed by exactly one pass');
    assert.equal(log.filter((u) => u === FEED).length, 1);
    assert.equal(await store.countArticles(), 5);
  });
});

test('a pass that dies half-way is resumed by the next one without loss or duplicates', async () => {
  await withStore(async (store, path) => {
    const src = await store.addSource({ url: FEED });
    const log: string[] = [];
    // The first pass hangs on the fourth page forever: the process "dies" there.
    const dying = runPass(deps(store, log, (u) => (u.endsWith('/s/4') ? 'hang' : 'ok')), { sources: [src] });
    for (let i = 0; i < 200 && (await store.countArticles()) < 3; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await store.countArticles(), 3, 'the first three articles were stored before the pass died');
    void dying;
    // A new process opens the same database and runs the next pass.
    const store2 = await openStore({ driver: 'sqlite', path });
    try {
      const again = (await store2.getSource(src.id))!;
      assert.equal(again.etag, null, 'the dead pass saved no validators');
      const log2: string[] = [];
      const s = await runPass(deps(store2, log2), { sources: [again] });
      assert.equal(s.newArticles, 2);
      assert.equal(await store2.countArticles(), 5);
      assert.deepEqual(log2.filter((u) => u !== FEED).sort(), ['https://courier.example/s/4', 'https://courier.example/s/5'], 'stored pages are not fetched again');
      const titles = (await store2.listArticles({ limit: 10 })).items.map((a) => a.title).sort();
      assert.deepEqual(titles, items.map((i) => `Story number ${i}`));
    } finally {
      await store2.close();
    }
  });
});

test('when a page fails the feed content stands in, and validators are kept only when all items are in', async () => {
  await withStore(async (store) => {
    const src = await store.addSource({ url: FEED });
    const log: string[] = [];
    const s1 = await runPass(deps(store, log, (u) => (u.endsWith('/s/2') ? 'fail' : 'ok')), { sources: [src] });
    assert.equal(s1.newArticles, 5, 'the failed page is stored from the feed');
    const a2 = (await store.listArticles({ limit: 10 })).items.find((a) => a.title === 'Story number 2')!;
    assert.equal(a2.extractedFrom, 'feed');
    assert.match(a2.extractionError ?? '', /network/);
    const after = (await store.getSource(src.id))!;
    assert.equal(after.etag, '"v1"');
    const s2 = await runPass(deps(store, log), { sources: [after] });
    assert.equal(s2.results[0].outcome, 'not_modified');
  });
});

test('a source over its time budget defers the rest of its items to the next pass', async () => {
  await withStore(async (store) => {
    const src = await store.addSource({ url: FEED });
    const log: string[] = [];
    const slow = deps(store, log);
    const inner = slow.fetch;
    slow.fetch = async (url, req) => {
      if (url !== FEED) await new Promise((r) => setTimeout(r, 40));
      return inner(url, req);
    };
    slow.sourceBudgetMs = 60;
    const s1 = await runPass(slow, { sources: [src] });
    assert.ok(s1.results[0].deferred! >= 1, 'some items were deferred');
    assert.equal(s1.newArticles + s1.results[0].deferred!, 5);
    assert.equal((await store.getSource(src.id))!.etag, null, 'an incomplete source keeps no validators');
    const s2 = await runPass(deps(store, log), { sources: [(await store.getSource(src.id))!] });
    assert.equal(s2.newArticles, s1.results[0].deferred);
    assert.equal(await store.countArticles(), 5);
  });
});

test('a pass takes over the sources a killed pass had claimed, once their claims run out', async () => {
  await withStore(async (store) => {
    const src = await store.addSource({ url: FEED });
    // A pass claimed the source (for 1 s) and died: nothing renews the claim.
    const [claimed] = await store.claimDueSources(new Date().toISOString(), 10, 1);
    assert.equal(claimed.id, src.id);
    const log: string[] = [];
    const started = Date.now();
    const s = await runPass({ ...deps(store, log), claimSec: 1 });
    assert.equal(s.sources, 1, 'the abandoned source was taken');
    assert.equal(s.newArticles, 5);
    assert.ok(Date.now() - started >= 300, 'it waited for the claim to run out');
    assert.equal(log.filter((u) => u === FEED).length, 1);
    const after = (await store.getSource(src.id))!;
    assert.ok(Date.parse(after.nextDueAt!) - Date.parse(after.lastFetchedAt!) >= 300_000, 'scheduled by its fetch, not left claimed');
  });
});

test('the claims of a pass still at work are renewed: another pass neither takes them nor waits for them long', async () => {
  await withStore(async (store) => {
    await store.addSource({ url: FEED });
    const log: string[] = [];
    // The working pass takes about 3 s over the source, three times its 1 s claim.
    const slow = deps(store, log);
    const inner = slow.fetch;
    slow.fetch = async (url, req) => {
      if (url !== FEED) await new Promise((r) => setTimeout(r, 600));
      return inner(url, req);
    };
    const started = Date.now();
    const working = runPass({ ...slow, claimSec: 1 });
    while (!log.includes(FEED)) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 1200)); // past the first claim's end
    const other = await runPass({ ...deps(store, log), claimSec: 1 });
    const otherDone = Date.now();
    const a = await working;
    assert.ok(Date.now() - started >= 2500, 'the working pass outlasted its claim');
    assert.equal(other.sources, 0, 'the other pass did not take the source');
    assert.equal(a.sources, 1);
    assert.equal(log.filter((u) => u === FEED).length, 1, 'the feed was fetched once');
    assert.ok(Date.now() - otherDone > 300, 'the other pass ended while the first still worked');
    assert.equal(await store.countArticles(), 5);
  });
});
