// Web tests of accounts: sign-in/out, cookies, CSRF, open redirects, throttling, session
// expiry, app passwords on the account page and the API, web.public, admin user management,
// who may see and change what, and that GET never writes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { KyselyStore } from '../store/index.ts';
import { addUser } from '../accounts/index.ts';
import { createWebApp, type WebAppOptions } from './index.ts';
import { FIXTURE_NOW, seedStore, type Fixture } from '../../test/helpers/web.ts';
import { webSignIn } from '../../test/helpers/accounts.ts';
import { openTestStore, tableSnapshot, type TestStore } from '../../test/helpers/dialect.ts';

interface Res {
  status: number;
  headers: Headers;
  body: string;
  cookies: string[];
}

const DAY = 24 * 3600_000;
let t: TestStore;
let store: KyselyStore;
let fx: Fixture;
let now = FIXTURE_NOW;
const servers: { close(): Promise<void> }[] = [];
let pub: string; // web.public: true
let priv: string; // web.public: false

async function serve(o: Partial<WebAppOptions> = {}): Promise<string> {
  const app = createWebApp({ store, siteTitle: 'Test Digest', timeZone: 'UTC', now: () => now, ...o });
  const srv = await app.listen(0, '127.0.0.1');
  servers.push(srv);
  return srv.url;
}

async function req(base: string, method: string, path: string, o: { cookie?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.cookie) headers.cookie = o.cookie;
  let body: string | undefined;
  if (o.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(o.form).toString();
  }
  const r = await fetch(base + path, { method, headers, body, redirect: 'manual' });
  return { status: r.status, headers: r.headers, body: await r.text(), cookies: r.headers.getSetCookie() };
}

const cookieValue = (cookies: string[], name: string) => {
  const c = cookies.find((x) => x.startsWith(name + '='));
  return c ? c.slice(name.length + 1).split(';')[0] : undefined;
};
const csrfIn = (body: string) => /name="csrf" value="([^"]*)"/.exec(body)?.[1] ?? '';

/** Signs in through the form; returns the session cookie header and the page's CSRF token. */
async function login(base: string, username: string, password: string, next?: string): Promise<{ cookie: string; csrf: string; res: Res }> {
  const form = await req(base, 'GET', '/login');
  const pre = cookieValue(form.cookies, 'digest_login_csrf')!;
  const res = await req(base, 'POST', '/login', { cookie: `digest_login_csrf=${pre}`, form: { username, password, csrf: csrfIn(form.body), ...(next ? { next } : {}) } });
  assert.equal(res.status, 303, res.body);
  const token = cookieValue(res.cookies, 'digest_session')!;
  const cookie = `digest_session=${token}`;
  const page = await req(base, 'GET', '/account', { cookie });
  return { cookie, csrf: csrfIn(page.body), res };
}

/** Every row of every table (the FTS index's own tables left out: they follow articles). */
const snapshot = (): Promise<string> => tableSnapshot(t);

before(async () => {
  t = await openTestStore('digest-web-accounts');
  store = t.store;
  fx = await seedStore(store);
  await addUser(store, 'Alice', 'alice password', { admin: true });
  await addUser(store, 'bob', 'bob password');
  pub = await serve();
  priv = await serve({ public: false });
});

after(async () => {
  for (const s of servers) await s.close();
  await t.dispose();
});

