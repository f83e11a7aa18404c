// One pass over the due sources: fetch each feed (conditionally), parse it, fetch and
// extract each new item's page and store the article (pending analysis). After each source,
// and once at the end of the pass, the analysers take the store's pending articles
// (copies, stories, quotes) — one process at a time when several share the store. A failing source is recorded on that source and never
// stops the others; a pass killed half-way resumes without loss or duplicates because
// every article is stored on its own (idempotently) and the feed's validators are only
// saved once all of its items are in.
import type { Article, ExtractedArticle, Feed, FeedItem, FetchedDocument, NewArticle, Source } from '../core/types.ts';
import { DigestError, toDigestError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { Store } from '../store/types.ts';
import { nextFetch, type ScheduleBounds } from './schedule.ts';
import { maintainSubscription, type WebSubSettings } from './websub.ts';

export interface FetchRequest {
  etag?: string | null;
  lastModified?: string | null;
  kind?: 'feed' | 'page' | 'robots' | 'other';
  method?: 'GET' | 'POST';
  body?: Buffer | string;
  headers?: Record<string, string>;
}

export interface PipelineDeps {
  store: Store;
  fetch: (url: string, req?: FetchRequest) => Promise<FetchedDocument>;
  /** Parses a feed or news sitemap into the normalised Feed. Throws DigestError('parse'). */
  parseFeed: (doc: FetchedDocument) => Feed | Promise<Feed>;
  /** Extracts an article page (bytes already fetched). Throws DigestError('extract'). */
  extract: (doc: FetchedDocument) => Promise<ExtractedArticle>;
  /** Turns feed-supplied HTML into safe HTML and text (for the fallback). */
  fromFeedContent: (html: string, baseUrl: string) => { html: string; text: string };
  /** Called once before a pass starts fetching (loads models, so no fetch waits on them). */
  prepare?: () => Promise<void> | void;
  /** Most time one source may take in a pass; items left over wait for the next pass (default 5 min). */
  sourceBudgetMs?: number;
  /** Called for each new or updated article, after it is stored (inline analysis; optional). */
  analyse?: (article: Article, extracted: ExtractedArticle | null) => Promise<void>;
  /**
   * Analyses the store's pending articles (see Analysers.analysePending): called after each
   * source of a pass, and with wait=true once at its end.
   */
  analysePending?: (opts?: { wait?: boolean }) => Promise<unknown>;
  /** Feed URLs a page links to, used to say what to subscribe to instead. */
  discover?: (doc: FetchedDocument) => string[];
  log: Logger;
  schedule: ScheduleBounds;
  now?: () => Date;
  /** Most items taken from one feed in one pass. */
  maxItemsPerSource?: number;
  /** Most sources claimed by one pass (default 500). */
  maxSourcesPerPass?: number;
  /** How many sources are worked on at once (hosts are rate-limited by the fetcher). */
  concurrency?: number;
  /** WebSub: subscribe to hubs that feeds name (absent: never subscribe). */
  websub?: WebSubSettings;
}

export interface SourceResult {
  source: Source;
  outcome: 'ok' | 'not_modified' | 'error';
  newArticles: number;
  itemErrors: number;
  /** Items left for the next pass because the source used up its time budget. */
  deferred?: number;
  error?: DigestError;
}

export interface PassSummary {
  sources: number;
  ok: number;
  notModified: number;
  failed: number;
  newArticles: number;
  itemErrors: number;
  errorsByKind: Record<string, number>;
  results: SourceResult[];
  elapsedMs: number;
}

export type ProgressFn = (done: number, total: number, last: SourceResult) => void;

function articleFromParts(
  source: Source,
  item: FeedItem,
  url: string,
  ext: ExtractedArticle | null,
  fallback: { html: string; text: string } | null,
  extractionError: string | null,
  now: Date,
): NewArticle {
  const published = ext?.published ?? item.published ?? item.updated ?? null;
  // The feed's title is usually the cleanest, unless it carries a site or section suffix
  // that the extractor took off ("… | Technology News").
  const feedTitle = item.title?.replace(/\s+/g, ' ').trim() || null;
  const pageTitle = ext?.title?.trim() || null;
  const title =
    (feedTitle && pageTitle && feedTitle !== pageTitle && feedTitle.startsWith(pageTitle) && pageTitle.length >= feedTitle.length / 2 ? pageTitle : feedTitle) ||
    pageTitle ||
    (fallback?.text ?? ext?.text ?? '').slice(0, 80) ||
    url;
  return {
    sourceId: source.id,
    url,
    canonicalUrl: ext?.canonicalUrl ?? null,
    guid: item.id,
    title,
    byline: ext?.byline ?? item.author ?? null,
    published: published ?? now.toISOString(),
    publishedIsFallback: !published,
    fetchedAt: now.toISOString(),
    text: ext ? ext.text : (fallback?.text ?? ''),
    html: ext ? ext.html : (fallback?.html ?? ''),
    summary: ext?.description ?? null,
    leadImage: ext?.leadImage ?? (item.image ? { url: item.image, caption: null, credit: null } : null),
    siteName: ext?.siteName ?? source.title ?? null,
    section: ext?.section ?? item.categories[0] ?? null,
    lang: ext?.lang ?? null,
    extractedFrom: ext ? 'page' : 'feed',
    extractionMethod: ext?.method ?? null,
    extractionError,
    originalUrl: ext?.originalUrl ?? null,
  };
}

async function ingestItem(deps: PipelineDeps, source: Source, feed: Feed, item: FeedItem, now: Date): Promise<'new' | 'skip'> {
  const url = item.link ?? (item.id && /^https?:\/\//.test(item.id) ? item.id : null);
  if (!url) return 'skip';
  if (await deps.store.hasArticle(source.id, item.id, url)) return 'skip';
  let ext: ExtractedArticle | null = null;
  let extractionError: string | null = null;
  let finalUrl = url;
  try {
    const page = await deps.fetch(url, { kind: 'page' });
    finalUrl = page.url;
    const got = await deps.extract(page);
    if (!got.text.trim()) throw new DigestError('extract', 'the page has no article text', { subject: url });
    ext = got;
  } catch (e) {
    const err = toDigestError(e, 'extract', url);
    extractionError = err.describe();
    deps.log.debug('page not extracted, using feed content', { source: source.url, url, error: err.kind });
  }
  const feedHtml = item.content ?? item.summary ?? '';
  const fallback = ext ? null : deps.fromFeedContent(feedHtml, finalUrl);
  const rec = articleFromParts(source, item, finalUrl, ext, fallback, extractionError, now);
  if (!rec.siteName) rec.siteName = feed.title;
  const { article, created } = await deps.store.upsertArticle(rec);
  if (deps.analyse) await deps.analyse(article, ext);
  return created ? 'new' : 'skip';
}

/** Stores the feed's new items (up to maxItemsPerSource), counting them on `result`. */
export async function ingestItems(
  deps: PipelineDeps,
  source: Source,
  feed: Feed,
  now: Date,
  result: Pick<SourceResult, 'newArticles' | 'itemErrors' | 'deferred'>,
  started = Date.now(),
): Promise<void> {
  const items = feed.items.slice(0, deps.maxItemsPerSource ?? 100);
  const budget = deps.sourceBudgetMs ?? 300_000;
  for (const [i, item] of items.entries()) {
    if (Date.now() - started > budget) {
      // Slow pages must not hold the pass: the rest waits for the next one (and since the
      // source is then incomplete, its validators are not saved).
      result.deferred = items.length - i;
      deps.log.warn('source over its time budget; remaining items deferred', { source: source.url, deferred: result.deferred });
      break;
    }
    try {
      const r = await ingestItem(deps, source, feed, item, now);
      if (r === 'new') result.newArticles++;
    } catch (e) {
      result.itemErrors++;
      deps.log.warn('item failed', { source: source.url, item: item.link ?? item.id, error: toDigestError(e, 'extract').message });
    }
  }
}

export async function ingestSource(deps: PipelineDeps, source: Source): Promise<SourceResult> {
  const now = deps.now?.() ?? new Date();
  const started = Date.now();
  const result: SourceResult = { source, outcome: 'ok', newArticles: 0, itemErrors: 0 };
  let doc: FetchedDocument | null = null;
  let parsedFeed: Feed | null = null;
  try {
    doc = await deps.fetch(source.url, { etag: source.etag, lastModified: source.lastModified, kind: 'feed' });
    if (doc.notModified) {
      result.outcome = 'not_modified';
      const sched = nextFetch({ now, published: [], headers: doc.headers }, deps.schedule);
      await deps.store.updateSource(source.id, {
        lastFetchedAt: now.toISOString(),
        lastStatus: 304,
        lastError: null,
        lastErrorKind: null,
        errorCount: 0,
        nextDueAt: new Date(now.getTime() + Math.max(sched.intervalSec, source.intervalSec) * 1000).toISOString(),
      });
    } else {
      let feed: Feed;
      try {
        feed = await deps.parseFeed(doc);
      } catch (e) {
        const err = toDigestError(e, 'parse', source.url);
        const found = deps.discover?.(doc) ?? [];
        if (found.length) {
          throw new DigestError('parse', `this is a web page, not a feed; it links these feeds: ${found.join(', ')} (digest add one of them)`, {
            subject: source.url,
          });
        }
        throw err;
      }
      await ingestItems(deps, source, feed, now, result, started);
      const sched = nextFetch(
        { now, published: feed.items.map((i) => i.published ?? i.updated), headers: doc.headers, ttlMin: feed.ttl ?? null, skipHours: feed.skipHours },
        deps.schedule,
      );
      // Validators are saved only when every item is in: otherwise the next fetch would be a
      // 304 and the items that failed would never be tried again.
      const complete = result.itemErrors === 0 && !result.deferred;
      await deps.store.updateSource(source.id, {
        title: source.title ?? feed.title,
        siteUrl: source.siteUrl ?? feed.link,
        etag: complete ? doc.etag : null,
        lastModified: complete ? doc.lastModified : null,
        lastFetchedAt: now.toISOString(),
        lastStatus: doc.status,
        lastError: null,
        lastErrorKind: null,
        errorCount: 0,
        intervalSec: sched.intervalSec,
        nextDueAt: sched.nextDueAt,
      });
      parsedFeed = feed;
    }
    // Subscribes or renews at the hub the feed names (stored hub on a 304); never throws.
    if (deps.websub) await maintainSubscription(deps, source, parsedFeed, now, doc.headers);
  } catch (e) {
    const err = toDigestError(e, 'network', source.url);
    result.outcome = 'error';
    result.error = err;
    const errorCount = source.errorCount + 1;
    const gone = err.kind === 'http' && (err.status === 410 || (err.status === 404 && errorCount >= 3));
    const sched = nextFetch({ now, published: [], retryAfterSec: err.retryAfterSec ?? null, errorCount }, deps.schedule);
    await deps.store.updateSource(source.id, {
      lastFetchedAt: now.toISOString(),
      lastStatus: err.status ?? 0,
      lastError: err.describe(),
      lastErrorKind: err.kind,
      errorCount,
      nextDueAt: sched.nextDueAt,
      disabled: gone || source.disabled,
    });
    deps.log.warn('source failed', { source: source.url, kind: err.kind, status: err.status, error: err.message });
  }
  await deps.store.logFetch({
    sourceId: source.id,
    url: source.url,
    startedAt: now.toISOString(),
    status: result.error ? (result.error.status ?? null) : (doc?.status ?? null),
    outcome: result.outcome === 'error' ? (result.error?.kind ?? 'error') : result.outcome,
    error: result.error?.describe() ?? null,
    newArticles: result.newArticles,
    elapsedMs: Date.now() - started,
  });
  return result;
}

/** Analyses what is pending; a failure is logged and never stops the pass. */
async function analysePending(deps: PipelineDeps, wait: boolean): Promise<void> {
  if (!deps.analysePending) return;
  try {
    await deps.analysePending({ wait });
  } catch (e) {
    deps.log.warn('analysis of pending articles failed', { error: (e as Error).message });
  }
}

/** Runs `fn` over `items` with at most `n` at once, in order of start. */
async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
}

/** One pass over the given sources (default: every due source). */
export async function runPass(deps: PipelineDeps, opts: { sources?: Source[]; onProgress?: ProgressFn } = {}): Promise<PassSummary> {
  const started = Date.now();
  const now = deps.now?.() ?? new Date();
  // Claiming (rather than just listing) the due sources leases them to this pass, so two
  // passes — or two workers sharing PostgreSQL — never fetch the same source at once.
  const sources = opts.sources ?? (await deps.store.claimDueSources(now.toISOString(), deps.maxSourcesPerPass ?? 500, 900));
  const summary: PassSummary = {
    sources: sources.length,
    ok: 0,
    notModified: 0,
    failed: 0,
    newArticles: 0,
    itemErrors: 0,
    errorsByKind: {},
    results: [],
    elapsedMs: 0,
  };
  if (sources.length && deps.prepare) await deps.prepare();
  let done = 0;
  await pool(sources, deps.concurrency ?? 8, async (s) => {
    const r = await ingestSource(deps, s);
    await analysePending(deps, false);
    summary.results.push(r);
    summary.newArticles += r.newArticles;
    summary.itemErrors += r.itemErrors;
    if (r.outcome === 'ok') summary.ok++;
    else if (r.outcome === 'not_modified') summary.notModified++;
    else {
      summary.failed++;
      const k = r.error?.kind ?? 'error';
      summary.errorsByKind[k] = (summary.errorsByKind[k] ?? 0) + 1;
    }
    done++;
    opts.onProgress?.(done, sources.length, r);
  });
  // Whatever is still pending (this pass's, or a killed pass's): analysed by this process,
  // or by the one holding the lease, before the pass ends.
  await analysePending(deps, true);
  summary.elapsedMs = Date.now() - started;
  deps.log.info('fetch pass done', {
    sources: summary.sources,
    ok: summary.ok,
    not_modified: summary.notModified,
    failed: summary.failed,
    new_articles: summary.newArticles,
    ms: summary.elapsedMs,
  });
  return summary;
}
