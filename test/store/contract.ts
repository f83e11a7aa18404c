// The one contract every Store implementation passes (sqlite.test.ts, postgres.test.ts).
// Call storeContract(name, open) inside a test file; `open` gives a fresh, empty database.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { NewArticle } from '../../src/core/types.ts';
import { DigestError } from '../../src/core/errors.ts';
import type { StoreOptions } from '../../src/store/index.ts';
import type { Store, NewQuote } from '../../src/store/types.ts';
import { makeArticle, killBatch } from './contract-data.ts';
import { FETCH_LOG_KEEP } from '../../src/store/util.ts';

export interface StoreHandle {
  store: Store;
  /** A second, independent connection to the same database (another worker). */
  another(): Promise<Store>;
  /** openStore options that reach the same database (used by a child process). */
  options: StoreOptions;
  /** Closes everything opened and removes the database. */
  destroy(): Promise<void>;
}

const iso = (s: string) => new Date(s).toISOString();

async function rejectsKind(p: Promise<unknown>, kind: string) {
  await assert.rejects(p, (e: unknown) => e instanceof DigestError && e.kind === kind);
}

function quote(over: Partial<NewQuote> & Pick<NewQuote, 'quote' | 'start' | 'end'>): NewQuote {
  return { speaker: null, speakerRole: null, personId: null, kind: 'direct', stance: null, cue: 'said', ...over };
}