describe('sign in and out', () => {
  test('GET /login: a form with username, password and a hidden csrf; the pre-login cookie is HttpOnly, SameSite=Lax', async () => {
    const r = await req(pub, 'GET', '/login');
    assert.equal(r.status, 200);
    assert.match(r.body, /<input id="login-username" type="text" name="username"/);
    assert.match(r.body, /<input id="login-password" type="password" name="password"/);
    const pre = r.cookies.find((c) => c.startsWith('digest_login_csrf='))!;
    assert.match(pre, /HttpOnly/);
    assert.match(pre, /SameSite=Lax/);
    assert.equal(csrfIn(r.body), cookieValue(r.cookies, 'digest_login_csrf'));
    assert.match(r.body, /href="\/login"[^>]*>Sign in</, 'the header offers sign-in');
  });

  test('POST /login: 303 to next with a new HttpOnly SameSite=Lax Path=/ cookie; the store keeps only its hash', async () => {
    const { res, cookie } = await login(pub, 'alice', 'alice password', '/stories/1?x=1');
    assert.equal(res.headers.get('location'), '/stories/1?x=1');
    const set = res.cookies.find((c) => c.startsWith('digest_session='))!;
    assert.match(set, /; Path=\/;/);
    assert.match(set, /HttpOnly/);
    assert.match(set, /SameSite=Lax/);
    assert.doesNotMatch(set, /Secure/, 'plain http: no Secure');
    const token = cookie.split('=')[1];
    assert.ok(await store.getSession(createHash('sha256').update(token).digest('hex')));
    assert.equal(await store.getSession(token), null);
    const home = await req(pub, 'GET', '/', { cookie });
    assert.match(home.body, /<a href="\/account"><span class="visually-hidden">Account: <\/span>Alice<\/a>/);
    assert.match(home.body, /<form class="inline-form" method="post" action="\/logout"><input type="hidden" name="csrf" value="[A-Za-z0-9_-]{43}">/);
    assert.equal(home.headers.get('cache-control'), 'private, no-cache');
  });

  test('a wrong password and an unknown user get the same 401 with the form again', async () => {
    const form = await req(pub, 'GET', '/login');
    const pre = cookieValue(form.cookies, 'digest_login_csrf')!;
    const attempt = (username: string) =>
      req(pub, 'POST', '/login', { cookie: `digest_login_csrf=${pre}`, form: { username, password: 'not it at all', csrf: pre }, headers: { 'x-forwarded-for': '1' } });
    const a = await attempt('bob');
    const b = await attempt('nobody');
    assert.equal(a.status, 401);
    assert.equal(b.status, 401);
    assert.equal(a.cookies.length, 0);
    const msg = (r: Res) => /<p class="notice error" role="alert">([^<]*)<\/p>/.exec(r.body)?.[1];
    assert.equal(msg(a), 'That user name and password do not match an account.');
    assert.equal(msg(b), msg(a));
    assert.match(a.body, /name="password"/);
    await store.clearLoginAttempts(['user:bob', 'user:nobody']);
  });

  test('POST /login without the pre-login token, or with another, is refused (403) and signs nobody in', async () => {
    const before = (await store.listSessions(2)).length;
    const form = await req(pub, 'GET', '/login');
    const pre = cookieValue(form.cookies, 'digest_login_csrf')!;
    const cases: { cookie?: string; form: Record<string, string> }[] = [
      { form: { username: 'bob', password: 'bob password' } },
      { cookie: `digest_login_csrf=${pre}`, form: { username: 'bob', password: 'bob password' } },
      { cookie: `digest_login_csrf=${pre}`, form: { username: 'bob', password: 'bob password', csrf: 'x' + pre.slice(1) } },
      { form: { username: 'bob', password: 'bob password', csrf: pre } },
    ];
    for (const o of cases) {
      const r = await req(pub, 'POST', '/login', o);
      assert.equal(r.status, 403);
      assert.equal(cookieValue(r.cookies, 'digest_session'), undefined);
    }
    assert.equal((await store.listSessions(2)).length, before);
  });

  test('next is only ever a same-site path (no open redirect)', async () => {
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)', ' //evil.example', '/\t/evil.example', 'http:evil.example', '/login']) {
      const { res } = await login(pub, 'bob', 'bob password', next);
      assert.equal(res.headers.get('location'), '/', JSON.stringify(next));
    }
    const { res } = await login(pub, 'bob', 'bob password', '/search?q=%2F%2Fevil');
    assert.equal(res.headers.get('location'), '/search?q=%2F%2Fevil');
    const page = await req(pub, 'GET', '/login?next=https%3A%2F%2Fevil.example');
    assert.match(page.body, /name="next" value="\/"/);
  });

  test('a sign-in always starts a new session and ends the one the browser had', async () => {
    const first = await login(pub, 'bob', 'bob password');
    const form = await req(pub, 'GET', '/login');
    const pre = cookieValue(form.cookies, 'digest_login_csrf')!;
    const again = await req(pub, 'POST', '/login', { cookie: `${first.cookie}; digest_login_csrf=${pre}`, form: { username: 'bob', password: 'bob password', csrf: pre } });
    const token = cookieValue(again.cookies, 'digest_session')!;
    assert.ok(token && `digest_session=${token}` !== first.cookie);
    assert.equal(await store.getSession(createHash('sha256').update(first.cookie.split('=')[1]).digest('hex')), null);
  });

  test('Secure cookies when web.baseUrl is https', async () => {
    const https = await serve({ baseUrl: 'https://digest.example' });
    const r = await req(https, 'GET', '/login');
    assert.match(r.cookies[0], /; Secure/);
    const { res } = await login(https, 'bob', 'bob password');
    assert.match(res.cookies.find((c) => c.startsWith('digest_session='))!, /; Secure/);
  });

  test('POST /logout ends the session only with the CSRF token', async () => {
    const { cookie, csrf } = await login(pub, 'bob', 'bob password');
    const hash = createHash('sha256').update(cookie.split('=')[1]).digest('hex');
    assert.equal((await req(pub, 'POST', '/logout', { cookie, form: {} })).status, 403);
    assert.equal((await req(pub, 'POST', '/logout', { cookie, form: { csrf: 'nope' } })).status, 403);
    assert.ok(await store.getSession(hash));
    assert.equal((await req(pub, 'GET', '/logout', { cookie })).status, 405);
    const out = await req(pub, 'POST', '/logout', { cookie, form: { csrf } });
    assert.equal(out.status, 303);
    assert.match(out.cookies[0], /^digest_session=; Path=\/; Max-Age=0/);
    assert.equal(await store.getSession(hash), null);
    assert.match((await req(pub, 'GET', '/', { cookie })).body, />Sign in</);
  });
});

