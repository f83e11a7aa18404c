// For web tests of any part: sign in through the real form and get the session cookie and the
// CSRF token to put in forms (`csrf` field or X-CSRF-Token header).
import assert from 'node:assert/strict';

const cookieOf = (res: Response, name: string): string | undefined => {
  const c = res.headers.getSetCookie().find((x) => x.startsWith(name + '='));
  return c ? c.slice(name.length + 1).split(';')[0] : undefined;
};

/** Signs `username` in on the web app at `base`; returns the Cookie header value and the CSRF token. */
export async function webSignIn(base: string, username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const form = await fetch(`${base}/login`);
  const pre = cookieOf(form, 'digest_login_csrf');
  assert.ok(pre, 'GET /login sets the pre-login CSRF cookie');
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: `digest_login_csrf=${pre}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, csrf: pre }).toString(),
  });
  assert.equal(res.status, 303, `sign-in of ${username} failed with ${res.status}`);
  const cookie = `digest_session=${cookieOf(res, 'digest_session')}`;
  const page = await (await fetch(`${base}/account`, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(csrf, 'the account page carries the CSRF token');
  return { cookie, csrf };
}
