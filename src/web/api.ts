// The JSON API. Every answer is JSON; errors are {"error": {"status", "message"}} with
// the matching status code; bad parameters are 400.
import type { Article, Source } from '../core/types.ts';
import { DigestError, type ErrorKind } from '../core/errors.ts';
import type { QuoteRecord, Store, StoryRecord } from '../store/types.ts';
import { outletName } from './data.ts';
import { HttpError } from './pages.ts';

export interface ApiResult {
  status: number;
  body: unknown;
  location?: string;
}

function idOf(v: string, what: string): number {
  if (!/^\d{1,15}$/.test(v) || Number(v) < 1) throw new HttpError(400, `${what} id must be a positive whole number, got "${v}"`);
  return Number(v);
}

function limitOf(url: URL, def: number, max: number): number {
  const v = url.searchParams.get('limit');
  if (v == null || v === '') return def;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) {
    throw new HttpError(400, `limit must be a whole number from 1 to ${max}, got "${v}"`);
  }
  return Number(v);
}

function cursorOf(url: URL): string | null {
  const c = url.searchParams.get('cursor');
  if (c == null || c === '') return null;
  if (c.length > 500) throw new HttpError(400, 'cursor is not valid');
  return c;
}

export function articleSummary(a: Article) {
  return {
    id: a.id,
    title: a.title,
    url: a.url,
    source: outletName(a),
    sourceId: a.sourceId,
    published: a.published,
    byline: a.byline,
    text: a.text,
    storyId: a.storyId,
    duplicateOf: a.duplicateOf,
  };
}

export function articleFull(a: Article) {
  return {
    ...articleSummary(a),
    canonicalUrl: a.canonicalUrl,
    guid: a.guid,
    publishedIsFallback: a.publishedIsFallback,
    fetchedAt: a.fetchedAt,
    html: a.html,
    summary: a.summary,
    leadImage: a.leadImage,
    siteName: a.siteName,
    section: a.section,
    lang: a.lang,
    extractedFrom: a.extractedFrom,
    extractionMethod: a.extractionMethod,
    extractionError: a.extractionError,
  };
}

function sourceJson(s: Source) {
  let hint: string | null = null;
  if (s.lastErrorKind) {
    try {
      hint = new DigestError(s.lastErrorKind as ErrorKind, '').hint ?? null;
    } catch {
      hint = null;
    }
  }
  return {
    id: s.id,
    url: s.url,
    kind: s.kind,
    title: s.title,
    siteUrl: s.siteUrl,
    folder: s.folder,
    lastFetchedAt: s.lastFetchedAt,
    lastStatus: s.lastStatus,
    lastErrorKind: s.lastErrorKind,
    lastError: s.lastError,
    errorHint: hint,
    errorCount: s.errorCount,
    nextDueAt: s.nextDueAt,
    intervalSec: s.intervalSec,
    disabled: s.disabled,
    createdAt: s.createdAt,
    articleCount: s.articleCount ?? 0,
  };
}

function storyJson(s: StoryRecord) {
  return {
    id: s.id,
    title: s.title,
    summary: s.summary,
    firstSeen: s.firstSeen,
    lastUpdated: s.lastUpdated,
    articleCount: s.articleCount,
    sourceCount: s.sourceCount,
    score: s.score,
  };
}

function quoteJson(q: QuoteRecord, a: Article | undefined) {
  return {
    id: q.id,
    quote: q.quote,
    speaker: q.speaker,
    role: q.speakerRole,
    personId: q.personId,
    kind: q.kind,
    stance: q.stance,
    cue: q.cue,
    start: q.start,
    end: q.end,
    articleId: q.articleId,
    storyId: q.storyId,
    outlet: a ? outletName(a) : null,
    url: a ? a.url : null,
  };
}

async function articlesById(store: Store, ids: number[], known: Article[] = []): Promise<Map<number, Article>> {
  const m = new Map(known.map((a) => [a.id, a]));
  for (const id of new Set(ids)) {
    if (!m.has(id)) {
      const a = await store.getArticle(id);
      if (a) m.set(id, a);
    }
  }
  return m;
}

const notFound = (what: string): ApiResult => ({ status: 404, body: { error: { status: 404, message: `${what} not found` } } });

/** Route an /api/... request. Returns null when no API route matches. */
export async function api(store: Store, path: string, url: URL): Promise<ApiResult | null> {
  const seg = path.split('/').filter(Boolean).slice(1); // drop "api"
  const [res, id, sub] = seg;
  if (res === 'articles' && seg.length === 1) {
    const limit = limitOf(url, 20, 100);
    const cursor = cursorOf(url);
    let page;
    try {
      page = await store.listArticles({ limit, cursor, hideCopies: url.searchParams.get('copies') === '0' });
    } catch (e) {
      if (cursor) throw new HttpError(400, 'cursor is not valid');
      throw e;
    }
    return { status: 200, body: { items: page.items.map(articleSummary), next: page.next } };
  }
  if (res === 'articles' && seg.length === 2) {
    const a = await store.getArticle(idOf(id, 'article'));
    return a ? { status: 200, body: articleFull(a) } : notFound(`article ${id}`);
  }
  if (res === 'sources' && seg.length === 1) {
    const list = await store.listSources();
    return { status: 200, body: { items: list.map(sourceJson) } };
  }
  if (res === 'stories' && seg.length === 1) {
    const limit = limitOf(url, 20, 100);
    const cursor = cursorOf(url);
    let page;
    try {
      page = await store.listStories({ limit, cursor });
    } catch (e) {
      if (cursor) throw new HttpError(400, 'cursor is not valid');
      throw e;
    }
    return { status: 200, body: { items: page.items.map(storyJson), next: page.next } };
  }
  if (res === 'stories' && (seg.length === 2 || (seg.length === 3 && sub === 'quotes'))) {
    const sid = idOf(id, 'story');
    const got = await store.getStory(sid);
    if (!got) return notFound(`story ${sid}`);
    if (got.redirected || got.story.id !== sid) {
      const loc = `/api/stories/${got.story.id}${sub ? '/quotes' : ''}`;
      return { status: 301, location: loc, body: { redirect: loc, mergedInto: got.story.id } };
    }
    const articles = await store.storyArticles(got.story.id);
    if (sub === 'quotes') {
      const quotes = await store.quotesForStory(got.story.id);
      const byId = await articlesById(store, quotes.map((q) => q.articleId), articles);
      return { status: 200, body: { storyId: got.story.id, items: quotes.map((q) => quoteJson(q, byId.get(q.articleId))) } };
    }
    const outlets = [...new Set(articles.map(outletName))];
    return {
      status: 200,
      body: { ...storyJson(got.story), outlets, articles: articles.map(articleSummary) },
    };
  }
  if (res === 'people' && seg.length === 2) {
    const pid = idOf(id, 'person');
    const p = await store.getPerson(pid);
    if (!p) return notFound(`person ${pid}`);
    const quotes = await store.quotesForPerson(p.id);
    const byId = await articlesById(store, quotes.map((q) => q.articleId));
    const roles = [...new Set(quotes.map((q) => q.speakerRole).filter((r): r is string => !!r))];
    return {
      status: 200,
      body: { id: p.id, name: p.name, type: p.type, aliases: p.aliases, roles, quotes: quotes.map((q) => quoteJson(q, byId.get(q.articleId))) },
    };
  }
  return null;
}