describe('throttling and expiry', () => {
  test('failed sign-ins wait longer each time (429 + Retry-After), for unknown accounts alike, per address too', async () => {
    const form = await req(pub, 'GET', '/login');
    const pre = cookieValue(form.cookies, 'digest_login_csrf')!;
    const attempt = (username: string, password = 'wrong password') =>
      req(pub, 'POST', '/login', { cookie: `digest_login_csrf=${pre}`, form: { username, password, csrf: pre } });
    const saved = now;
    try {
      for (const name of ['bob', 'nobody-here']) {
        await store.db.deleteFrom('login_attempts').execute();
        now = new Date(saved.getTime());
        const afters: string[] = [];
        for (let i = 0; i < 3; i++) assert.equal((await attempt(name)).status, 401);
        for (let i = 0; i < 3; i++) {
          const r = await attempt(name, name === 'bob' ? 'bob password' : 'x');
          assert.equal(r.status, 429, 'even the right password waits');
          assert.match(r.body, /Too many failed attempts/);
          afters.push(r.headers.get('retry-after')!);
          now = new Date(now.getTime() + Number(afters.at(-1)) * 1000);
          assert.equal((await attempt(name)).status, 401, 'after the wait it is checked again');
        }
        assert.deepEqual(afters, ['1', '2', '4'], name);
      }
      // the right password after the wait signs in and clears the account's count
      now = new Date(now.getTime() + 60_000);
      await store.clearLoginAttempts(['ip:127.0.0.1']);
      const ok = await attempt('bob', 'bob password');
      assert.equal(ok.status, 303);
      assert.deepEqual(await store.loginAttempts(['user:bob']), []);
      // per address: many names from one address
      for (let i = 0; i < 10; i++) assert.equal((await attempt(`user${i}`)).status, 401);
      assert.equal((await attempt('someone-else')).status, 429);
    } finally {
      now = saved;
      await store.db.deleteFrom('login_attempts').execute();
    }
  });

  test('sessions end after 14 idle days and 60 days after sign-in (injected clock)', async () => {
    const saved = now;
    try {
      const { cookie } = await login(pub, 'bob', 'bob password');
      const signedIn = async () => /Account: <\/span>bob/.test((await req(pub, 'GET', '/', { cookie })).body);
      for (let d = 13; d < 60; d += 13) {
        now = new Date(saved.getTime() + d * DAY);
        assert.equal(await signedIn(), true, `day ${d}`);
      }
      now = new Date(saved.getTime() + 60 * DAY);
      assert.equal(await signedIn(), false, 'absolute expiry');
      now = saved;
      const idle = await login(pub, 'bob', 'bob password');
      now = new Date(saved.getTime() + 14 * DAY);
      assert.doesNotMatch((await req(pub, 'GET', '/', { cookie: idle.cookie })).body, /Account: <\/span>bob/, 'idle expiry');
      // sessions never presented again are deleted at the next sign-in of anyone
      const forgotten = await login(pub, 'bob', 'bob password');
      const hash = createHash('sha256').update(forgotten.cookie.split('=')[1]).digest('hex');
      now = new Date(saved.getTime() + 30 * DAY);
      await login(pub, 'alice', 'alice password');
      assert.equal(await store.getSession(hash), null);
    } finally {
      now = saved;
    }
  });
});

