// Sign-in, sign-out, the account page (app passwords, sessions, password) and the admin's
// user management. Every form carries the CSRF token; index.ts checks it before any POST
// reaches these handlers (the sign-in form's token is the pre-login double-submit cookie).
import type { IncomingMessage } from 'node:http';
import {
  addUser,
  APP_SCOPES,
  createAppPassword,
  newLoginCsrf,
  SESSION_COOKIE,
  setPassword,
  signIn,
  startSession,
  verifyPassword,
} from '../accounts/index.ts';
import { isDigestError } from '../core/errors.ts';
import type { AppPasswordScope } from '../store/types.ts';
import { clientAddress, LOGIN_CSRF_COOKIE, parseCookies, safeNext, setCookie, type Auth, type AuthOptions } from './auth.ts';
import type { RequestForm } from './form.ts';
import { dateTime } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { HttpError, intParam, pageOf, type Page, type PageContext } from './pages.ts';

const see = (location: string, headers?: Record<string, string | string[]>): Page => ({ status: 303, body: '', location, headers });

function notice(message: string | undefined, kind: 'ok' | 'error' = 'ok'): SafeHtml {
  if (!message) return html``;
  return kind === 'error' ? html`<p class="notice error" role="alert">${message}</p>` : html`<p class="notice" role="status">${message}</p>`;
}

const csrfField = (token: string) => html`<input type="hidden" name="csrf" value="${token}">`;

// ---------------------------------------------------------------- sign in / out

function loginCsrfOf(req: IncomingMessage): string | undefined {
  const v = parseCookies(req.headers.cookie).get(LOGIN_CSRF_COOKIE);
  return v && /^[A-Za-z0-9_-]{20,64}$/.test(v) ? v : undefined;
}

function loginPage(ctx: PageContext, o: { csrf: string; next: string; status: number; error?: string; username?: string; headers?: Record<string, string | string[]> }): Page {
  const body = html`<header class="page-header"><h1>Sign in</h1></header>
${notice(o.error, 'error')}
<form class="form" method="post" action="/login">
${csrfField(o.csrf)}
<input type="hidden" name="next" value="${o.next}">
<div><label for="login-username">User name</label>
<input id="login-username" type="text" name="username" value="${o.username ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" required></div>
<div><label for="login-password">Password</label>
<input id="login-password" type="password" name="password" autocomplete="current-password" required></div>
<div><button type="submit">Sign in</button></div>
</form>`;
  const page = pageOf(ctx, { title: 'Sign in', path: '/login', current: 'login', noindex: true }, body, o.status);
  return { ...page, headers: o.headers };
}

export function loginCsrfCookie(value: string, o: AuthOptions): string {
  return setCookie(LOGIN_CSRF_COOKIE, value, { maxAgeSec: 2 * 3600, path: '/login', secure: o.secure });
}

export function getLogin(ctx: PageContext, req: IncomingMessage, url: URL, auth: Auth, o: AuthOptions): Page {
  const next = safeNext(url.searchParams.get('next'));
  if (auth.viewer) {
    const body = html`<header class="page-header"><h1>Signed in</h1></header>
<p>You are signed in as <strong>${auth.viewer.name}</strong>.</p>
<p><a href="${next}">Continue</a> · <a href="/account">Your account</a></p>`;
    return pageOf(ctx, { title: 'Signed in', path: '/login', current: 'login', noindex: true }, body);
  }
  const have = loginCsrfOf(req);
  const token = have ?? newLoginCsrf();
  return loginPage(ctx, { csrf: token, next, status: 200, headers: have ? undefined : { 'Set-Cookie': loginCsrfCookie(token, o) } });
}

/** POST /login; the caller has checked the form's csrf against the pre-login cookie. */
export async function postLogin(ctx: PageContext, req: IncomingMessage, form: RequestForm, auth: Auth, o: AuthOptions): Promise<Page> {
  const f = form.fields;
  const username = (f.get('username') ?? '').trim();
  const password = f.get('password') ?? '';
  const next = safeNext(f.get('next'));
  const csrf = loginCsrfOf(req) ?? '';
  const r = await signIn(ctx.store, username, password, clientAddress(req), o.now(), o.throttle);
  if (!r.ok) {
    if (r.reason === 'throttled') {
      return loginPage(ctx, {
        csrf, next, username, status: 429, headers: { 'Retry-After': String(r.retryAfterSec) },
        error: `Too many failed attempts. Wait ${r.retryAfterSec} second${r.retryAfterSec === 1 ? '' : 's'} and try again.`,
      });
    }
    return loginPage(ctx, { csrf, next, username, status: 401, error: 'That user name and password do not match an account.' });
  }
  // A new session at every sign-in; the one this browser had (if any) ends.
  if (auth.session) await ctx.store.deleteSession(auth.session.user.id, auth.session.session.id);
  const { token } = await startSession(ctx.store, r.user.id, o.now(), o.sessions);
  // Sessions nobody presents again are deleted here (an expired one presented is deleted at once).
  const t = o.now().getTime();
  await ctx.store.pruneSessions(new Date(t).toISOString(), new Date(t - o.sessions.idleMs).toISOString());
  return see(next, {
    'Set-Cookie': [
      setCookie(SESSION_COOKIE, token, { maxAgeSec: o.sessions.absoluteMs / 1000, secure: o.secure }),
      setCookie(LOGIN_CSRF_COOKIE, '', { maxAgeSec: 0, path: '/login', secure: o.secure }),
    ],
  });
}

