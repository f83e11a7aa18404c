// Contract of the rules part of the store (issue 12): per-user rules, their effect on
// per-user article state (applied when articles are marked analysed, back-filled when a rule
// changes), the personal digest's schedule. Called from sqlite.test.ts and postgres.test.ts.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { DigestError } from '../../src/core/errors.ts';
import type { Store } from '../../src/store/types.ts';
import type { StoreHandle } from './contract.ts';
import { makeArticle } from './contract-data.ts';

async function newUser(s: Store, name: string): Promise<number> {
  return (await s.createUser({ name, passwordHash: 'x' })).id;
}

const flags = async (s: Store, userId: number, ids: number[]) => {
  const st = new Map((await s.articleStates(userId, ids)).map((x) => [x.articleId, x]));
  return ids.map((id) => {
    const x = st.get(id);
    return [x?.readAt ? 'R' : '-', x?.hiddenAt ? 'H' : '-', x?.starredAt ? 'S' : '-'].join('');
  });
};

export function rulesContract(name: string, open: () => Promise<StoreHandle>): void {
  describe(`store contract (rules): ${name}`, () => {
    let h: StoreHandle;
    let s: Store;
    let ann: number;
    let bob: number;
    let src1: number;
    let src2: number;
    let ids: number[];
    beforeEach(async () => {
      h = await open();
      s = h.store;
      ann = await newUser(s, 'ann');
      bob = await newUser(s, 'bob');
      src1 = (await s.addSource({ url: 'https://ledger.example/feed', title: 'The Daily Ledger' })).id;
      src2 = (await s.addSource({ url: 'https://echo.example/feed', title: 'Northern Echo' })).id;
      const stored = await s.upsertArticles([
        makeArticle(src1, 1, { title: 'Sponsored: the best crypto wallets', byline: 'Brand Studio' }),
        makeArticle(src1, 2, { title: 'Council approves cycle lanes on Mill Road', byline: 'Jane Okafor' }),
        makeArticle(src2, 3, { title: 'Late penalty sends United through', byline: 'Sports desk' }),
      ]);
      ids = stored.map((r) => r.article.id);
      await s.subscribe(ann, src1);
      await s.subscribe(ann, src2);
      await s.subscribe(bob, src1);
    });
    afterEach(async () => {
      await h.destroy();
    });

    it('adds, lists, gets, updates and removes a user’s rules; never another user’s', async () => {
      const r = await s.addRule(ann, { field: 'title', pattern: ' crypto ', isRegex: false, action: 'hide', kind: 'mute' });
      assert.deepEqual({ ...r, createdAt: 'x' }, { id: r.id, userId: ann, sourceId: null, field: 'title', pattern: 'crypto', isRegex: false, action: 'hide', kind: 'mute', createdAt: 'x' });
      assert.ok(Date.parse(r.createdAt) > 0);
      const r2 = await s.addRule(ann, { field: 'author', pattern: '^jane', isRegex: true, action: 'star', kind: 'mute', sourceId: src1 });
      assert.equal(r2.isRegex, true);
      assert.equal(r2.sourceId, src1);
      assert.deepEqual((await s.listRules(ann)).map((x) => x.id), [r.id, r2.id]);
      assert.deepEqual(await s.listRules(bob), []);
      assert.equal(await s.getRule(bob, r.id), null, 'B cannot read A’s rule');
      assert.equal(await s.updateRule(bob, r.id, { field: 'any', pattern: 'x', isRegex: false, action: 'read', kind: 'mute' }), null, 'nor change it');
      assert.equal(await s.removeRule(bob, r.id), false, 'nor delete it');
      assert.equal((await s.getRule(ann, r.id))?.pattern, 'crypto');
      const up = await s.updateRule(ann, r.id, { field: 'any', pattern: 'wallets', isRegex: false, action: 'read', kind: 'mute' });
      assert.equal(up?.pattern, 'wallets');
      assert.equal(up?.action, 'read');
      assert.equal(await s.removeRule(ann, r.id), true);
      assert.equal(await s.removeRule(ann, r.id), false);
      assert.deepEqual((await s.listRules(ann)).map((x) => x.id), [r2.id]);
      // deleting the user deletes their rules
      await s.removeUser(ann);
      assert.deepEqual(await s.listRules(ann), []);
    });

    it('refuses invalid rules and sources the user does not follow', async () => {
      await assert.rejects(s.addRule(ann, { field: 'title', pattern: '(a', isRegex: true, action: 'hide', kind: 'mute' }), (e: unknown) => e instanceof DigestError && e.kind === 'usage' && /not valid/.test(e.message));
      await assert.rejects(s.addRule(ann, { field: 'title', pattern: '(x)\\1', isRegex: true, action: 'hide', kind: 'mute' }), /linear time/);
      await assert.rejects(s.addRule(bob, { field: 'title', pattern: 'x', isRegex: false, action: 'hide', kind: 'mute', sourceId: src2 }), (e: unknown) => e instanceof DigestError && e.kind === 'not_found');
      assert.deepEqual(await s.listRules(ann), []);
      assert.deepEqual(await s.listRules(bob), []);
    });

    it('back-fills when a rule is added, changed and removed: only the owner’s subscribed articles', async () => {
      await s.addRule(ann, { field: 'title', pattern: 'crypto, penalty', isRegex: false, action: 'hide', kind: 'mute' });
      assert.deepEqual(await flags(s, ann, ids), ['-H-', '---', '-H-']);
      assert.deepEqual(await flags(s, bob, ids), ['---', '---', '---'], 'B’s state is untouched');
      const star = await s.addRule(ann, { field: 'author', pattern: 'okafor', isRegex: false, action: 'star', kind: 'mute' });
      assert.deepEqual(await flags(s, ann, ids), ['-H-', '--S', '-H-']);
      // changing the rule takes back what it had done
      await s.updateRule(ann, star.id, { field: 'author', pattern: 'sports desk', isRegex: false, action: 'star', kind: 'mute' });
      assert.deepEqual(await flags(s, ann, ids), ['-H-', '---', '-HS']);
      await s.removeRule(ann, star.id);
      assert.deepEqual(await flags(s, ann, ids), ['-H-', '---', '-H-']);
      // what the user starred themselves stays when a star rule goes
      await s.setStarred(ann, [ids[1]]);
      const r3 = await s.addRule(ann, { field: 'any', pattern: 'council', isRegex: false, action: 'star', kind: 'mute' });
      await s.removeRule(ann, r3.id);
      assert.deepEqual(await flags(s, ann, ids), ['-H-', '--S', '-H-']);
      // read set by a rule is not taken back
      const rd = await s.addRule(ann, { field: 'title', pattern: 'mill road', isRegex: false, action: 'read', kind: 'mute' });
      assert.deepEqual(await flags(s, ann, ids), ['-H-', 'R-S', '-H-']);
      await s.removeRule(ann, rd.id);
      assert.deepEqual(await flags(s, ann, ids), ['-H-', 'R-S', '-H-']);
    });

    it('subscribing to a source applies the user’s rules to its articles already there', async () => {
      await s.addRule(bob, { field: 'title', pattern: 'penalty', isRegex: false, action: 'hide', kind: 'mute' });
      assert.deepEqual(await flags(s, bob, ids), ['---', '---', '---'], 'bob does not follow source 2 yet');
      await s.subscribe(bob, src2);
      assert.deepEqual(await flags(s, bob, ids), ['---', '---', '-H-']);
    });

    it('keep rules hide what matches none of them, for the sources they cover', async () => {
      await s.addRule(ann, { field: 'title', pattern: 'council', isRegex: false, action: 'hide', kind: 'keep', sourceId: src1 });
      assert.deepEqual(await flags(s, ann, ids), ['-H-', '---', '---']);
      const all = await s.addRule(ann, { field: 'any', pattern: 'united', isRegex: false, action: 'hide', kind: 'keep' });
      // source 1: council OR united kept; source 2: only united
      assert.deepEqual(await flags(s, ann, ids), ['-H-', '---', '---']);
      await s.updateRule(ann, all.id, { field: 'any', pattern: 'arsenal', isRegex: false, action: 'hide', kind: 'keep' });
      assert.deepEqual(await flags(s, ann, ids), ['-H-', '---', '-H-']);
    });

    it('a flag the user cleared is not set again by the same rule; back-fill works in small batches', async () => {
      await s.addRule(ann, { field: 'text', pattern: '.', isRegex: true, action: 'read', kind: 'mute' });
      assert.deepEqual(await flags(s, ann, ids), ['R--', 'R--', 'R--']);
      await s.markRead(ann, [ids[0]], false);
      assert.equal(await s.applyRules(ann, { batch: 1 }), 0, 'nothing to change');
      assert.deepEqual(await flags(s, ann, ids), ['---', 'R--', 'R--']);
      await s.addRule(ann, { field: 'any', pattern: 'ledger', isRegex: false, action: 'star', kind: 'mute' });
      assert.deepEqual(await flags(s, ann, ids), ['--S', 'R-S', 'R--']);
      assert.equal(await s.applyRules(ann, { batch: 1, sourceId: src1 }), 0);
    });

    it('markAnalysed applies every subscriber’s rules to new articles in the same unit of work', async () => {
      await s.addRule(ann, { field: 'title', pattern: '^breaking', isRegex: true, action: 'star', kind: 'mute' });
      await s.addRule(bob, { field: 'outlet', pattern: 'daily ledger', isRegex: false, action: 'hide', kind: 'mute' });
      const [a4, a5] = (await s.upsertArticles([
        makeArticle(src1, 4, { title: 'Breaking: bridge closed after crash' }),
        makeArticle(src2, 5, { title: 'Breaking: storm warning for the coast' }),
      ])).map((r) => r.article.id);
      assert.deepEqual(await flags(s, ann, [a4, a5]), ['---', '---'], 'pending analysis: not yet');
      // a unit of work that fails leaves no state behind
      await assert.rejects(s.transaction(async (tx) => {
        await tx.markAnalysed([a4, a5]);
        throw new Error('analysis failed half-way');
      }), /half-way/);
      assert.deepEqual(await flags(s, ann, [a4, a5]), ['---', '---']);
      assert.equal((await s.getArticle(a4))?.analysedAt, null);
      await s.transaction((tx) => tx.markAnalysed([a4, a5]));
      assert.deepEqual(await flags(s, ann, [a4, a5]), ['--S', '--S']);
      assert.deepEqual(await flags(s, bob, [a4, a5]), ['-H-', '---'], 'B does not follow source 2');
      assert.ok((await s.getArticle(a4))?.analysedAt);
    });

    it('keeps a brief schedule per user and lets one caller claim each day', async () => {
      assert.equal(await s.getBriefSchedule(ann), null);
      await assert.rejects(s.setBriefSchedule(ann, { hour: 24, timeZone: 'UTC', to: 'ann@example.org' }), /0 to 23/);
      await assert.rejects(s.setBriefSchedule(ann, { hour: 7, timeZone: 'Mars/Olympus', to: 'ann@example.org' }), /time zone/);
      await assert.rejects(s.setBriefSchedule(ann, { hour: 7, timeZone: 'UTC', to: 'not an address' }), /address/);
      await s.setBriefSchedule(ann, { hour: 7, timeZone: 'Europe/Paris', to: 'ann@example.org' });
      assert.deepEqual(await s.getBriefSchedule(ann), { hour: 7, timeZone: 'Europe/Paris', to: 'ann@example.org' });
      assert.deepEqual((await s.briefSchedules()).map((x) => [x.name, x.hour, x.sentOn]), [['ann', 7, null]]);
      assert.equal(await s.claimBriefDay(bob, '2024-05-01'), false, 'no schedule, no claim');
      const other = await h.another();
      const claims = await Promise.all([s.claimBriefDay(ann, '2024-05-01'), other.claimBriefDay(ann, '2024-05-01'), s.claimBriefDay(ann, '2024-05-01')]);
      assert.deepEqual(claims.filter(Boolean).length, 1, 'exactly one claim per day');
      assert.equal(await s.claimBriefDay(ann, '2024-04-30'), false, 'an earlier day is never claimed again');
      await s.releaseBriefDay(ann, '2024-05-01', null);
      assert.equal(await other.claimBriefDay(ann, '2024-05-01'), true, 'released: can be claimed again');
      assert.equal(await s.claimBriefDay(ann, '2024-05-02'), true);
      assert.equal((await s.briefSchedules())[0].sentOn, '2024-05-02');
      await s.setBriefSchedule(ann, null);
      assert.deepEqual(await s.briefSchedules(), []);
    });
  });
}