describe('account page and app passwords', () => {
  test('anonymous visitors are sent to sign in; the page lists only the viewer’s own', async () => {
    const r = await req(pub, 'GET', '/account');
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/login?next=%2Faccount');
  });

  test('create shows the secret once; list shows name, scope, dates, never the secret; the secret opens the API', async () => {
    const a = await login(pub, 'alice', 'alice password');
    const created = await req(pub, 'POST', '/account/app-passwords', { cookie: a.cookie, form: { csrf: a.csrf, name: 'Phone', scope: 'all' } });
    assert.equal(created.status, 200);
    const secret = /<p class="secret">([^<]+)<\/p>/.exec(created.body)![1];
    assert.match(secret, /^dgap_/);
    const page = await req(pub, 'GET', '/account', { cookie: a.cookie });
    assert.ok(!page.body.includes(secret), 'shown only once');
    assert.match(page.body, /<td>Phone<\/td><td>all<\/td>/);
    assert.match(page.body, /<td>never<\/td>/);
    // private site: the API with the app password (bearer, basic with the right name)
    assert.equal((await req(priv, 'GET', '/api/articles')).status, 401);
    assert.equal((await req(priv, 'GET', '/api/articles', { headers: { authorization: `Bearer ${secret}` } })).status, 200);
    const basic = (u: string, p: string) => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');
    assert.equal((await req(priv, 'GET', '/api/articles', { headers: { authorization: basic('alice', secret) } })).status, 200);
    assert.equal((await req(priv, 'GET', '/api/articles', { headers: { authorization: basic('bob', secret) } })).status, 401, "alice's secret is not bob's");
    assert.equal((await req(priv, 'GET', '/feed.rss', { headers: { authorization: basic('alice', secret) } })).status, 200);
    assert.equal((await req(pub, 'GET', '/api/articles', { headers: { authorization: 'Bearer wrong' } })).status, 401, 'bad credentials are refused even on a public site');
    const listed = (await store.listAppPasswords(1)).find((p) => p.name === 'Phone')!;
    assert.ok(listed.lastUsedAt, 'last use noted');
    // a fever-only app password does not open the JSON API
    const fever = await req(pub, 'POST', '/account/app-passwords', { cookie: a.cookie, form: { csrf: a.csrf, name: 'Fever app', scope: 'fever' } });
    const fsecret = /<p class="secret">([^<]+)<\/p>/.exec(fever.body)![1];
    assert.equal((await req(priv, 'GET', '/api/articles', { headers: { authorization: `Bearer ${fsecret}` } })).status, 401);
    // duplicate name: 400 with the form, nothing new
    const dup = await req(pub, 'POST', '/account/app-passwords', { cookie: a.cookie, form: { csrf: a.csrf, name: 'Phone' } });
    assert.equal(dup.status, 400);
    assert.match(dup.body, /already an app password named/);

    // bob sees none of them and cannot revoke alice's
    const b = await login(pub, 'bob', 'bob password');
    const bobPage = await req(pub, 'GET', '/account', { cookie: b.cookie });
    assert.doesNotMatch(bobPage.body, /<td>Phone<\/td>/);
    assert.match(bobPage.body, /No app passwords yet/);
    const nope = await req(pub, 'POST', `/account/app-passwords/${listed.id}/revoke`, { cookie: b.cookie, form: { csrf: b.csrf } });
    assert.equal(nope.status, 404);
    assert.ok(await store.findAppPassword(createHash('sha256').update(secret).digest('hex')));
    // alice's CSRF token with bob's session changes nothing
    assert.equal((await req(pub, 'POST', `/account/app-passwords/${listed.id}/revoke`, { cookie: b.cookie, form: { csrf: a.csrf } })).status, 403);
    // alice revokes it: the API refuses it at once
    const rev = await req(pub, 'POST', `/account/app-passwords/${listed.id}/revoke`, { cookie: a.cookie, form: { csrf: a.csrf } });
    assert.equal(rev.status, 303);
    assert.equal((await req(priv, 'GET', '/api/articles', { headers: { authorization: `Bearer ${secret}` } })).status, 401);
  });

  test('sign out everywhere ends every session of the user and no one else’s', async () => {
    const a1 = await login(pub, 'alice', 'alice password');
    const a2 = await login(pub, 'alice', 'alice password');
    const b = await login(pub, 'bob', 'bob password');
    const r = await req(pub, 'POST', '/account/sessions/end-all', { cookie: a1.cookie, form: { csrf: a1.csrf } });
    assert.equal(r.status, 303);
    assert.equal((await store.listSessions(1)).length, 0);
    assert.equal((await req(pub, 'GET', '/account', { cookie: a2.cookie })).status, 303, 'the other session is gone too');
    assert.equal((await req(pub, 'GET', '/account', { cookie: b.cookie })).status, 200);
  });

  test('changing the password needs the current one, keeps this session and ends the others', async () => {
    const c1 = await login(pub, 'bob', 'bob password');
    const c2 = await login(pub, 'bob', 'bob password');
    const wrong = await req(pub, 'POST', '/account/password', { cookie: c1.cookie, form: { csrf: c1.csrf, current: 'guess', password: 'new bob password', repeat: 'new bob password' } });
    assert.equal(wrong.status, 400);
    const short = await req(pub, 'POST', '/account/password', { cookie: c1.cookie, form: { csrf: c1.csrf, current: 'bob password', password: 'short', repeat: 'short' } });
    assert.equal(short.status, 400);
    assert.match(short.body, /too short/);
    const ok = await req(pub, 'POST', '/account/password', { cookie: c1.cookie, form: { csrf: c1.csrf, current: 'bob password', password: 'new bob password', repeat: 'new bob password' } });
    assert.equal(ok.status, 303);
    assert.equal((await req(pub, 'GET', '/account', { cookie: c1.cookie })).status, 200);
    assert.equal((await req(pub, 'GET', '/account', { cookie: c2.cookie })).status, 303);
    await login(pub, 'bob', 'new bob password');
    const again = await login(pub, 'bob', 'new bob password');
    await req(pub, 'POST', '/account/password', { cookie: again.cookie, form: { csrf: again.csrf, current: 'new bob password', password: 'bob password', repeat: 'bob password' } });
  });
});

