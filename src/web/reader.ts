// Personal reading for a signed-in viewer: my stories, unread / all / starred lists, read and
// star toggles, "mark all as read", and managing my subscriptions (add with feed discovery,
// rename, move, remove, folders, OPML in and out). GET pages never write; every change is a
// POST form (with the CSRF token) that works without JavaScript and answers 303 back to the
// page, or JSON when the keyboard script (/static/keys.js) asks with Accept: application/json.
import type { Article } from '../core/types.ts';
import { DigestError, isDigestError } from '../core/errors.ts';
import { parseOpml, toOpml } from '../feeds/index.ts';
import type { FeedChoice } from '../jobs/findfeeds.ts';
import type { MarkScope, Subscription } from '../store/types.ts';
import { outletName, rankStories } from './data.ts';
import { dayKey, dayLabel, hostOf, lede, relative, timeOfDay } from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { csrfField, markAllForm, stateForms } from './state-forms.ts';
import { HttpError, intParam, pageOf, published, sourceStatus, storyCard, timeEl, type Page, type PageContext } from './pages.ts';

/** Finds the feeds behind a URL the viewer gives (the URL itself, or a site's feeds). */
export type FindFeeds = (url: string) => Promise<FeedChoice[]>;

/** A submitted form: url-encoded fields, and (multipart) uploaded files by field name. */
export interface Form {
  fields: URLSearchParams;
  files: Map<string, Buffer>;
  /** The client asked for JSON (the keyboard script). */
  wantsJson: boolean;
}

export type ReaderReply = Page | { status: number; json: unknown } | { status: number; download: string; type: string };

function viewerOf(ctx: PageContext): { id: number; name: string } {
  if (!ctx.viewer) throw new HttpError(401, 'Sign in to see your own reading.');
  return ctx.viewer;
}


/** A same-site path to go back to (anything else falls back). */
export function backPath(v: string | null | undefined, fallback: string): string {
  return v && /^\/(?![/\\])[^\s]*$/.test(v) ? v : fallback;
}

const redirect = (to: string): Page => ({ status: 303, body: '', location: to });

function myItem(ctx: PageContext, a: Article, read: boolean, starred: boolean, back: string): SafeHtml {
  const when = timeOfDay(published(a), ctx.clock.timeZone);
  return html`<li class="item${read ? ' is-read' : ''}${starred ? ' is-starred' : ''}" data-item="${a.id}">
<a class="item-title" href="/articles/${a.id}">${a.title}</a>
<p class="meta"><span class="outlet">${outletName(a)}</span>${when ? html` · ${timeEl(published(a), when)}` : ''}${read ? html` · <span class="read-mark">read</span>` : ''}${starred ? html` · <span class="star-mark">starred</span>` : ''}</p>
${a.summary || a.text ? html`<p class="summary">${lede(a.summary || a.text, 200, 2)}</p>` : ''}
${stateForms(ctx, a.id, read, starred, back)}
</li>`;
}

function myNav(ctx: PageContext, unread: number, current: string): SafeHtml {
  const link = (href: string, label: string | SafeHtml) => html`<li><a href="${href}"${href === current ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav class="sections my-nav" aria-label="My reading"><ul>
${link('/my', 'My stories')}${link('/my/unread', html`Unread <span class="count">${unread}</span>`)}${link('/my/all', 'All my articles')}${link('/my/starred', 'Starred')}${link('/my/sources', 'My sources')}
</ul></nav>
<p class="kbd-hint meta">Press <kbd>?</kbd> for keyboard shortcuts.</p>`;
}

// ---------------------------------------------------------------- pages (GET: never write)

