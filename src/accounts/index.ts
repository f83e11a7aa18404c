// Accounts: users with scrypt-hashed passwords, sessions, CSRF tokens, sign-in throttling and
// per-user app passwords (for reader apps and the API). Small modules, one job each:
//   passwords.ts  hash / verify (scrypt, parameters in the hash string)
//   sessions.ts   cookie tokens, idle and absolute expiry
//   csrf.ts       per-session and pre-login CSRF tokens
//   throttle.ts   growing delays per account and per address (store-backed)
// This file ties them to the store: creating users, signing in, app passwords.
import { createHash, randomBytes } from 'node:crypto';
import { DigestError } from '../core/errors.ts';
import type { AppPasswordRecord, AppPasswordScope, Store, UserRecord } from '../store/types.ts';
import { checkNewPassword, hashPassword, needsRehash, verifyDummy, verifyPassword } from './passwords.ts';
import { DEFAULT_THROTTLE, recordFailure, recordSuccess, throttleKeys, throttleWait, type ThrottlePolicy } from './throttle.ts';

export * from './passwords.ts';
export * from './sessions.ts';
export * from './csrf.ts';
export * from './throttle.ts';

/** Creates a user after checking the password rules; the password is hashed, never kept. */
export async function addUser(store: Store, name: string, password: string, opts: { admin?: boolean } = {}): Promise<UserRecord> {
  checkNewPassword(password);
  if (await store.getUserByName(name)) throw new DigestError('usage', `a user named ${JSON.stringify(name)} already exists`);
  return store.createUser({ name, passwordHash: await hashPassword(password), admin: !!opts.admin });
}

/** Sets a new password and ends every session of the user (but `keepSession`, a session id). */
export async function setPassword(store: Store, userId: number, password: string, keepSession?: string): Promise<void> {
  checkNewPassword(password);
  if (!(await store.updateUser(userId, { passwordHash: await hashPassword(password) }))) throw new DigestError('not_found', `no user with id ${userId}`);
  await store.deleteUserSessions(userId, keepSession);
}

export type SignIn =
  | { ok: true; user: UserRecord }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSec: number };

/**
 * Checks a name and password, throttled per account name and per client address. The answer
 * never tells whether the account exists: unknown names cost a check and count as failures.
 */
export async function signIn(store: Store, name: string, password: string, address: string | undefined, now: Date, policy: ThrottlePolicy = DEFAULT_THROTTLE): Promise<SignIn> {
  const keys = throttleKeys(name, address);
  const wait = await throttleWait(store, keys, now, policy);
  if (wait > 0) return { ok: false, reason: 'throttled', retryAfterSec: Math.ceil(wait / 1000) };
  const user = name ? await store.getUserByName(name) : null;
  const stored = user ? await store.passwordHash(user.id) : null;
  const ok = stored ? await verifyPassword(password, stored) : await verifyDummy(password);
  if (!ok || !user || !stored) {
    await recordFailure(store, keys, now, policy);
    return { ok: false, reason: 'invalid' };
  }
  await recordSuccess(store, keys);
  if (needsRehash(stored)) await store.updateUser(user.id, { passwordHash: await hashPassword(password) });
  return { ok: true, user };
}

// --- app passwords: random secrets shown once; the store keeps their SHA-256 (they are long
// and random, so a fast hash is enough and lets a bearer token be looked up directly).

const APP_PREFIX = 'dgap_';

export function appPasswordHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export const APP_SCOPES: readonly AppPasswordScope[] = ['all', 'greader', 'fever'];

/**
 * Creates an app password; the secret is returned once and never stored. `chosen` is a secret the
 * user picked (8 to 200 characters, no whitespace at the ends); default: a random one.
 */
export async function createAppPassword(store: Store, userId: number, name: string, scope: AppPasswordScope = 'all', now = new Date(), chosen?: string): Promise<{ secret: string; record: AppPasswordRecord }> {
  if (!APP_SCOPES.includes(scope)) throw new DigestError('usage', `app password scope must be one of ${APP_SCOPES.join(', ')}`);
  if (chosen !== undefined && (chosen.length < 8 || chosen.length > 200 || chosen.trim() !== chosen)) {
    throw new DigestError('usage', 'a chosen app password needs 8 to 200 characters, without spaces at either end');
  }
  const secret = chosen ?? APP_PREFIX + randomBytes(24).toString('base64url');
  // Fever clients send md5("user:password"), which cannot be checked against the SHA-256 of the
  // secret: app passwords that allow Fever keep that key too (see src/sync/fever/README.md).
  let feverKey: string | null = null;
  if (scope === 'all' || scope === 'fever') {
    const user = await store.getUser(userId);
    if (!user) throw new DigestError('not_found', `no user with id ${userId}`);
    feverKey = feverKeyOf(user.name, secret);
  }
  const record = await store.createAppPassword(userId, { name, hash: appPasswordHash(secret), scope, createdAt: now.toISOString(), feverKey });
  return { secret, record };
}

const LAST_USED_EVERY_MS = 60_000;

/** The Fever API key of a user name and app password: md5 of "user:secret", lowercase hex. */
export function feverKeyOf(userName: string, secret: string): string {
  return createHash('md5').update(`${userName}:${secret}`).digest('hex');
}

/** For the Fever API: the user of an api_key (case-insensitive hex) of an app password allowing Fever. */
export async function findUserByFeverKey(store: Store, key: string, now = new Date()): Promise<UserRecord | null> {
  if (!/^[0-9a-fA-F]{32}$/.test(key)) return null;
  const record = await store.findAppPasswordByFeverKey(key.toLowerCase());
  if (!record || (record.scope !== 'all' && record.scope !== 'fever')) return null;
  const user = await store.getUser(record.userId);
  if (!user) return null;
  if (!record.lastUsedAt || now.getTime() - Date.parse(record.lastUsedAt) >= LAST_USED_EVERY_MS) await store.touchAppPassword(record.id, now.toISOString());
  return user;
}

/** The app password of a bearer secret, when it allows `scope` ('all' allows every API); notes its use. */
export async function findAppPasswordBySecret(store: Store, secret: string, scope: AppPasswordScope, now = new Date()): Promise<{ user: UserRecord; record: AppPasswordRecord } | null> {
  if (!secret || secret.length > 200) return null;
  const hash = appPasswordHash(secret);
  const record = await store.findAppPassword(hash);
  if (!record) return null;
  if (record.scope !== 'all' && record.scope !== scope) return null;
  const user = await store.getUser(record.userId);
  if (!user) return null;
  if (!record.lastUsedAt || now.getTime() - Date.parse(record.lastUsedAt) >= LAST_USED_EVERY_MS) {
    await store.touchAppPassword(record.id, now.toISOString());
    record.lastUsedAt = now.toISOString();
  }
  return { user, record };
}

/**
 * For the sync APIs: true when `secret` is an app password of `user` (a name or a user) that
 * allows `scope`. A secret of another user is refused.
 */
export async function verifyAppPassword(store: Store, user: string | UserRecord, secret: string, scope: AppPasswordScope, now = new Date()): Promise<UserRecord | null> {
  const found = await findAppPasswordBySecret(store, secret, scope, now);
  if (!found) return null;
  const want = typeof user === 'string' ? await store.getUserByName(user) : user;
  return want && want.id === found.user.id ? found.user : null;
}
