import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/index.ts';
import { DEFAULT_SESSIONS, endSession, resumeSession, startSession, tokenHash } from './sessions.ts';
import { sessionCsrf } from './csrf.ts';

const DAY = 24 * 3600_000;

test('sessions: only the token hash is stored; idle and absolute expiry on an injected clock; end', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'digest-sessions-'));
  const store = await openStore({ driver: 'sqlite', path: join(dir, 'd.db') });
  try {
    const u = await store.createUser({ name: 'ann', passwordHash: 'x' });
    const t0 = new Date('2025-01-01T00:00:00Z');
    const { token, session } = await startSession(store, u.id, t0);
    assert.equal(session.id, tokenHash(token));
    assert.notEqual(session.id, token);
    assert.equal(await store.getSession(token), null, 'the token itself is not a key');
    assert.equal(session.expiresAt, new Date(t0.getTime() + DEFAULT_SESSIONS.absoluteMs).toISOString());

    // active use keeps it alive past the idle limit, never past the absolute one
    let t = t0.getTime();
    for (let i = 0; i < 4; i++) {
      t += 13 * DAY;
      const s = await resumeSession(store, token, new Date(t));
      assert.ok(s, `day ${(t - t0.getTime()) / DAY}`);
      assert.equal(s.user.name, 'ann');
      assert.equal(s.csrf, sessionCsrf(token));
    }
    assert.equal(await resumeSession(store, token, new Date(t0.getTime() + 60 * DAY)), null, 'absolute expiry');
    assert.equal(await store.getSession(session.id), null, 'an expired session is deleted');

    // idle: 14 days without a request
    const b = await startSession(store, u.id, t0);
    assert.ok(await resumeSession(store, b.token, new Date(t0.getTime() + 14 * DAY - 1000)));
    const c = await startSession(store, u.id, t0);
    assert.equal(await resumeSession(store, c.token, new Date(t0.getTime() + 14 * DAY)), null, 'idle expiry');

    // a request within the hour does not write lastSeenAt
    const d = await startSession(store, u.id, t0);
    await resumeSession(store, d.token, new Date(t0.getTime() + 60_000));
    assert.equal((await store.getSession(d.session.id))?.lastSeenAt, t0.toISOString());
    await resumeSession(store, d.token, new Date(t0.getTime() + 3600_000));
    assert.equal((await store.getSession(d.session.id))?.lastSeenAt, new Date(t0.getTime() + 3600_000).toISOString());

    const live = await resumeSession(store, d.token, new Date(t0.getTime() + 3600_000));
    await endSession(store, live!);
    assert.equal(await resumeSession(store, d.token, new Date(t0.getTime() + 3600_000)), null);
    assert.equal(await resumeSession(store, 'not-a-token', t0), null);
    assert.equal(await resumeSession(store, undefined, t0), null);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