export async function myHomePage(ctx: PageContext): Promise<Page> {
  const v = viewerOf(ctx);
  const [subs, counts, candidates] = await Promise.all([
    ctx.store.listSubscriptions(v.id),
    ctx.store.unreadCounts(v.id),
    ctx.store.userStories(v.id, { limit: 40 }),
  ]);
  // Ranked as the shared home: stories several outlets cover first, the rest fill up.
  const ranked = rankStories(candidates, ctx.clock.now());
  const stories = [...ranked.filter((s) => s.sourceCount >= 2), ...ranked.filter((s) => s.sourceCount < 2)].slice(0, 12);
  const body = html`<header class="page-header"><h1>My stories</h1>
<p class="meta">${subs.length} ${subs.length === 1 ? 'subscription' : 'subscriptions'} · ${counts.total} unread</p></header>
${myNav(ctx, counts.total, '/my')}
${subs.length === 0
  ? html`<p class="empty">You follow no sources yet. <a href="/my/sources">Add one</a> by its site or feed address.</p>`
  : stories.length
    ? html`<ul class="stories">${stories.map((s) => storyCard(ctx, s, 2, 'short'))}</ul>`
    : html`<p class="empty">No stories from your sources yet.</p>`}`;
  return pageOf(ctx, { title: 'My stories', path: '/my', current: 'my', noindex: true }, body);
}

export async function myArticlesPage(ctx: PageContext, view: 'unread' | 'all' | 'starred', url: URL): Promise<Page> {
  const v = viewerOf(ctx);
  const cursor = url.searchParams.get('cursor');
  const sourceParam = url.searchParams.get('source');
  const sourceId = sourceParam ? intParam(sourceParam, 'source') : undefined;
  const folder = url.searchParams.get('folder')?.trim() || undefined;
  let page;
  try {
    page = await ctx.store.listUserArticles(v.id, { limit: ctx.pageSize, cursor, unread: view === 'unread', starred: view === 'starred', sourceId, folder });
  } catch (e) {
    if (cursor && isDigestError(e)) throw new HttpError(400, 'That page link is not valid any more.');
    throw e;
  }
  const [counts, states, sub] = await Promise.all([
    ctx.store.unreadCounts(v.id),
    ctx.store.articleStates(v.id, page.items.map((a) => a.id)),
    sourceId !== undefined ? ctx.store.getSubscription(v.id, sourceId) : Promise.resolve(null),
  ]);
  if (sourceId !== undefined && !sub && view !== 'starred') throw new HttpError(404, `You do not follow source ${sourceId}.`);
  const byId = new Map(states.map((s) => [s.articleId, s]));
  const path = `/my/${view}`;
  const qs = new URLSearchParams();
  if (sourceId !== undefined) qs.set('source', String(sourceId));
  if (folder) qs.set('folder', folder);
  const here = `${path}${qs.size ? '?' + qs.toString() : ''}`;
  const scope: Record<string, string> = {};
  if (sourceId !== undefined) scope.source = String(sourceId);
  if (folder) scope.folder = folder;
  const title = view === 'starred' ? 'Starred' : view === 'unread' ? 'Unread' : 'All my articles';
  const what = sub ? ` in ${sub.title ?? sub.source.title ?? hostOf(sub.source.url)}` : folder ? ` in ${folder}` : '';
  // Newest first, under one heading per day, each day with its own "mark read".
  const days: { key: string; items: Article[] }[] = [];
  for (const a of page.items) {
    const key = dayKey(published(a), ctx.clock.timeZone);
    const last = days[days.length - 1];
    if (last && last.key === key) last.items.push(a);
    else days.push({ key, items: [a] });
  }
  const body = html`<header class="page-header"><h1>${title}${what}</h1>
${view !== 'starred' ? html`<p class="meta">${sub ? sub.unread : folder ? (counts.folders.get(folder) ?? 0) : counts.total} unread</p>` : ''}
${view !== 'starred' && page.items.length ? markAllForm(ctx, { ...scope, before: ctx.clock.now().toISOString() }, `Mark all${what} as read`, here, { main: true }) : ''}
</header>
${myNav(ctx, counts.total, path)}
${page.items.length === 0
  ? html`<p class="empty">${view === 'starred' ? 'Nothing starred yet: star an article to keep it here.' : view === 'unread' ? 'Nothing unread. Well done.' : 'No articles from your sources yet.'}</p>`
  : html`<div class="my-list" data-list>${days.map((d) => {
      const label = dayLabel(d.key, ctx.clock);
      return html`<section class="day-group" aria-label="${label}">
<div class="day-head"><h2 class="day">${label}</h2>${view !== 'starred' ? markAllForm(ctx, { ...scope, day: d.key }, 'Mark the day read', here) : ''}</div>
<ol class="items">${d.items.map((a) => myItem(ctx, a, !!byId.get(a.id)?.readAt, !!byId.get(a.id)?.starredAt, here))}</ol>
</section>`;
    })}</div>`}
${page.next ? html`<nav class="pager" aria-label="Pages"><a rel="next" href="${path}?${new URLSearchParams([...qs, ['cursor', page.next]]).toString()}">Older articles →</a></nav>` : ''}`;
  return pageOf(ctx, { title, path, current: view === 'starred' ? 'starred' : view === 'unread' ? 'unread' : 'my', noindex: true }, body);
}

