// CSRF tokens. Signed in: the token is an HMAC of the session's cookie token, which only the
// browser holding the (HttpOnly) cookie can present, so nothing extra is stored. Before sign-in
// (the login form): a double-submit cookie, a random value in a SameSite=Lax cookie that the
// form repeats. Compared in constant time.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The CSRF token of a session, derived from its cookie token. */
export function sessionCsrf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('digest csrf v1').digest('base64url');
}

/** A fresh random value for the pre-login cookie (and the login form's hidden field). */
export function newLoginCsrf(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time equality of a token presented with the expected one; false when either is empty. */
export function csrfMatches(expected: string | null | undefined, given: string | null | undefined): boolean {
  if (!expected || !given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
