import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/index.ts';
import { delayMs, DEFAULT_THROTTLE, recordFailure, recordSuccess, throttleKeys, throttleWait } from './throttle.ts';
import { addUser, createAppPassword, signIn, verifyAppPassword, findAppPasswordBySecret } from './index.ts';

test('keys: the name case-folded, IPv4 as is, IPv6 by its /64, mapped IPv4 unwrapped', () => {
  assert.deepEqual(throttleKeys(' Ann ', '203.0.113.9'), ['user:ann', 'ip:203.0.113.9']);
  assert.deepEqual(throttleKeys('ann', '::ffff:203.0.113.9'), ['user:ann', 'ip:203.0.113.9']);
  assert.deepEqual(throttleKeys('ann', '2001:db8:1:2:3:4:5:6'), ['user:ann', 'ip:2001:db8:1:2::/64']);
  assert.deepEqual(throttleKeys('ann', '2001:db8::1'), ['user:ann', 'ip:2001:db8:0:0::/64']);
  assert.deepEqual(throttleKeys('ann', undefined), ['user:ann']);
});

test('delays grow: free failures, then 1 s, 2 s, 4 s … up to the cap', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((f) => delayMs(f, 3)), [0, 0, 0, 1000, 2000, 4000, 8000]);
  assert.equal(delayMs(100, 3), DEFAULT_THROTTLE.maxMs);
});

test('the store-backed throttle waits longer after each failure; success clears the account, not the address', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'digest-throttle-'));
  const store = await openStore({ driver: 'sqlite', path: join(dir, 'd.db') });
  try {
    const keys = throttleKeys('ann', '198.51.100.7');
    let now = new Date('2025-01-01T00:00:00Z');
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      await recordFailure(store, keys, now);
      waits.push(await throttleWait(store, keys, now));
      now = new Date(now.getTime() + waits[i]);
      assert.equal(await throttleWait(store, keys, now), 0, 'after the wait, the next attempt may be checked');
    }
    assert.deepEqual(waits, [0, 0, 1000, 2000, 4000, 8000]);
    await recordSuccess(store, keys);
    assert.deepEqual((await store.loginAttempts(keys)).map((a) => a.key), ['ip:198.51.100.7']);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('signIn: right password, wrong one, unknown user (same answer), throttled; app passwords per user and scope', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'digest-signin-'));
  const store = await openStore({ driver: 'sqlite', path: join(dir, 'd.db') });
  try {
    const ann = await addUser(store, 'Ann', 'a good password');
    const bob = await addUser(store, 'bob', 'another password');
    const now = new Date('2025-01-01T00:00:00Z');
    const ok = await signIn(store, 'ann', 'a good password', '192.0.2.1', now);
    assert.deepEqual(ok, { ok: true, user: ann });
    assert.deepEqual(await signIn(store, 'ann', 'wrong password', '192.0.2.1', now), { ok: false, reason: 'invalid' });
    assert.deepEqual(await signIn(store, 'nobody', 'wrong password', '192.0.2.1', now), { ok: false, reason: 'invalid' });
    for (let i = 0; i < 2; i++) await signIn(store, 'ann', 'wrong', '192.0.2.2', now);
    assert.deepEqual(await signIn(store, 'ann', 'a good password', '192.0.2.3', now), { ok: false, reason: 'throttled', retryAfterSec: 1 }, 'even the right password waits');
    for (let i = 0; i < 2; i++) await signIn(store, 'ghost', 'wrong', '192.0.2.4', now);
    await signIn(store, 'ghost', 'wrong', '192.0.2.4', now);
    assert.deepEqual(await signIn(store, 'ghost', 'x', '192.0.2.5', now), { ok: false, reason: 'throttled', retryAfterSec: 1 }, 'unknown names are throttled alike');

    const { secret, record } = await createAppPassword(store, ann.id, 'reader', 'greader', now);
    assert.match(secret, /^dgap_[A-Za-z0-9_-]{32}$/);
    assert.equal(record.scope, 'greader');
    assert.ok(!(await store.listAppPasswords(ann.id)).some((p) => JSON.stringify(p).includes(secret)));
    assert.equal((await verifyAppPassword(store, 'ann', secret, 'greader', now))?.id, ann.id);
    assert.equal((await verifyAppPassword(store, ann, secret, 'greader', now))?.id, ann.id);
    assert.equal(await verifyAppPassword(store, 'ann', secret, 'fever', now), null, 'wrong scope');
    assert.equal(await verifyAppPassword(store, 'bob', secret, 'greader', now), null, "ann's secret is not bob's");
    assert.equal(await verifyAppPassword(store, 'ann', secret + 'x', 'greader', now), null);
    assert.equal((await findAppPasswordBySecret(store, secret, 'greader', now))?.record.lastUsedAt, now.toISOString());
    const all = await createAppPassword(store, bob.id, 'everything', 'all', now);
    assert.equal((await verifyAppPassword(store, 'bob', all.secret, 'fever', now))?.id, bob.id, "'all' opens every API");
    await store.revokeAppPassword(bob.id, all.record.id);
    assert.equal(await verifyAppPassword(store, 'bob', all.secret, 'fever', now), null, 'revoked');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