describe('web.public: false', () => {
  test('anonymous pages go to /login?next=…, the API and feeds answer 401; /healthz, /static/, /login stay open', async () => {
    for (const p of ['/', `/articles/${fx.articles.bridge}`, `/stories/${fx.stories.envoys}`, '/sources', '/search?q=envoys']) {
      const r = await req(priv, 'GET', p);
      assert.equal(r.status, 303, p);
      assert.equal(r.headers.get('location'), `/login?next=${encodeURIComponent(p)}`);
      assert.doesNotMatch(r.body, /envoy/i);
    }
    const api = await req(priv, 'GET', '/api/stories');
    assert.equal(api.status, 401);
    assert.equal(JSON.parse(api.body).error.status, 401);
    assert.match(api.headers.get('www-authenticate')!, /^Basic/);
    for (const f of ['/feed.rss', '/feed.atom', '/feed.json']) assert.equal((await req(priv, 'GET', f)).status, 401, f);
    assert.equal((await req(priv, 'GET', '/healthz')).status, 200);
    assert.equal((await req(priv, 'GET', '/static/site.css')).status, 200);
    assert.equal((await req(priv, 'GET', '/login')).status, 200);
    const { cookie } = await webSignIn(priv, 'bob', 'bob password');
    const home = await req(priv, 'GET', '/', { cookie });
    assert.equal(home.status, 200);
    assert.equal((await req(priv, 'GET', '/api/stories', { cookie })).status, 200);
    assert.equal((await req(priv, 'GET', '/feed.rss', { cookie })).headers.get('cache-control'), 'private, max-age=300');
  });

  test('web.public: true keeps the shared digest readable without signing in', async () => {
    for (const p of ['/', `/articles/${fx.articles.bridge}`, `/stories/${fx.stories.envoys}`, '/sources', '/search?q=envoys', '/feed.rss', '/api/stories']) {
      assert.equal((await req(pub, 'GET', p)).status, 200, p);
    }
  });
});

