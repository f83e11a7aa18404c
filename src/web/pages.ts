// Server-rendered HTML pages. Every value goes through the escaping html`` helper;
// only stored article HTML (sanitised when it was stored) is inserted as markup; search
// snippets come from the store as plain text with match offsets (marked up by markRanges).
import { MAX_ANALYSIS_ATTEMPTS, type Article, type Source } from '../core/types.ts';
import { DigestError, type ErrorKind } from '../core/errors.ts';
import type { PersonRecord, QuoteRecord, SectionCount, Store, StoryRecord } from '../store/types.ts';
import { copiesOf, groupQuotes, outletName, rankStories, relatedStories, searchTerms, TtlCache, type QuoteGroup } from './data.ts';
import { dateTime, dayKey, dayLabel, daySpan, excerpt, hostOf, lede, relative, safeUrl, sentences, timeOfDay, type Clock } from './format.ts';
import { escapeHtml, html, markRanges, raw, type SafeHtml } from './html.ts';
import { layout, type LayoutOptions } from './layout.ts';
import { articleStateForms, markAllForm } from './state-forms.ts';

export interface PageContext {
  store: Store;
  siteTitle: string;
  baseUrl: string;
  cssHref: string;
  clock: Clock;
  /** Articles per page on the home and section pages. */
  pageSize: number;
  /** Hits per search result page. */
  searchPageSize: number;
  /** Recommended stories, kept a few minutes (they cost several full-text queries). */
  relatedCache: TtlCache<string, StoryRecord[]>;
  /** Section list for the home page, kept a minute (it counts every article). */
  sectionsCache: TtlCache<'all', SectionCount[]>;
  /** Who is asking: null = anonymous. */
  viewer: { id: number; name: string; admin: boolean } | null;
  /** CSRF token for every state-changing form (<input type="hidden" name="csrf" value="…">); '' when anonymous. */
  csrf: string;
}

export interface Page {
  status: number;
  body: string;
  /** Set for redirects. */
  location?: string;
  /** Extra headers (e.g. Set-Cookie, Retry-After). */
  headers?: Record<string, string | string[]>;
}

export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export type Shell = Omit<LayoutOptions, 'siteTitle' | 'baseUrl' | 'cssHref' | 'viewer' | 'csrf'>;

export function pageOf(ctx: PageContext, shell: Shell, body: SafeHtml, status = 200): Page {
  return {
    status,
    body: layout({ siteTitle: ctx.siteTitle, baseUrl: ctx.baseUrl, cssHref: ctx.cssHref, viewer: ctx.viewer, csrf: ctx.csrf, ...shell }, body).value,
  };
}

export function timeEl(iso: string | null | undefined, text: string): SafeHtml {
  if (!iso || !text) return html``;
  return html`<time datetime="${iso}">${text}</time>`;
}

export function published(a: Article): string {
  return a.published ?? a.fetchedAt;
}

/** Parse a positive integer path/query parameter, or throw 400/404. */
export function intParam(v: string | null | undefined, name: string, notFound = false): number {
  if (v == null || !/^\d{1,15}$/.test(v) || Number(v) < 1) {
    throw new HttpError(notFound ? 404 : 400, `${name} must be a positive whole number`);
  }
  return Number(v);
}

// ---------------------------------------------------------------- pieces

function articleItem(ctx: PageContext, a: Article, read: Set<number>, opts: { day?: boolean } = {}): SafeHtml {
  const when = opts.day ? dateTime(published(a), ctx.clock.timeZone) : timeOfDay(published(a), ctx.clock.timeZone);
  return html`<li class="item${read.has(a.id) ? ' is-read' : ''}"${ctx.viewer ? html` data-item="${a.id}"` : ''}>
<a class="item-title" href="/articles/${a.id}">${a.title}</a>
<p class="meta"><span class="outlet">${outletName(a)}</span>${when ? html` · ${timeEl(published(a), when)}` : ''}${a.byline ? html` · <span class="byline">${a.byline}</span>` : ''}${read.has(a.id) ? html` · <span class="read-mark">read</span>` : ''}</p>
${a.summary || a.text ? html`<p class="summary">${lede(a.summary || a.text, 200, 2)}</p>` : ''}
</li>`;
}

/**
 * A story in a list. `summary`: 'lead' shows up to two whole sentences of its summary,
 * 'short' the first sentence, 'none' only the headline and counts (compact lists).
 */
export function storyCard(ctx: PageContext, s: StoryRecord, headingLevel: 2 | 3, summary: 'lead' | 'short' | 'none' = 'short'): SafeHtml {
  const h = headingLevel === 2 ? html`<h2 class="story-title"><a href="/stories/${s.id}">${s.title}</a></h2>` : html`<h3 class="story-title"><a href="/stories/${s.id}">${s.title}</a></h3>`;
  const text = summary === 'none' ? '' : summary === 'lead' ? lede(s.summary, 260, 2) : lede(s.summary, 200, 1);
  return html`<li class="story-card">
${h}
${text ? html`<p class="summary">${text}</p>` : ''}
<p class="meta">${storyCounts(s)} · updated ${timeEl(s.lastUpdated, relative(s.lastUpdated, ctx.clock))}</p>
</li>`;
}

function storyCounts(s: StoryRecord): string {
  const outlets = `${s.sourceCount} ${s.sourceCount === 1 ? 'outlet' : 'outlets'}`;
  // A story of one article from one outlet needs no counts beyond that.
  return s.articleCount <= s.sourceCount ? outlets : `${outlets} · ${s.articleCount} articles`;
}