function folderGroups(subs: Subscription[]): { folder: string | null; subs: Subscription[] }[] {
  const out: { folder: string | null; subs: Subscription[] }[] = [];
  for (const s of subs) {
    const last = out[out.length - 1];
    if (last && last.folder === s.folder) last.subs.push(s);
    else out.push({ folder: s.folder, subs: [s] });
  }
  return out;
}

export async function mySourcesPage(ctx: PageContext, notice?: SafeHtml, status = 200): Promise<Page> {
  const v = viewerOf(ctx);
  const subs = await ctx.store.listSubscriptions(v.id);
  const total = subs.reduce((n, s) => n + s.unread, 0);
  const folders = [...new Set(subs.map((s) => s.folder).filter((f): f is string => !!f))];
  const nameOf = (s: Subscription) => s.title ?? s.source.title ?? hostOf(s.source.url) ?? s.source.url;
  const body = html`<header class="page-header"><h1>My sources</h1>
<p class="meta">${subs.length} ${subs.length === 1 ? 'subscription' : 'subscriptions'} · ${total} unread</p></header>
${myNav(ctx, total, '/my/sources')}
${notice ?? ''}
<section aria-labelledby="add-source" class="manage">
<h2 id="add-source">Add a source</h2>
<form method="post" action="/my/sources/add" class="stack">${csrfField(ctx)}
<label for="add-url">Site or feed address</label><input id="add-url" name="url" type="url" required placeholder="https://example.com/">
<label for="add-folder">Folder (optional)</label><input id="add-folder" name="folder" list="folder-names" autocomplete="off">
<button type="submit">Add</button></form>
<datalist id="folder-names">${folders.map((f) => html`<option value="${f}">`)}</datalist>
</section>
${folderGroups(subs).map((g) => html`<section class="folder-group" aria-label="${g.folder ?? 'Not in a folder'}">
<div class="day-head"><h2>${g.folder ?? 'Not in a folder'} <span class="count">${g.subs.reduce((n, s) => n + s.unread, 0)} unread</span></h2>
${g.folder ? html`<a href="/my/unread?folder=${encodeURIComponent(g.folder)}">Read the folder</a>${markAllForm(ctx, { folder: g.folder }, `Mark ${g.folder} read`, '/my/sources')}` : ''}</div>
${g.folder
  ? html`<details class="folder-edit"><summary>Rename or delete ${g.folder}</summary>
<form method="post" action="/my/folders/rename" class="inline-form">${csrfField(ctx)}<input type="hidden" name="from" value="${g.folder}"><label>New name <input name="to" required value="${g.folder}"></label><button type="submit" class="small">Rename folder</button></form>
<form method="post" action="/my/folders/delete" class="inline-form">${csrfField(ctx)}<input type="hidden" name="folder" value="${g.folder}"><button type="submit" class="small">Delete folder (keeps its sources)</button></form>
</details>`
  : ''}
<ul class="source-list">${g.subs.map((s) => {
  const st = sourceStatus(s.source);
  return html`<li class="source-card" id="sub-${s.source.id}">
<h3 class="source-title"><a href="/my/unread?source=${s.source.id}">${nameOf(s)}</a> <span class="count">${s.unread} unread</span></h3>
<p class="source-url">${s.source.url}</p>
<p class="meta"><span class="status status-${st.cls}">${st.label}</span> · last fetch ${s.source.lastFetchedAt ? timeEl(s.source.lastFetchedAt, relative(s.source.lastFetchedAt, ctx.clock)) : 'never'} · <a href="/sources/${s.source.id}">health</a>${s.source.lastError ? html` · <span class="fetch-error">${s.source.lastError}</span>` : ''}</p>
<details><summary>Edit ${nameOf(s)}</summary>
<form method="post" action="/my/sources/${s.source.id}/edit" class="stack">${csrfField(ctx)}
<label for="t-${s.source.id}">Title</label><input id="t-${s.source.id}" name="title" value="${s.title ?? ''}" placeholder="${s.source.title ?? ''}">
<label for="f-${s.source.id}">Folder</label><input id="f-${s.source.id}" name="folder" value="${s.folder ?? ''}" list="folder-names" autocomplete="off">
<button type="submit" class="small">Save</button></form>
<form method="post" action="/my/sources/${s.source.id}/remove">${csrfField(ctx)}<button type="submit" class="small">Unsubscribe</button></form>
</details>
</li>`;
})}</ul>
</section>`)}
<section aria-labelledby="opml" class="manage">
<h2 id="opml">OPML</h2>
<p><a href="/my/opml">Export my subscriptions (OPML)</a></p>
<form method="post" action="/my/opml/import" enctype="multipart/form-data" class="stack">${csrfField(ctx)}
<label for="opml-file">Import an OPML file</label><input id="opml-file" name="opml" type="file" accept=".opml,.xml,text/x-opml,application/xml,text/xml" required>
<button type="submit">Import</button></form>
</section>`;
  return pageOf(ctx, { title: 'My sources', path: '/my/sources', current: 'my-sources', noindex: true }, body, status);
}

