// The Google Reader API (as NetNewsWire, Reeder, ReadKit, FeedMe speak it) over the user's own
// subscriptions and reading state. Routes and deviations: README.md beside this file.
import { createHash } from 'node:crypto';
import { appPasswordHash, verifyAppPassword } from '../../accounts/index.ts';
import { toOpml } from '../../feeds/index.ts';
import type { SyncItem, SyncQuery, UserRecord } from '../../store/types.ts';
import { BadRequest, intParam, json, text, type SyncDeps, type SyncReply } from '../common.ts';

const READING_LIST = 'user/-/state/com.google/reading-list';
const READ = 'user/-/state/com.google/read';
const STARRED = 'user/-/state/com.google/starred';
const LABEL = 'user/-/label/';
const ITEM_PREFIX = 'tag:google.com,2005:reader/item/';
const MAX_N = 10_000;
const MAX_IDS = 1_000;

export interface GReaderRequest {
  method: string;
  /** Path below the API base: '/accounts/ClientLogin' or '/reader/api/0/…'. */
  path: string;
  query: URLSearchParams;
  /** The url-encoded body (POST), empty otherwise. */
  form: URLSearchParams;
  authorization: string | undefined;
  ifNoneMatch: string | undefined;
}

const badToken = (msg: string) => text(401, `${msg}\n`, { 'X-Reader-Google-Bad-Token': 'true', 'Google-Bad-Token': 'true' });

/** The auth token: `<user id>/<SHA-256 of the app password>` (no '=' nor spaces), see README. */
export const authToken = (userId: number, secret: string) => `${userId}/${appPasswordHash(secret)}`;

async function userOfToken(deps: SyncDeps, token: string): Promise<UserRecord | null> {
  const m = /^(\d{1,15})\/([0-9a-f]{64})$/.exec(token);
  if (!m) return null;
  const rec = await deps.store.findAppPassword(m[2]);
  if (!rec || rec.userId !== Number(m[1]) || (rec.scope !== 'all' && rec.scope !== 'greader')) return null;
  return deps.store.getUser(rec.userId);
}