const clearSession = (o: AuthOptions) => setCookie(SESSION_COOKIE, '', { maxAgeSec: 0, secure: o.secure });

export async function postLogout(ctx: PageContext, auth: Auth, o: AuthOptions): Promise<Page> {
  if (auth.session) await ctx.store.deleteSession(auth.session.user.id, auth.session.session.id);
  return see('/', { 'Set-Cookie': clearSession(o) });
}

// ---------------------------------------------------------------- account page

function when(ctx: PageContext, iso: string | null): SafeHtml {
  return iso ? html`<time datetime="${iso}">${dateTime(iso, ctx.clock.timeZone)}</time>` : html`never`;
}

async function accountPage(ctx: PageContext, auth: Auth, o: { status?: number; message?: string; error?: string; secret?: { name: string; value: string } } = {}): Promise<Page> {
  const me = auth.viewer!;
  const [apps, sessions] = await Promise.all([ctx.store.listAppPasswords(me.id), ctx.store.listSessions(me.id)]);
  const current = auth.session?.session.id;
  const body = html`<header class="page-header"><p class="kicker">Account</p><h1>${me.name}</h1>${me.admin ? html`<p class="meta">Administrator · <a href="/admin/users">Manage users</a></p>` : ''}</header>
${notice(o.message)}${notice(o.error, 'error')}
${o.secret ? html`<section class="notice" aria-labelledby="new-secret"><h2 id="new-secret">New app password “${o.secret.name}”</h2>
<p>Copy it now: it is shown only this once.</p><p class="secret">${o.secret.value}</p></section>` : ''}
<section aria-labelledby="apps"><h2 id="apps">App passwords</h2>
<p>For reader apps and the API (<code>Authorization: Bearer …</code>, or HTTP basic with your user name). Revoke one to lock its app out.</p>
${apps.length
    ? html`<table class="data-table"><thead><tr><th scope="col">Name</th><th scope="col">Scope</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody>
${apps.map((a) => html`<tr><td>${a.name}</td><td>${a.scope}</td><td>${when(ctx, a.createdAt)}</td><td>${when(ctx, a.lastUsedAt)}</td>
<td><form method="post" action="/account/app-passwords/${a.id}/revoke">${csrfField(auth.csrf)}<button type="submit">Revoke<span class="visually-hidden"> ${a.name}</span></button></form></td></tr>`)}
</tbody></table>`
    : html`<p>No app passwords yet.</p>`}
<form class="form" method="post" action="/account/app-passwords">
${csrfField(auth.csrf)}
<div><label for="app-name">Name</label><input id="app-name" type="text" name="name" maxlength="100" required placeholder="e.g. Phone reader"></div>
<div><label for="app-scope">Allowed API</label><select id="app-scope" name="scope">${APP_SCOPES.map((s) => html`<option value="${s}">${s === 'all' ? 'all (JSON API and sync APIs)' : s === 'greader' ? 'greader (Google Reader API only)' : 'fever (Fever API only)'}</option>`)}</select></div>
<div><button type="submit">Create app password</button></div>
</form></section>
<section aria-labelledby="my-feeds"><h2 id="my-feeds">My feeds</h2>
<p>Your own articles as a feed, for any feed reader: your subscriptions without what your rules hid and without copies, newest first.
The reader signs in with HTTP basic auth: your user name (${me.name}) and an app password of scope <code>all</code> (create one above); in this browser your session is enough.</p>
<ul>
<li>RSS: <code>${ctx.baseUrl}/my/feed.rss</code></li>
<li>Atom: <code>${ctx.baseUrl}/my/feed.atom</code></li>
<li>JSON Feed: <code>${ctx.baseUrl}/my/feed.json</code></li>
</ul>
<p class="meta">Add <code>?unread=1</code> (unread only), <code>?starred=1</code> (starred) or <code>?folder=NAME</code> (one folder); they combine.</p></section>
<section aria-labelledby="sessions"><h2 id="sessions">Sessions</h2>
<p>You are signed in ${sessions.length === 1 ? 'in one place' : `in ${sessions.length} places`}.</p>
<table class="data-table"><thead><tr><th scope="col">Signed in</th><th scope="col">Last seen</th><th scope="col">Ends</th></tr></thead><tbody>
${sessions.map((s) => html`<tr><td>${when(ctx, s.createdAt)}${s.id === current ? html` (this browser)` : ''}</td><td>${when(ctx, s.lastSeenAt)}</td><td>${when(ctx, s.expiresAt)}</td></tr>`)}
</tbody></table>
<form method="post" action="/account/sessions/end-all">${csrfField(auth.csrf)}<button type="submit">Sign out everywhere</button></form>
</section>
<section aria-labelledby="password"><h2 id="password">Change password</h2>
<form class="form" method="post" action="/account/password">
${csrfField(auth.csrf)}
<input type="text" name="username" value="${me.name}" autocomplete="username" hidden>
<div><label for="pw-current">Current password</label><input id="pw-current" type="password" name="current" autocomplete="current-password" required></div>
<div><label for="pw-new">New password (at least 8 characters)</label><input id="pw-new" type="password" name="password" autocomplete="new-password" minlength="8" required></div>
<div><label for="pw-repeat">New password again</label><input id="pw-repeat" type="password" name="repeat" autocomplete="new-password" minlength="8" required></div>
<div><button type="submit">Change password</button></div>
</form>
<p class="meta">Other sessions end when the password changes.</p></section>`;
  return pageOf(ctx, { title: 'Account', path: '/account', current: 'account', noindex: true }, body, o.status ?? 200);
}