describe('admins manage users', () => {
  test('anonymous → sign in, readers → 403, admins list, add, promote, reset and remove', async () => {
    assert.equal((await req(pub, 'GET', '/admin/users')).status, 303);
    const b = await login(pub, 'bob', 'bob password');
    assert.equal((await req(pub, 'GET', '/admin/users', { cookie: b.cookie })).status, 403);
    const before = await store.listUsers();
    const denied = await req(pub, 'POST', '/admin/users', { cookie: b.cookie, form: { csrf: b.csrf, name: 'mallory', password: 'mallory password', admin: 'on' } });
    assert.equal(denied.status, 403);
    assert.equal((await req(pub, 'POST', '/admin/users/2/admin', { cookie: b.cookie, form: { csrf: b.csrf, admin: '1' } })).status, 403);
    assert.deepEqual(await store.listUsers(), before);

    const a = await login(pub, 'alice', 'alice password');
    const list = await req(pub, 'GET', '/admin/users', { cookie: a.cookie });
    assert.equal(list.status, 200);
    assert.match(list.body, /<th scope="row">Alice<\/th><td>administrator<\/td>/);
    assert.match(list.body, /<th scope="row">bob<\/th><td>reader<\/td>/);
    const add = await req(pub, 'POST', '/admin/users', { cookie: a.cookie, form: { csrf: a.csrf, name: 'carol', password: 'carol password' } });
    assert.equal(add.status, 303);
    const carol = (await store.getUserByName('carol'))!;
    assert.equal(carol.admin, false);
    const short = await req(pub, 'POST', '/admin/users', { cookie: a.cookie, form: { csrf: a.csrf, name: 'dave', password: 'short' } });
    assert.equal(short.status, 400);
    assert.equal(await store.getUserByName('dave'), null);
    assert.equal((await req(pub, 'POST', '/admin/users', { cookie: a.cookie, form: { csrf: a.csrf, name: 'CAROL', password: 'carol password' } })).status, 400);
    await req(pub, 'POST', `/admin/users/${carol.id}/admin`, { cookie: a.cookie, form: { csrf: a.csrf, admin: '1' } });
    assert.equal((await store.getUser(carol.id))?.admin, true);
    const c = await login(pub, 'carol', 'carol password');
    await req(pub, 'POST', `/admin/users/${carol.id}/password`, { cookie: a.cookie, form: { csrf: a.csrf, password: 'reset password' } });
    assert.equal((await req(pub, 'GET', '/account', { cookie: c.cookie })).status, 303, 'a reset ends their sessions');
    await login(pub, 'carol', 'reset password');
    await req(pub, 'POST', `/admin/users/${carol.id}/admin`, { cookie: a.cookie, form: { csrf: a.csrf, admin: '0' } });
    assert.equal((await store.getUser(carol.id))?.admin, false);
    assert.equal((await req(pub, 'POST', `/admin/users/${carol.id}/remove`, { cookie: a.cookie, form: { csrf: a.csrf } })).status, 303);
    assert.equal(await store.getUser(carol.id), null);
    // the last administrator stays
    const last = await req(pub, 'POST', '/admin/users/1/remove', { cookie: a.cookie, form: { csrf: a.csrf } });
    assert.equal(last.status, 400);
    assert.equal((await req(pub, 'POST', '/admin/users/1/admin', { cookie: a.cookie, form: { csrf: a.csrf, admin: '0' } })).status, 400);
    assert.equal((await store.getUser(1))?.admin, true);
  });
});

