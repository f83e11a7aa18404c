// Contract of the reading part of the store (issue 12): per-user subscriptions over the
// shared sources and per-user article state. Called from sqlite.test.ts and postgres.test.ts.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { KyselyStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/types.ts';
import type { StoreHandle } from './contract.ts';
import { makeArticle } from './contract-data.ts';

/** A user row to hang state on (the accounts part's table). */
export async function testUser(s: Store, name: string): Promise<number> {
  return (await s.createUser({ name, passwordHash: 'not-a-hash' })).id;
}

/** Sets hidden_at as a user's rule would. */
async function hide(s: Store, userId: number, articleId: number): Promise<void> {
  const db = (s as KyselyStore).db;
  await sql`INSERT INTO article_states (user_id, article_id, hidden_at) VALUES (${userId}, ${articleId}, ${new Date().toISOString()})
    ON CONFLICT (user_id, article_id) DO UPDATE SET hidden_at = excluded.hidden_at`.execute(db);
}

export function readingContract(name: string, open: () => Promise<StoreHandle>): void {
  describe(`store contract (reading): ${name}`, () => {
    let h: StoreHandle;
    let s: Store;
    let ann: number;
    let bob: number;
    beforeEach(async () => {
      h = await open();
      s = h.store;
      ann = await testUser(s, 'ann');
      bob = await testUser(s, 'bob');
    });
    afterEach(async () => {
      await h.destroy();
    });

    it('subscribes users to shared sources, each with their own folder and title', async () => {
      const cli = await s.addSource({ url: 'https://a.example/feed', title: 'A News' });
      const viaUrl = await s.subscribeUrl(ann, { url: 'https://a.example/feed' }, { folder: 'World' });
      assert.equal(viaUrl.sourceCreated, false, 'a URL that is already a source reuses it');
      assert.equal(viaUrl.wasSubscribed, false);
      assert.equal(viaUrl.subscription.source.id, cli.id);
      assert.equal(viaUrl.subscription.folder, 'World');
      const web = await s.subscribeUrl(bob, { url: 'https://b.example/feed', title: 'B Daily' }, { title: '  My   B  ' });
      assert.equal(web.sourceCreated, true);
      assert.equal(web.subscription.title, 'My B', 'titles are trimmed and spaces collapsed');
      assert.equal(web.subscription.source.addedFromWeb, true);
      assert.equal((await s.listSources()).length, 2, 'one row per source however many follow it');
      const again = await s.subscribeUrl(bob, { url: 'https://b.example/feed' });
      assert.equal(again.wasSubscribed, true);
      assert.equal(again.subscription.title, 'My B', 'subscribing again without a patch keeps folder and title');
      await s.subscribe(bob, cli.id, { folder: 'Politics', title: 'A for Bob' });
      assert.equal(await s.subscriberCount(cli.id), 2);

      assert.deepEqual((await s.listSubscriptions(ann)).map((x) => [x.source.id, x.folder, x.title]), [[cli.id, 'World', null]]);
      assert.deepEqual((await s.listSubscriptions(bob)).map((x) => [x.source.id, x.folder, x.title]), [
        [web.subscription.source.id, null, 'My B'],
        [cli.id, 'Politics', 'A for Bob'],
      ], 'ordered by folder (none first), then title');
      assert.equal(await s.getSubscription(ann, web.subscription.source.id), null, "never another user's row");

      assert.equal(await s.updateSubscription(ann, cli.id, { title: 'Mine', folder: '' }), true);
      assert.deepEqual(await s.getSubscription(ann, cli.id).then((x) => [x?.folder, x?.title]), [null, 'Mine']);
      assert.equal(await s.updateSubscription(ann, web.subscription.source.id, { title: 'stolen' }), false, 'cannot change what one does not follow');
      assert.equal((await s.getSubscription(bob, web.subscription.source.id))?.title, 'My B');
      await rejects(s.subscribe(ann, 99999));
    });

    it("renames and deletes a user's folders without touching another user's", async () => {
      const [a, b, c] = [await s.addSource({ url: 'https://a.example/f' }), await s.addSource({ url: 'https://b.example/f' }), await s.addSource({ url: 'https://c.example/f' })];
      await s.subscribe(ann, a.id, { folder: 'Tech' });
      await s.subscribe(ann, b.id, { folder: 'Tech' });
      await s.subscribe(ann, c.id, { folder: 'News' });
      await s.subscribe(bob, a.id, { folder: 'Tech' });
      assert.equal(await s.renameFolder(ann, 'Tech', 'Computing'), 2);
      assert.equal((await s.getSubscription(bob, a.id))?.folder, 'Tech');
      assert.equal(await s.deleteFolder(ann, 'Computing'), 2);
      assert.deepEqual((await s.listSubscriptions(ann)).map((x) => x.folder).sort(), [null, null, 'News'].sort());
      assert.equal(await s.subscriberCount(a.id), 2, 'deleting a folder keeps its subscriptions');
      assert.equal(await s.deleteFolder(ann, 'Nope'), 0);
    });

    it('unsubscribing deletes a source added from the web with its last subscriber, never one the instance added', async () => {
      const cli = await s.addSource({ url: 'https://a.example/feed' });
      await s.upsertArticle(makeArticle(cli.id, 1));
      await s.subscribe(ann, cli.id);
      const web = (await s.subscribeUrl(ann, { url: 'https://w.example/feed' })).subscription.source;
      await s.subscribe(bob, web.id);
      await s.upsertArticle(makeArticle(web.id, 2));
      assert.deepEqual(await s.unsubscribe(ann, cli.id), { removed: true, sourceDeleted: false });
      assert.notEqual(await s.getSource(cli.id), null, 'the instance source stays with nobody following it');
      assert.deepEqual(await s.unsubscribe(ann, cli.id), { removed: false, sourceDeleted: false });
      assert.deepEqual(await s.unsubscribe(ann, web.id), { removed: true, sourceDeleted: false }, 'bob still follows it');
      assert.deepEqual(await s.unsubscribe(ann, web.id), { removed: false, sourceDeleted: false });
      assert.deepEqual(await s.unsubscribe(bob, web.id), { removed: true, sourceDeleted: true });
      assert.equal(await s.getSource(web.id), null);
      assert.equal(await s.countArticles(), 1);
      // The instance adopting a web source (digest add) makes it stay.
      const w2 = (await s.subscribeUrl(ann, { url: 'https://w2.example/feed' })).subscription.source;
      await s.updateSource(w2.id, { addedFromWeb: false });
      assert.deepEqual(await s.unsubscribe(ann, w2.id), { removed: true, sourceDeleted: false });
    });

    it('keeps read and starred per user; views leave out hidden articles and copies of followed originals', async () => {
      const a = await s.addSource({ url: 'https://a.example/feed' });
      const b = await s.addSource({ url: 'https://b.example/feed' });
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await s.upsertArticle(makeArticle(a.id, i))).article.id);
      const copy = (await s.upsertArticle(makeArticle(b.id, 9, { duplicateOf: ids[0] }))).article.id;
      const lone = (await s.upsertArticle(makeArticle(b.id, 10))).article.id;
      await s.subscribe(ann, a.id, { folder: 'F' });
      await s.subscribe(ann, b.id, { folder: 'F' });
      await s.subscribe(bob, b.id);

      let counts = await s.unreadCounts(ann);
      assert.equal(counts.total, 6, 'the copy of an article ann follows is not counted');
      assert.equal(counts.sources.get(a.id), 5);
      assert.equal(counts.sources.get(b.id), 1);
      assert.equal(counts.folders.get('F'), 6);
      assert.equal((await s.unreadCounts(bob)).total, 2, 'bob does not follow the original: the copy is his article');
      assert.deepEqual((await s.listUserArticles(bob)).items.map((x) => x.id).sort(), [copy, lone].sort());

      await s.markRead(ann, [ids[0], copy]);
      await s.setStarred(ann, [ids[1]]);
      await hide(s, ann, ids[2]);
      counts = await s.unreadCounts(ann);
      assert.equal(counts.total, 4, 'read and hidden ones leave the count');
      assert.equal((await s.unreadCounts(bob)).total, 2, "ann's reading is not bob's");
      const unread = (await s.listUserArticles(ann, { unread: true })).items.map((x) => x.id);
      assert.deepEqual(unread, [lone, ids[4], ids[3], ids[1]], 'newest first, no read, hidden or copy');
      assert.deepEqual((await s.listUserArticles(ann)).items.map((x) => x.id), [lone, ids[4], ids[3], ids[1], ids[0]]);
      assert.deepEqual((await s.listUserArticles(ann, { starred: true })).items.map((x) => x.id), [ids[1]]);
      assert.deepEqual((await s.listUserArticles(bob, { starred: true })).items, []);
      assert.deepEqual((await s.listUserArticles(ann, { sourceId: b.id })).items.map((x) => x.id), [lone]);
      assert.deepEqual((await s.listUserArticles(ann, { folder: 'Nope' })).items, []);
      const p1 = await s.listUserArticles(ann, { limit: 2 });
      const p2 = await s.listUserArticles(ann, { limit: 2, cursor: p1.next });
      const p3 = await s.listUserArticles(ann, { limit: 2, cursor: p2.next });
      assert.deepEqual([...p1.items, ...p2.items, ...p3.items].map((x) => x.id), [lone, ids[4], ids[3], ids[1], ids[0]]);
      assert.equal(p3.next, null);
      await hide(s, ann, ids[1]);
      assert.deepEqual((await s.listUserArticles(ann, { starred: true })).items, [], 'hidden leaves the starred page too');
      const st = await s.articleStates(ann, [ids[0], ids[1], ids[3]]);
      assert.deepEqual(st.map((x) => [x.articleId, !!x.readAt, !!x.starredAt, !!x.hiddenAt]), [[ids[0], true, false, false], [ids[1], false, true, true]]);
      await s.setStarred(ann, [ids[1]], false);
      assert.equal((await s.articleStates(ann, [ids[1]]))[0].starredAt, null);
    });

    it('marks all read by source, folder, story, day or time, with copies, for one user only', async () => {
      const a = await s.addSource({ url: 'https://a.example/feed' });
      const b = await s.addSource({ url: 'https://b.example/feed' });
      const c = await s.addSource({ url: 'https://c.example/feed' });
      await s.subscribe(ann, a.id, { folder: 'One' });
      await s.subscribe(ann, b.id, { folder: 'Two' });
      await s.subscribe(bob, a.id);
      const aa: number[] = [];
      for (let i = 0; i < 4; i++) aa.push((await s.upsertArticle(makeArticle(a.id, i * 60))).article.id); // 08:00, 09:00, 10:00, 11:00
      const bb = (await s.upsertArticle(makeArticle(b.id, 150))).article.id; // 10:30
      const copyOfA0 = (await s.upsertArticle(makeArticle(c.id, 5, { duplicateOf: aa[0] }))).article.id;
      const readIds = async (u: number) => (await s.articleStates(u, [...aa, bb, copyOfA0])).filter((x) => x.readAt).map((x) => x.articleId).sort((x, y) => x - y);

      assert.equal(await s.markAllRead(ann, { before: '2024-05-01T09:00:00.000Z' }), 2, 'a0 and the copy another outlet carried');
      assert.deepEqual(await readIds(ann), [aa[0], copyOfA0].sort((x, y) => x - y));
      assert.equal(await s.markAllRead(ann, { before: '2024-05-01T09:00:00.000Z' }), 0, 'nothing new to mark');
      assert.equal(await s.markAllRead(ann, { folder: 'Two' }), 1);
      assert.equal(await s.markAllRead(ann, { sourceId: a.id, since: '2024-05-01T10:00:00.000Z', before: '2024-05-02T00:00:00.000Z' }), 2);
      assert.deepEqual(await readIds(ann), [aa[0], aa[2], aa[3], bb, copyOfA0].sort((x, y) => x - y));
      assert.deepEqual(await readIds(bob), [], "ann's marks are not bob's");
      assert.equal(await s.markAllRead(bob, { sourceId: b.id }), 0, 'a source one does not follow marks nothing');
      const story = await s.createStory({ title: 'S', firstSeen: '2024-05-01T08:00:00.000Z', lastUpdated: '2024-05-01T09:00:00.000Z' });
      await s.setStory(aa[1], story.id);
      assert.equal(await s.markAllRead(bob, { storyId: story.id }), 1);
      assert.deepEqual(await readIds(bob), [aa[1]]);
      assert.equal(await s.markAllRead(bob, {}), 4, 'everything bob follows, and the copy of one of them');
      assert.equal((await s.unreadCounts(bob)).total, 0);
    });

    it("lists the stories a user's subscriptions carry, ranked as the shared list", async () => {
      const a = await s.addSource({ url: 'https://a.example/feed' });
      const b = await s.addSource({ url: 'https://b.example/feed' });
      const t = '2024-05-01T08:00:00.000Z';
      const s1 = await s.createStory({ title: 'low', firstSeen: t, lastUpdated: t, score: 1 });
      const s2 = await s.createStory({ title: 'high', firstSeen: t, lastUpdated: t, score: 5 });
      const s3 = await s.createStory({ title: 'other', firstSeen: t, lastUpdated: t, score: 9 });
      await s.upsertArticle(makeArticle(a.id, 1, { storyId: s1.id }));
      await s.upsertArticle(makeArticle(a.id, 2, { storyId: s2.id }));
      const hidden = (await s.upsertArticle(makeArticle(a.id, 3, { storyId: s3.id }))).article.id;
      await s.upsertArticle(makeArticle(b.id, 4, { storyId: s3.id }));
      await s.subscribe(ann, a.id);
      await hide(s, ann, hidden);
      assert.deepEqual((await s.userStories(ann)).map((x) => x.title), ['high', 'low'], 'a story carried only by hidden articles is left out');
      assert.deepEqual(await s.userStories(bob), []);
      await s.mergeStories(s1.id, s2.id);
      assert.deepEqual((await s.userStories(ann)).map((x) => x.title), ['high']);
    });
  });
}

async function rejects(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p);
}
