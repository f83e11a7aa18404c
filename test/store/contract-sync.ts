// Contract of the store methods the sync APIs use (issue 13): syncItemIds, syncItems,
// withCopies, Fever keys of app passwords. Called from sqlite.test.ts and postgres.test.ts.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/store/types.ts';
import type { StoreHandle } from './contract.ts';
import { makeArticle } from './contract-data.ts';
import { testUser } from './contract-reading.ts';

export function syncContract(name: string, open: () => Promise<StoreHandle>): void {
  describe(`store contract (sync APIs): ${name}`, () => {
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

    it('lists item ids by stream, state, arrival and id bounds; folds copies; gives items only to who may see them', async () => {
      const a = await s.addSource({ url: 'https://a.example/feed', title: 'A' });
      const b = await s.addSource({ url: 'https://b.example/feed', title: 'B' });
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) {
        ids.push((await s.upsertArticle(makeArticle(a.id, i, { fetchedAt: new Date(Date.UTC(2024, 5, 1, i)).toISOString() }))).article.id);
      }
      const copy = (await s.upsertArticle(makeArticle(b.id, 9))).article.id;
      await s.setDuplicateOf(copy, ids[0]);
      await s.subscribe(ann, a.id, { folder: 'F' });
      await s.subscribe(ann, b.id);
      await s.subscribe(bob, b.id);
      const all = await s.syncItemIds(ann, { limit: 100 });
      assert.deepEqual(all, [...ids].sort((x, y) => y - x), 'newest id first, the copy folded into its original');
      assert.deepEqual(await s.syncItemIds(bob, { limit: 100 }), [copy], 'bob does not follow the original: the copy is his item');
      assert.deepEqual(await s.syncItemIds(ann, { limit: 100, asc: true, afterId: ids[1] }), [ids[2], ids[3]]);
      assert.deepEqual(await s.syncItemIds(ann, { limit: 1, beforeId: ids[3] }), [ids[2]]);
      assert.deepEqual(await s.syncItemIds(ann, { limit: 100, folder: 'F', arrivedSince: '2024-06-01T02:00:00Z' }), [ids[3], ids[2]]);
      assert.deepEqual(await s.syncItemIds(ann, { limit: 100, arrivedBefore: '2024-06-01T01:00:00Z' }), [ids[0]]);
      await s.markRead(ann, await s.withCopies([ids[0]]));
      assert.deepEqual((await s.withCopies([copy])).sort(), [ids[0], copy].sort(), 'a copy brings its original');
      assert.deepEqual((await s.articleStates(ann, [ids[0], copy])).filter((x) => x.readAt).length, 2);
      await s.setStarred(ann, [ids[1]]);
      assert.deepEqual(await s.syncItemIds(ann, { limit: 100, unread: true, asc: true }), [ids[1], ids[2], ids[3]]);
      assert.deepEqual(await s.syncItemIds(ann, { limit: 100, unread: false }), [ids[0]]);
      assert.deepEqual(await s.syncItemIds(ann, { limit: 100, starred: true }), [ids[1]]);
      assert.deepEqual(await s.syncItemIds(ann, { limit: 100, ids: [ids[2], copy, 999_999] }), [ids[2]]);
      const items = await s.syncItems(ann, [ids[1], copy]);
      assert.deepEqual(items.map((i) => [i.article.id, i.starred, i.read, i.folder]), [[copy, false, true, null], [ids[1], true, false, 'F']]);
      assert.deepEqual(await s.syncItems(bob, [ids[1]]), [], 'bob follows no source of that item');
    });

    it('keeps a Fever key per app password and finds it, lowercase', async () => {
      const key = 'ab'.repeat(16);
      const p = await s.createAppPassword(ann, { name: 'phone', hash: 'h-phone', scope: 'fever', feverKey: key });
      assert.deepEqual(await s.findAppPasswordByFeverKey(key.toUpperCase()), p);
      assert.equal(await s.findAppPasswordByFeverKey('cd'.repeat(16)), null);
      await s.createAppPassword(bob, { name: 'g', hash: 'h-g', scope: 'greader' });
      assert.ok(await s.revokeAppPassword(ann, p.id));
      assert.equal(await s.findAppPasswordByFeverKey(key), null);
    });
  });
}
