// Who is asking: the session cookie (pages and API), or an app password (API and feeds:
// `Authorization: Bearer <secret>` or HTTP basic with the user name). Cookies, the CSRF check
// and the `next` parameter of the sign-in page live here too.
import type { IncomingMessage } from 'node:http';
import {
  csrfMatches,
  DEFAULT_SESSIONS,
  DEFAULT_THROTTLE,
  findAppPasswordBySecret,
  resumeSession,
  SESSION_COOKIE,
  type ActiveSession,
  type SessionPolicy,
  type ThrottlePolicy,
} from '../accounts/index.ts';
import type { Store } from '../store/types.ts';

export interface Viewer {
  id: number;
  name: string;
  admin: boolean;
}

export interface AuthOptions {
  /** web.public: anonymous visitors may read the shared digest. */
  public: boolean;
  /** Cookies get Secure (the site is reached over https). */
  secure: boolean;
  now: () => Date;
  sessions: SessionPolicy;
  throttle: ThrottlePolicy;
}

export const defaultAuthOptions = (o: Partial<AuthOptions> = {}): AuthOptions => ({
  public: o.public ?? true,
  secure: o.secure ?? false,
  now: o.now ?? (() => new Date()),
  sessions: o.sessions ?? DEFAULT_SESSIONS,
  throttle: o.throttle ?? DEFAULT_THROTTLE,
});

export interface Auth {
  viewer: Viewer | null;
  /** The session's CSRF token ('' without a session). */
  csrf: string;
  session: ActiveSession | null;
  /** The token of the session cookie (to end it). */
  token?: string;
}

export const ANONYMOUS: Auth = { viewer: null, csrf: '', session: null };
export const LOGIN_CSRF_COOKIE = 'digest_login_csrf';

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const k = part.slice(0, i).trim();
    if (!out.has(k)) out.set(k, part.slice(i + 1).trim());
  }
  return out;
}

export function setCookie(name: string, value: string, o: { maxAgeSec: number; path?: string; secure: boolean }): string {
  return `${name}=${value}; Path=${o.path ?? '/'}; Max-Age=${Math.max(0, Math.floor(o.maxAgeSec))}; HttpOnly; SameSite=Lax${o.secure ? '; Secure' : ''}`;
}

const viewerOf = (s: ActiveSession): Viewer => ({ id: s.user.id, name: s.user.name, admin: s.user.admin });

/** The session of the request's cookie, or anonymous. */
export async function authenticate(store: Store, req: IncomingMessage, o: AuthOptions): Promise<Auth> {
  const token = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  if (!token) return ANONYMOUS;
  const s = await resumeSession(store, token, o.now(), o.sessions);
  return s ? { viewer: viewerOf(s), csrf: s.csrf, session: s, token } : ANONYMOUS;
}

/**
 * For the API and feeds: an Authorization header with an app password (scope 'all'), else the
 * session cookie. 'invalid' when credentials were given but are not right.
 */
export async function authenticateApi(store: Store, req: IncomingMessage, o: AuthOptions): Promise<Auth | 'invalid'> {
  const h = req.headers.authorization;
  if (!h) return authenticate(store, req, o);
  let secret: string | undefined;
  let user: string | undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(h);
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(h);
  if (bearer) secret = bearer[1];
  else if (basic) {
    const dec = Buffer.from(basic[1], 'base64').toString('utf8');
    const i = dec.indexOf(':');
    if (i > 0) {
      user = dec.slice(0, i);
      secret = dec.slice(i + 1);
    }
  }
  if (!secret) return 'invalid';
  const found = await findAppPasswordBySecret(store, secret, 'all', o.now());
  if (!found) return 'invalid';
  if (user !== undefined && (await store.getUserByName(user))?.id !== found.user.id) return 'invalid';
  return { viewer: { id: found.user.id, name: found.user.name, admin: found.user.admin }, csrf: '', session: null };
}

/** The CSRF token a form or script sent: the `csrf` field, else the X-CSRF-Token header. */
export function presentedCsrf(req: IncomingMessage, fields: URLSearchParams): string | null {
  const h = req.headers['x-csrf-token'];
  return fields.get('csrf') ?? (typeof h === 'string' ? h : null);
}

export function csrfValid(auth: Auth, req: IncomingMessage, fields: URLSearchParams): boolean {
  return !!auth.session && csrfMatches(auth.csrf, presentedCsrf(req, fields));
}

/** A same-site path to go to after signing in; anything else (other hosts, schemes, `//x`, `/\x`) is '/'. */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 2000 || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  try {
    const u = new URL(next, 'http://same.invalid');
    if (u.origin !== 'http://same.invalid') return '/';
    if (u.pathname === '/login' || u.pathname === '/logout') return '/';
    return u.pathname + u.search + u.hash;
  } catch {
    return '/';
  }
}

/** The client's address as the socket sees it (a proxy in front counts as one client). */
export function clientAddress(req: IncomingMessage): string | undefined {
  return req.socket.remoteAddress;
}
