// The web stage: server-rendered pages, feeds out and a JSON API over the Store, on
// Node's own http module.
//
//   const app = createWebApp({ store, siteTitle: 'My Digest', baseUrl: 'http://localhost:8080', log });
//   const { url, close } = await app.listen(8080, '127.0.0.1');
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDigestError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { SectionCount, Store, StoryRecord } from '../store/types.ts';
import { myArticlesPage, myHomePage, myOpml, mySourcesPage, readerPost, type FindFeeds, type ReaderReply } from './reader.ts';
import { script } from './layout.ts';
import { TtlCache } from './data.ts';
import { api } from './api.ts';
import { atom, jsonFeed, rss } from './feeds.ts';
import type { Clock } from './format.ts';
import {
  articlePage,
  errorPage,
  homePage,
  HttpError,
  personPage,
  searchPage,
  sectionPage,
  sourcePage,
  sourcesPage,
  startingPage,
  storyPage,
  type Page,
  type PageContext,
} from './pages.ts';
import { send, type Reply } from './respond.ts';
import { accountRoute, getLogin, postLogin, postLogout } from './account.ts';
import { rulesRoute } from './rules.ts';
import { authenticate, authenticateApi, csrfValid, defaultAuthOptions, LOGIN_CSRF_COOKIE, parseCookies, type Auth, type AuthOptions } from './auth.ts';
import { csrfMatches, type SessionPolicy, type ThrottlePolicy } from '../accounts/index.ts';
import { EMPTY_FORM, readForm, type RequestForm } from './form.ts';
import { createWebSubHandler, type PushHandler } from './websub.ts';
import { handleGoogleReader } from '../sync/googlereader/index.ts';
import { handleFever } from '../sync/fever/index.ts';
import type { SyncDeps, SyncReply } from '../sync/common.ts';
import { readBody } from './form.ts';

/**
 * The sync APIs' paths (Miniflux's layout and FreshRSS's aliases), or null. They authenticate by
 * ClientLogin token plus T token (Google Reader) or api_key (Fever), never by session cookie, so
 * the pages' CSRF check does not apply to them: they are routed before it.
 */
export function syncApiOf(path: string): { api: 'greader'; rest: string } | { api: 'fever' } | null {
  if (path === '/fever' || path === '/fever/' || path === '/api/fever.php' || path === '/api/fever.php/') return { api: 'fever' };
  if (path === '/accounts/ClientLogin' || path.startsWith('/reader/api/0/')) return { api: 'greader', rest: path };
  const m = /^\/api\/greader\.php(\/.*)$/.exec(path);
  if (m && (m[1] === '/accounts/ClientLogin' || m[1].startsWith('/reader/api/0/'))) return { api: 'greader', rest: m[1] };
  return null;
}

export { html, raw, escapeHtml, escapeXml, SafeHtml } from './html.ts';
export { negotiateEncoding, CSP, SECURITY_HEADERS } from './respond.ts';

/** A Logger from core/log.ts, or a plain function given one line and its fields. */
export type WebLog = Logger | ((line: string, fields?: Record<string, unknown>) => void);

export interface WebAppOptions {
  store: Store;
  siteTitle?: string;
  /** Absolute URL the site is reached at (feeds, canonical links). Default: from the Host header. */
  baseUrl?: string;
  log?: WebLog;
  /** Time zone days and times are shown in (default: the process's). */
  timeZone?: string;
  /** Clock, for tests. */
  now?: () => Date;
  /** Number of items in the feeds out (default 50). */
  feedSize?: number;
  /** Articles per page on the home and section pages (default 40). */
  pageSize?: number;
  /** Hits per search result page (default 20). */
  searchPageSize?: number;
  /**
   * WebSub: ingests content a hub pushed to /websub/:sourceId, once its signature is checked
   * (called in the background, one push per source at a time). Absent: pushes get 503.
   */
  onPush?: PushHandler;
  /** Largest pushed body accepted, bytes (default 5 MiB). */
  maxPushBytes?: number;
  /**
   * While it returns a message (e.g. `digest demo` still ingesting its sample), pages, feeds and
   * the API answer 503 with it and Retry-After, so nothing half-built is shown or cached;
   * /healthz and /static/ answer as usual.
   */
  startingUp?: () => string | undefined;
  /**
   * web.public (default true): anonymous visitors read the shared digest. False: every page,
   * feed and API request needs a session or an app password (/healthz, /static/, /login stay open).
   */
  public?: boolean;
  /** Session lifetimes and sign-in throttling (defaults: 14 days idle, 60 days absolute; see src/accounts/). */
  sessions?: SessionPolicy;
  throttle?: ThrottlePolicy;
  /** Feed discovery for adding sources on the web (the CLI passes one over its fetcher). Absent: adding answers 503. */
  findFeeds?: FindFeeds;
  /** Fetches a source a sync client just subscribed to, in the background (digest run passes one). */
  fetchNow?: (sourceId: number) => void;
}