describe('CSRF and GET', () => {
  test('no state-changing form works without its CSRF token: 403 and the store is unchanged', async () => {
    const a = await login(pub, 'alice', 'alice password');
    const b = await login(pub, 'bob', 'bob password');
    const snap = await snapshot();
    const posts: [string, Record<string, string>][] = [
      ['/logout', {}],
      ['/account/app-passwords', { name: 'x' }],
      ['/account/app-passwords/1/revoke', {}],
      ['/account/sessions/end-all', {}],
      ['/account/password', { current: 'alice password', password: 'changed password', repeat: 'changed password' }],
      ['/admin/users', { name: 'eve', password: 'eve password' }],
      ['/admin/users/2/admin', { admin: '1' }],
      ['/admin/users/2/password', { password: 'eve password' }],
      ['/admin/users/2/remove', {}],
      ['/', {}],
    ];
    for (const [path, form] of posts) {
      for (const csrf of [undefined, '', 'forged', b.csrf]) {
        const r = await req(pub, 'POST', path, { cookie: a.cookie, form: csrf === undefined ? form : { ...form, csrf } });
        assert.equal(r.status, 403, `${path} csrf=${csrf}`);
      }
      const anon = await req(pub, 'POST', path, { form: { ...form, csrf: a.csrf } });
      assert.equal(anon.status, 403, `${path} anonymous`);
    }
    for (const method of ['PUT', 'PATCH', 'DELETE']) assert.equal((await req(pub, method, '/account/sessions/end-all', { cookie: a.cookie })).status, 403);
    assert.equal(await snapshot(), snap);
  });

  test('GET never writes: a crawl of every GET route, anonymous and signed in, leaves the store as it was', async () => {
    const a = await login(pub, 'alice', 'alice password');
    const b = await login(priv, 'bob', 'bob password');
    const snap = await snapshot();
    const paths = ['/', '/index.html', `/articles/${fx.articles.envoysHarbour}`, `/articles/${fx.articles.envoysCopy}`, `/stories/${fx.stories.envoys}`,
      `/stories/${fx.stories.merged}`, `/people/${fx.people.ushakov}`, '/sections/World', '/sources', `/sources/${fx.sources.harbour}`, '/search?q=envoys',
      '/login', '/login?next=/sources', '/account', '/admin/users', '/logout', '/feed.rss', '/feed.atom', '/feed.json', '/my/feed.rss', '/my/feed.atom', '/my/feed.json?unread=1', '/api/articles', '/api/stories',
      `/api/stories/${fx.stories.envoys}`, '/api/sources', '/healthz', '/nothing-here'];
    for (const path of paths) {
      for (const [base, cookie] of [[pub, undefined], [pub, a.cookie], [priv, undefined], [priv, b.cookie]] as const) {
        for (const method of ['GET', 'HEAD']) {
          const r = await req(base, method, path, { cookie });
          assert.ok(r.status < 500, `${method} ${path}: ${r.status}`);
        }
      }
    }
    assert.equal(await snapshot(), snap);
  });
});