export function storeContract(name: string, open: () => Promise<StoreHandle>): void {
  describe(`store contract: ${name}`, () => {
    let h: StoreHandle;
    let s: Store;
    beforeEach(async () => {
      h = await open();
      s = h.store;
    });
    afterEach(async () => {
      await h.destroy();
    });

    it('migrates idempotently and keeps data', async () => {
      const src = await s.addSource({ url: 'https://a.example/feed' });
      await s.migrate();
      await s.migrate();
      assert.equal((await s.getSource(src.id))?.url, 'https://a.example/feed');
      const other = await h.another();
      try {
        assert.equal((await other.listSources()).length, 1);
      } finally {
        await other.close();
      }
    });

    it('adds, finds, updates, lists and removes sources', async () => {
      const a = await s.addSource({ url: 'https://a.example/feed', title: 'Beta', folder: 'World' });
      assert.equal(a.kind, 'feed');
      assert.equal(a.errorCount, 0);
      assert.equal(a.disabled, false);
      assert.ok(a.intervalSec > 0);
      assert.ok(!Number.isNaN(Date.parse(a.createdAt)));
      const again = await s.addSource({ url: 'https://a.example/feed' });
      assert.equal(again.id, a.id, 'same URL is the same source');
      const b = await s.addSource({ url: 'https://b.example/sitemap.xml', kind: 'sitemap', title: 'alpha', folder: 'World' });
      const c = await s.addSource({ url: 'https://c.example/feed', title: 'Zeta' });
      assert.equal(b.kind, 'sitemap');

      await s.updateSource(a.id, {
        etag: '"abc"',
        lastModified: 'Wed, 01 May 2024 10:00:00 GMT',
        lastStatus: 503,
        lastErrorKind: 'http',
        lastError: 'Service Unavailable',
        errorCount: 2,
        nextDueAt: '2024-05-01T12:00:00+02:00',
        lastFetchedAt: '2024-05-01T10:00:00Z',
        intervalSec: 1800,
        disabled: true,
      });
      const a2 = (await s.getSource(a.id))!;
      assert.equal(a2.etag, '"abc"');
      assert.equal(a2.lastModified, 'Wed, 01 May 2024 10:00:00 GMT');
      assert.equal(a2.lastStatus, 503);
      assert.equal(a2.lastErrorKind, 'http');
      assert.equal(a2.lastError, 'Service Unavailable');
      assert.equal(a2.errorCount, 2);
      assert.equal(a2.nextDueAt, '2024-05-01T10:00:00.000Z');
      assert.equal(a2.lastFetchedAt, '2024-05-01T10:00:00.000Z');
      assert.equal(a2.intervalSec, 1800);
      assert.equal(a2.disabled, true);
      await s.updateSource(a.id, { lastErrorKind: null, lastError: null, nextDueAt: null, disabled: false });
      const a3 = (await s.getSource(a.id))!;
      assert.equal(a3.lastError, null);
      assert.equal(a3.nextDueAt, null);
      assert.equal(a3.disabled, false);

      assert.equal((await s.findSourceByUrl('https://c.example/feed'))?.id, c.id);
      assert.equal(await s.findSourceByUrl('https://nope.example/'), null);
      assert.equal(await s.getSource(99999), null);

      await s.upsertArticle(makeArticle(b.id, 1));
      await s.upsertArticle(makeArticle(b.id, 2));
      const list = await s.listSources();
      // Folder first ("" before "World"), then title, case-insensitively.
      assert.deepEqual(
        list.map((x) => x.title),
        ['Zeta', 'alpha', 'Beta'],
      );
      assert.deepEqual(
        list.map((x) => x.articleCount),
        [0, 2, 0],
      );

      assert.equal(await s.removeSource(c.id), true);
      assert.equal(await s.removeSource(c.id), false);
      assert.equal(await s.getSource(c.id), null);
    });

    it('keeps a source\'s WebSub subscription: empty at first, set, normalised, read back everywhere, cleared', async () => {
      const a = await s.addSource({ url: 'https://push.example/feed' });
      assert.equal(a.websubHub, null);
      assert.equal(a.websubTopic, null);
      assert.equal(a.websubSecret, null);
      assert.equal(a.websubLeaseUntil, null);
      assert.equal(a.websubState, null);
      assert.equal(a.websubRequestedAt, null);
      await s.updateSource(a.id, {
        websubHub: 'https://hub.example/',
        websubTopic: 'https://push.example/feed?self=1',
        websubSecret: 's3cret-ünïcode',
        websubState: 'pending',
        websubRequestedAt: '2024-05-01T12:00:00+02:00',
      });
      const p = (await s.getSource(a.id))!;
      assert.equal(p.websubHub, 'https://hub.example/');
      assert.equal(p.websubTopic, 'https://push.example/feed?self=1');
      assert.equal(p.websubSecret, 's3cret-ünïcode');
      assert.equal(p.websubState, 'pending');
      assert.equal(p.websubRequestedAt, '2024-05-01T10:00:00.000Z', 'normalised to UTC');
      assert.equal(p.websubLeaseUntil, null);
      // Other updates leave the subscription alone.
      await s.updateSource(a.id, { etag: '"x"', errorCount: 1 });
      await s.updateSource(a.id, { websubState: 'active', websubLeaseUntil: '2024-05-11T10:00:00Z' });
      const act = (await s.getSource(a.id))!;
      assert.equal(act.websubState, 'active');
      assert.equal(act.websubLeaseUntil, '2024-05-11T10:00:00.000Z');
      assert.equal(act.websubSecret, 's3cret-ünïcode');
      assert.equal(act.etag, '"x"');
      // Every way of reading a source carries it.
      assert.equal((await s.findSourceByUrl('https://push.example/feed'))?.websubState, 'active');
      assert.equal((await s.listSources()).find((x) => x.id === a.id)?.websubHub, 'https://hub.example/');
      const claimed = await s.claimDueSources('2024-05-01T12:00:00Z', 10, 60);
      assert.equal(claimed.find((x) => x.id === a.id)?.websubSecret, 's3cret-ünïcode');
      await assert.rejects(s.updateSource(a.id, { websubLeaseUntil: 'not a time' }));
      await assert.rejects(s.updateSource(a.id, { websubState: 'bogus' as never }), 'the state is one of three');
      assert.equal((await s.getSource(a.id))?.websubState, 'active');
      await s.updateSource(a.id, { websubState: 'denied' });
      assert.equal((await s.getSource(a.id))?.websubState, 'denied');
      await s.updateSource(a.id, { websubHub: null, websubTopic: null, websubSecret: null, websubState: null, websubLeaseUntil: null, websubRequestedAt: null });
      const none = (await s.getSource(a.id))!;
      assert.deepEqual(
        [none.websubHub, none.websubTopic, none.websubSecret, none.websubState, none.websubLeaseUntil, none.websubRequestedAt],
        [null, null, null, null, null, null],
      );
    });

    it('lists due sources: never fetched or due, enabled, oldest due first', async () => {
      const now = '2024-05-01T12:00:00.000Z';
      const never = await s.addSource({ url: 'https://never.example/feed' });
      const past = await s.addSource({ url: 'https://past.example/feed' });
      const older = await s.addSource({ url: 'https://older.example/feed' });
      const exact = await s.addSource({ url: 'https://exact.example/feed' });
      const future = await s.addSource({ url: 'https://future.example/feed' });
      const off = await s.addSource({ url: 'https://off.example/feed' });
      await s.updateSource(past.id, { nextDueAt: '2024-05-01T11:00:00Z' });
      await s.updateSource(older.id, { nextDueAt: '2024-05-01T09:00:00Z' });
      await s.updateSource(exact.id, { nextDueAt: now });
      await s.updateSource(future.id, { nextDueAt: '2024-05-01T12:00:01Z' });
      await s.updateSource(off.id, { disabled: true });
      const due = await s.dueSources(now);
      assert.deepEqual(
        due.map((x) => x.id),
        [never.id, older.id, past.id, exact.id],
      );
      // A zone offset means the same instant.
      assert.deepEqual(
        (await s.dueSources('2024-05-01T13:00:00+02:00')).map((x) => x.id),
        [never.id, older.id, past.id],
      );
    });

    it('claims due sources with a lease so claims never overlap', async () => {
      const now = '2024-05-01T12:00:00.000Z';
      for (let i = 0; i < 5; i++) await s.addSource({ url: `https://s${i}.example/feed` });
      const first = await s.claimDueSources(now, 3, 600);
      assert.equal(first.length, 3);
      for (const x of first) assert.equal(x.nextDueAt, '2024-05-01T12:10:00.000Z');
      const second = await s.claimDueSources(now, 3, 600);
      assert.equal(second.length, 2);
      assert.equal(new Set([...first, ...second].map((x) => x.id)).size, 5);
      assert.deepEqual(await s.claimDueSources(now, 3, 600), []);
      assert.deepEqual(await s.dueSources(now), []);
      // When the lease runs out they are due again.
      assert.equal((await s.claimDueSources('2024-05-01T12:10:00Z', 10, 600)).length, 5);
    });

    it('never hands the same source to two concurrent workers', async () => {
      const now = '2024-05-01T12:00:00.000Z';
      const ids: number[] = [];
      for (let i = 0; i < 24; i++) ids.push((await s.addSource({ url: `https://w${i}.example/feed` })).id);
      const w2 = await h.another();
      try {
        const work = async (st: Store) => {
          const got: number[] = [];
          for (;;) {
            const batch = await st.claimDueSources(now, 2, 300);
            if (batch.length === 0) return got;
            got.push(...batch.map((x) => x.id));
          }
        };
        const [g1, g2] = await Promise.all([work(s), work(w2)]);
        const all = [...g1, ...g2];
        assert.equal(all.length, 24, 'no source claimed twice');
        assert.deepEqual([...new Set(all)].sort((x, y) => x - y), ids);
      } finally {
        await w2.close();
      }
    });

    it('keeps a fetch log per source, newest first', async () => {
      const a = await s.addSource({ url: 'https://a.example/feed' });
      const b = await s.addSource({ url: 'https://b.example/feed' });
      const base = { url: 'https://a.example/feed', error: null, newArticles: 0, elapsedMs: 12 };
      await s.logFetch({ ...base, sourceId: a.id, startedAt: '2024-05-01T10:00:00Z', status: 200, outcome: 'ok', newArticles: 4 });
      await s.logFetch({ ...base, sourceId: a.id, startedAt: '2024-05-01T11:00:00Z', status: 304, outcome: 'not_modified' });
      await s.logFetch({ ...base, sourceId: a.id, startedAt: '2024-05-01T12:00:00Z', status: 0, outcome: 'timeout', error: 'no answer in 20 s' });
      await s.logFetch({ ...base, sourceId: b.id, startedAt: '2024-05-01T12:30:00Z', status: 200, outcome: 'ok' });
      const recent = await s.recentFetches(a.id, 2);
      assert.deepEqual(
        recent.map((x) => [x.outcome, x.status, x.startedAt]),
        [
          ['timeout', 0, '2024-05-01T12:00:00.000Z'],
          ['not_modified', 304, '2024-05-01T11:00:00.000Z'],
        ],
      );
      assert.equal(recent[0].error, 'no answer in 20 s');
      assert.equal(recent[0].elapsedMs, 12);
      const all = await s.recentFetches(a.id, 10);
      assert.equal(all.length, 3);
      assert.equal(all[2].newArticles, 4);
      assert.equal((await s.recentFetches(b.id, 10)).length, 1);

      // The log is bounded per source: the newest FETCH_LOG_KEEP entries stay.
      for (let i = 0; i < FETCH_LOG_KEEP + 5; i++) {
        const startedAt = new Date(Date.UTC(2024, 5, 1) + i * 60_000).toISOString();
        await s.logFetch({ ...base, sourceId: b.id, startedAt, status: 200, outcome: 'ok', newArticles: i });
      }
      const kept = await s.recentFetches(b.id, 10_000);
      assert.equal(kept.length, FETCH_LOG_KEEP);
      assert.equal(kept[0].newArticles, FETCH_LOG_KEEP + 4);
      assert.equal(kept[kept.length - 1].newArticles, 5);
      assert.equal((await s.recentFetches(a.id, 10)).length, 3, 'other sources keep theirs');
    });

    it('ingests idempotently: same item twice, same guid, same URL are one article', async () => {
      const src = await s.addSource({ url: 'https://a.example/feed', title: 'A News' });
      const other = await s.addSource({ url: 'https://b.example/feed' });
      const a = makeArticle(src.id, 1, {
        leadImage: { url: 'https://a.example/i.jpg', caption: 'Envoys in Moscow', credit: 'AP', alt: null },
        section: 'World',
      });
      const r1 = await s.upsertArticle(a);
      assert.equal(r1.created, true);
      assert.equal(r1.article.title, a.title);
      assert.equal(r1.article.sourceTitle, 'A News');
      assert.deepEqual(r1.article.leadImage, a.leadImage);
      assert.equal(r1.article.published, a.published);
      assert.equal(r1.article.extractedFrom, 'page');
      assert.equal(r1.article.duplicateOf, null);
      assert.equal(r1.article.storyId, null);
      const r2 = await s.upsertArticle(a);
      assert.equal(r2.created, false);
      assert.equal(r2.article.id, r1.article.id);
      // Same guid, new URL and title: updated in place.
      const r3 = await s.upsertArticle({ ...a, url: a.url + '?v=2', title: 'Updated title' });
      assert.equal(r3.created, false);
      assert.equal(r3.article.id, r1.article.id);
      assert.equal(r3.article.title, 'Updated title');
      assert.equal(r3.article.url, a.url + '?v=2');
      // Same URL, other guid (a feed that changed its ids): still one article.
      const r4 = await s.upsertArticle({ ...a, url: a.url + '?v=2', guid: 'changed-guid' });
      assert.equal(r4.article.id, r1.article.id);
      // Same URL in another source: one article, which keeps its first source.
      const r5 = await s.upsertArticle({ ...a, sourceId: other.id, url: a.url + '?v=2', guid: 'x' });
      assert.equal(r5.created, false);
      assert.equal(r5.article.id, r1.article.id);
      assert.equal(r5.article.sourceId, src.id);
      assert.equal(await s.countArticles(), 1);

      assert.equal(await s.hasArticle(src.id, 'changed-guid', 'https://elsewhere/'), true);
      assert.equal(await s.hasArticle(src.id, null, a.url + '?v=2'), true);
      assert.equal(await s.hasArticle(src.id, 'nope', 'https://elsewhere/'), false);
      assert.equal(await s.hasArticle(other.id, 'changed-guid', 'https://elsewhere/'), false);
      assert.equal((await s.getArticleByUrl(a.url + '?v=2'))?.id, r1.article.id);
      assert.equal(await s.getArticleByUrl(a.url), null);
      assert.equal(await s.getArticle(424242), null);

      // A fallback date (time first seen) never replaces the date already known.
      const r6 = await s.upsertArticle({ ...a, url: a.url + '?v=2', published: '2030-01-01T00:00:00Z', publishedIsFallback: true });
      assert.equal(r6.article.published, a.published);
      assert.equal(r6.article.publishedIsFallback, false);
      // The same guid in another source is another article.
      const r7 = await s.upsertArticle(makeArticle(other.id, 1, { guid: a.guid }));
      assert.equal(r7.created, true);
      assert.equal(await s.countArticles(), 2);
    });

    it('never duplicates when two workers ingest the same items at once', async () => {
      const src = await s.addSource({ url: 'https://a.example/feed' });
      const w2 = await h.another();
      try {
        const items = Array.from({ length: 30 }, (_, i) => makeArticle(src.id, i));
        const ingest = (st: Store) => Promise.all(items.map((a) => st.upsertArticle(a)));
        const [x, y] = await Promise.all([ingest(s), ingest(w2)]);
        assert.equal(await s.countArticles(), 30);
        const created = [...x, ...y].filter((r) => r.created).length;
        assert.equal(created, 30, 'each item created exactly once');
        for (let i = 0; i < 30; i++) assert.equal(x[i].article.id, y[i].article.id);
      } finally {
        await w2.close();
      }
    });

    it('stores overlapping batches from two workers in opposite orders (deadlock-safe)', async () => {
      const src = await s.addSource({ url: 'https://a.example/feed' });
      const w2 = await h.another();
      try {
        const items = Array.from({ length: 40 }, (_, i) => makeArticle(src.id, i));
        for (let round = 0; round < 3; round++) {
          const fwd = items.map((a) => ({ ...a, title: `${a.title} r${round}` }));
          const [x, y] = await Promise.all([s.upsertArticles(fwd), w2.upsertArticles([...fwd].reverse())]);
          assert.equal(x.length + y.length, 80);
        }
        assert.equal(await s.countArticles(), 40);
        const page = await s.listArticles({ limit: 100 });
        assert.ok(page.items.every((a) => a.title.endsWith(' r2')));
      } finally {
        await w2.close();
      }
    });

    it('pages newest first with a cursor, without gaps or duplicates', async () => {
      const a = await s.addSource({ url: 'https://a.example/feed' });
      const b = await s.addSource({ url: 'https://b.example/feed' });
      const expected: { id: number; key: string; sourceId: number; copy: boolean }[] = [];
      const batch: NewArticle[] = [];
      for (let i = 0; i < 57; i++) {
        const src = i % 3 === 0 ? b.id : a.id;
        // Ties (several articles at the same minute), zone offsets, and undated ones.
        let published: string | null = new Date(Date.UTC(2024, 4, 1, 8, Math.floor(i / 4))).toISOString();
        if (i % 7 === 0) published = new Date(Date.parse(published) + 3_600_000 * 2).toISOString().replace('Z', '+02:00').replace(/\.\d+/, '');
        const fetchedAt = new Date(Date.UTC(2024, 4, 1, 8, 30 - (i % 11))).toISOString();
        if (i % 10 === 5) published = null;
        batch.push(makeArticle(src, i, { published, publishedIsFallback: published === null, fetchedAt }));
      }
      const res = await s.upsertArticles(batch);
      for (let i = 0; i < res.length; i++) {
        const pub = batch[i].published;
        expected.push({
          id: res[i].article.id,
          key: new Date(pub ?? batch[i].fetchedAt).toISOString(),
          sourceId: batch[i].sourceId,
          copy: false,
        });
      }
      // Mark some copies.
      for (const e of expected.slice(10, 16)) {
        await s.setDuplicateOf(e.id, expected[0].id);
        e.copy = true;
      }
      const order = (xs: typeof expected) =>
        [...xs].sort((x, y) => (x.key < y.key ? 1 : x.key > y.key ? -1 : y.id - x.id)).map((x) => x.id);

      const walk = async (opts: { sourceId?: number; hideCopies?: boolean }, limit: number) => {
        const ids: number[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await s.listArticles({ ...opts, limit, cursor });
          assert.ok(page.items.length <= limit);
          ids.push(...page.items.map((x) => x.id));
          cursor = page.next;
          pages++;
          assert.ok(pages < 100);
        } while (cursor);
        return ids;
      };
      assert.deepEqual(await walk({}, 10), order(expected));
      assert.deepEqual(await walk({}, 57), order(expected));
      assert.deepEqual(await walk({ sourceId: b.id }, 4), order(expected.filter((x) => x.sourceId === b.id)));
      assert.deepEqual(await walk({ hideCopies: true }, 7), order(expected.filter((x) => !x.copy)));

      // New articles arriving while a reader pages do not shift later pages.
      const p1 = await s.listArticles({ limit: 20 });
      await s.upsertArticle(makeArticle(a.id, 500, { published: '2030-01-01T00:00:00Z' }));
      const p2 = await s.listArticles({ limit: 20, cursor: p1.next });
      assert.deepEqual(
        [...p1.items, ...p2.items].map((x) => x.id),
        order(expected).slice(0, 40),
      );
      const last = await s.listArticles({ limit: 100 });
      assert.equal(last.next, null);
      assert.equal(last.items.length, 58);
      await rejectsKind(s.listArticles({ cursor: 'not-a-cursor' }), 'usage');
    });

    it('searches title and text with plain snippets, match offsets and paging', async () => {
      const src = await s.addSource({ url: 'https://a.example/feed' });
      const put = (n: number, title: string, text: string) => s.upsertArticle(makeArticle(src.id, n, { title, text }));
      const envoy = await put(
        1,
        'US envoys meet <Putin> in Moscow',
        'Envoys met Vladimir Putin & his aides in Moscow over the peace plan; a Kremlin aide said "no compromise" was found.',
      );
      await put(2, 'Markets steady', 'Stocks were steady as traders waited for the central bank. <script>alert(1)</script>');
      await put(3, 'Kyiv denies claim', 'Kyiv denied that Pokrovsk had fallen, contradicting the claim made in Moscow on Monday.');
      for (let i = 10; i < 17; i++) await put(i, `Weather report ${i}`, `Rain expected over the weekend in region ${i}.`);

      const r = await s.search('putin');
      assert.equal(r.total, 1);
      assert.equal(r.hits[0].article.id, envoy.article.id);
      // Plain text (never HTML) with the offsets of the matches.
      const hit = r.hits[0];
      assert.ok(hit.snippetMatches.length > 0);
      for (const [a, b] of hit.snippetMatches) assert.match(hit.snippet.slice(a, b), /^putin$/i);
      assert.ok(hit.snippet.includes('Vladimir Putin & his aides'), hit.snippet);
      assert.doesNotMatch(hit.snippet, /&amp;|<mark>/);
      assert.equal(hit.article.title, 'US envoys meet <Putin> in Moscow');
      assert.deepEqual(hit.titleMatches, [[16, 21]]);

      // Title and body both count; a phrase must match in order.
      const moscow = await s.search('Moscow');
      assert.equal(moscow.total, 2);
      assert.equal(moscow.hits[0].article.id, envoy.article.id, 'the title match ranks first');
      assert.ok(moscow.hits[0].rank >= moscow.hits[1].rank);
      assert.equal((await s.search('"peace plan"')).total, 1);
      assert.equal((await s.search('"plan peace"')).total, 0);
      assert.equal((await s.search('moscow kyiv')).total, 1, 'all words are required');
      assert.equal((await s.search('pokrov*')).total, 1, 'prefix');
      assert.equal((await s.search('denied')).hits[0].article.title, 'Kyiv denies claim');

      // Markup in the text comes back as text, its matches located.
      const scr = await s.search('script alert');
      assert.equal(scr.total, 1);
      const sh = scr.hits[0];
      assert.ok(sh.snippet.includes('<script>alert(1)</script'), `the text as it is, for the web to escape: ${sh.snippet}`);
      assert.deepEqual(
        sh.snippetMatches.slice(0, 2).map(([a, b]) => sh.snippet.slice(a, b).toLowerCase()),
        ['script', 'alert'],
      );
      assert.deepEqual(sh.titleMatches, []);

      // Paging: pages partition the hits.
      const p1 = await s.search('weather rain', { limit: 3 });
      const p2 = await s.search('weather rain', { limit: 3, offset: 3 });
      const p3 = await s.search('weather rain', { limit: 3, offset: 6 });
      const p4 = await s.search('weather rain', { limit: 3, offset: 9 });
      assert.equal(p1.total, 7);
      assert.equal(p4.total, 7);
      assert.deepEqual([p1.hits.length, p2.hits.length, p3.hits.length, p4.hits.length], [3, 3, 1, 0]);
      const ids = [...p1.hits, ...p2.hits, ...p3.hits].map((x) => x.article.id);
      assert.equal(new Set(ids).size, 7);

      // User input never reaches the engine as syntax.
      for (const q of ['', '   ', '!!!', '"', '""', '***', '-', '(', ')', ':', '^', '{}', '<>', '&&', '||']) {
        assert.deepEqual(await s.search(q), { hits: [], total: 0 }, `query ${JSON.stringify(q)}`);
      }
      for (const q of ['putin OR', 'NEAR(putin moscow)', 'title:putin', 'putin -moscow', 'putin)', '"putin', 'put"in', "putin's", 'AND', 'putin & (moscow | x)', 'putin:*', "' OR 1=1 --"]) {
        const res = await s.search(q);
        assert.ok(res.total >= 0, q);
      }
      assert.equal((await s.search('putin)')).total, 1);
      assert.equal((await s.search('"putin')).total, 1);
      assert.equal((await s.search('putin -moscow')).total, 1, 'operators are plain words');

      // Changes reach the index.
      await s.upsertArticle(makeArticle(src.id, 2, { title: 'Bonds rally', text: 'Bonds rallied.' }));
      assert.equal((await s.search('stocks')).total, 0);
      assert.equal((await s.search('bonds')).total, 1);
      await s.removeSource(src.id);
      assert.equal((await s.search('putin')).total, 0);
    });

    it('deletes a source with its articles, fetch log, quotes and mentions', async () => {
      const a = await s.addSource({ url: 'https://a.example/feed' });
      const b = await s.addSource({ url: 'https://b.example/feed' });
      const orig = (await s.upsertArticle(makeArticle(a.id, 1))).article;
      await s.upsertArticle(makeArticle(a.id, 2));
      const copy = (await s.upsertArticle(makeArticle(b.id, 3))).article;
      await s.setDuplicateOf(copy.id, orig.id);
      await s.logFetch({ sourceId: a.id, url: a.url, startedAt: '2024-05-01T10:00:00Z', status: 200, outcome: 'ok', error: null, newArticles: 2, elapsedMs: 5 });
      const p = await s.upsertPerson('Dmitry Peskov', 'PER');
      await s.replaceArticleQuotes(orig.id, [quote({ quote: 'no compromise', start: 0, end: 13, personId: p.id })]);
      await s.replaceArticleEntities(orig.id, [{ name: 'Dmitry Peskov', type: 'PER', count: 2 }]);
      assert.equal(await s.removeSource(a.id), true);
      assert.equal(await s.countArticles(), 1);
      assert.equal(await s.getArticle(orig.id), null);
      assert.deepEqual(await s.recentFetches(a.id, 10), []);
      assert.deepEqual(await s.quotesForPerson(p.id), []);
      assert.equal((await s.listEntity(p.id))?.articles.length, 0);
      assert.equal((await s.getArticle(copy.id))?.duplicateOf, null, 'a copy of a deleted article stands alone');
    });

    it('stores a batch all or nothing and resumes without duplicates', async () => {
      const src = await s.addSource({ url: 'https://a.example/feed' });
      const good = Array.from({ length: 8 }, (_, i) => makeArticle(src.id, i));
      const bad = [...good];
      bad[5] = makeArticle(987654, 5); // no such source: fails half-way
      await assert.rejects(s.upsertArticles(bad));
      assert.equal(await s.countArticles(), 0, 'nothing of the failed batch is stored');
      assert.equal((await s.search('story')).total, 0, 'nor indexed');
      const r1 = await s.upsertArticles(good);
      assert.deepEqual(
        r1.map((x) => x.created),
        good.map(() => true),
      );
      const r2 = await s.upsertArticles(good);
      assert.ok(r2.every((x) => !x.created));
      assert.equal(await s.countArticles(), 8);

      // Replacing quotes is atomic too: a bad quote keeps the old ones.
      const art = r1[0].article;
      await s.replaceArticleQuotes(art.id, [quote({ quote: 'first', start: 0, end: 5 })]);
      await assert.rejects(
        s.replaceArticleQuotes(art.id, [
          quote({ quote: 'ok', start: 0, end: 2 }),
          quote({ quote: 'bad', start: 3, end: 6, kind: 'shouted' as never }),
        ]),
      );
      assert.deepEqual(
        (await s.quotesForArticle(art.id)).map((q) => q.quote),
        ['first'],
      );
    });

    it('leaves no partial rows when the process is killed in the middle of a batch', async () => {
      const src = await s.addSource({ url: 'https://a.example/feed' });
      await s.upsertArticle(makeArticle(src.id, 1));
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./contract-child.ts', import.meta.url)), JSON.stringify(h.options), String(src.id), '20'],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const [code, signal] = await new Promise<[number | null, string | null]>((res) => child.on('exit', (c, sg) => res([c, sg])));
      assert.equal(signal, 'SIGKILL', `child should die mid-batch; exit ${code}; stderr: ${err}`);
      assert.match(err, /killing while item 20 is being written/);
      assert.equal(await s.countArticles(), 1, 'no row of the killed batch is visible');
      assert.equal((await s.search('item3w5')).total, 0);
      // The pass is run again: everything is stored once.
      const r = await s.upsertArticles(killBatch(src.id));
      assert.ok(r.every((x) => x.created));
      assert.equal(await s.countArticles(), 25);
      assert.equal((await s.search('item3w5')).total, 1);
      assert.equal((await s.listArticles({ limit: 100 })).items.length, 25);
    });

    it('keeps stories: timeline with copies, ranking, counts, merges that redirect', async () => {
      const a = await s.addSource({ url: 'https://a.example/feed' });
      const b = await s.addSource({ url: 'https://b.example/feed' });
      const c = await s.addSource({ url: 'https://c.example/feed' });
      const art = async (src: number, n: number) => (await s.upsertArticle(makeArticle(src, n))).article;
      const a1 = await art(a.id, 1);
      const b2 = await art(b.id, 2);
      const c3 = await art(c.id, 3); // a copy of a1
      const a4 = await art(a.id, 4);
      const b5 = await art(b.id, 5);

      const st1 = await s.createStory({ title: 'Envoys meet Putin', firstSeen: a1.published!, lastUpdated: b2.published! });
      assert.equal(st1.summary, null);
      assert.equal(st1.mergedInto, null);
      assert.equal(st1.articleCount, 0);
      assert.equal(st1.firstSeen, iso(a1.published!));
      const st2 = await s.createStory({ title: 'Talks continue', firstSeen: a4.published!, lastUpdated: b5.published!, score: 1 });
      await s.setStory(a1.id, st1.id);
      await s.setStory(b2.id, st1.id);
      await s.setDuplicateOf(c3.id, a1.id);
      await s.setStory(a4.id, st2.id);
      await s.setStory(b5.id, st2.id);
      assert.equal((await s.getArticle(a1.id))?.storyId, st1.id);

      assert.deepEqual(
        (await s.storyArticles(st1.id)).map((x) => x.id),
        [a1.id, b2.id, c3.id],
        'articles and copies, oldest first',
      );
      const rc = (await s.recountStory(st1.id))!;
      assert.equal(rc.articleCount, 3);
      assert.equal(rc.sourceCount, 3);
      assert.deepEqual(
        (await s.listArticles({ storyId: st2.id })).items.map((x) => x.id),
        [b5.id, a4.id],
      );

      await s.updateStory(st1.id, { summary: 'US envoys met Putin.', score: 5, lastUpdated: '2024-05-02T00:00:00Z' });
      const got = (await s.getStory(st1.id))!;
      assert.equal(got.redirected, false);
      assert.equal(got.story.summary, 'US envoys met Putin.');
      assert.equal(got.story.score, 5);
      assert.equal(got.story.lastUpdated, '2024-05-02T00:00:00.000Z');
      assert.equal(await s.getStory(99999), null);

      // Ranking by score, then lastUpdated, then id; paging by cursor.
      const more = [];
      for (let i = 0; i < 6; i++) {
        more.push(await s.createStory({ title: `S${i}`, firstSeen: '2024-05-01T00:00:00Z', lastUpdated: `2024-05-01T0${i % 3}:00:00Z`, score: 1 }));
      }
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await s.listStories({ limit: 3, cursor });
        seen.push(...page.items.map((x) => x.id));
        cursor = page.next;
      } while (cursor);
      const want = [st1, st2, ...more]
        .map((x) => (x.id === st1.id ? got.story : x))
        .sort((x, y) => y.score - x.score || (x.lastUpdated < y.lastUpdated ? 1 : x.lastUpdated > y.lastUpdated ? -1 : y.id - x.id))
        .map((x) => x.id);
      assert.deepEqual(seen, want);

      // Quotes follow their article's story.
      await s.replaceArticleQuotes(b5.id, [quote({ quote: 'talks go on', start: 0, end: 11 })]);
      assert.equal((await s.quotesForArticle(b5.id))[0].storyId, st2.id);

      // Merge st2 into st1: articles and quotes move, st2 redirects, counts and times follow.
      const merged = await s.mergeStories(st2.id, st1.id);
      assert.equal(merged.id, st1.id);
      assert.equal(merged.articleCount, 5);
      assert.equal(merged.sourceCount, 3);
      assert.equal(merged.firstSeen, iso(a1.published!));
      assert.equal(merged.lastUpdated, '2024-05-02T00:00:00.000Z');
      const red = (await s.getStory(st2.id))!;
      assert.equal(red.redirected, true);
      assert.equal(red.story.id, st1.id);
      assert.deepEqual(
        (await s.storyArticles(st2.id)).map((x) => x.id),
        [a1.id, b2.id, c3.id, a4.id, b5.id],
      );
      assert.equal((await s.quotesForStory(st2.id)).length, 1);
      assert.equal((await s.quotesForArticle(b5.id))[0].storyId, st1.id);
      assert.ok(!(await s.listStories({ limit: 100 })).items.some((x) => x.id === st2.id), 'merged stories are not listed');

      // Chains collapse: st1 into st3 makes st2 redirect to st3 as well.
      const st3 = await s.createStory({ title: 'Peace plan', firstSeen: '2024-04-30T00:00:00Z', lastUpdated: '2024-05-01T00:00:00Z' });
      const m2 = await s.mergeStories(st1.id, st3.id);
      assert.equal(m2.firstSeen, '2024-04-30T00:00:00.000Z');
      assert.equal((await s.getStory(st2.id))?.story.id, st3.id);
      assert.equal((await s.getStory(st1.id))?.story.id, st3.id);
      assert.equal((await s.mergeStories(st2.id, st3.id)).id, st3.id, 'merging into itself is a no-op');
      await rejectsKind(s.mergeStories(99999, st3.id), 'not_found');
    });

    it('stores quotes, people and entities', async () => {
      const a = await s.addSource({ url: 'https://a.example/feed' });
      const b = await s.addSource({ url: 'https://b.example/feed' });
      const a1 = (await s.upsertArticle(makeArticle(a.id, 1))).article;
      const b2 = (await s.upsertArticle(makeArticle(b.id, 2))).article;
      const c3 = (await s.upsertArticle(makeArticle(b.id, 3))).article;
      const st = await s.createStory({ title: 'Moscow talks', firstSeen: a1.published!, lastUpdated: b2.published! });
      await s.setStory(a1.id, st.id);
      await s.setStory(b2.id, st.id);

      const peskov = await s.upsertPerson('Dmitry Peskov', 'PER', ['Peskov']);
      assert.deepEqual(peskov.aliases, ['Peskov']);
      const again = await s.upsertPerson('dmitry  PESKOV', 'PER', ['Peskov', 'Kremlin spokesman Peskov']);
      assert.equal(again.id, peskov.id, 'names match case- and space-insensitively');
      assert.equal(again.name, 'Dmitry Peskov');
      assert.deepEqual(again.aliases, ['Peskov', 'Kremlin spokesman Peskov']);
      assert.deepEqual(await s.getPerson(peskov.id), again);
      assert.equal(await s.getPerson(99999), null);
      const kremlinOrg = await s.upsertPerson('Kremlin', 'ORG');
      const kremlinLoc = await s.upsertPerson('Kremlin', 'LOC');
      assert.notEqual(kremlinOrg.id, kremlinLoc.id, 'the type is part of the identity');

      const qs = await s.replaceArticleQuotes(a1.id, [
        quote({ quote: 'no compromise was found', start: 120, end: 143, speaker: 'Peskov', speakerRole: 'Kremlin spokesman', personId: peskov.id, stance: 'deny' }),
        quote({ quote: 'talks were useful', start: 10, end: 27, speaker: 'Yuri Ushakov', speakerRole: 'top Kremlin aide', kind: 'indirect', cue: 'according to' }),
      ]);
      assert.deepEqual(
        qs.map((q) => [q.start, q.kind, q.storyId, q.articleId]),
        [
          [10, 'indirect', st.id, a1.id],
          [120, 'direct', st.id, a1.id],
        ],
      );
      assert.equal(qs[1].speakerRole, 'Kremlin spokesman');
      assert.equal(qs[1].stance, 'deny');
      assert.equal(qs[0].cue, 'according to');
      const again2 = await s.replaceArticleQuotes(a1.id, [quote({ quote: 'no compromise was found', start: 120, end: 143, personId: peskov.id })]);
      assert.equal(again2.length, 1, 'replaced, not appended');
      await s.replaceArticleQuotes(b2.id, [quote({ quote: 'a mess', start: 5, end: 11, speaker: 'Trump', stance: 'warn' })]);
      await s.replaceArticleQuotes(c3.id, [quote({ quote: 'elsewhere', start: 0, end: 9, personId: peskov.id })]);
      assert.deepEqual(
        (await s.quotesForStory(st.id)).map((q) => q.quote),
        ['no compromise was found', 'a mess'],
      );
      // A copy's quotes show under the original's story.
      await s.setDuplicateOf(c3.id, b2.id);
      assert.deepEqual(
        (await s.quotesForStory(st.id)).map((q) => q.quote),
        ['no compromise was found', 'a mess', 'elsewhere'],
      );
      assert.deepEqual(
        (await s.quotesForPerson(peskov.id)).map((q) => q.articleId),
        [c3.id, a1.id],
        'newest article first',
      );
      await rejectsKind(s.replaceArticleQuotes(99999, []), 'not_found');

      // Entities: names resolve by name, then alias; counts add up per story.
      await s.replaceArticleEntities(a1.id, [
        { name: 'Dmitry Peskov', type: 'PER', count: 2 },
        { name: 'Moscow', type: 'LOC', count: 3 },
        { name: 'Kremlin', type: 'ORG', count: 1 },
      ]);
      await s.replaceArticleEntities(b2.id, [
        { name: 'Peskov', type: 'PER', count: 1 },
        { name: 'moscow', type: 'LOC', count: 1 },
        { name: 'Donald Trump', type: 'PER', count: 4 },
      ]);
      const ents = await s.entitiesForStory(st.id);
      assert.deepEqual(
        ents.map((e) => [e.entity.name, e.entity.type, e.count, e.articles]),
        [
          ['Moscow', 'LOC', 4, 2],
          ['Dmitry Peskov', 'PER', 3, 2],
          ['Donald Trump', 'PER', 4, 1],
          ['Kremlin', 'ORG', 1, 1],
        ],
      );
      const byAlias = (await s.listEntity('PESKOV'))!;
      assert.equal(byAlias.entity.id, peskov.id);
      assert.deepEqual(
        byAlias.articles.map((x) => x.id),
        [b2.id, a1.id],
      );
      assert.deepEqual(byAlias.storyIds, [st.id]);
      assert.equal((await s.listEntity(peskov.id))?.entity.name, 'Dmitry Peskov');
      assert.equal((await s.listEntity('Donald Trump'))?.articles.length, 1);
      assert.equal(await s.listEntity('Nobody Atall'), null);
      assert.equal(await s.listEntity(99999), null);
      // Replacing drops old mentions.
      await s.replaceArticleEntities(b2.id, [{ name: 'Kyiv', type: 'LOC', count: 1 }]);
      assert.equal((await s.listEntity('Donald Trump'))?.articles.length, 0);
      await rejectsKind(s.replaceArticleEntities(99999, []), 'not_found');
    });

    it('keeps the read flag per article and the section facet', async () => {
      const a = await s.addSource({ url: 'https://a.example/feed' });
      const ids: number[] = [];
      const sections = ['World', 'Business', 'World', null, 'World', 'Business', 'Sport', ''];
      for (let i = 0; i < sections.length; i++) {
        ids.push((await s.upsertArticle(makeArticle(a.id, i, { section: sections[i] }))).article.id);
      }
      assert.equal(await s.isRead(ids[0]), false);
      await s.markRead([ids[0], ids[2]]);
      await s.markRead([ids[0]]);
      assert.equal(await s.isRead(ids[0]), true);
      assert.equal(await s.isRead(ids[1]), false);
      assert.deepEqual(await s.readArticleIds(ids), [ids[0], ids[2]]);
      await s.markRead([ids[2]], false);
      assert.deepEqual(await s.readArticleIds(ids), [ids[0]]);
      assert.deepEqual(await s.readArticleIds([]), []);
      await s.markRead([]);
      assert.equal(await s.isRead(99999), false);

      assert.deepEqual(await s.listSections(), [
        { section: 'World', count: 3 },
        { section: 'Business', count: 2 },
        { section: 'Sport', count: 1 },
      ]);
      assert.deepEqual(
        (await s.listArticles({ section: 'World' })).items.map((x) => x.id),
        [ids[4], ids[2], ids[0]],
      );
      assert.deepEqual((await s.listArticles({ section: 'Nope' })).items, []);
    });

    it('keeps articles pending analysis until marked, oldest first, with their original url', async () => {
      const a = await s.addSource({ url: 'https://a.example/feed' });
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const rec = makeArticle(a.id, i, i === 1 ? { originalUrl: 'https://wire.example/orig' } : {});
        ids.push((await s.upsertArticle(rec)).article.id);
      }
      assert.equal((await s.getArticle(ids[1]))?.originalUrl, 'https://wire.example/orig');
      assert.equal((await s.getArticle(ids[0]))?.originalUrl ?? null, null);
      assert.deepEqual((await s.pendingAnalysis(3)).map((x) => x.id), ids.slice(0, 3));
      assert.equal((await s.getArticle(ids[0]))?.analysedAt ?? null, null);
      const pend = await s.pendingAnalysis(10);
      assert.equal(pend[1].originalUrl, 'https://wire.example/orig');
      await s.markAnalysed([ids[0], ids[2]]);
      await s.markAnalysed([]);
      assert.deepEqual((await s.pendingAnalysis(10)).map((x) => x.id), [ids[1], ids[3], ids[4]]);
      assert.equal(typeof (await s.getArticle(ids[0]))?.analysedAt, 'string');
      // Another worker sees the same state.
      const other = await h.another();
      try {
        await other.markAnalysed([ids[1], ids[3], ids[4]]);
      } finally {
        await other.close();
      }
      assert.deepEqual(await s.pendingAnalysis(10), []);
      // An update in place keeps the article analysed and refreshes its original url.
      await s.upsertArticle(makeArticle(a.id, 0, { title: 'changed', originalUrl: 'https://wire.example/o2' }));
      assert.deepEqual(await s.pendingAnalysis(10), []);
      assert.equal((await s.getArticle(ids[0]))?.originalUrl, 'https://wire.example/o2');
    });

    it('grants a lease to one owner at a time until it expires or is released, with fencing tokens', async () => {
      const t1 = await s.acquireLease('analysis', 'p1', 60);
      assert.ok(typeof t1 === 'number' && t1 > 0, `token ${t1}`);
      assert.equal(await s.acquireLease('analysis', 'p1', 60), t1, 'renewed by its owner: same token');
      const other = await h.another();
      try {
        assert.equal(await other.acquireLease('analysis', 'p2', 60), null);
        assert.equal(typeof (await other.acquireLease('other-name', 'p2', 60)), 'number', 'leases are per name');
        await other.releaseLease('analysis', 'p2'); // not its lease: nothing happens
        assert.equal(await other.acquireLease('analysis', 'p2', 60), null);
        await s.releaseLease('analysis', 'p1');
        const t2 = await other.acquireLease('analysis', 'p2', 60);
        assert.ok(t2 !== null && t2 > t1, 'a new holder gets a bigger token');
        assert.equal(await s.acquireLease('analysis', 'p1', 60), null);
        // An expired lease is free to take.
        const s1 = await other.acquireLease('short', 'p2', 0.2);
        assert.equal(typeof s1, 'number');
        assert.equal(await s.acquireLease('short', 'p1', 60), null);
        await new Promise((r) => setTimeout(r, 400));
        const s2 = await s.acquireLease('short', 'p1', 60);
        assert.ok(s2 !== null && s2 > s1!, 'taken over: token grows');
        assert.equal(await other.acquireLease('short', 'p2', 60), null);
        // Concurrent takers: exactly one wins.
        const wins = await Promise.all(['a', 'b', 'c', 'd'].map((o, i) => (i % 2 ? other : s).acquireLease('race', o, 60)));
        assert.equal(wins.filter((x) => x !== null).length, 1);
      } finally {
        await other.close();
      }
    });

    it('renews a lease only for its holder and token; assertLease refuses a stale token', async () => {
      const t1 = (await s.acquireLease('L', 'p1', 60))!;
      assert.equal(await s.renewLease('L', 'p1', t1, 60), true);
      assert.equal(await s.acquireLease('L', 'p1', 60), t1, 'renewal keeps the token');
      assert.equal(await s.renewLease('L', 'p1', t1 + 1, 60), false, 'wrong token');
      assert.equal(await s.renewLease('L', 'p2', t1, 60), false, 'wrong owner');
      assert.equal(await s.renewLease('nope', 'p1', 1, 60), false);
      await s.assertLease('L', 'p1', t1);
      await s.transaction((tx) => tx.assertLease('L', 'p1', t1));
      for (const [name, owner, token] of [['L', 'p1', t1 + 1], ['L', 'p2', t1], ['nope', 'p1', 1]] as const) {
        await assert.rejects(s.assertLease(name, owner, token), (e: unknown) => e instanceof DigestError && e.kind === 'lease_lost' && e.message.includes(`"${name}"`));
      }
      // The lease runs out and another process takes it over: the old holder has lost it.
      const old = (await s.acquireLease('S', 'p1', 0.2))!;
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(await s.renewLease('S', 'p1', old, 60), false, 'expired: no renewal');
      const other = await h.another();
      try {
        const next = (await other.acquireLease('S', 'p2', 60))!;
        assert.ok(next > old);
        assert.equal(await s.renewLease('S', 'p1', old, 60), false, 'taken over: no renewal');
        await rejectsKind(s.assertLease('S', 'p1', old), 'lease_lost');
        await other.assertLease('S', 'p2', next);
        // A write done under the lost lease is refused and rolled back.
        await assert.rejects(
          s.transaction(async (tx) => {
            await tx.bumpCounter('under-lease');
            await tx.assertLease('S', 'p1', old);
          }),
          (e: unknown) => e instanceof DigestError && e.kind === 'lease_lost',
        );
        assert.equal(await s.getCounter('under-lease'), 0);
        // Released and taken again (even by an earlier holder): the token still grows.
        await other.releaseLease('S', 'p2');
        await rejectsKind(other.assertLease('S', 'p2', next), 'lease_lost');
        assert.ok((await s.acquireLease('S', 'p1', 60))! > next);
      } finally {
        await other.close();
      }
    });

    it('makes a takeover wait for the transaction that asserted the lease', async () => {
      const other = await h.another();
      try {
        const tok = (await s.acquireLease('W', 'p1', 0.3))!;
        const events: string[] = [];
        let taking: Promise<number | null> = Promise.resolve(null);
        await s.transaction(async (tx) => {
          await tx.assertLease('W', 'p1', tok);
          events.push('asserted');
          taking = (async () => {
            await new Promise((r) => setTimeout(r, 400)); // the lease has run out by now
            const t = await other.acquireLease('W', 'p2', 60);
            events.push('taken');
            return t;
          })();
          await new Promise((r) => setTimeout(r, 800));
          await tx.bumpCounter('written-under-lease');
          events.push('committing');
        });
        const taken = await taking;
        assert.deepEqual(events, ['asserted', 'committing', 'taken'], 'the takeover waited for the commit');
        assert.equal(taken, tok + 1);
        assert.equal(await other.getCounter('written-under-lease'), 1);
      } finally {
        await other.close();
      }
    });

    it('runs a unit of work in one transaction: all or nothing, nested calls reuse it', async () => {
      const now = '2024-05-01T12:00:00.000Z';
      const src = await s.addSource({ url: 'https://a.example/feed' });
      const gone = await s.addSource({ url: 'https://b.example/feed' });
      const a1 = (await s.upsertArticle(makeArticle(src.id, 1))).article;
      const st1 = await s.createStory({ title: 'One', firstSeen: now, lastUpdated: now });
      const st2 = await s.createStory({ title: 'Two', firstSeen: now, lastUpdated: now });
      await s.setStory(a1.id, st2.id);
      const fetch = { sourceId: src.id, url: src.url, startedAt: now, status: 200, outcome: 'ok', error: null, newArticles: 1, elapsedMs: 3 };
      // Every kind of write, some of them several statements, then fn throws: nothing stays.
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.upsertArticle(makeArticle(src.id, 2));
          await tx.upsertArticles([makeArticle(src.id, 3), makeArticle(src.id, 1, { title: 'Changed' })]);
          await tx.mergeStories(st2.id, st1.id);
          assert.equal((await tx.claimDueSources(now, 10, 600)).length, 2);
          await tx.replaceArticleQuotes(a1.id, [quote({ quote: 'inside', start: 0, end: 6 })]);
          await tx.replaceArticleEntities(a1.id, [{ name: 'Kyiv', type: 'LOC', count: 1 }]);
          await tx.upsertPerson('Dmitry Peskov', 'PER', ['Peskov']);
          await tx.logFetch(fetch);
          await tx.markRead([a1.id]);
          await tx.recordAnalysisFailure(a1.id, 'boom');
          await tx.removeSource(gone.id);
          await tx.transaction(async (inner) => {
            assert.equal(inner, tx, 'a nested transaction is the same one');
            await inner.bumpCounter('n');
          });
          assert.equal(await tx.countArticles(), 3, 'the transaction sees its own writes');
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await s.countArticles(), 1);
      assert.equal((await s.getArticle(a1.id))?.title, a1.title);
      assert.equal((await s.search('changed')).total, 0);
      assert.equal((await s.getStory(st2.id))?.redirected, false);
      assert.equal((await s.getArticle(a1.id))?.storyId, st2.id);
      assert.equal((await s.dueSources(now)).length, 2);
      assert.deepEqual(await s.quotesForArticle(a1.id), []);
      assert.equal(await s.listEntity('Kyiv'), null);
      assert.equal(await s.listEntity('Peskov'), null);
      assert.deepEqual(await s.recentFetches(src.id, 10), []);
      assert.equal(await s.isRead(a1.id), false);
      assert.deepEqual(await s.analysisFailures(), []);
      assert.notEqual(await s.getSource(gone.id), null);
      assert.equal(await s.getCounter('n'), 0);
      // The same work committed: all of it is there, for another connection too.
      const out = await s.transaction(async (tx) => {
        await tx.upsertArticles([makeArticle(src.id, 2), makeArticle(src.id, 3)]);
        await tx.mergeStories(st2.id, st1.id);
        await tx.logFetch(fetch);
        return tx.transaction(async (inner) => inner.bumpCounter('n'));
      });
      assert.equal(out, 1);
      const other = await h.another();
      try {
        assert.equal(await other.countArticles(), 3);
        assert.equal((await other.getStory(st2.id))?.story.id, st1.id);
        assert.equal((await other.recentFetches(src.id, 10)).length, 1);
        assert.equal(await other.getCounter('n'), 1);
      } finally {
        await other.close();
      }
    });

    it('records analysis failures: attempts, last error, pending until maxAttempts, listed per source', async () => {
      const a = await s.addSource({ url: 'https://a.example/feed' });
      const b = await s.addSource({ url: 'https://b.example/feed' });
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) ids.push((await s.upsertArticle(makeArticle(a.id, i))).article.id);
      const bid = (await s.upsertArticle(makeArticle(b.id, 9))).article.id;
      assert.equal((await s.getArticle(ids[1]))?.analysisAttempts, 0);
      await s.recordAnalysisFailure(ids[1], 'first error');
      await s.recordAnalysisFailure(ids[1], 'x'.repeat(5000));
      await s.recordAnalysisFailure(ids[2], 'parse error');
      await new Promise((r) => setTimeout(r, 5));
      await s.recordAnalysisFailure(bid, 'elsewhere');
      const art = (await s.getArticle(ids[1]))!;
      assert.equal(art.analysisAttempts, 2);
      assert.equal(art.analysisError, 'x'.repeat(2000), 'the last error, cut to 2,000 characters');
      assert.deepEqual((await s.pendingAnalysis(10)).map((x) => x.id), [...ids, bid], 'failed articles stay pending');
      assert.deepEqual((await s.pendingAnalysis(10, { maxAttempts: 2 })).map((x) => x.id), [ids[0], ids[2], ids[3], bid]);
      assert.deepEqual((await s.pendingAnalysis(10, { maxAttempts: 1 })).map((x) => x.id), [ids[0], ids[3]]);
      const all = await s.analysisFailures();
      assert.deepEqual(all.map((f) => [f.articleId, f.sourceId, f.attempts]), [[bid, b.id, 1], [ids[2], a.id, 1], [ids[1], a.id, 2]]);
      assert.equal(all[1].error, 'parse error');
      assert.equal(all[1].url, makeArticle(a.id, 2).url);
      assert.equal(all[1].title, makeArticle(a.id, 2).title);
      assert.deepEqual((await s.analysisFailures({ sourceId: a.id })).map((f) => f.articleId), [ids[2], ids[1]]);
      assert.equal((await s.analysisFailures({ limit: 1 })).length, 1);
      await s.markAnalysed([ids[1]]);
      assert.equal((await s.getArticle(ids[1]))?.analysisError, null, 'analysed: error cleared');
      assert.deepEqual((await s.analysisFailures({ sourceId: a.id })).map((f) => f.articleId), [ids[2]]);
      assert.ok(!(await s.pendingAnalysis(10)).some((x) => x.id === ids[1]));
    });

    it('renews source claims with a heartbeat that only moves them later', async () => {
      const now = '2024-05-01T12:00:00.000Z';
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push((await s.addSource({ url: `https://h${i}.example/feed` })).id);
      const claimed = await s.claimDueSources(now, 3, 60);
      assert.deepEqual(claimed.map((x) => x.id), ids);
      await s.renewClaims([ids[0], ids[1]], '2024-05-01T12:10:00Z');
      await s.renewClaims([ids[0]], '2024-05-01T12:05:00Z'); // earlier: no change
      await s.renewClaims([], '2024-05-01T13:00:00Z');
      assert.deepEqual(
        await Promise.all(ids.map(async (id) => (await s.getSource(id))?.nextDueAt)),
        ['2024-05-01T12:10:00.000Z', '2024-05-01T12:10:00.000Z', '2024-05-01T12:01:00.000Z'],
      );
      assert.deepEqual((await s.claimDueSources('2024-05-01T12:02:00Z', 10, 60)).map((x) => x.id), [ids[2]], 'the unrenewed claim ran out');
      await rejectsKind(s.renewClaims([ids[0]], 'soon'), 'usage');
    });

    it('counts with named counters shared by workers', async () => {
      assert.equal(await s.getCounter('analysis'), 0);
      assert.equal(await s.bumpCounter('analysis'), 1);
      assert.equal(await s.bumpCounter('analysis'), 2);
      const other = await h.another();
      try {
        assert.equal(await other.getCounter('analysis'), 2);
        const got = await Promise.all([other.bumpCounter('analysis'), s.bumpCounter('analysis'), other.bumpCounter('analysis')]);
        assert.deepEqual([...got].sort(), [3, 4, 5]);
        assert.equal(await s.getCounter('analysis'), 5);
        assert.equal(await s.getCounter('else'), 0);
      } finally {
        await other.close();
      }
    });
  });
}