function dayGroups(ctx: PageContext, articles: Article[], read: Set<number>, level: 2 | 3): SafeHtml {
  const groups: { key: string; items: Article[] }[] = [];
  for (const a of articles) {
    const key = dayKey(published(a), ctx.clock.timeZone);
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.items.push(a);
    else groups.push({ key, items: [a] });
  }
  return html`${groups.map((g) => {
    const label = dayLabel(g.key, ctx.clock);
    const head = level === 2 ? html`<h2 class="day">${label}</h2>` : html`<h3 class="day">${label}</h3>`;
    return html`<section class="day-group" aria-label="${label}">
${head}
<ol class="items">
${g.items.map((a) => articleItem(ctx, a, read))}
</ol>
</section>
`;
  })}`;
}

function stanceLabel(stance: string | null): string {
  if (!stance) return '';
  const m: Record<string, string> = {
    claim: 'claims',
    deny: 'denies',
    confirm: 'confirms',
    warn: 'warns',
    promise: 'promises',
  };
  return m[stance] ?? stance;
}

/** A dateline the quote picked up from the article's first sentence ("VOSTRAVA — "). */
const DATELINE = /^\p{Lu}[\p{Lu}\s.,'’-]{2,}(?:\([^)]{1,30}\))?\s*[—–]\s+/u;

/**
 * A role as written, without the speaker's own name the attribution ran into ("senior
 * presidential aide Yevgeny" for Yevgeny Marov).
 */
export function cleanRole(role: string | null | undefined, speaker: string | null | undefined): string {
  if (!role) return '';
  const names = new Set((speaker ?? '').toLowerCase().split(/[\s.,]+/).filter((w) => w.length >= 2));
  const words = role.replace(/\s+/g, ' ').trim().replace(/[,;:]+$/, '').split(' ');
  while (words.length > 1 && names.has(words[words.length - 1].toLowerCase().replace(/[’']s$/, ''))) words.pop();
  while (words.length > 1 && names.has(words[0].toLowerCase())) words.shift();
  const out = words.join(' ');
  return names.has(out.toLowerCase()) ? '' : out;
}

/**
 * The roles a person is given, once each: the same words in other capitals are one role,
 * and a role inside a longer one ("presidential aide" in "senior presidential aide") goes.
 */
export function distinctRoles(roles: string[], name: string): string[] {
  const out: string[] = [];
  for (const r of roles.map((x) => cleanRole(x, name)).filter(Boolean)) {
    const k = r.toLowerCase();
    if (out.some((o) => o.toLowerCase() === k)) continue;
    out.push(r);
  }
  const within = (a: string, b: string) => a !== b && ` ${b.toLowerCase()} `.includes(` ${a.toLowerCase()} `);
  return out.filter((r) => !out.some((o) => within(r, o)));
}

/**
 * A text directive (`:~:text=`, scroll-to-text) for a quote's words, so a link takes the
 * reader to the passage in the article's body (the first place the words appear); browsers
 * without it, or words split across paragraphs, fall back to the fragment before it (the
 * quote in "Who said what"). Long quotes are matched by their first and last four words.
 */
export function textDirective(quote: string): string {
  const words = quote.replace(DATELINE, '').split(/\s+/).filter(Boolean);
  const edge = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
  if (words.length) {
    words[0] = words[0].replace(edge, '');
    words[words.length - 1] = words[words.length - 1].replace(edge, '');
  }
  const ws = words.filter(Boolean);
  if (ws.length < 2) return '';
  const enc = (x: string) => encodeURIComponent(x).replace(/-/g, '%2D');
  if (ws.length <= 8) return `:~:text=${enc(ws.join(' '))}`;
  return `:~:text=${enc(ws.slice(0, 4).join(' '))},${enc(ws.slice(-4).join(' '))}`;
}

function quoteList(groups: QuoteGroup[], opts: { showArticle?: boolean; limit?: number; anchors?: boolean; hideSpeaker?: boolean } = {}): SafeHtml {
  const shown = opts.limit ? groups.slice(0, opts.limit) : groups;
  return html`<ul class="quotes">
${shown.map((g) => {
  const first = g.carriers[0];
  const speaker = opts.hideSpeaker
    ? ''
    : g.speaker
      ? g.personId != null
        ? html`<a class="speaker" href="/people/${g.personId}">${g.speaker}</a>`
        : html`<span class="speaker">${g.speaker}</span>`
      : html`<span class="speaker unnamed">Unattributed</span>`;
  const words = g.quote.replace(DATELINE, '');
  const text = g.kind === 'direct' ? html`<p>“${words.replace(/^[“"‘']+|[”"’']+$/g, '')}”</p>` : html`<p>${words}</p>`;
  const role = cleanRole(g.speakerRole, g.speaker);
  return html`<li class="quote quote-${g.kind}"${opts.anchors && first ? html` id="q${first.quote.id}"` : ''}>
<figure>
<blockquote${first ? html` cite="${safeUrl(first.article.url) ?? ''}"` : ''}>${text}</blockquote>
<figcaption>${speaker}${role ? html`${speaker ? ', ' : ''}<span class="role">${role}</span>` : ''}${g.stance ? html` <span class="stance stance-${g.stance}">${stanceLabel(g.stance)}</span>` : ''}
${opts.anchors && first
  ? html` · <a class="in-text" href="#q${first.quote.id}${textDirective(first.quote.quote)}">in the text</a>`
  : html`<span class="carriers">${g.carriers.map((c, i) => html`${i ? ', ' : ' · '}<a href="/articles/${c.article.id}#q${c.quote.id}${textDirective(c.quote.quote)}">${outletName(c.article)}</a>`)}</span>`}
${opts.showArticle && first ? html`<span class="quote-article">in <a href="/articles/${first.article.id}">${first.article.title}</a></span>` : ''}
</figcaption>
</figure>
</li>`;
})}
</ul>`;
}

/**
 * Claims with the denials that answer them: a denial from another speaker sharing a
 * content word with the claim, or the only denial when there is only one claim. Denials
 * come from `pool` (on an article page: the whole story's quotes).
 */
function claimsSection(groups: QuoteGroup[], pool: QuoteGroup[] = groups): SafeHtml {
  const claims = groups.filter((g) => g.stance === 'claim');
  const denials = pool.filter((g) => g.stance === 'deny');
  if (claims.length === 0) return html``;
  const words = (g: QuoteGroup) => new Set(searchTerms(g.quote, 50));
  const rows = claims.map((c) => {
    const cw = words(c);
    const disputes = denials.filter((d) => {
      if (d.speaker && c.speaker && d.speaker === c.speaker) return false;
      const shared = [...words(d)].filter((w) => cw.has(w)).length;
      return shared >= 1 || (claims.length === 1 && denials.length === 1);
    });
    return html`<li class="claim">
<p><span class="speaker">${c.speaker ?? 'Unattributed'}</span> claims: ${c.quote}</p>
${disputes.length
  ? html`<ul class="disputes">${disputes.map((d) => html`<li><span class="speaker">${d.speaker ?? 'Unattributed'}</span> disputes it: ${d.quote}${d.carriers[0] ? html` <span class="carriers">(<a href="/articles/${d.carriers[0].article.id}#q${d.carriers[0].quote.id}">${outletName(d.carriers[0].article)}</a>)</span>` : ''}</li>`)}</ul>`
  : html`<p class="meta">Not disputed in this coverage.</p>`}
</li>`;
  });
  return html`<h3>Claims and denials</h3>
<ul class="claims">${rows}</ul>`;
}

const MAIN_QUOTES = 10;
/** Statements of one speaker in the unfolded list; the rest wait under "more statements". */
const PER_SPEAKER = 2;

/**
 * Who said what: quoted words (direct and mixed) and stances first, those carried by
 * more outlets before others, at most two per speaker; reported speech without a stance,
 * a speaker's further statements and anything past the first ten folded under "more
 * statements".
 */
function whoSaidWhat(groups: QuoteGroup[], opts: { showArticle?: boolean; anchors?: boolean; disputePool?: QuoteGroup[] } = {}): SafeHtml {
  if (groups.length === 0) return html``;
  const primary = groups
    .map((g, i) => ({ g, i }))
    .filter(({ g }) => g.kind !== 'indirect' || g.stance)
    .sort((a, b) => b.g.carriers.length - a.g.carriers.length || a.i - b.i)
    .map(({ g }) => g);
  const perSpeaker = new Map<string, number>();
  const shown: QuoteGroup[] = [];
  for (const g of primary) {
    if (shown.length >= MAIN_QUOTES) break;
    const who = g.personId != null ? `p${g.personId}` : (g.speaker ?? '').toLowerCase();
    const n = perSpeaker.get(who) ?? 0;
    if (who && n >= PER_SPEAKER) continue;
    perSpeaker.set(who, n + 1);
    shown.push(g);
  }
  const rest = groups.filter((g) => !shown.includes(g));
  return html`<section class="who-said-what" aria-labelledby="wsw">
<h2 id="wsw">Who said what</h2>
${shown.length ? quoteList(shown, opts) : ''}
${rest.length
  ? shown.length
    ? html`<details class="more-quotes"><summary>${rest.length} more ${rest.length === 1 ? 'statement' : 'statements'}</summary>${quoteList(rest, opts)}</details>`
    : quoteList(rest, opts)
  : ''}
${claimsSection(groups, opts.disputePool)}
</section>`;
}

function recommended(ctx: PageContext, stories: StoryRecord[]): SafeHtml {
  if (stories.length === 0) return html``;
  return html`<section class="recommended" aria-labelledby="rec">
<h2 id="rec">Recommended stories</h2>
<ul class="stories compact">${stories.map((s) => storyCard(ctx, s, 3, 'none'))}</ul>
</section>`;
}

/** The viewer's read articles among these (anonymous visitors have no read state). */
export async function readSet(ctx: PageContext, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0 || !ctx.viewer) return new Set();
  return new Set((await ctx.store.articleStates(ctx.viewer.id, ids)).filter((x) => x.readAt).map((x) => x.articleId));
}

// ---------------------------------------------------------------- pages

export async function homePage(ctx: PageContext, url: URL): Promise<Page> {
  const cursor = url.searchParams.get('cursor');
  let page;
  try {
    page = await ctx.store.listArticles({ limit: ctx.pageSize, cursor, hideCopies: true });
  } catch (e) {
    if (cursor) throw new HttpError(400, 'That page link is not valid any more.');
    throw e;
  }
  // The store's best 40 by stored score, re-ranked as of now; stories covered by several
  // outlets come first, single-outlet ones only fill up.
  const candidates = cursor ? [] : rankStories((await ctx.store.listStories({ limit: 40 })).items, ctx.clock.now());
  const multi = candidates.filter((s) => s.sourceCount >= 2);
  const stories = [...multi, ...candidates.filter((s) => s.sourceCount < 2)].slice(0, Math.max(3, Math.min(8, multi.length)));
  let sections: SectionCount[] = [];
  if (!cursor) {
    sections = ctx.sectionsCache.get('all') ?? (await ctx.store.listSections());
    ctx.sectionsCache.set('all', sections);
  }
  const read = await readSet(ctx, page.items.map((a) => a.id));
  const body = html`<h1 class="visually-hidden">${ctx.siteTitle}</h1>
${sections.length > 1
  ? html`<nav class="sections" aria-label="Sections"><ul>${sections.slice(0, 12).map((s) => html`<li><a href="/sections/${encodeURIComponent(s.section)}">${s.section}</a></li>`)}</ul></nav>`
  : ''}
<div class="home${stories.length ? ' has-stories' : ''}">
${stories.length
  ? html`<section class="top-stories" aria-labelledby="top">
<h2 id="top" class="section-title">Top stories</h2>
<ol class="stories">${stories.map((s, i) => storyCard(ctx, s, 3, i === 0 ? 'lead' : 'short'))}</ol>
</section>`
  : ''}
<section class="latest" aria-labelledby="latest">
<h2 id="latest" class="section-title">${cursor ? 'Older articles' : 'Latest'}</h2>
${page.items.length
  ? dayGroups(ctx, page.items, read, 3)
  : html`<p class="empty">No articles yet. Add a source with <code>digest add &lt;url&gt;</code> and run <code>digest fetch</code>.</p>`}
${page.next ? html`<nav class="pager" aria-label="Pages"><a rel="next" href="/?cursor=${encodeURIComponent(page.next)}">Older articles →</a></nav>` : ''}
</section>
</div>`;
  return pageOf(ctx, { title: cursor ? 'Older articles' : null, path: '/', current: 'home', noindex: !!cursor }, body);
}

/**
 * Stored article HTML (already sanitised) made to sit inside our page: a <main> of the
 * original site becomes a <div> (the page has its own main landmark), and its headings
 * move below the page's h1, keeping their relative ranks (h1/h3/h4 → h2/h3/h4).
 */
export function bodyMarkup(stored: string): string {
  const levels = [...new Set([...stored.matchAll(/<h([1-6])[\s>]/gi)].map((m) => Number(m[1])))].sort();
  const to = new Map(levels.map((l, i) => [l, Math.min(6, i + 2)]));
  return stored
    .replace(/<(\/?)main(?=[\s>])/gi, '<$1div')
    .replace(/<(\/?)h([1-6])(?=[\s>])/gi, (_m, close: string, l: string) => `<${close}h${to.get(Number(l)) ?? 6}`);
}

export async function articlePage(ctx: PageContext, idParam: string): Promise<Page> {
  const id = intParam(idParam, 'article id', true);
  const a = await ctx.store.getArticle(id);
  if (!a) throw new HttpError(404, `There is no article ${id}.`);
  const tz = ctx.clock.timeZone;
  const outlet = outletName(a);
  const original = a.duplicateOf != null ? await ctx.store.getArticle(a.duplicateOf) : null;
  const copies = await copiesOf(ctx.store, original ?? a);
  const alsoIn = copies.filter((c) => c.id !== a.id);
  const more = (await ctx.store.listArticles({ sourceId: a.sourceId, limit: 7, hideCopies: true })).items
    .filter((x) => x.id !== a.id)
    .slice(0, 5);
  const quotes = await ctx.store.quotesForArticle(a.id);
  const groups = await groupQuotes(ctx.store, quotes, [a]);
  const story = a.storyId != null ? await ctx.store.getStory(a.storyId) : null;
  // Denials of this article's claims may be in other articles of the story.
  const disputePool =
    story && groups.some((g) => g.stance === 'claim')
      ? await groupQuotes(ctx.store, (await ctx.store.quotesForStory(story.story.id)).filter((q) => q.stance === 'deny'), [a])
      : groups;
  const related = await relatedStories(ctx.store, [story?.story.title, a.title], story?.story.id ?? null, 4, { cache: ctx.relatedCache });

  const link = safeUrl(a.canonicalUrl) ?? safeUrl(a.url);
  // The lead image is shown above the body unless the body already carries it.
  const img =
    a.leadImage && safeUrl(a.leadImage.url) && !a.html.includes(escapeHtml(a.leadImage.url)) && !a.html.includes(a.leadImage.url)
      ? a.leadImage
      : null;
  const bodyHtml = a.html.trim()
    ? raw(bodyMarkup(a.html))
    : html`${a.text.split(/\n{2,}/).filter((p) => p.trim()).map((p) => html`<p>${p}</p>`)}`;

  const body = html`<article class="article"${a.lang ? html` lang="${a.lang}"` : ''}>
<header class="article-header">
<p class="kicker"><a href="/sources/${a.sourceId}">${outlet}</a>${a.section ? html` · <a href="/sections/${encodeURIComponent(a.section)}">${a.section}</a>` : ''}</p>
<h1>${a.title}</h1>
<p class="meta">${a.byline ? html`<span class="byline">By ${a.byline}</span> · ` : ''}${timeEl(published(a), dateTime(published(a), tz))}${a.publishedIsFallback ? html` <span class="note">(first seen; no date given)</span>` : ''}</p>
${story ? html`<p class="in-story">Part of the story <a href="/stories/${story.story.id}">${story.story.title}</a> · ${story.story.sourceCount} ${story.story.sourceCount === 1 ? 'outlet' : 'outlets'}</p>` : ''}
${original
  ? html`<p class="copy-note">This is a republished copy of ${original.title.trim() !== a.title.trim() && !a.title.startsWith(original.title.trim())
      ? html`<a href="/articles/${original.id}">“${original.title}”</a> from ${outletName(original)}`
      : html`<a href="/articles/${original.id}">the original at ${outletName(original)}</a>`}, published ${timeEl(published(original), dateTime(published(original), tz))}.</p>`
  : ''}
</header>
${img
  ? html`<figure class="lead-image">
<img src="${img.url}" alt="${img.alt ?? img.caption ?? ''}" loading="lazy" decoding="async">
${img.caption || img.credit ? html`<figcaption>${img.caption ?? ''}${img.credit ? html`${!img.caption ? '' : /[.!?]["”’)]?\s*$/.test(img.caption) ? ' ' : ' · '}<span class="credit">${img.credit}</span>` : ''}</figcaption>` : ''}
</figure>`
  : ''}
${a.extractedFrom === 'feed' ? html`<p class="notice">Shown from the feed's own content: the article page could not be extracted${a.extractionError ? html` (${a.extractionError})` : ''}.</p>` : ''}
<div class="article-body">
${bodyHtml}
</div>
${link ? html`<p class="read-at"><a class="button" href="${link}" rel="noopener">Read at ${outlet} <span aria-hidden="true">→</span></a></p>` : ''}
${ctx.viewer ? await articleStateForms(ctx, a, `/articles/${a.id}`, { autoread: true }) : ''}
</article>
${alsoIn.length || original
  ? html`<section class="also-in" aria-labelledby="also">
<h2 id="also">Also in</h2>
<ul class="inline-list">${[...(original ? [original] : []), ...alsoIn].map((c) => html`<li><a href="/articles/${c.id}">${outletName(c)}</a>${c.id === original?.id ? ' (original)' : ''}</li>`)}</ul>
</section>`
  : ''}
${whoSaidWhat(groups, { anchors: true, disputePool })}
${more.length
  ? html`<section class="more-from" aria-labelledby="more">
<h2 id="more">More from ${outlet}</h2>
<ol class="items">${more.map((m) => articleItem(ctx, m, new Set(), { day: true }))}</ol>
</section>`
  : ''}
${recommended(ctx, related)}`;
  return pageOf(ctx, { title: a.title, path: `/articles/${a.id}`, description: excerpt(a.summary || a.text, 200), lang: 'en' }, body);
}

export async function storyPage(ctx: PageContext, idParam: string): Promise<Page> {
  const id = intParam(idParam, 'story id', true);
  const got = await ctx.store.getStory(id);
  if (!got) throw new HttpError(404, `There is no story ${id}.`);
  if (got.redirected || got.story.id !== id) return { status: 301, body: '', location: `/stories/${got.story.id}` };
  const s = got.story;
  const tz = ctx.clock.timeZone;
  const all = await ctx.store.storyArticles(s.id);
  const originals = all.filter((a) => a.duplicateOf == null || !all.some((o) => o.id === a.duplicateOf));
  const copiesBy = new Map<number, Article[]>();
  for (const a of all) {
    if (a.duplicateOf != null && originals.every((o) => o.id !== a.id)) {
      copiesBy.set(a.duplicateOf, [...(copiesBy.get(a.duplicateOf) ?? []), a]);
    }
  }
  // Coverage by outlet: outlets in order of first coverage.
  const byOutlet = new Map<string, Article[]>();
  for (const a of originals) byOutlet.set(outletName(a), [...(byOutlet.get(outletName(a)) ?? []), a]);
  const quotes = await ctx.store.quotesForStory(s.id);
  const groups = await groupQuotes(ctx.store, quotes, all);
  const related = await relatedStories(ctx.store, [s.title], s.id, 4, { cache: ctx.relatedCache });
  const read = await readSet(ctx, all.map((a) => a.id));

  const copiesFold = (a: Article) => {
    const cs = copiesBy.get(a.id) ?? [];
    if (cs.length === 0) return html``;
    return html`<details class="copies"><summary>Also carried by ${cs.length} ${cs.length === 1 ? 'outlet' : 'outlets'}</summary>
<ul class="inline-list">${cs.map((c) => html`<li><a href="/articles/${c.id}">${outletName(c)}</a></li>`)}</ul>
</details>`;
  };

  const body = html`<article class="story">
<header class="article-header">
<p class="kicker">Story</p>
<h1>${s.title}</h1>
<p class="meta">${storyCounts(s)} · ${daySpan(s.firstSeen, s.lastUpdated, tz)} · updated <time datetime="${s.lastUpdated}" title="${dateTime(s.lastUpdated, tz)}">${relative(s.lastUpdated, ctx.clock)}</time></p>
${ctx.viewer ? markAllForm(ctx, { story: String(s.id) }, 'Mark the story read', `/stories/${s.id}`) : ''}
</header>
${storySummary(s.summary)}
<section class="coverage" aria-labelledby="coverage">
<h2 id="coverage">Coverage by outlet</h2>
<ul class="outlets">
${[...byOutlet.entries()].map(([name, list]) => html`<li class="outlet-block">
<h3>${name}</h3>
<ul class="items">${list.map((a) => html`<li class="item${read.has(a.id) ? ' is-read' : ''}"><a class="item-title" href="/articles/${a.id}">${a.title}</a>
<p class="meta">${timeEl(published(a), dateTime(published(a), tz))}${a.byline ? html` · ${a.byline}` : ''}</p>
${copiesFold(a)}</li>`)}</ul>
</li>`)}
</ul>
</section>
${whoSaidWhat(groups)}
<section class="timeline" aria-labelledby="timeline">
<h2 id="timeline">Timeline</h2>
${timelineDays(ctx, all)}
</section>
</article>
${recommended(ctx, related)}`;
  return pageOf(ctx, { title: s.title, path: `/stories/${s.id}`, description: s.summary }, body);
}

/** A story summary: its sentences come from different articles, so each stands alone. */
function storySummary(summary: string | null): SafeHtml {
  const ss = sentences(summary);
  if (ss.length === 0) return html``;
  if (ss.length === 1) return html`<p class="story-summary">${ss[0]}</p>`;
  return html`<ul class="story-summary">${ss.map((x) => html`<li>${x}</li>`)}</ul>`;
}

/** A story's articles in order, under one heading per day, each with its time. */
function timelineDays(ctx: PageContext, articles: Article[]): SafeHtml {
  const tz = ctx.clock.timeZone;
  const days: { key: string; items: Article[] }[] = [];
  for (const a of articles) {
    const key = dayKey(published(a), tz);
    const last = days[days.length - 1];
    if (last && last.key === key) last.items.push(a);
    else days.push({ key, items: [a] });
  }
  return html`<ol class="timeline-days">
${days.map((d) => html`<li><h3 class="day">${dayLabel(d.key, ctx.clock)}</h3>
<ol class="timeline-list">
${d.items.map((a) => html`<li class="timeline-entry${a.duplicateOf != null ? ' is-copy' : ''}">${timeEl(published(a), timeOfDay(published(a), tz))} <span class="outlet">${outletName(a)}</span>: <a href="/articles/${a.id}">${a.title}</a>${a.duplicateOf != null ? html` <span class="note">(copy)</span>` : ''}</li>`)}
</ol></li>`)}
</ol>`;
}

/** Statements shown unfolded on a person's page. */
const PERSON_QUOTES = 10;

export async function personPage(ctx: PageContext, idParam: string): Promise<Page> {
  const id = intParam(idParam, 'person id', true);
  const p: PersonRecord | null = await ctx.store.getPerson(id);
  if (!p) throw new HttpError(404, `There is no person ${id}.`);
  const quotes: QuoteRecord[] = await ctx.store.quotesForPerson(p.id);
  const groups = await groupQuotes(ctx.store, quotes);
  const listing = await ctx.store.listEntity(p.id, { limit: 10 });
  const roles = distinctRoles(quotes.map((q) => q.speakerRole).filter((r): r is string => !!r), p.name);
  const stories: StoryRecord[] = [];
  for (const sid of listing?.storyIds.slice(0, 8) ?? []) {
    const got = await ctx.store.getStory(sid);
    if (got && !stories.some((x) => x.id === got.story.id)) stories.push(got.story);
  }
  const kind = p.type === 'PER' ? 'Person' : p.type === 'ORG' ? 'Organisation' : 'Place';
  const body = html`<header class="article-header">
<p class="kicker">${kind}</p>
<h1>${p.name}</h1>
${roles.length ? html`<p class="meta">Described as ${roles.slice(0, 4).join('; ')}</p>` : ''}
${p.aliases.length ? html`<p class="meta">Also written as ${p.aliases.join(', ')}</p>` : ''}
</header>
${groups.length
  ? html`<section aria-labelledby="said"><h2 id="said">What ${p.name} said</h2>${quoteList(groups.slice(0, PERSON_QUOTES), { showArticle: true, hideSpeaker: true })}${groups.length > PERSON_QUOTES
      ? html`<details class="more-quotes"><summary>${groups.length - PERSON_QUOTES} more ${groups.length - PERSON_QUOTES === 1 ? 'statement' : 'statements'}</summary>${quoteList(groups.slice(PERSON_QUOTES), { showArticle: true, hideSpeaker: true })}</details>`
      : ''}</section>`
  : html`<p class="empty">No quotes from ${p.name} yet.</p>`}
${stories.length ? html`<section aria-labelledby="in-stories"><h2 id="in-stories">In the stories</h2><ul class="stories compact">${stories.map((s) => storyCard(ctx, s, 3, 'none'))}</ul></section>` : ''}
${listing && listing.articles.length
  ? html`<section aria-labelledby="mentions"><h2 id="mentions">Mentioned in</h2><ol class="items">${listing.articles.map((a) => articleItem(ctx, a, new Set(), { day: true }))}</ol></section>`
  : ''}`;
  return pageOf(ctx, { title: p.name, path: `/people/${p.id}` }, body);
}

export async function sectionPage(ctx: PageContext, name: string, url: URL): Promise<Page> {
  const cursor = url.searchParams.get('cursor');
  let page;
  try {
    page = await ctx.store.listArticles({ section: name, limit: ctx.pageSize, cursor, hideCopies: true });
  } catch (e) {
    if (cursor) throw new HttpError(400, 'That page link is not valid any more.');
    throw e;
  }
  if (page.items.length === 0 && !cursor) throw new HttpError(404, `There is no section “${name}”.`);
  const read = await readSet(ctx, page.items.map((a) => a.id));
  const path = `/sections/${encodeURIComponent(name)}`;
  const body = html`<header class="page-header"><p class="kicker">Section</p><h1>${name}</h1></header>
${dayGroups(ctx, page.items, read, 2)}
${page.next ? html`<nav class="pager" aria-label="Pages"><a rel="next" href="${path}?cursor=${encodeURIComponent(page.next)}">Older articles →</a></nav>` : ''}`;
  return pageOf(ctx, { title: name, path }, body);
}

export function hintFor(kind: string): string {
  try {
    return new DigestError(kind as ErrorKind, '').hint ?? '';
  } catch {
    return '';
  }
}

export function sourceStatus(s: Source): { label: string; cls: string } {
  if (s.disabled) return { label: 'Disabled', cls: 'bad' };
  if (!s.lastFetchedAt) return { label: 'Not fetched yet', cls: 'idle' };
  if (s.lastErrorKind) return { label: s.lastStatus ? `Failing (${s.lastStatus})` : 'Failing', cls: 'bad' };
  if (s.lastStatus === 304) return { label: 'OK (not modified)', cls: 'ok' };
  return { label: s.lastStatus ? `OK (${s.lastStatus})` : 'OK', cls: 'ok' };
}

export async function sourcesPage(ctx: PageContext): Promise<Page> {
  const sources = await ctx.store.listSources();
  const failing = sources.filter((s) => s.lastErrorKind || s.disabled).length;
  const unanalysed = new Map<number, number>();
  for (const f of await ctx.store.analysisFailures({ limit: 1000 })) unanalysed.set(f.sourceId, (unanalysed.get(f.sourceId) ?? 0) + 1);
  const body = html`<header class="page-header"><h1>Sources</h1>
<p class="meta">${sources.length} ${sources.length === 1 ? 'source' : 'sources'}${failing ? html` · <strong>${failing} with problems</strong>` : ' · all healthy'}</p></header>
${sources.length === 0 ? html`<p class="empty">No sources yet. Add one with <code>digest add &lt;url&gt;</code>.</p>` : ''}
<ul class="source-list">
${sources.map((s) => {
  const st = sourceStatus(s);
  const title = s.title || hostOf(s.url) || s.url;
  return html`<li class="source-card" id="source-${s.id}">
<h2 class="source-title"><a href="/sources/${s.id}">${title}</a>${s.folder ? html` <span class="folder">${s.folder}</span>` : ''}</h2>
<p class="source-url">${s.url}</p>
<dl class="facts">
<div><dt>Status</dt><dd><span class="status status-${st.cls}">${st.label}</span></dd></div>
<div><dt>Last fetch</dt><dd>${s.lastFetchedAt ? timeEl(s.lastFetchedAt, relative(s.lastFetchedAt, ctx.clock)) : 'never'}</dd></div>
<div><dt>Next due</dt><dd>${s.disabled ? 'not scheduled' : s.nextDueAt ? timeEl(s.nextDueAt, relative(s.nextDueAt, ctx.clock)) : 'now'}</dd></div>
<div><dt>Articles</dt><dd>${s.articleCount ?? 0}</dd></div>
</dl>
${s.lastErrorKind || s.lastError
  ? html`<div class="source-error" role="note"><p><strong>Last error${s.lastErrorKind ? html` (<code>${s.lastErrorKind}</code>)` : ''}:</strong> ${s.lastError ?? ''}</p>${s.lastErrorKind && hintFor(s.lastErrorKind) ? html`<p class="hint">What to do: ${hintFor(s.lastErrorKind)}.</p>` : ''}${s.errorCount > 1 ? html`<p class="hint">${s.errorCount} failures in a row.</p>` : ''}</div>`
  : ''}
${unanalysed.get(s.id)
  ? html`<div class="source-error" role="note"><p><strong>Analysis failed</strong> for ${unanalysed.get(s.id)} ${unanalysed.get(s.id) === 1 ? 'article' : 'articles'}: <a href="/sources/${s.id}#analysis-failures">see which and why</a>.</p></div>`
  : ''}
</li>`;
})}
</ul>`;
  return pageOf(ctx, { title: 'Sources', path: '/sources', current: 'sources' }, body);
}


function outcomeLabel(outcome: string): { label: string; cls: string } {
  if (outcome === 'ok') return { label: 'OK', cls: 'ok' };
  if (outcome === 'not_modified') return { label: 'Not modified', cls: 'ok' };
  if (outcome === 'push') return { label: 'Pushed (WebSub)', cls: 'ok' };
  return { label: outcome.replace(/_/g, ' '), cls: 'bad' };
}

export async function sourcePage(ctx: PageContext, idParam: string): Promise<Page> {
  const id = intParam(idParam, 'source id', true);
  const s = await ctx.store.getSource(id);
  if (!s) throw new HttpError(404, `There is no source ${id}.`);
  const fetches = await ctx.store.recentFetches(s.id, 20);
  const latest = await ctx.store.listArticles({ sourceId: s.id, limit: 10 });
  const failures = await ctx.store.analysisFailures({ sourceId: s.id, limit: 20 });
  const st = sourceStatus(s);
  const title = s.title || hostOf(s.url) || s.url;
  const site = safeUrl(s.siteUrl);
  const tz = ctx.clock.timeZone;
  const body = html`<header class="page-header"><p class="kicker"><a href="/sources">Sources</a></p><h1>${title}</h1>
<p class="source-url">${s.url}</p>
${site ? html`<p><a href="${site}" rel="noopener">Visit ${hostOf(site) || site}</a></p>` : ''}
</header>
<dl class="facts facts-wide">
<div><dt>Status</dt><dd><span class="status status-${st.cls}">${st.label}</span></dd></div>
<div><dt>Last fetch</dt><dd>${s.lastFetchedAt ? timeEl(s.lastFetchedAt, relative(s.lastFetchedAt, ctx.clock)) : 'never'}</dd></div>
<div><dt>Next due</dt><dd>${s.disabled ? 'not scheduled' : s.nextDueAt ? timeEl(s.nextDueAt, relative(s.nextDueAt, ctx.clock)) : 'now'}</dd></div>
<div><dt>Interval</dt><dd>${Math.round(s.intervalSec / 60)} min</dd></div>
<div><dt>Kind</dt><dd>${s.kind}</dd></div>
<div><dt>Added</dt><dd>${timeEl(s.createdAt, dateTime(s.createdAt, tz))}</dd></div>
</dl>
${s.lastErrorKind || s.lastError
  ? html`<div class="source-error" role="note"><p><strong>Last error${s.lastErrorKind ? html` (<code>${s.lastErrorKind}</code>)` : ''}:</strong> ${s.lastError ?? ''}</p>${s.lastErrorKind && hintFor(s.lastErrorKind) ? html`<p class="hint">What to do: ${hintFor(s.lastErrorKind)}.</p>` : ''}</div>`
  : ''}
${failures.length
  ? html`<section aria-labelledby="analysis-failures">
<h2 id="analysis-failures">Articles that could not be analysed</h2>
<p class="hint">Stored, but their copies, story and quotes could not be worked out. Each is tried again on later fetches, ${MAX_ANALYSIS_ATTEMPTS} times at most.</p>
<ol class="fetch-log analysis-failures">${failures.map(
      (f) =>
        html`<li><a href="/articles/${f.articleId}">${f.title || f.url}</a> · ${f.attempts >= MAX_ANALYSIS_ATTEMPTS ? html`<span class="status status-bad">Given up after ${f.attempts} attempts</span>` : html`<span class="status status-idle">${f.attempts} of ${MAX_ANALYSIS_ATTEMPTS} attempts failed; retried</span>`} <span class="fetch-error">${f.error}</span></li>`,
    )}</ol>
</section>`
  : ''}
<section aria-labelledby="history">
<h2 id="history">Recent fetches</h2>
${fetches.length
  ? html`<ol class="fetch-log">${fetches.map((f) => {
      const o = outcomeLabel(f.outcome);
      return html`<li><span class="status status-${o.cls}">${o.label}</span>${f.status ? html` <span class="code">${f.status}</span>` : ''} · ${timeEl(f.startedAt, dateTime(f.startedAt, tz))} · ${f.elapsedMs} ms${f.newArticles ? html` · ${f.newArticles} new` : ''}${f.error ? html` <span class="fetch-error">${f.error}</span>` : ''}</li>`;
    })}</ol>`
  : html`<p class="empty">Not fetched yet.</p>`}
</section>
<section aria-labelledby="latest-from">
<h2 id="latest-from">Latest articles</h2>
${latest.items.length ? html`<ol class="items">${latest.items.map((a) => articleItem(ctx, a, new Set(), { day: true }))}</ol>` : html`<p class="empty">No articles yet.</p>`}
</section>`;
  return pageOf(ctx, { title, path: `/sources/${s.id}`, current: 'sources' }, body);
}

export async function searchPage(ctx: PageContext, url: URL): Promise<Page> {
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
  const pageParam = url.searchParams.get('page');
  const pageNo = pageParam == null || pageParam === '' ? 1 : intParam(pageParam, 'page');
  if (!q) {
    const body = html`<header class="page-header"><h1>Search</h1></header>
<p>Type words to look for in the box above. Use quotes for an exact phrase.</p>`;
    return pageOf(ctx, { title: 'Search', path: '/search', current: 'search', noindex: true }, body);
  }
  let res;
  try {
    res = await ctx.store.search(q, { limit: ctx.searchPageSize, offset: (pageNo - 1) * ctx.searchPageSize });
  } catch (e) {
    if (e instanceof DigestError && (e.kind === 'usage' || e.kind === 'parse')) throw new HttpError(400, e.message);
    throw e;
  }
  const pages = Math.max(1, Math.ceil(res.total / ctx.searchPageSize));
  const qs = (p: number) => `/search?q=${encodeURIComponent(q)}${p > 1 ? `&page=${p}` : ''}`;
  const tz = ctx.clock.timeZone;
  const body = html`<header class="page-header"><h1>Search results for “${q}”</h1>
<p class="meta" role="status">${res.total} ${res.total === 1 ? 'article' : 'articles'}${pages > 1 ? html` · page ${pageNo} of ${pages}` : ''}</p></header>
${res.hits.length === 0
  ? html`<p class="empty">${pageNo > 1 ? 'No more results.' : 'Nothing matched. Try fewer or different words.'}</p>`
  : html`<ol class="items search-results" start="${(pageNo - 1) * ctx.searchPageSize + 1}">
${res.hits.map((h) => html`<li class="item">
<a class="item-title" href="/articles/${h.article.id}">${markRanges(h.article.title, h.titleMatches)}</a>
<p class="meta"><span class="outlet">${outletName(h.article)}</span> · ${timeEl(published(h.article), dateTime(published(h.article), tz))}</p>
<p class="snippet">${markRanges(h.snippet, h.snippetMatches)}</p>
</li>`)}
</ol>`}
${pages > 1
  ? html`<nav class="pager" aria-label="Result pages">
${pageNo > 1 ? html`<a rel="prev" href="${qs(pageNo - 1)}">← Previous</a>` : ''}
<span>Page ${pageNo} of ${pages}</span>
${pageNo < pages ? html`<a rel="next" href="${qs(pageNo + 1)}">Next →</a>` : ''}
</nav>`
  : ''}`;
  return pageOf(ctx, { title: `Search: ${q}`, path: '/search', current: 'search', query: q, noindex: true }, body);
}

/** 503 while the site is starting (WebAppOptions.startingUp): built without the store. */
export function startingPage(ctx: PageContext, message: string): Page {
  const body = html`<header class="page-header"><p class="kicker">Starting</p><h1>Almost ready</h1></header>
<p>${message}</p>
<p><a href="/">Reload</a> in a moment.</p>`;
  return pageOf(ctx, { title: 'Starting', path: '/', noindex: true }, body, 503);
}

export function errorPage(ctx: PageContext, status: number, message: string): Page {
  const title = status === 404 ? 'Not found' : status === 400 ? 'Bad request' : status === 403 ? 'Not allowed' : status === 405 ? 'Method not allowed' : status === 413 ? 'Too large' : 'Something went wrong';
  const body = html`<header class="page-header"><p class="kicker">Error ${status}</p><h1>${title}</h1></header>
<p>${message}</p>
<p><a href="/">Back to the latest news</a> or search above.</p>`;
  return pageOf(ctx, { title, path: '/', noindex: true }, body, status);
}