function choicePage(ctx: PageContext, url: string, folder: string, choices: FeedChoice[]): Page {
  const body = html`<header class="page-header"><p class="kicker"><a href="/my/sources">My sources</a></p><h1>Choose a feed</h1>
<p class="meta">${hostOf(url) || url} offers ${choices.length} feeds.</p></header>
<form method="post" action="/my/sources/add" class="stack">${csrfField(ctx)}<input type="hidden" name="url" value="${url}"><input type="hidden" name="folder" value="${folder}">
<fieldset><legend>Feeds found</legend>
${choices.map((c, i) => html`<div class="choice"><input type="radio" name="feed" id="feed-${i}" value="${c.url}"${i === 0 ? ' checked' : ''}><label for="feed-${i}">${c.title ?? hostOf(c.url)} <span class="source-url">${c.url}</span></label></div>`)}
</fieldset>
<button type="submit">Subscribe</button></form>`;
  return pageOf(ctx, { title: 'Choose a feed', path: '/my/sources', current: 'my-sources', noindex: true }, body);
}

// ---------------------------------------------------------------- changes (POST)

/** The article and its copies (and the original of a copy): one article to the reader. */
async function withCopies(ctx: PageContext, id: number): Promise<number[]> {
  const a = await ctx.store.getArticle(id);
  if (!a) throw new HttpError(404, `There is no article ${id}.`);
  const ids = new Set([a.id]);
  const rootId = a.duplicateOf ?? a.id;
  ids.add(rootId);
  const root = rootId === a.id ? a : await ctx.store.getArticle(rootId);
  if (root?.storyId != null) for (const x of await ctx.store.storyArticles(root.storyId)) if (x.duplicateOf === rootId) ids.add(x.id);
  if (root && root.storyId == null) {
    // Without a story, copies are found the way the article page finds them.
    const { copiesOf } = await import('./data.ts');
    for (const c of await copiesOf(ctx.store, root)) ids.add(c.id);
  }
  return [...ids];
}

