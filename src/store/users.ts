// Accounts: users, sessions (keyed by a hash of the cookie token), app passwords (a hash of
// the secret), login attempts for throttling. Per-user methods take the user id first and
// never touch another user's rows. Hashing and checking secrets is src/accounts/'s job.
import { DigestError } from '../core/errors.ts';
import { Reading } from './reading.ts';
import type { Row } from './schema.ts';
import { ts } from './schema.ts';
import type { AppPasswordRecord, AppPasswordScope, LoginAttempts, SessionRecord, UserRecord } from './types.ts';
import { nameKey, normIso, requireIso } from './util.ts';

const toUser = (r: Row): UserRecord => ({ id: Number(r.id), name: r.name, admin: !!r.admin, createdAt: ts(r.created_at)! });
const toSession = (r: Row): SessionRecord => ({
  id: r.id, userId: Number(r.user_id), createdAt: ts(r.created_at)!, lastSeenAt: ts(r.last_seen_at)!, expiresAt: ts(r.expires_at)!,
});
const toAppPassword = (r: Row): AppPasswordRecord => ({
  id: Number(r.id), userId: Number(r.user_id), name: r.name, scope: r.scope as AppPasswordScope,
  createdAt: ts(r.created_at)!, lastUsedAt: ts(r.last_used_at),
});
const toAttempts = (r: Row): LoginAttempts => ({ key: r.key, failures: Number(r.failures), lastAt: ts(r.last_at)! });

const USER_COLS = ['id', 'name', 'admin', 'created_at'] as const;
const SCOPES = new Set(['all', 'greader', 'fever']);

function userName(name: string): string {
  const n = name.normalize('NFKC').trim();
  if (!n || n.length > 64 || /[\s/\\:@]/.test(n) || /\p{C}/u.test(n)) {
    throw new DigestError('usage', `user name ${JSON.stringify(name)} is not valid: use 1 to 64 characters without spaces, slashes, colons or @`);
  }
  return n;
}

export class Users extends Reading {
  // --- users

  async createUser(u: { name: string; passwordHash: string; admin?: boolean; createdAt?: string }): Promise<UserRecord> {
    const name = userName(u.name);
    if (!u.passwordHash) throw new DigestError('usage', 'a user needs a password hash');
    const row = await this.db.insertInto('users')
      .values({ name, name_key: nameKey(name), password_hash: u.passwordHash, admin: this.dialect.bool(!!u.admin), created_at: u.createdAt ? requireIso(u.createdAt, 'createdAt') : new Date().toISOString() })
      .onConflict((oc) => oc.column('name_key').doNothing())
      .returning(USER_COLS).executeTakeFirst();
    if (!row) throw new DigestError('usage', `a user named ${JSON.stringify(name)} already exists`);
    return toUser(row);
  }

  async getUser(id: number): Promise<UserRecord | null> {
    const r = await this.db.selectFrom('users').select(USER_COLS).where('id', '=', id).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  async getUserByName(name: string): Promise<UserRecord | null> {
    const r = await this.db.selectFrom('users').select(USER_COLS).where('name_key', '=', nameKey(name)).executeTakeFirst();
    return r ? toUser(r) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.db.selectFrom('users').select(USER_COLS).orderBy('name_key').orderBy('id').execute()).map(toUser);
  }

