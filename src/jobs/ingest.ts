// One pass over the due sources: fetch each feed (conditionally), parse it, fetch and
// extract each new item's page and store the article (pending analysis). After each source,
// and once at the end of the pass, the analysers take the store's pending articles
// (copies, stories, quotes) — one process at a time when several share the store. A failing source is recorded on that source and never
// stops the others; a pass killed half-way resumes without loss or duplicates because
// every article is stored on its own (idempotently) and the feed's validators are only
// saved once all of its items are in.
import type { Feed, FetchedDocument, Source } from '../core/types.ts';
import { DigestError, toDigestError } from '../core/errors.ts';
import type { PipelineDeps, SourceResult } from './deps.ts';
import { nextFetch } from './schedule.ts';
import { ingestItems } from './items.ts';
import { maintainSubscription } from './websub.ts';

export type { FetchRequest, PipelineDeps, SourceResult, WebSubSettings } from './deps.ts';

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
