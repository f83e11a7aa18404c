// digest user add | passwd | remove | list, digest app-password add | list | revoke (declared in main.ts)
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { addUser, APP_SCOPES, checkNewPassword, createAppPassword, setPassword } from '../accounts/index.ts';
import { DigestError } from '../core/errors.ts';
import type { AppPasswordScope, Store, UserRecord } from '../store/types.ts';
import { openDatabase } from './app.ts';
import { configFrom, usage } from './context.ts';
import { table } from './progress.ts';

export interface UserAddOpts {
  admin?: boolean;
  passwordFile?: string;
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    process.stderr.write(question);
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    let value = '';
    const done = (err?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(new DigestError('usage', 'cancelled; no password was set'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}

/** The first line of a password file ("-": standard input). */
async function readPasswordFile(file: string): Promise<string> {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8').split(/\r?\n/)[0];
  } catch (e) {
    throw usage(`cannot read the password file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The new password: from --password-file (first line; "-" is standard input), else asked twice on the terminal. */
async function newPassword(file: string | undefined): Promise<string> {
  let pw: string;
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (e) {
      throw usage(`cannot read the password file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    pw = text.split(/\r?\n/)[0];
  } else {
    if (!process.stdin.isTTY) throw usage('no terminal to ask for the password on; give --password-file FILE (or - for standard input)');
    pw = await promptHidden('New password: ');
    checkNewPassword(pw);
    if ((await promptHidden('Repeat it: ')) !== pw) throw usage('the two passwords differ; nothing was changed');
  }
  checkNewPassword(pw);
  return pw;
}

async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openDatabase(configFrom(cmd));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function userNamed(store: Store, name: string): Promise<UserRecord> {
  const u = await store.getUserByName(name);
  if (!u) throw new DigestError('not_found', `there is no user named ${JSON.stringify(name)} (see digest user list)`);
  return u;
}

export async function userAdd(name: string, opts: UserAddOpts, cmd: Command): Promise<void> {
  const pw = await newPassword(opts.passwordFile);
  await withStore(cmd, async (store) => {
    const u = await addUser(store, name, pw, { admin: !!opts.admin });
    process.stdout.write(`added ${u.admin ? 'administrator' : 'user'} ${u.name}\n`);
  });
}

export async function userPasswd(name: string, opts: { passwordFile?: string }, cmd: Command): Promise<void> {
  await withStore(cmd, async (store) => {
    const u = await userNamed(store, name);
    const pw = await newPassword(opts.passwordFile);
    await setPassword(store, u.id, pw);
    process.stdout.write(`changed the password of ${u.name}; their sessions ended\n`);
  });
}

export async function userRemove(name: string, _o: unknown, cmd: Command): Promise<void> {
  await withStore(cmd, async (store) => {
    const u = await userNamed(store, name);
    await store.removeUser(u.id);
    process.stdout.write(`removed user ${u.name} (with their sessions and app passwords)\n`);
  });
}

export async function userList(opts: { json?: boolean }, cmd: Command): Promise<void> {
  await withStore(cmd, async (store) => {
    const users = await store.listUsers();
    if (opts.json) {
      process.stdout.write(JSON.stringify(users, null, 2) + '\n');
      return;
    }
    if (users.length === 0) {
      process.stdout.write('no users yet; add one with: digest user add NAME --admin\n');
      return;
    }
    process.stdout.write(table(['name', 'role', 'created'], users.map((u) => [u.name, u.admin ? 'admin' : 'reader', u.createdAt.slice(0, 16).replace('T', ' ')])) + '\n');
  });
}

export async function appPasswordAdd(user: string, name: string, opts: { scope?: string; passwordFile?: string }, cmd: Command): Promise<void> {
  const scope = (opts.scope ?? 'all') as AppPasswordScope;
  if (!APP_SCOPES.includes(scope)) throw usage(`--scope ${opts.scope}: use one of ${APP_SCOPES.join(', ')}`);
  const chosen = opts.passwordFile !== undefined ? await readPasswordFile(opts.passwordFile) : undefined;
  await withStore(cmd, async (store) => {
    const u = await userNamed(store, user);
    const { secret, record } = await createAppPassword(store, u.id, name, scope, new Date(), chosen);
    if (chosen !== undefined) {
      process.stdout.write(`added app password "${record.name}" for ${u.name} (scope ${record.scope})\n`);
      return;
    }
    process.stderr.write(`app password "${record.name}" for ${u.name} (scope ${record.scope}); it is shown only this once:\n`);
    process.stdout.write(secret + '\n');
  });
}

/** `digest user app-password add USER --label L [--password-file F] [--scope S]` (the form). */
export function userAppPasswordAdd(user: string, opts: { label?: string; scope?: string; passwordFile?: string }, cmd: Command): Promise<void> {
  if (!opts.label) throw usage('--label NAME is required: what the app password is for, e.g. --label phone');
  return appPasswordAdd(user, opts.label, opts, cmd);
}

export async function appPasswordList(user: string, opts: { json?: boolean }, cmd: Command): Promise<void> {
  await withStore(cmd, async (store) => {
    const u = await userNamed(store, user);
    const list = await store.listAppPasswords(u.id);
    if (opts.json) process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    else if (list.length === 0) process.stdout.write(`${u.name} has no app passwords\n`);
    else {
      const t = (s: string | null) => (s ? s.slice(0, 16).replace('T', ' ') : 'never');
      process.stdout.write(table(['id', 'name', 'scope', 'created', 'last used'], list.map((p) => [String(p.id), p.name, p.scope, t(p.createdAt), t(p.lastUsedAt)])) + '\n');
    }
  });
}

export async function appPasswordRevoke(user: string, ref: string, _o: unknown, cmd: Command): Promise<void> {
  await withStore(cmd, async (store) => {
    const u = await userNamed(store, user);
    const list = await store.listAppPasswords(u.id);
    const p = list.find((x) => String(x.id) === ref) ?? list.find((x) => x.name === ref);
    if (!p || !(await store.revokeAppPassword(u.id, p.id))) throw new DigestError('not_found', `${u.name} has no app password ${JSON.stringify(ref)} (see digest app-password list ${u.name})`);
    process.stdout.write(`revoked app password "${p.name}" of ${u.name}\n`);
  });
}