  async countUsers(opts: { admin?: boolean } = {}): Promise<number> {
    const r = await this.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n'))
      .$if(opts.admin !== undefined, (q) => q.where('admin', '=', this.dialect.bool(!!opts.admin)))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async passwordHash(userId: number): Promise<string | null> {
    const r = await this.db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
    return r ? r.password_hash : null;
  }

  async updateUser(userId: number, patch: { passwordHash?: string; admin?: boolean }): Promise<boolean> {
    const set: { password_hash?: string; admin?: number | boolean } = {};
    if (patch.passwordHash !== undefined) {
      if (!patch.passwordHash) throw new DigestError('usage', 'a user needs a password hash');
      set.password_hash = patch.passwordHash;
    }
    if (patch.admin !== undefined) set.admin = this.dialect.bool(patch.admin);
    if (Object.keys(set).length === 0) return (await this.getUser(userId)) !== null;
    const r = await this.db.updateTable('users').set(set).where('id', '=', userId).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async removeUser(userId: number): Promise<boolean> {
    const r = await this.db.deleteFrom('users').where('id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // --- sessions

  async createSession(s: { id: string; userId: number; createdAt: string; expiresAt: string }): Promise<SessionRecord> {
    const at = requireIso(s.createdAt, 'createdAt');
    const row = await this.db.insertInto('sessions')
      .values({ id: s.id, user_id: s.userId, created_at: at, last_seen_at: at, expires_at: requireIso(s.expiresAt, 'expiresAt') })
      .returningAll().executeTakeFirstOrThrow();
    return toSession(row);
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const r = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toSession(r) : null;
  }

  async touchSession(id: string, at: string): Promise<void> {
    const t = requireIso(at, 'at');
    await this.db.updateTable('sessions').set({ last_seen_at: t }).where('id', '=', id).where('last_seen_at', '<', t).execute();
  }

  async deleteSession(userId: number, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('sessions').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async deleteUserSessions(userId: number, exceptId?: string): Promise<number> {
    const r = await this.db.deleteFrom('sessions').where('user_id', '=', userId)
      .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId!)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async listSessions(userId: number): Promise<SessionRecord[]> {
    return (await this.db.selectFrom('sessions').selectAll().where('user_id', '=', userId)
      .orderBy('created_at', 'desc').orderBy('id').execute()).map(toSession);
  }

  async pruneSessions(now: string, idleBefore: string): Promise<number> {
    const n = requireIso(now, 'now');
    const idle = requireIso(idleBefore, 'idleBefore');
    const r = await this.db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<=', n), eb('last_seen_at', '<=', idle)])).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  // --- app passwords

  async createAppPassword(userId: number, p: { name: string; hash: string; scope?: AppPasswordScope; createdAt?: string; feverKey?: string | null }): Promise<AppPasswordRecord> {
    const name = p.name.normalize('NFKC').trim();
    if (!name || name.length > 100) throw new DigestError('usage', 'an app password needs a name of 1 to 100 characters');
    const scope = p.scope ?? 'all';
    if (!SCOPES.has(scope)) throw new DigestError('usage', `app password scope must be all, greader or fever, not ${JSON.stringify(scope)}`);
    const row = await this.db.insertInto('app_passwords')
      .values({ user_id: userId, name, hash: p.hash, scope, created_at: p.createdAt ? requireIso(p.createdAt, 'createdAt') : new Date().toISOString(), fever_key: p.feverKey ?? null })
      .onConflict((oc) => oc.columns(['user_id', 'name']).doNothing())
      .returningAll().executeTakeFirst();
    if (!row) throw new DigestError('usage', `there is already an app password named ${JSON.stringify(name)}`);
    return toAppPassword(row);
  }

  async listAppPasswords(userId: number): Promise<AppPasswordRecord[]> {
    return (await this.db.selectFrom('app_passwords').select(['id', 'user_id', 'name', 'scope', 'created_at', 'last_used_at'])
      .where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute()).map(toAppPassword);
  }

  async findAppPassword(hash: string): Promise<AppPasswordRecord | null> {
    const r = await this.db.selectFrom('app_passwords').select(['id', 'user_id', 'name', 'scope', 'created_at', 'last_used_at'])
      .where('hash', '=', hash).executeTakeFirst();
    return r ? toAppPassword(r) : null;
  }

  async findAppPasswordByFeverKey(key: string): Promise<AppPasswordRecord | null> {
    const r = await this.db.selectFrom('app_passwords').select(['id', 'user_id', 'name', 'scope', 'created_at', 'last_used_at'])
      .where('fever_key', '=', key.toLowerCase()).executeTakeFirst();
    return r ? toAppPassword(r) : null;
  }

  async touchAppPassword(id: number, at: string): Promise<void> {
    await this.db.updateTable('app_passwords').set({ last_used_at: requireIso(at, 'at') }).where('id', '=', id).execute();
  }

  async revokeAppPassword(userId: number, id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('app_passwords').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // --- login throttling

  async recordLoginFailure(keys: string[], at: string): Promise<LoginAttempts[]> {
    const t = requireIso(at, 'at');
    if (keys.length === 0) return [];
    return this.tx(async (tx) => {
      const out: LoginAttempts[] = [];
      for (const key of [...new Set(keys)].sort()) {
        const r = await tx.db.insertInto('login_attempts').values({ key, failures: 1, last_at: t })
          .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ failures: eb('login_attempts.failures', '+', 1), last_at: t })))
          .returningAll().executeTakeFirstOrThrow();
        out.push(toAttempts(r));
      }
      return out;
    });
  }

  async loginAttempts(keys: string[]): Promise<LoginAttempts[]> {
    if (keys.length === 0) return [];
    return (await this.db.selectFrom('login_attempts').selectAll().where('key', 'in', keys).orderBy('key').execute()).map(toAttempts);
  }

  async clearLoginAttempts(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.deleteFrom('login_attempts').where('key', 'in', keys).execute();
  }

  async pruneLoginAttempts(before: string): Promise<number> {
    const b = normIso(before) ?? requireIso(before, 'before');
    const r = await this.db.deleteFrom('login_attempts').where('last_at', '<', b).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
