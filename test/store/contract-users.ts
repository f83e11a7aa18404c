// Contract of the accounts methods (users, sessions, app passwords, login attempts), run on
// both dialects from sqlite.test.ts and postgres.test.ts.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { DigestError } from '../../src/core/errors.ts';
import type { Store } from '../../src/store/types.ts';
import type { StoreHandle } from './contract.ts';

async function rejectsUsage(p: Promise<unknown>, re?: RegExp) {
  await assert.rejects(p, (e: unknown) => e instanceof DigestError && e.kind === 'usage' && (!re || re.test(e.message)));
}

export function usersContract(name: string, open: () => Promise<StoreHandle>): void {
  describe(`store contract (accounts): ${name}`, () => {
    let h: StoreHandle;
    let s: Store;
    beforeEach(async () => {
      h = await open();
      s = h.store;
    });
    afterEach(async () => {
      await h.destroy();
    });

    it('creates, finds (ignoring case), lists, counts, updates and removes users', async () => {
      const alice = await s.createUser({ name: 'Alice', passwordHash: 'h1', createdAt: '2024-05-01T10:00:00+02:00' });
      assert.deepEqual(alice, { id: alice.id, name: 'Alice', admin: false, createdAt: '2024-05-01T08:00:00.000Z' });
      const bob = await s.createUser({ name: 'bob', passwordHash: 'h2', admin: true });
      assert.equal(bob.admin, true);
      await rejectsUsage(s.createUser({ name: 'ALICE', passwordHash: 'x' }), /already exists/);
      await rejectsUsage(s.createUser({ name: 'has space', passwordHash: 'x' }), /not valid/);
      await rejectsUsage(s.createUser({ name: '', passwordHash: 'x' }), /not valid/);
      await rejectsUsage(s.createUser({ name: 'carol', passwordHash: '' }));
      assert.deepEqual(await s.getUserByName('aLiCe'), alice);
      assert.deepEqual(await s.getUser(bob.id), bob);
      assert.equal(await s.getUser(9999), null);
      assert.equal(await s.getUserByName('nobody'), null);
      assert.deepEqual((await s.listUsers()).map((u) => u.name), ['Alice', 'bob']);
      assert.equal(await s.countUsers(), 2);
      assert.equal(await s.countUsers({ admin: true }), 1);
      assert.equal(await s.countUsers({ admin: false }), 1);
      assert.equal(await s.passwordHash(alice.id), 'h1');
      assert.equal(await s.passwordHash(9999), null);
      assert.equal(await s.updateUser(alice.id, { passwordHash: 'h3', admin: true }), true);
      assert.equal(await s.passwordHash(alice.id), 'h3');
      assert.equal((await s.getUser(alice.id))?.admin, true);
      assert.equal(await s.passwordHash(bob.id), 'h2', 'other users untouched');
      assert.equal(await s.updateUser(9999, { admin: true }), false);
      await rejectsUsage(s.updateUser(alice.id, { passwordHash: '' }));
      assert.equal(await s.removeUser(alice.id), true);
      assert.equal(await s.removeUser(alice.id), false);
      assert.equal(await s.getUser(alice.id), null);
      // the name is free again
      const again = await s.createUser({ name: 'alice', passwordHash: 'h4' });
      assert.notEqual(again.id, bob.id);
    });

    it('keeps sessions per user: touch only moves later, delete only own, sign out everywhere, prune by expiry and idleness', async () => {
      const a = await s.createUser({ name: 'a', passwordHash: 'x' });
      const b = await s.createUser({ name: 'b', passwordHash: 'x' });
      const s1 = await s.createSession({ id: 'hash-1', userId: a.id, createdAt: '2024-05-01T10:00:00Z', expiresAt: '2024-06-30T10:00:00Z' });
      assert.deepEqual(s1, { id: 'hash-1', userId: a.id, createdAt: '2024-05-01T10:00:00.000Z', lastSeenAt: '2024-05-01T10:00:00.000Z', expiresAt: '2024-06-30T10:00:00.000Z' });
      await s.createSession({ id: 'hash-2', userId: a.id, createdAt: '2024-05-02T10:00:00Z', expiresAt: '2024-07-01T10:00:00Z' });
      await s.createSession({ id: 'hash-3', userId: b.id, createdAt: '2024-05-03T10:00:00Z', expiresAt: '2024-07-02T10:00:00Z' });
      await s.touchSession('hash-1', '2024-05-05T10:00:00Z');
      await s.touchSession('hash-1', '2024-05-04T10:00:00Z');
      assert.equal((await s.getSession('hash-1'))?.lastSeenAt, '2024-05-05T10:00:00.000Z');
      assert.deepEqual((await s.listSessions(a.id)).map((x) => x.id), ['hash-2', 'hash-1']);
      assert.deepEqual((await s.listSessions(b.id)).map((x) => x.id), ['hash-3']);
      assert.equal(await s.deleteSession(b.id, 'hash-1'), false, "b cannot end a's session");
      assert.ok(await s.getSession('hash-1'));
      assert.equal(await s.deleteUserSessions(a.id, 'hash-2'), 1);
      assert.deepEqual((await s.listSessions(a.id)).map((x) => x.id), ['hash-2']);
      assert.ok(await s.getSession('hash-3'), "b's session stays");
      assert.equal(await s.deleteSession(a.id, 'hash-2'), true);
      assert.equal(await s.getSession('hash-2'), null);
      await s.createSession({ id: 'old', userId: a.id, createdAt: '2024-01-01T00:00:00Z', expiresAt: '2024-03-01T00:00:00Z' });
      await s.createSession({ id: 'idle', userId: a.id, createdAt: '2024-04-20T00:00:00Z', expiresAt: '2024-08-01T00:00:00Z' });
      await s.createSession({ id: 'fresh', userId: a.id, createdAt: '2024-05-10T00:00:00Z', expiresAt: '2024-08-01T00:00:00Z' });
      assert.equal(await s.pruneSessions('2024-05-10T00:00:00Z', '2024-05-01T00:00:00Z'), 2);
      assert.deepEqual((await s.listSessions(a.id)).map((x) => x.id), ['fresh']);
      assert.equal(await s.deleteUserSessions(b.id), 1);
      // removing a user removes their sessions
      await s.removeUser(a.id);
      assert.equal(await s.getSession('fresh'), null);
    });

    it('keeps app passwords per user: unique names, scope, last use, revoke only own, never the hash in listings', async () => {
      const a = await s.createUser({ name: 'a', passwordHash: 'x' });
      const b = await s.createUser({ name: 'b', passwordHash: 'x' });
      const p1 = await s.createAppPassword(a.id, { name: 'Phone', hash: 'ah1', createdAt: '2024-05-01T10:00:00Z' });
      assert.deepEqual(p1, { id: p1.id, userId: a.id, name: 'Phone', scope: 'all', createdAt: '2024-05-01T10:00:00.000Z', lastUsedAt: null });
      const p2 = await s.createAppPassword(a.id, { name: 'Reader', hash: 'ah2', scope: 'greader', createdAt: '2024-05-02T10:00:00Z' });
      await rejectsUsage(s.createAppPassword(a.id, { name: 'Phone', hash: 'ah3' }), /already/);
      await rejectsUsage(s.createAppPassword(a.id, { name: ' ', hash: 'ah3' }));
      await rejectsUsage(s.createAppPassword(a.id, { name: 'x', hash: 'ah3', scope: 'root' as never }), /scope/);
      const pb = await s.createAppPassword(b.id, { name: 'Phone', hash: 'bh1', scope: 'fever' });
      assert.deepEqual((await s.listAppPasswords(a.id)).map((p) => p.name), ['Reader', 'Phone']);
      assert.ok((await s.listAppPasswords(a.id)).every((p) => !('hash' in p)));
      assert.deepEqual((await s.listAppPasswords(b.id)).map((p) => p.id), [pb.id]);
      assert.deepEqual(await s.findAppPassword('ah2'), p2);
      assert.equal(await s.findAppPassword('nope'), null);
      await s.touchAppPassword(p1.id, '2024-05-03T10:00:00Z');
      assert.equal((await s.findAppPassword('ah1'))?.lastUsedAt, '2024-05-03T10:00:00.000Z');
      assert.equal(await s.revokeAppPassword(b.id, p1.id), false, "b cannot revoke a's");
      assert.ok(await s.findAppPassword('ah1'));
      assert.equal(await s.revokeAppPassword(a.id, p1.id), true);
      assert.equal(await s.findAppPassword('ah1'), null);
      await s.removeUser(a.id);
      assert.equal(await s.findAppPassword('ah2'), null);
      assert.ok(await s.findAppPassword('bh1'));
    });

    it('counts login failures per key, atomically across connections, clears and prunes them', async () => {
      assert.deepEqual(await s.loginAttempts(['user:a']), []);
      const r1 = await s.recordLoginFailure(['user:a', 'ip:1'], '2024-05-01T10:00:00Z');
      assert.deepEqual(r1, [{ key: 'ip:1', failures: 1, lastAt: '2024-05-01T10:00:00.000Z' }, { key: 'user:a', failures: 1, lastAt: '2024-05-01T10:00:00.000Z' }]);
      const other = await h.another();
      try {
        await Promise.all([
          s.recordLoginFailure(['user:a'], '2024-05-01T10:00:01Z'),
          other.recordLoginFailure(['user:a'], '2024-05-01T10:00:01Z'),
          other.recordLoginFailure(['user:a', 'ip:2'], '2024-05-01T10:00:02Z'),
        ]);
      } finally {
        await other.close();
      }
      const got = await s.loginAttempts(['user:a', 'ip:1', 'ip:2', 'ip:3']);
      assert.deepEqual(got.map((x) => [x.key, x.failures]), [['ip:1', 1], ['ip:2', 1], ['user:a', 4]]);
      await s.clearLoginAttempts(['user:a']);
      assert.deepEqual((await s.loginAttempts(['user:a', 'ip:1'])).map((x) => x.key), ['ip:1']);
      assert.equal(await s.pruneLoginAttempts('2024-05-01T10:00:01Z'), 1);
      assert.deepEqual((await s.loginAttempts(['ip:1', 'ip:2'])).map((x) => x.key), ['ip:2']);
    });
  });
}