/** Midnight of a day (YYYY-MM-DD) in the time zone, as a UTC instant. */
export function zonedMidnight(day: string, tz: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  let t = Date.UTC(y, m - 1, d);
  for (let i = 0; i < 2; i++) {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    const shown = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    t -= shown - Date.UTC(y, m - 1, d);
  }
  return new Date(t);
}

function field(f: Form, name: string): string {
  return (f.fields.get(name) ?? '').trim();
}

export async function readerPost(ctx: PageContext, path: string, form: Form, findFeeds: FindFeeds | undefined): Promise<ReaderReply | null> {
  let m: RegExpExecArray | null;
  if ((m = /^\/articles\/([^/]+)\/(read|star)$/.exec(path))) {
    const v = viewerOf(ctx);
    const id = intParam(m[1], 'article id', true);
    const on = field(form, m[2] === 'read' ? 'read' : 'star') !== '0';
    if (m[2] === 'read') await ctx.store.markRead(v.id, await withCopies(ctx, id), on);
    else {
      if (!(await ctx.store.getArticle(id))) throw new HttpError(404, `There is no article ${id}.`);
      await ctx.store.setStarred(v.id, [id], on);
    }
    if (form.wantsJson) return { status: 200, json: { id, [m[2] === 'read' ? 'read' : 'starred']: on } };
    return redirect(backPath(form.fields.get('back'), `/articles/${id}`));
  }
  if (path === '/my/mark-read') {
    const v = viewerOf(ctx);
    const scope: MarkScope = {};
    const source = field(form, 'source');
    const story = field(form, 'story');
    const folder = field(form, 'folder');
    const day = field(form, 'day');
    const before = field(form, 'before');
    if (source) scope.sourceId = intParam(source, 'source');
    if (story) scope.storyId = intParam(story, 'story');
    if (folder) scope.folder = folder;
    if (day) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) throw new HttpError(400, 'day must be a date such as 2025-03-05');
      const from = zonedMidnight(day, ctx.clock.timeZone);
      const next = new Date(Date.parse(day) + 36 * 3600_000).toISOString().slice(0, 10);
      scope.since = from.toISOString();
      scope.before = zonedMidnight(next, ctx.clock.timeZone).toISOString();
    }
    if (before) {
      if (Number.isNaN(Date.parse(before))) throw new HttpError(400, 'before must be a time such as 2025-03-05T15:00:00Z');
      const b = new Date(before).toISOString();
      if (!scope.before || b < scope.before) scope.before = b;
    }
    if (scope.storyId !== undefined && scope.folder !== undefined) throw new HttpError(400, 'Mark a story or a folder read, not both at once.');
    const n = await ctx.store.markAllRead(v.id, scope);
    if (form.wantsJson) return { status: 200, json: { marked: n } };
    return redirect(backPath(form.fields.get('back'), '/my/unread'));
  }
  if (path === '/my/sources/add') {
    const v = viewerOf(ctx);
    const raw = field(form, 'feed') || field(form, 'url');
    const folder = field(form, 'folder');
    let url: URL;
    try {
      url = new URL(raw.includes('://') ? raw : `https://${raw}`);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    } catch {
      return mySourcesPage(ctx, html`<p class="notice" role="alert">“${raw}” is not a web address: give a site or feed address such as https://example.com/.</p>`, 400);
    }
    const known = await ctx.store.findSourceByUrl(url.href);
    let chosen: FeedChoice | null = known ? { url: known.url, kind: known.kind, title: known.title, siteUrl: known.siteUrl } : null;
    if (!chosen) {
      if (!findFeeds) throw new HttpError(503, 'Adding sources from the web needs the fetcher, which this server was started without.');
      let found: FeedChoice[];
      try {
        found = await findFeeds(url.href);
      } catch (e) {
        const msg = e instanceof DigestError ? e.message : 'the address could not be fetched';
        return mySourcesPage(ctx, html`<p class="notice" role="alert">No feed added: ${msg}.</p>`, 422);
      }
      if (found.length > 1 && !field(form, 'feed')) return choicePage(ctx, url.href, folder, found);
      chosen = found[0];
    }
    const r = await ctx.store.subscribeUrl(v.id, { url: chosen.url, kind: chosen.kind, title: chosen.title, siteUrl: chosen.siteUrl }, folder ? { folder } : {});
    return redirect(`/my/sources#sub-${r.subscription.source.id}`);
  }
  if ((m = /^\/my\/sources\/([^/]+)\/(edit|remove)$/.exec(path))) {
    const v = viewerOf(ctx);
    const id = intParam(m[1], 'source id', true);
    if (m[2] === 'remove') {
      const r = await ctx.store.unsubscribe(v.id, id);
      if (!r.removed) throw new HttpError(404, `You do not follow source ${id}.`);
      return redirect('/my/sources');
    }
    const ok = await ctx.store.updateSubscription(v.id, id, { title: field(form, 'title') || null, folder: field(form, 'folder') || null });
    if (!ok) throw new HttpError(404, `You do not follow source ${id}.`);
    return redirect(`/my/sources#sub-${id}`);
  }
  if (path === '/my/folders/rename' || path === '/my/folders/delete') {
    const v = viewerOf(ctx);
    const from = field(form, path.endsWith('rename') ? 'from' : 'folder');
    if (!from) throw new HttpError(400, 'Say which folder.');
    const n = path.endsWith('rename') ? await ctx.store.renameFolder(v.id, from, field(form, 'to') || null) : await ctx.store.deleteFolder(v.id, from);
    if (n === 0) throw new HttpError(404, `You have no folder “${from}”.`);
    return redirect('/my/sources');
  }
  if (path === '/my/opml/import') {
    const v = viewerOf(ctx);
    const file = form.files.get('opml');
    if (!file || file.length === 0) return mySourcesPage(ctx, html`<p class="notice" role="alert">Choose an OPML file to import.</p>`, 400);
    let outlines;
    try {
      outlines = parseOpml(file).outlines;
    } catch (e) {
      return mySourcesPage(ctx, html`<p class="notice" role="alert">That file is not OPML: ${e instanceof Error ? e.message : String(e)}.</p>`, 400);
    }
    let added = 0;
    let already = 0;
    for (const o of outlines) {
      let u: URL;
      try {
        u = new URL(o.url);
      } catch {
        continue;
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') continue;
      const r = await ctx.store.subscribeUrl(v.id, { url: u.href, kind: 'feed', title: o.title, siteUrl: o.siteUrl }, { folder: o.folder ?? null });
      if (r.wasSubscribed) already++;
      else added++;
    }
    return mySourcesPage(ctx, html`<p class="notice" role="status">Imported ${added} ${added === 1 ? 'subscription' : 'subscriptions'}${already ? html`; ${already} you already had` : ''}.</p>`);
  }
  return null;
}

/** GET /my/opml: the viewer's subscriptions as OPML 2.0 (their folders and titles). */
export async function myOpml(ctx: PageContext): Promise<string> {
  const v = viewerOf(ctx);
  const subs = await ctx.store.listSubscriptions(v.id);
  return toOpml(subs.map((s) => ({ ...s.source, title: s.title ?? s.source.title, folder: s.folder })), `${ctx.siteTitle}: ${v.name}'s subscriptions`);
}