export interface WebApp {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  listen(port: number, host?: string): Promise<{ url: string; close(): Promise<void>; server: Server }>;
  /** Resolves when the pushed content handed to onPush so far has been ingested. */
  pushesIdle(): Promise<void>;
}

const CSS = readFileSync(new URL('./site.css', import.meta.url));
const CSS_VERSION = createHash('sha256').update(CSS).digest('hex').slice(0, 12);
const ICON = readFileSync(new URL('./icon.svg', import.meta.url));
const SCRIPT = readFileSync(new URL('./keys.js', import.meta.url));
const SCRIPT_VERSION = createHash('sha256').update(SCRIPT).digest('hex').slice(0, 12);
script.href = `/static/keys.js?v=${SCRIPT_VERSION}`;

const HTML_TYPE = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

function logRequest(log: WebLog | undefined, f: { method: string; path: string; status: number; ms: number }): void {
  if (!log) return;
  if (typeof log === 'function') log(`${f.method} ${f.path} ${f.status} ${f.ms}ms`, f);
  else if (f.status >= 500) log.error('http', f);
  else log.info('http', f);
}

function logError(log: WebLog | undefined, e: unknown, path: string): void {
  const message = e instanceof Error ? e.stack ?? e.message : String(e);
  if (!log) return;
  if (typeof log === 'function') log(`error ${path}: ${message}`, { path, error: message });
  else log.error('http handler failed', { path, error: message });
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

export function createWebApp(opts: WebAppOptions): WebApp {
  const store = opts.store;
  const siteTitle = opts.siteTitle?.trim() || 'Occasional Digest';
  const clock: Clock = {
    timeZone: opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
    now: opts.now ?? (() => new Date()),
  };
  const feedSize = opts.feedSize ?? 50;
  const pageSize = opts.pageSize ?? 40;
  const relatedCache = new TtlCache<string, StoryRecord[]>(5 * 60_000);
  const sectionsCache = new TtlCache<'all', SectionCount[]>(60_000, 1);
  const websub = createWebSubHandler({
    store,
    onPush: opts.onPush,
    maxPushBytes: opts.maxPushBytes ?? 5 * 1024 * 1024,
    now: clock.now,
    onError: (e) => logError(opts.log, e, '/websub'),
  });

  function baseFor(req: IncomingMessage): string {
    if (opts.baseUrl) return trimSlash(opts.baseUrl);
    const host = req.headers.host && /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host) ? req.headers.host : 'localhost';
    return `http://${host}`;
  }

  const authOpts: AuthOptions = defaultAuthOptions({
    public: opts.public,
    secure: !!opts.baseUrl && opts.baseUrl.startsWith('https:'),
    now: clock.now,
    sessions: opts.sessions,
    throttle: opts.throttle,
  });

  function ctxFor(req: IncomingMessage, auth: Auth = { viewer: null, csrf: '', session: null }): PageContext {
    return {
      store,
      siteTitle,
      baseUrl: baseFor(req),
      cssHref: `/static/site.css?v=${CSS_VERSION}`,
      clock,
      pageSize,
      searchPageSize: opts.searchPageSize ?? 20,
      relatedCache,
      sectionsCache,
      viewer: auth.viewer,
      csrf: auth.csrf,
    };
  }

  // Pages depend on who is asking once anyone can sign in: signed-in pages (and all of them
  // when the site is private) are for that browser only.
  const htmlReply = (p: Page, priv = !authOpts.public): Reply =>
    p.location
      ? { status: p.status, type: HTML_TYPE, body: '', headers: { ...p.headers, Location: p.location }, cacheControl: 'no-store' }
      : { status: p.status, type: HTML_TYPE, body: p.body, headers: p.headers, cacheControl: priv ? 'private, no-cache' : 'no-cache' };

  const jsonReply = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
    status,
    type: JSON_TYPE,
    body: JSON.stringify(body),
    cacheControl: 'no-cache',
    headers,
  });

  function readerReply(r: ReaderReply, priv: boolean): Reply {
    if ('json' in r) return { ...jsonReply(r.status, r.json), cacheControl: 'no-store' };
    if ('download' in r) return { status: r.status, type: r.type, body: r.download, cacheControl: 'no-store' };
    return htmlReply(r, priv);
  }

  const syncDeps: SyncDeps = { store, now: clock.now, findFeeds: opts.findFeeds, fetchNow: opts.fetchNow };

  async function syncRoute(req: IncomingMessage, url: URL, which: NonNullable<ReturnType<typeof syncApiOf>>): Promise<Reply> {
    const method = req.method ?? 'GET';
    let form = new URLSearchParams();
    if (method === 'POST') {
      const type = String(req.headers['content-type'] ?? '');
      const body = await readBody(req, 4 * 1024 * 1024);
      if (!/multipart\//i.test(type)) form = new URLSearchParams(body.toString('utf8'));
    }
    const toReply = (r: SyncReply): Reply => {
      const { 'Cache-Control': cc, ...headers } = r.headers ?? {};
      return { status: r.status, type: r.type, body: r.body, headers: { ...headers, Date: clock.now().toUTCString() }, cacheControl: cc ?? 'no-store' };
    };
    if (which.api === 'fever') return toReply(await handleFever(syncDeps, { method, query: url.searchParams, form }));
    const r = await handleGoogleReader(syncDeps, {
      method, path: which.rest, query: url.searchParams, form,
      authorization: req.headers.authorization, ifNoneMatch: req.headers['if-none-match'],
    });
    return toReply(r ?? { status: 404, type: 'text/plain; charset=utf-8', body: 'Not found\n' });
  }

  // A reader's own feed: their subscriptions (or starred articles), without what their rules hid
  // and without copies, as the /my lists show them. For that reader only: private, and the
  // ETag carries the user id so no cache ever hands one reader's feed to another.
  async function myFeedReply(kind: 'rss' | 'atom' | 'json', viewer: NonNullable<Auth['viewer']>, url: URL, baseUrl: string): Promise<Reply> {
    const folder = url.searchParams.get('folder')?.trim() || undefined;
    const unread = url.searchParams.get('unread') === '1';
    const starred = url.searchParams.get('starred') === '1';
    const { items } = await store.listUserArticles(viewer.id, { limit: feedSize, unread, starred, folder });
    const qs = new URLSearchParams();
    if (folder) qs.set('folder', folder);
    if (unread) qs.set('unread', '1');
    if (starred) qs.set('starred', '1');
    const what = [starred ? 'starred' : unread ? 'unread' : '', folder ? `in ${folder}` : ''].filter(Boolean).join(' ');
    const fctx = {
      siteTitle: `${siteTitle}: ${viewer.name}${what ? ` (${what})` : ''}`,
      baseUrl,
      description: `${viewer.name}'s ${what ? what + ' ' : ''}articles on ${siteTitle}`,
      selfPath: '/my/feed',
      selfQuery: qs.size ? `?${qs.toString()}` : '',
    };
    const [type, body] =
      kind === 'rss'
        ? ['application/rss+xml; charset=utf-8', rss(fctx, items)]
        : kind === 'atom'
          ? ['application/atom+xml; charset=utf-8', atom(fctx, items)]
          : ['application/feed+json; charset=utf-8', jsonFeed(fctx, items)];
    return { status: 200, type, body, cacheControl: 'private, no-cache', etagKey: `user:${viewer.id}`, headers: { Vary: 'Authorization, Cookie' } };
  }

  async function route(req: IncomingMessage, url: URL): Promise<Reply> {
    const path = url.pathname;
    const sync = syncApiOf(path);
    if (sync) return syncRoute(req, url, sync);
    let ctx = ctxFor(req);
    const writes = req.method !== 'GET' && req.method !== 'HEAD';

    if (path === '/healthz') {
      try {
        const articles = await store.countArticles();
        return { ...jsonReply(200, { status: 'ok', articles }), cacheControl: 'no-store' };
      } catch (e) {
        return { ...jsonReply(503, { status: 'error', message: e instanceof Error ? e.message : String(e) }), cacheControl: 'no-store' };
      }
    }
    if (path === '/static/site.css') {
      const versioned = url.searchParams.get('v') === CSS_VERSION;
      return {
        status: 200,
        type: 'text/css; charset=utf-8',
        body: CSS,
        cacheControl: versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
      };
    }
    if (path === '/static/keys.js') {
      const versioned = url.searchParams.get('v') === SCRIPT_VERSION;
      return {
        status: 200,
        type: 'text/javascript; charset=utf-8',
        body: SCRIPT,
        cacheControl: versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
      };
    }
    if (path === '/static/icon.svg') {
      return { status: 200, type: 'image/svg+xml', body: ICON, cacheControl: 'public, max-age=86400' };
    }
    if (path === '/favicon.ico') {
      return { status: 301, type: 'text/plain; charset=utf-8', body: '', headers: { Location: '/static/icon.svg' }, cacheControl: 'public, max-age=86400' };
    }
    const starting = opts.startingUp?.();
    if (starting) {
      const headers = { 'Retry-After': '1' };
      if (path === '/api' || path.startsWith('/api/')) return { ...jsonReply(503, { error: { status: 503, message: starting } }, headers), cacheControl: 'no-store' };
      return { ...htmlReply(startingPage(ctx, starting)), headers, cacheControl: 'no-store' };
    }
    const isApi = path === '/api' || path.startsWith('/api/');
    const isFeed = path === '/feed.rss' || path === '/feed.atom' || path === '/feed.json';
    const myFeed = /^\/my\/feed\.(rss|atom|json)$/.exec(path);
    let feedViewer: Auth['viewer'] = null;
    if (isApi || isFeed || myFeed) {
      // Session cookie or app password (Bearer, or basic with the user name).
      const auth = await authenticateApi(store, req, authOpts);
      if (auth === 'invalid' || ((myFeed || !authOpts.public) && !auth.viewer)) {
        const message =
          auth === 'invalid'
            ? 'the credentials are not valid'
            : myFeed
              ? 'this is a personal feed: send your user name and an app password (HTTP basic auth; create one on /account)'
              : 'sign in or send an app password (Authorization: Bearer …)';
        const headers = { 'WWW-Authenticate': `Basic realm="${siteTitle.replace(/["\\]/g, '')}", charset="UTF-8"` };
        if (isApi) return { ...jsonReply(401, { error: { status: 401, message } }, headers), cacheControl: 'no-store' };
        return { status: 401, type: 'text/plain; charset=utf-8', body: `${message}\n`, headers, cacheControl: 'no-store' };
      }
      feedViewer = auth.viewer;
    }
    if (isApi) {
      try {
        const r = await api(store, path, url);
        if (!r) return jsonReply(404, { error: { status: 404, message: `no API route ${path}` } });
        return jsonReply(r.status, r.body, r.location ? { Location: r.location } : undefined);
      } catch (e) {
        if (e instanceof HttpError) return jsonReply(e.status, { error: { status: e.status, message: e.message } });
        if (isDigestError(e) && (e.kind === 'usage' || e.kind === 'not_found')) {
          const st = e.kind === 'usage' ? 400 : 404;
          return jsonReply(st, { error: { status: st, kind: e.kind, message: e.message } });
        }
        throw e;
      }
    }
    if (myFeed && feedViewer) return myFeedReply(myFeed[1] as 'rss' | 'atom' | 'json', feedViewer, url, ctx.baseUrl);
    if (isFeed) {
      const { items } = await store.listArticles({ limit: feedSize, hideCopies: true });
      const fctx = { siteTitle, baseUrl: ctx.baseUrl };
      const [type, body] =
        path === '/feed.rss'
          ? ['application/rss+xml; charset=utf-8', rss(fctx, items)]
          : path === '/feed.atom'
            ? ['application/atom+xml; charset=utf-8', atom(fctx, items)]
            : ['application/feed+json; charset=utf-8', jsonFeed(fctx, items)];
      return { status: 200, type, body, cacheControl: authOpts.public ? 'public, max-age=300' : 'private, max-age=300' };
    }

    try {
      let m: RegExpExecArray | null;
      const auth = await authenticate(store, req, authOpts);
      ctx = ctxFor(req, auth);
      const priv = !authOpts.public || !!auth.viewer;
      const form: RequestForm = writes ? await readForm(req) : EMPTY_FORM;
      // Every state-changing request to a page carries a valid CSRF token, or changes nothing.
      if (writes) {
        const ok = path === '/login'
          ? csrfMatches(parseCookies(req.headers.cookie).get(LOGIN_CSRF_COOKIE), form.fields.get('csrf'))
          : csrfValid(auth, req, form.fields);
        if (!ok) {
          throw new HttpError(403, auth.viewer || path === '/login'
            ? 'The form had expired or did not come from this site, so nothing was changed. Reload the page and try again.'
            : 'Sign in first: nothing was changed.');
        }
      }
      if (path === '/login') {
        if (writes && req.method !== 'POST') throw new HttpError(405, `${req.method} is not allowed here.`);
        return htmlReply(writes ? await postLogin(ctx, req, form, auth, authOpts) : getLogin(ctx, req, url, auth, authOpts), true);
      }
      if (path === '/logout') {
        if (req.method !== 'POST') throw new HttpError(405, 'Sign out with the button in the page header.');
        return htmlReply(await postLogout(ctx, auth, authOpts), true);
      }
      const acct = await accountRoute(ctx, req, url, form, auth, authOpts);
      if (acct) return htmlReply(acct, true);
      const rules = await rulesRoute(ctx, req, url, form, auth);
      if (rules) return htmlReply(rules, true);
      if (!authOpts.public && !auth.viewer) {
        return htmlReply({ status: 303, body: '', location: `/login?next=${encodeURIComponent(path + url.search)}` });
      }
      // POST routes of the pages (each behind the CSRF check above).
      if (writes && req.method === 'POST') {
        const wantsJson = /application\/json/.test(req.headers.accept ?? '');
        try {
          const r = await readerPost(ctx, path, { fields: form.fields, files: new Map(form.files.map((f) => [f.field, f.data])), wantsJson }, opts.findFeeds);
          if (r) return readerReply(r, priv);
        } catch (e) {
          if (wantsJson && e instanceof HttpError) return { ...jsonReply(e.status, { error: { status: e.status, message: e.message } }), cacheControl: 'no-store' };
          if (isDigestError(e) && (e.kind === 'usage' || e.kind === 'not_found')) throw new HttpError(e.kind === 'usage' ? 400 : 404, e.message);
          throw e;
        }
      }
      if (writes) return { ...htmlReply(errorPage(ctx, 405, `${req.method} is not allowed here.`), priv), headers: { Allow: 'GET, HEAD' } };
      const page = (p: Page) => htmlReply(p, priv);
      if (path === '/' || path === '/index.html') return page(await homePage(ctx, url));
      if ((m = /^\/articles\/([^/]+)\/?$/.exec(path))) return page(await articlePage(ctx, m[1]));
      if ((m = /^\/stories\/([^/]+)\/?$/.exec(path))) return page(await storyPage(ctx, m[1]));
      if ((m = /^\/people\/([^/]+)\/?$/.exec(path))) return page(await personPage(ctx, m[1]));
      if ((m = /^\/sections\/([^/]+)\/?$/.exec(path))) {
        let name: string;
        try {
          name = decodeURIComponent(m[1]);
        } catch {
          throw new HttpError(400, 'The section name is not valid.');
        }
        return page(await sectionPage(ctx, name, url));
      }
      if (path === '/sources' || path === '/sources/') return page(await sourcesPage(ctx));
      if ((m = /^\/sources\/([^/]+)\/?$/.exec(path))) return page(await sourcePage(ctx, m[1]));
      if (path === '/search' || path === '/search/') return page(await searchPage(ctx, url));
      // Personal pages: only ever the viewer's own, never cached for others.
      if (path === '/my' || path.startsWith('/my/')) {
        if (!ctx.viewer) return htmlReply({ status: 303, body: '', location: `/login?next=${encodeURIComponent(path + url.search)}` });
        if (path === '/my' || path === '/my/') return htmlReply(await myHomePage(ctx), true);
        if ((m = /^\/my\/(unread|all|starred)\/?$/.exec(path))) return htmlReply(await myArticlesPage(ctx, m[1] as 'unread' | 'all' | 'starred', url), true);
        if (path === '/my/sources' || path === '/my/sources/') return htmlReply(await mySourcesPage(ctx), true);
        if (path === '/my/opml') {
          return {
            status: 200,
            type: 'text/x-opml; charset=utf-8',
            body: await myOpml(ctx),
            cacheControl: 'private, no-cache',
            headers: { 'Content-Disposition': 'attachment; filename="subscriptions.opml"' },
          };
        }
      }
      throw new HttpError(404, `Nothing lives at ${path}.`);
    } catch (e) {
      if (e instanceof HttpError) return htmlReply(errorPage(ctx, e.status, e.message), !authOpts.public || !!ctx.viewer);
      throw e;
    }
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const start = process.hrtime.bigint();
    const method = req.method ?? 'GET';
    let path = '/';
    let status = 500;
    const done = () => {
      const ms = Number((process.hrtime.bigint() - start) / 1_000_000n);
      logRequest(opts.log, { method, path, status, ms });
    };
    void (async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
        path = url.pathname;
      } catch {
        status = send(req, res, { status: 400, type: 'text/plain; charset=utf-8', body: 'Bad request\n' });
        return;
      }
      const ws = /^\/websub\/(\d{1,15})\/?$/.exec(path);
      if (ws) {
        try {
          status = await websub.handle(req, res, Number(ws[1]), url);
        } catch (e) {
          logError(opts.log, e, path);
          if (!res.headersSent) status = send(req, res, { status: 500, type: 'text/plain; charset=utf-8', body: 'internal error\n', cacheControl: 'no-store' });
          else res.destroy();
        }
        return;
      }
      const isApi = (path === '/api' || path.startsWith('/api/')) && !syncApiOf(path);
      const isStatic = path === '/healthz' || path.startsWith('/static/') || path === '/favicon.ico' || /^(\/my)?\/feed\.(rss|atom|json)$/.test(path);
      if (method !== 'GET' && method !== 'HEAD' && (isApi || isStatic)) {
        status = send(req, res, {
          ...(isApi
            ? jsonReply(405, { error: { status: 405, message: `${method} is not allowed; this API is read-only` } })
            : { status: 405, type: 'text/plain; charset=utf-8', body: `${method} is not allowed here.\n` }),
          headers: { Allow: 'GET, HEAD' },
        });
        return;
      }
      try {
        status = send(req, res, await route(req, url));
      } catch (e) {
        logError(opts.log, e, path);
        const reply = path.startsWith('/api/')
          ? jsonReply(500, { error: { status: 500, message: 'internal error' } })
          : htmlReply(errorPage(ctxFor(req), 500, 'The page could not be built. The error has been logged.'));
        if (!res.headersSent) status = send(req, res, reply);
        else res.destroy();
      }
    })()
      .catch((e) => {
        logError(opts.log, e, path);
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end();
        }
      })
      .finally(done);
  };

  return {
    handler,
    pushesIdle: () => websub.idle(),
    listen(port: number, host = '127.0.0.1') {
      const server = createServer(handler);
      server.keepAliveTimeout = 5000;
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const addr = server.address() as AddressInfo;
          const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          resolve({
            url: `http://${h}:${addr.port}`,
            server,
            close: async () => {
              await new Promise<void>((res2, rej2) => {
                server.close((err) => (err ? rej2(err) : res2()));
                server.closeAllConnections();
              });
              // Pushed content already accepted is ingested before the caller closes the store.
              await websub.idle();
            },
          });
        });
      });
    },
  };
}