/** Parses one item id in any of the four forms (FreshRSS's rule: digits without a leading 0 are decimal). */
export function parseItemId(v: string): number {
  const s = v.trim();
  let n: number;
  if (/^[1-9]\d{0,15}$/.test(s)) n = Number(s);
  else {
    const hex = s.slice(s.lastIndexOf('/') + 1);
    if (!/^[0-9a-fA-F]{1,16}$/.test(hex) || (s.includes('/') && !s.startsWith(ITEM_PREFIX) && !/^(tag:google\.com,2005:)?reader\/item\//.test(s))) {
      throw new BadRequest(`not an item id: ${JSON.stringify(s.slice(0, 60))}`);
    }
    const big = BigInt('0x' + hex);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new BadRequest(`item id out of range: ${JSON.stringify(s.slice(0, 60))}`);
    n = Number(big);
  }
  if (!Number.isSafeInteger(n) || n <= 0) throw new BadRequest(`not an item id: ${JSON.stringify(s.slice(0, 60))}`);
  return n;
}

export const longId = (id: number) => ITEM_PREFIX + id.toString(16).padStart(16, '0');

type Stream =
  | { kind: 'state'; state: 'reading-list' | 'read' | 'starred' | 'kept-unread' }
  | { kind: 'label'; name: string }
  | { kind: 'feed'; id: number }
  | { kind: 'feedUrl'; url: string };

/** A stream id; `user/<own id>/…` counts as `user/-/…`. */
function parseStream(v: string | null, user: UserRecord, name = 's'): Stream {
  if (!v) throw new BadRequest(`${name} (a stream id) is required`);
  const m = /^user\/(-|\d+)\/(state\/com\.google\/|label\/)(.+)$/.exec(v);
  if (m) {
    if (m[1] !== '-' && Number(m[1]) !== user.id) throw new BadRequest(`${name}: stream ${JSON.stringify(v.slice(0, 80))} is not yours`);
    if (m[2] === 'label/') {
      const label = m[3].trim();
      if (!label || label.length > 200) throw new BadRequest(`${name}: a label needs a name of 1 to 200 characters`);
      return { kind: 'label', name: label };
    }
    const st = m[3];
    if (st === 'reading-list' || st === 'read' || st === 'starred' || st === 'kept-unread') return { kind: 'state', state: st };
    throw new BadRequest(`${name}: unknown state ${JSON.stringify(st.slice(0, 60))}`);
  }
  const f = /^feed\/(.+)$/.exec(v);
  if (f) {
    if (/^\d{1,15}$/.test(f[1])) return { kind: 'feed', id: Number(f[1]) };
    return { kind: 'feedUrl', url: f[1] };
  }
  throw new BadRequest(`${name}: unknown stream ${JSON.stringify(v.slice(0, 80))}`);
}

const labelId = (name: string) => LABEL + name;

function httpUrl(v: string): string {
  let u: URL;
  try {
    u = new URL(v.trim());
  } catch {
    throw new BadRequest(`not a URL: ${JSON.stringify(v.slice(0, 100))}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new BadRequest('only http and https URLs can be subscribed to');
  return u.href;
}

function epochParam(v: string | null, name: string): Date | undefined {
  const n = intParam(v, name);
  if (n === undefined) return undefined;
  // 16 or more digits: microseconds; 13: milliseconds; else seconds.
  const ms = String(v).length >= 16 ? Math.floor(n / 1000) : String(v).length >= 13 ? n : n * 1000;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new BadRequest(`${name} is not a time`);
  return d;
}

/** The query of a stream plus items/ids parameters (n, c, r, ot, nt, xt, it). */
function streamQuery(p: URLSearchParams, user: UserRecord, s: Stream): { q: SyncQuery; n: number } {
  const n = Math.min(intParam(p.get('n'), 'n', 1) ?? 20, MAX_N);
  const asc = p.get('r') === 'o';
  if (p.get('r') && !['o', 'n', 'd'].includes(p.get('r')!)) throw new BadRequest('r must be o (oldest first) or n/d (newest first)');
  const q: SyncQuery = { limit: n + 1, asc };
  if (s.kind === 'state') {
    if (s.state === 'read') q.unread = false;
    else if (s.state === 'starred') q.starred = true;
    else if (s.state === 'kept-unread') q.unread = true;
  } else if (s.kind === 'label') q.folder = s.name;
  else if (s.kind === 'feed') q.sourceId = s.id;
  else throw new BadRequest('use feed/<id> (from subscription/list) to read a feed');
  const exclude = (x: string | null) => {
    if (!x) return;
    const e = parseStream(x, user, 'xt');
    if (e.kind === 'state' && e.state === 'read') q.unread = true;
    else if (e.kind === 'state' && e.state === 'kept-unread') q.unread = false;
    else throw new BadRequest('xt supports user/-/state/com.google/read and kept-unread');
  };
  exclude(p.get('xt'));
  const it = p.get('it');
  if (it) {
    const e = parseStream(it, user, 'it');
    if (e.kind === 'state' && e.state === 'read') q.unread = false;
    else if (e.kind === 'state' && e.state === 'starred') q.starred = true;
    else if (e.kind === 'state' && e.state === 'kept-unread') q.unread = true;
    else if (!(e.kind === 'state' && e.state === 'reading-list')) throw new BadRequest('it supports the read, starred and kept-unread states');
  }
  const ot = epochParam(p.get('ot'), 'ot');
  const nt = epochParam(p.get('nt'), 'nt');
  if (ot) q.arrivedSince = ot.toISOString();
  if (nt) q.arrivedBefore = nt.toISOString();
  const c = p.get('c');
  if (c) {
    if (!/^\d{1,16}$/.test(c) || !Number.isSafeInteger(Number(c))) throw new BadRequest('c is not a continuation this server gave');
    if (asc) q.afterId = Number(c);
    else q.beforeId = Number(c);
  }
  return { q, n };
}

async function page(deps: SyncDeps, user: UserRecord, p: URLSearchParams, s: Stream): Promise<{ ids: number[]; continuation?: string }> {
  const { q, n } = streamQuery(p, user, s);
  const ids = await deps.store.syncItemIds(user.id, q);
  if (ids.length > n) return { ids: ids.slice(0, n), continuation: String(ids[n - 1]) };
  return { ids };
}

function itemJson(it: SyncItem, user: UserRecord): Record<string, unknown> {
  const a = it.article;
  const categories = [READING_LIST, `user/${user.id}/state/com.google/reading-list`];
  if (it.read) categories.push(READ);
  if (it.starred) categories.push(STARRED);
  if (it.folder) categories.push(labelId(it.folder));
  const arrived = Date.parse(a.fetchedAt);
  const published = Math.floor(Date.parse(a.published ?? a.fetchedAt) / 1000);
  const html = a.html || '';
  return {
    id: longId(a.id),
    crawlTimeMsec: String(arrived).padStart(13, '0'),
    timestampUsec: String(arrived * 1000).padStart(16, '0'),
    published: Number.isFinite(published) ? published : Math.floor(arrived / 1000),
    updated: Number.isFinite(published) ? published : Math.floor(arrived / 1000),
    title: a.title,
    author: a.byline ?? '',
    categories,
    origin: { streamId: `feed/${a.sourceId}`, title: it.sourceTitle ?? '', htmlUrl: it.siteUrl ?? '' },
    summary: { direction: 'ltr', content: html },
    content: { direction: 'ltr', content: html },
    alternate: [{ href: a.url, type: 'text/html' }],
    canonical: [{ href: a.canonicalUrl ?? a.url }],
  };
}

async function contents(deps: SyncDeps, user: UserRecord, ids: number[], continuation?: string): Promise<SyncReply> {
  const items = await deps.store.syncItems(user.id, ids);
  const order = new Map(ids.map((id, i) => [id, i]));
  items.sort((x, y) => (order.get(x.article.id) ?? 0) - (order.get(y.article.id) ?? 0));
  const body: Record<string, unknown> = {
    direction: 'ltr',
    id: READING_LIST,
    title: 'Reading list',
    updated: Math.floor(deps.now().getTime() / 1000),
    items: items.map((it) => itemJson(it, user)),
  };
  if (continuation) body.continuation = continuation;
  return json(200, body);
}

function itemIds(p: URLSearchParams): number[] {
  const raw = p.getAll('i');
  if (raw.length === 0) throw new BadRequest('i (one or more item ids) is required');
  if (raw.length > MAX_IDS) throw new BadRequest(`at most ${MAX_IDS} i values per request`);
  return raw.map(parseItemId);
}

/** Answers with a validator (the body's hash); 304 only when the client holds exactly this body. */
function conditional(r: SyncReply, ifNoneMatch: string | undefined): SyncReply {
  const etag = `"${createHash('sha256').update(r.body).digest('base64url').slice(0, 27)}"`;
  const headers = { ...r.headers, ETag: etag, 'Cache-Control': 'private, no-cache' };
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag)) return { status: 304, type: r.type, body: '', headers };
  return { ...r, headers };
}

async function folderOf(deps: SyncDeps, user: UserRecord, sourceId: number): Promise<void> {
  if (!(await deps.store.getSubscription(user.id, sourceId))) throw new BadRequest(`you are not subscribed to feed/${sourceId}`, 404);
}

async function quickadd(deps: SyncDeps, user: UserRecord, raw: string, patch: { folder?: string | null; title?: string | null } = {}): Promise<SyncReply> {
  const url = httpUrl(raw.startsWith('feed/') ? raw.slice(5) : raw);
  const known = await deps.store.findSourceByUrl(url);
  let choice = known ? { url: known.url, kind: known.kind, title: known.title, siteUrl: known.siteUrl } : null;
  if (!choice) {
    if (!deps.findFeeds) return json(200, { numResults: 0, query: url, error: 'this server cannot look up feeds (it was started without the fetcher)' });
    let found;
    try {
      found = await deps.findFeeds(url);
    } catch (e) {
      return json(200, { numResults: 0, query: url, error: e instanceof Error ? e.message : String(e) });
    }
    if (found.length === 0) return json(200, { numResults: 0, query: url, error: 'no feed found at this URL' });
    const f = found[0];
    choice = { url: f.url, kind: f.kind, title: f.title, siteUrl: f.siteUrl };
  }
  const r = await deps.store.subscribeUrl(user.id, { url: choice.url, kind: choice.kind, title: choice.title ?? null, siteUrl: choice.siteUrl ?? null }, patch);
  const src = r.subscription.source;
  if (r.sourceCreated || !src.lastFetchedAt) deps.fetchNow?.(src.id);
  return json(200, { numResults: 1, query: url, streamId: `feed/${src.id}`, streamName: r.subscription.title ?? src.title ?? src.url });
}

async function route(deps: SyncDeps, user: UserRecord, r: GReaderRequest, api: string): Promise<SyncReply | null> {
  const store = deps.store;
  const p = r.method === 'POST' ? new URLSearchParams([...r.query, ...r.form]) : r.query;
  const get = r.method === 'GET' || r.method === 'HEAD';
  const post = r.method === 'POST';
  const only = (ok: boolean) => {
    if (!ok) throw new BadRequest(`${r.method} is not allowed on ${api}`, 405);
  };
  if (api === 'token') return text(200, `${(r.authorization ?? '').replace(/^GoogleLogin auth=/, '')}\n`);
  if (api === 'user-info') {
    return json(200, { userId: String(user.id), userName: user.name, userProfileId: String(user.id), userEmail: user.name });
  }
  if (api === 'tag/list') {
    const subs = await store.listSubscriptions(user.id);
    const folders = [...new Set(subs.map((s) => s.folder).filter((f): f is string => !!f))].sort();
    return conditional(json(200, { tags: [{ id: STARRED }, ...folders.map((f) => ({ id: labelId(f), type: 'folder' }))] }), r.ifNoneMatch);
  }
  if (api === 'subscription/list') {
    const subs = await store.listSubscriptions(user.id);
    return conditional(json(200, {
      subscriptions: subs.map((s) => ({
        id: `feed/${s.source.id}`,
        title: s.title ?? s.source.title ?? s.source.url,
        categories: s.folder ? [{ id: labelId(s.folder), label: s.folder }] : [],
        url: s.source.url,
        htmlUrl: s.source.siteUrl ?? '',
        iconUrl: '',
      })),
    }), r.ifNoneMatch);
  }
  if (api === 'subscription/export') {
    const subs = await store.listSubscriptions(user.id);
    const body = toOpml(subs.map((s) => ({ ...s.source, title: s.title ?? s.source.title, folder: s.folder })), `${user.name}'s subscriptions`);
    return { status: 200, type: 'text/x-opml; charset=utf-8', body };
  }
  if (api === 'unread-count') {
    const [counts, subs] = await Promise.all([store.unreadCounts(user.id), store.listSubscriptions(user.id)]);
    const usec = (iso: string | null) => String(iso ? Date.parse(iso) * 1000 : 0);
    const newest = subs.reduce<string | null>((m, s) => (s.source.lastFetchedAt && (!m || s.source.lastFetchedAt > m) ? s.source.lastFetchedAt : m), null);
    const unreadcounts: Array<{ id: string; count: number; newestItemTimestampUsec: string }> = subs.map((s) => ({
      id: `feed/${s.source.id}`, count: counts.sources.get(s.source.id) ?? 0, newestItemTimestampUsec: usec(s.source.lastFetchedAt),
    }));
    for (const [f, n] of counts.folders) unreadcounts.push({ id: labelId(f), count: n, newestItemTimestampUsec: usec(newest) });
    unreadcounts.push({ id: READING_LIST, count: counts.total, newestItemTimestampUsec: usec(newest) });
    return json(200, { max: counts.total, unreadcounts });
  }
  if (api === 'stream/items/ids') {
    only(get || post);
    const pg = await page(deps, user, p, parseStream(p.get('s'), user));
    const body: Record<string, unknown> = { itemRefs: pg.ids.map((id) => ({ id: String(id) })) };
    if (pg.continuation) body.continuation = pg.continuation;
    return json(200, body);
  }
  if (api === 'stream/items/contents') {
    only(get || post);
    return contents(deps, user, itemIds(p));
  }
  if (api === 'stream/contents' || api.startsWith('stream/contents/')) {
    only(get || post);
    let s = p.get('s');
    if (api !== 'stream/contents') {
      try {
        s = decodeURIComponent(api.slice('stream/contents/'.length));
      } catch {
        throw new BadRequest('the stream id in the path is not valid percent-encoding');
      }
    }
    const pg = await page(deps, user, p, parseStream(s, user));
    return contents(deps, user, pg.ids, pg.continuation);
  }
  // Everything below writes: POST with a matching T (a wrong T is 401; empty or 'x' are accepted).
  const writes = ['edit-tag', 'mark-all-as-read', 'subscription/quickadd', 'subscription/edit', 'rename-tag', 'disable-tag'];
  if (!writes.includes(api)) return null;
  only(post);
  if (api === 'edit-tag') {
    const ids = itemIds(p);
    const visible = (await store.syncItems(user.id, ids)).map((it) => it.article.id);
    const folded = await store.withCopies(visible);
    // like, broadcast and the tracking states are Google Reader's own; clients send them, we ignore them.
    const tags = (k: string) => p.getAll(k).filter((v) => !/^user\/(-|\d+)\/state\/com\.google\/(like|broadcast|broadcast-friends|tracking-[a-z-]+)$/.test(v)).map((v) => parseStream(v, user, k));
    for (const [key, on] of [['a', true], ['r', false]] as const) {
      for (const t of tags(key)) {
        if (t.kind === 'state' && t.state === 'read') await store.markRead(user.id, folded, on);
        else if (t.kind === 'state' && t.state === 'kept-unread') await store.markRead(user.id, folded, !on);
        else if (t.kind === 'state' && t.state === 'starred') await store.setStarred(user.id, visible, on);
        else if (t.kind === 'label') continue; // per-item labels are not kept (README)
        else throw new BadRequest(`${key}: cannot set ${t.kind === 'state' ? t.state : 'a feed'} on items`);
      }
    }
    return text(200, 'OK');
  }
  if (api === 'mark-all-as-read') {
    const s = parseStream(p.get('s'), user);
    const ts = epochParam(p.get('ts'), 'ts') ?? deps.now();
    const before = ts.toISOString();
    if (s.kind === 'feed') await store.markAllRead(user.id, { sourceId: s.id, before });
    else if (s.kind === 'label') await store.markAllRead(user.id, { folder: s.name, before });
    else if (s.kind === 'state' && s.state === 'reading-list') await store.markAllRead(user.id, { before });
    else throw new BadRequest('s must be a feed, a label or the reading list');
    return text(200, 'OK');
  }
  if (api === 'subscription/quickadd') {
    const q = p.get('quickadd');
    if (!q) throw new BadRequest('quickadd (a feed or site URL) is required');
    return quickadd(deps, user, q);
  }
  if (api === 'subscription/edit') {
    const ac = p.get('ac') ?? 'edit';
    const streams = p.getAll('s');
    if (streams.length === 0) throw new BadRequest('s (feed/<id>) is required');
    const title = p.get('t');
    const add = p.get('a') ? parseStream(p.get('a'), user, 'a') : null;
    const rem = p.get('r') ? parseStream(p.get('r'), user, 'r') : null;
    if (add && add.kind !== 'label') throw new BadRequest('a must be a label (user/-/label/<name>)');
    if (rem && rem.kind !== 'label') throw new BadRequest('r must be a label (user/-/label/<name>)');
    if (ac === 'subscribe') {
      const s = parseStream(streams[0], user);
      if (s.kind !== 'feedUrl' && s.kind !== 'feed') throw new BadRequest('s must be feed/<url>');
      if (s.kind === 'feed') {
        if (!(await store.getSource(s.id))) throw new BadRequest(`there is no feed/${s.id}`, 404);
        await store.subscribe(user.id, s.id, { ...(add ? { folder: add.name } : {}), ...(title ? { title } : {}) });
        return text(200, 'OK');
      }
      const res = await quickadd(deps, user, s.url, { ...(add ? { folder: add.name } : {}), ...(title ? { title } : {}) });
      if (JSON.parse(res.body).numResults === 0) return text(400, `${JSON.parse(res.body).error}\n`);
      return text(200, 'OK');
    }
    const ids = streams.map((v) => {
      const s = parseStream(v, user);
      if (s.kind !== 'feed') throw new BadRequest('s must be feed/<id>');
      return s.id;
    });
    for (const id of ids) await folderOf(deps, user, id);
    if (ac === 'unsubscribe') {
      for (const id of ids) await store.unsubscribe(user.id, id);
      return text(200, 'OK');
    }
    if (ac !== 'edit') throw new BadRequest('ac must be subscribe, edit or unsubscribe');
    for (const id of ids) {
      const patch: { title?: string; folder?: string | null } = {};
      if (title) patch.title = title;
      if (add) patch.folder = add.name;
      else if (rem) {
        const cur = await store.getSubscription(user.id, id);
        if (cur?.folder === rem.name) patch.folder = null;
      }
      await store.updateSubscription(user.id, id, patch);
    }
    return text(200, 'OK');
  }
  if (api === 'rename-tag') {
    const s = parseStream(p.get('s'), user);
    const dest = parseStream(p.get('dest'), user, 'dest');
    if (s.kind !== 'label' || dest.kind !== 'label') throw new BadRequest('s and dest must be labels (user/-/label/<name>)');
    const n = await store.renameFolder(user.id, s.name, dest.name);
    if (n === 0) throw new BadRequest(`there is no folder ${JSON.stringify(s.name)}`, 404);
    return text(200, 'OK');
  }
  if (api === 'disable-tag') {
    const s = parseStream(p.get('s'), user);
    if (s.kind !== 'label') throw new BadRequest('s must be a label (user/-/label/<name>)');
    const n = await store.deleteFolder(user.id, s.name);
    if (n === 0) throw new BadRequest(`there is no folder ${JSON.stringify(s.name)}`, 404);
    return text(200, 'OK');
  }
  return null;
}

/** Handles a request below the Google Reader base; null when the path is not ours. */
export async function handleGoogleReader(deps: SyncDeps, r: GReaderRequest): Promise<SyncReply | null> {
  try {
    if (r.path === '/accounts/ClientLogin') {
      if (r.method !== 'POST' && r.method !== 'GET') return text(405, 'use POST\n', { Allow: 'POST' });
      const p = new URLSearchParams([...r.query, ...r.form]);
      const email = p.get('Email') ?? '';
      const passwd = p.get('Passwd') ?? '';
      const user = email && passwd && email.length <= 200 && passwd.length <= 200 ? await verifyAppPassword(deps.store, email, passwd, 'greader', deps.now()) : null;
      if (!user) return text(401, 'Error=BadAuthentication\n');
      const token = authToken(user.id, passwd);
      if (p.get('output') === 'json') return json(200, { SID: token, LSID: token, Auth: token });
      return text(200, `SID=${token}\nLSID=${token}\nAuth=${token}\n`);
    }
    const m = /^\/reader\/api\/0\/(.*)$/.exec(r.path);
    if (!m) return null;
    const api = m[1].replace(/\/+$/, '');
    const h = /^GoogleLogin auth=(\S+)$/.exec(r.authorization ?? '');
    const user = h ? await userOfToken(deps, h[1]) : null;
    if (!user) return badToken('Unauthorized: send Authorization: GoogleLogin auth=<token from ClientLogin>');
    if (r.method === 'POST') {
      const t = r.form.get('T') ?? r.query.get('T');
      if (t && t !== 'x' && t !== h![1]) return badToken('Unauthorized: the T token is not valid; get one from /reader/api/0/token');
    }
    const reply = await route(deps, user, r, api);
    return reply ?? text(404, `no Google Reader API route ${api}\n`);
  } catch (e) {
    if (e instanceof BadRequest) return text(e.status, `${e.message}\n`);
    throw e;
  }
}