const usageMessage = (e: unknown): string | null => (isDigestError(e) && (e.kind === 'usage' || e.kind === 'not_found') ? e.message.replace(/^./, (c) => c.toUpperCase()) + '.' : null);

/** /account and /admin/users routes (GET and POST); null when the path is not one of them. */
export async function accountRoute(ctx: PageContext, req: IncomingMessage, url: URL, form: RequestForm, auth: Auth, o: AuthOptions): Promise<Page | null> {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const post = req.method === 'POST';
  if (path !== '/account' && !path.startsWith('/account/') && path !== '/admin/users' && !path.startsWith('/admin/users/')) return null;
  if (!auth.viewer) {
    if (post) throw new HttpError(403, 'Sign in first.');
    return see(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  const me = auth.viewer;
  const f = form.fields;
  let m: RegExpExecArray | null;

  if (path === '/account') {
    if (post) throw new HttpError(405, 'POST is not allowed here.');
    const done = url.searchParams.get('done');
    return accountPage(ctx, auth, { message: done === 'password' ? 'Your password was changed.' : done === 'revoked' ? 'The app password was revoked.' : undefined });
  }
  if (path.startsWith('/account/') && !post) throw new HttpError(405, 'GET is not allowed here; use the forms on your account page.');
  if (path === '/account/app-passwords') {
    const scope = (f.get('scope') ?? 'all') as AppPasswordScope;
    try {
      const { secret, record } = await createAppPassword(ctx.store, me.id, f.get('name') ?? '', scope, o.now());
      return accountPage(ctx, auth, { secret: { name: record.name, value: secret } });
    } catch (e) {
      const msg = usageMessage(e);
      if (msg) return accountPage(ctx, auth, { status: 400, error: msg });
      throw e;
    }
  }
  if ((m = /^\/account\/app-passwords\/([^/]+)\/revoke$/.exec(path))) {
    if (!(await ctx.store.revokeAppPassword(me.id, intParam(m[1], 'app password id', true)))) throw new HttpError(404, 'You have no app password with that id.');
    return see('/account?done=revoked');
  }
  if (path === '/account/sessions/end-all') {
    await ctx.store.deleteUserSessions(me.id);
    return see('/login', { 'Set-Cookie': clearSession(o) });
  }
  if (path === '/account/password') {
    const stored = await ctx.store.passwordHash(me.id);
    if (!stored || !(await verifyPassword(f.get('current') ?? '', stored))) return accountPage(ctx, auth, { status: 400, error: 'The current password is not right.' });
    if ((f.get('password') ?? '') !== (f.get('repeat') ?? '')) return accountPage(ctx, auth, { status: 400, error: 'The two new passwords differ.' });
    try {
      await setPassword(ctx.store, me.id, f.get('password') ?? '', auth.session?.session.id);
    } catch (e) {
      const msg = usageMessage(e);
      if (msg) return accountPage(ctx, auth, { status: 400, error: msg });
      throw e;
    }
    return see('/account?done=password');
  }

  // --- admin
  if (!me.admin) throw new HttpError(403, 'Only administrators manage users.');
  if (path === '/admin/users') {
    if (!post) return usersPage(ctx, auth, { message: doneMessage(url.searchParams.get('done')) });
    try {
      await addUser(ctx.store, (f.get('name') ?? '').trim(), f.get('password') ?? '', { admin: f.get('admin') === 'on' });
    } catch (e) {
      const msg = usageMessage(e);
      if (msg) return usersPage(ctx, auth, { status: 400, error: msg });
      throw e;
    }
    return see('/admin/users?done=added');
  }
  if (!post) throw new HttpError(405, 'GET is not allowed here; use the forms on the users page.');
  if ((m = /^\/admin\/users\/([^/]+)\/(admin|password|remove)$/.exec(path))) {
    const user = await ctx.store.getUser(intParam(m[1], 'user id', true));
    if (!user) throw new HttpError(404, 'There is no user with that id.');
    if (m[2] === 'admin') {
      const admin = f.get('admin') === '1';
      if (!admin && user.admin && (await ctx.store.countUsers({ admin: true })) <= 1) return usersPage(ctx, auth, { status: 400, error: 'The last administrator stays an administrator.' });
      await ctx.store.updateUser(user.id, { admin });
      return see('/admin/users?done=updated');
    }
    if (m[2] === 'password') {
      try {
        await setPassword(ctx.store, user.id, f.get('password') ?? '', user.id === me.id ? auth.session?.session.id : undefined);
      } catch (e) {
        const msg = usageMessage(e);
        if (msg) return usersPage(ctx, auth, { status: 400, error: msg });
        throw e;
      }
      return see('/admin/users?done=password');
    }
    if (user.admin && (await ctx.store.countUsers({ admin: true })) <= 1) return usersPage(ctx, auth, { status: 400, error: 'The last administrator cannot be removed.' });
    await ctx.store.removeUser(user.id);
    return user.id === me.id ? see('/', { 'Set-Cookie': clearSession(o) }) : see('/admin/users?done=removed');
  }
  throw new HttpError(404, `Nothing lives at ${path}.`);
}

function doneMessage(done: string | null): string | undefined {
  return ({ added: 'The user was added.', updated: 'The user was updated.', password: 'The password was reset; their sessions ended.', removed: 'The user was removed.' } as Record<string, string>)[done ?? ''];
}

async function usersPage(ctx: PageContext, auth: Auth, o: { status?: number; message?: string; error?: string } = {}): Promise<Page> {
  const users = await ctx.store.listUsers();
  const c = auth.csrf;
  const body = html`<header class="page-header"><p class="kicker">Administration</p><h1>Users</h1></header>
${notice(o.message)}${notice(o.error, 'error')}
<table class="data-table"><thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody>
${users.map((u) => html`<tr><th scope="row">${u.name}</th><td>${u.admin ? 'administrator' : 'reader'}</td><td>${when(ctx, u.createdAt)}</td><td>
<form method="post" action="/admin/users/${u.id}/admin">${csrfField(c)}<input type="hidden" name="admin" value="${u.admin ? '0' : '1'}"><button type="submit">${u.admin ? 'Make reader' : 'Make admin'}<span class="visually-hidden">: ${u.name}</span></button></form>
<form method="post" action="/admin/users/${u.id}/password">${csrfField(c)}<label class="visually-hidden" for="reset-${u.id}">New password for ${u.name}</label><input id="reset-${u.id}" type="password" name="password" autocomplete="new-password" minlength="8" required placeholder="New password"><button type="submit">Reset password<span class="visually-hidden"> of ${u.name}</span></button></form>
<form method="post" action="/admin/users/${u.id}/remove">${csrfField(c)}<button type="submit">Remove<span class="visually-hidden"> ${u.name}</span></button></form>
</td></tr>`)}
</tbody></table>
<h2 id="add-user">Add a user</h2>
<form class="form" method="post" action="/admin/users" aria-labelledby="add-user">
${csrfField(c)}
<div><label for="new-name">User name</label><input id="new-name" type="text" name="name" autocomplete="off" autocapitalize="none" spellcheck="false" required></div>
<div><label for="new-password">Password (at least 8 characters)</label><input id="new-password" type="password" name="password" autocomplete="new-password" minlength="8" required></div>
<div><label class="check"><input type="checkbox" name="admin"> Administrator</label></div>
<div><button type="submit">Add user</button></div>
</form>`;
  return pageOf(ctx, { title: 'Users', path: '/admin/users', current: 'admin', noindex: true }, body, o.status ?? 200);
}
