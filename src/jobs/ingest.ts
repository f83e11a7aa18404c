// One pass over the due sources: claim a due source, fetch its feed (conditionally), parse
// it, fetch and extract each new item's page and store the article (pending analysis; see
// items.ts). After each source, and once at the end of the pass, the analysers take the
// store's pending articles (copies, stories, quotes), one process at a time when several
// share the store. A failing source is recorded on that source and never stops the others.
// Claims are short and renewed by a heartbeat, so a pass killed half-way blocks the next one
// for seconds, not minutes; it resumes without loss or duplicates because every article is
// stored on its own (idempotently) and the feed's validators are only saved once all of its
// items are in.
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

/** Seconds a pass claims a source for (renewed by its heartbeat while it works on it). */
export const CLAIM_SEC = 30;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Whether a source looks claimed by a pass (rather than scheduled): due again within the
 * claim length, later than its own schedule would put it. A pass that was killed leaves such
 * claims; they run out within CLAIM_SEC.
 */
function looksClaimed(s: Source, now: number, claimMs: number): boolean {
  if (s.disabled || !s.nextDueAt) return false;
  const due = Date.parse(s.nextDueAt);
  if (!(due > now && due <= now + claimMs + 1000)) return false;
  if (!s.lastFetchedAt) return true;
  return due > Date.parse(s.lastFetchedAt) + s.intervalSec * 1000 + claimMs / 2;
}

/**
 * One pass over the given sources (default: every due source).
 *
 * Without `sources`, the pass claims due sources one at a time, as a worker is free to fetch
 * one, for CLAIM_SEC, and a heartbeat renews the claims of the sources in flight every
 * CLAIM_SEC / 6: two passes (or processes sharing PostgreSQL) never fetch one source at once,
 * and the claims of a pass that was killed run out within CLAIM_SEC. Once nothing more is due,
 * the pass waits (at most CLAIM_SEC) for sources whose claims look abandoned (not renewed) and
 * takes them too, so a pass started after a kill resumes everything the dead one left.
 */
export async function runPass(deps: PipelineDeps, opts: { sources?: Source[]; onProgress?: ProgressFn } = {}): Promise<PassSummary> {
  const started = Date.now();
  const clock = () => deps.now?.() ?? new Date();
  const claimSec = deps.claimSec ?? CLAIM_SEC;
  const claimMs = claimSec * 1000;
  const heartbeatMs = Math.max(100, Math.round(claimMs / 6));
  const concurrency = Math.max(1, deps.concurrency ?? 8);
  const maxSources = deps.maxSourcesPerPass ?? 500;
  const summary: PassSummary = {
    sources: 0,
    ok: 0,
    notModified: 0,
    failed: 0,
    newArticles: 0,
    itemErrors: 0,
    errorsByKind: {},
    results: [],
    elapsedMs: 0,
  };
  const given = opts.sources;
  /** Sources claimed (or given) so far, and those being worked on now. */
  const taken = new Set<number>();
  const inFlight = new Set<number>();
  // An estimate for the progress bar: the sources due when the pass starts.
  let total = given?.length ?? 0;
  if (!given && opts.onProgress) {
    const t = clock().getTime();
    // Not awaited: the first claim and fetch need not wait for the count.
    void deps.store
      .dueSources(new Date(t).toISOString())
      .then((due) => (total = Math.max(total, due.length)))
      .catch(() => {});
  }

  deps.log.debug('fetch pass started', { sources: given ? given.length : 'due' });
  let prepared: Promise<void> | null = null;
  const prepare = () => (prepared ??= Promise.resolve(deps.prepare?.()).then(() => {}));

  const work = async (s: Source): Promise<void> => {
    inFlight.add(s.id);
    try {
      // Given sources (tests, `--all`): the model loads before any fetch, so that loading
      // (it blocks the process for a moment) never delays a response in flight.
      if (given) await prepare();
      const r = await ingestSource(deps, s);
      await prepare();
      await analysePending(deps, false);
      summary.sources++;
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
      opts.onProgress?.(summary.sources, Math.max(total, taken.size), r);
    } finally {
      inFlight.delete(s.id);
    }
  };

  /** Claims one due source for this pass (null: none is due, or the pass took its maximum). */
  const claimOne = async (): Promise<Source | null> => {
    if (taken.size >= maxSources) return null;
    const [s] = await deps.store.claimDueSources(clock().toISOString(), 1, claimSec);
    if (!s) return null;
    taken.add(s.id);
    return s;
  };

  /** Claims and works on due sources until none is left. */
  const worker = async () => {
    for (let s = await claimOne(); s; s = await claimOne()) await work(s);
  };

  // The heartbeat: the claims of the sources in flight are pushed CLAIM_SEC ahead.
  let renewing = false;
  const beat = setInterval(() => {
    if (given || renewing || inFlight.size === 0) return;
    renewing = true;
    const until = new Date(clock().getTime() + claimMs).toISOString();
    deps.store
      .renewClaims([...inFlight], until)
      .catch((e: unknown) => deps.log.warn('source claims not renewed', { sources: inFlight.size, error: (e as Error).message }))
      .finally(() => (renewing = false));
  }, heartbeatMs);
  beat.unref();

  try {
    if (given) {
      let next = 0;
      const worker = async () => {
        while (next < given.length) await work(given[next++]);
      };
      for (const s of given) taken.add(s.id);
      await Promise.all(Array.from({ length: Math.min(concurrency, given.length) }, worker));
    } else {
      // Fetching starts at once (a pass started after a crash resumes within moments); the
      // model and the indexes load after the first source, before its analysis.
      await Promise.all(Array.from({ length: concurrency }, worker));
      await resumeAbandoned();
    }
  } finally {
    clearInterval(beat);
  }

  /**
   * Sources another pass claimed and no longer renews (it was killed): watched until their
   * claims run out, then taken. A claim that is renewed (its holder is alive) or a source that
   * is rescheduled (its holder finished) drops out of the watch.
   */
  async function resumeAbandoned(): Promise<void> {
    const list = async () => new Map((await deps.store.listSources()).map((s) => [s.id, s]));
    const now = clock().getTime();
    const watched = new Map<number, string | null>();
    for (const s of (await list()).values()) if (!taken.has(s.id) && looksClaimed(s, now, claimMs)) watched.set(s.id, s.nextDueAt);
    if (watched.size === 0) return;
    deps.log.info('waiting for sources another pass claimed and stopped renewing', { sources: watched.size, max_sec: claimSec });
    const deadline = Date.now() + claimMs + 2 * heartbeatMs;
    while (watched.size && Date.now() < deadline && taken.size < maxSources) {
      await sleep(Math.min(500, heartbeatMs));
      const before = summary.sources;
      await Promise.all(Array.from({ length: concurrency }, worker));
      if (summary.sources > before) deps.log.info('resumed sources a stopped pass had claimed', { sources: summary.sources - before });
      const cur = await list();
      for (const [id, due] of watched) {
        const s = cur.get(id);
        if (!s || taken.has(id) || s.disabled || s.nextDueAt !== due) watched.delete(id);
      }
    }
  }

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
