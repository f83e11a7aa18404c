// Sessions: the browser holds a random token in a cookie; the store keeps only its SHA-256
// (a leaked database gives no usable session). A session ends when idle longer than idleMs,
// or absoluteMs after sign-in, whichever comes first; every sign-in starts a new one.
import { createHash, randomBytes } from 'node:crypto';
import type { SessionRecord, Store, UserRecord } from '../store/types.ts';
import { sessionCsrf } from './csrf.ts';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
  /** lastSeenAt is written at most this often (page views do not write on every request). */
  touchEveryMs: number;
}

const DAY = 24 * 3600_000;
export const DEFAULT_SESSIONS: SessionPolicy = { idleMs: 14 * DAY, absoluteMs: 60 * DAY, touchEveryMs: 3600_000 };

export const SESSION_COOKIE = 'digest_session';

export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ActiveSession {
  user: UserRecord;
  session: SessionRecord;
  /** The CSRF token of this session. */
  csrf: string;
}

/** Starts a session for the user; returns the cookie token (never stored) and the session. */
export async function startSession(store: Store, userId: number, now: Date, p: SessionPolicy = DEFAULT_SESSIONS): Promise<{ token: string; session: SessionRecord }> {
  const token = newToken();
  const session = await store.createSession({
    id: tokenHash(token), userId, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + p.absoluteMs).toISOString(),
  });
  return { token, session };
}

/** The live session of a cookie token, or null (unknown, idle too long, past its absolute expiry, user gone). */
export async function resumeSession(store: Store, token: string | undefined, now: Date, p: SessionPolicy = DEFAULT_SESSIONS): Promise<ActiveSession | null> {
  if (!token || token.length > 200) return null;
  const id = tokenHash(token);
  const session = await store.getSession(id);
  if (!session) return null;
  const t = now.getTime();
  if (t >= Date.parse(session.expiresAt) || t >= Date.parse(session.lastSeenAt) + p.idleMs) {
    await store.deleteSession(session.userId, id);
    return null;
  }
  const user = await store.getUser(session.userId);
  if (!user) return null;
  if (t - Date.parse(session.lastSeenAt) >= p.touchEveryMs) {
    await store.touchSession(id, now.toISOString());
    session.lastSeenAt = now.toISOString();
  }
  return { user, session, csrf: sessionCsrf(token) };
}

/** Ends the session of this cookie token (sign out). */
export async function endSession(store: Store, s: ActiveSession): Promise<void> {
  await store.deleteSession(s.user.id, s.session.id);
}
