// The Fever API (Unread, Reeder Classic, Fiery Feeds) over the user's own subscriptions and
// reading state; item ids are the Google Reader decimal ids. Routes and deviations: README.md.
import { findUserByFeverKey } from '../../accounts/index.ts';
import type { SyncItem, UserRecord } from '../../store/types.ts';
import { BadRequest, intParam, json, type SyncDeps, type SyncReply } from '../common.ts';

const MAX_ITEMS = 50;
const NO_FOLDER = 'Uncategorized';
const MAX_WITH_IDS = 50;

/** A 1x1 transparent PNG: we keep no favicons yet, and clients expect one per feed. */
const BLANK_PNG = 'image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export interface FeverRequest {
  method: string;
  query: URLSearchParams;
  form: URLSearchParams;
}

const epoch = (iso: string | null | undefined) => (iso ? Math.floor(Date.parse(iso) / 1000) : 0);

function itemJson(it: SyncItem): Record<string, unknown> {
  const a = it.article;
  return {
    id: a.id,
    feed_id: a.sourceId,
    title: a.title,
    author: a.byline ?? '',
    html: a.html || '',
    url: a.url,
    is_saved: it.starred ? 1 : 0,
    is_read: it.read ? 1 : 0,
    created_on_time: epoch(a.published ?? a.fetchedAt),
  };
}

async function groupsOf(deps: SyncDeps, user: UserRecord) {
  const subs = await deps.store.listSubscriptions(user.id);
  const folders = [...new Set(subs.map((s) => s.folder).filter((f): f is string => !!f))].sort();
  // Group ids are positions in the sorted folder list (1-based), then one group for the feeds
  // in no folder (Fever clients show only feeds that are in a group).
  const groups: Array<{ id: number; title: string; folder: string | null }> = folders.map((title, i) => ({ id: i + 1, title, folder: title }));
  if (subs.some((s) => !s.folder)) groups.push({ id: folders.length + 1, title: NO_FOLDER, folder: null });
  const feeds_groups = groups.map((g) => ({ group_id: g.id, feed_ids: subs.filter((s) => (s.folder ?? null) === g.folder).map((s) => s.source.id).join(',') }));
  return { subs, groups, feeds_groups };
}

async function allIds(deps: SyncDeps, user: UserRecord, q: { unread?: boolean; starred?: boolean }): Promise<string> {
  return (await deps.store.syncItemIds(user.id, { ...q, asc: true, limit: 100_000 })).join(',');
}

export async function handleFever(deps: SyncDeps, r: FeverRequest): Promise<SyncReply> {
  const p = new URLSearchParams([...r.query, ...r.form]);
  const key = r.form.get('api_key') ?? r.query.get('api_key') ?? '';
  const user = key ? await findUserByFeverKey(deps.store, key, deps.now()) : null;
  if (!user) return json(200, { api_version: 3, auth: 0 });
  const store = deps.store;
  try {
    const subs0 = await store.listSubscriptions(user.id);
    const lastRefreshed = subs0.reduce((m, s) => Math.max(m, epoch(s.source.lastFetchedAt)), 0);
    const out: Record<string, unknown> = { api_version: 3, auth: 1, last_refreshed_on_time: lastRefreshed };

    // Writes first, so the lists in the same reply show their effect.
    const mark = p.get('mark');
    if (mark !== null) {
      const as = p.get('as');
      const id = intParam(p.get('id'), 'id');
      if (id === undefined) throw new BadRequest('mark needs id');
      if (mark === 'item') {
        if (!as || !['read', 'unread', 'saved', 'unsaved'].includes(as)) throw new BadRequest('as must be read, unread, saved or unsaved');
        const visible = (await store.syncItems(user.id, [id])).map((it) => it.article.id);
        if (as === 'read' || as === 'unread') await store.markRead(user.id, await store.withCopies(visible), as === 'read');
        else await store.setStarred(user.id, visible, as === 'saved');
      } else if (mark === 'feed' || mark === 'group') {
        if (as !== 'read') throw new BadRequest(`mark=${mark} supports as=read only`);
        const beforeSec = intParam(p.get('before'), 'before');
        const before = new Date(beforeSec !== undefined ? beforeSec * 1000 : deps.now().getTime()).toISOString();
        if (mark === 'feed') {
          if (!(await store.getSubscription(user.id, id))) throw new BadRequest(`you do not follow feed ${id}`);
          await store.markAllRead(user.id, { sourceId: id, before });
        } else if (id === 0) await store.markAllRead(user.id, { before });
        else {
          const { groups, subs } = await groupsOf(deps, user);
          const g = groups.find((x) => x.id === id);
          if (!g) throw new BadRequest(`there is no group ${id}`);
          if (g.folder !== null) await store.markAllRead(user.id, { folder: g.folder, before });
          else for (const s of subs.filter((x) => !x.folder)) await store.markAllRead(user.id, { sourceId: s.source.id, before });
        }
      } else throw new BadRequest('mark must be item, feed or group');
      out.unread_item_ids = await allIds(deps, user, { unread: true });
      out.saved_item_ids = await allIds(deps, user, { starred: true });
    }
    if (p.has('groups') || p.has('feeds')) {
      const { subs, groups, feeds_groups } = await groupsOf(deps, user);
      if (p.has('groups')) out.groups = groups.map((g) => ({ id: g.id, title: g.title }));
      if (p.has('feeds')) {
        out.feeds = subs.map((s) => ({
          id: s.source.id, favicon_id: s.source.id, title: s.title ?? s.source.title ?? s.source.url, url: s.source.url,
          site_url: s.source.siteUrl ?? '', is_spark: 0, last_updated_on_time: epoch(s.source.lastFetchedAt),
        }));
      }
      out.feeds_groups = feeds_groups;
    }
    if (p.has('favicons')) out.favicons = subs0.map((s) => ({ id: s.source.id, data: BLANK_PNG }));
    if (p.has('unread_item_ids')) out.unread_item_ids = await allIds(deps, user, { unread: true });
    if (p.has('saved_item_ids')) out.saved_item_ids = await allIds(deps, user, { starred: true });
    if (p.has('items')) {
      const since = intParam(p.get('since_id'), 'since_id');
      const max = intParam(p.get('max_id'), 'max_id');
      const withIds = p.get('with_ids');
      let ids: number[];
      if (withIds !== null && withIds !== '') {
        const list = withIds.split(',').map((v) => intParam(v.trim(), 'with_ids', 1)!);
        if (list.length > MAX_WITH_IDS) throw new BadRequest(`with_ids takes at most ${MAX_WITH_IDS} ids`);
        ids = await store.syncItemIds(user.id, { ids: list, asc: true, limit: MAX_WITH_IDS });
      } else if (max !== undefined && max > 0) ids = await store.syncItemIds(user.id, { beforeId: max, limit: MAX_ITEMS });
      else ids = await store.syncItemIds(user.id, { afterId: since ?? 0, asc: true, limit: MAX_ITEMS });
      const items = await store.syncItems(user.id, ids);
      const order = new Map(ids.map((id, i) => [id, i]));
      items.sort((x, y) => (order.get(x.article.id) ?? 0) - (order.get(y.article.id) ?? 0));
      out.total_items = (await store.syncItemIds(user.id, { limit: 100_000 })).length;
      out.items = items.map(itemJson);
    }
    if (p.has('links')) out.links = [];
    return json(200, out);
  } catch (e) {
    if (e instanceof BadRequest) return json(400, { api_version: 3, auth: 1, error: e.message });
    throw e;
  }
}
