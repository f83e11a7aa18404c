// WebSub in the pipeline: after a feed is fetched, subscribe at the hub it names (or renew
// a lease about to end), and ingest content a hub pushes. The subscription lives on the
// source (websub* fields); the web stage answers the hub's verification and checks the
// signature of pushes before handing them to ingestPushed.
import type { Feed, FetchedDocument, Source } from '../core/types.ts';
import { toDigestError, type DigestError } from '../core/errors.ts';
import { buildSubscribeRequest, newSecret } from '../feeds/index.ts';
import type { PipelineDeps, WebSubSettings } from './deps.ts';
import { ingestItems } from './items.ts';

export type { WebSubSettings } from './deps.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Renew when the lease ends within this. */
export const RENEW_BEFORE_MS = DAY;
/** A request the hub has not verified (or that failed) is sent again after this (4 tries in the renewal day). */
export const RETRY_AFTER_MS = 6 * HOUR;
/** After a denial, ask again after this. */
export const DENIED_RETRY_MS = DAY;
/** Lease assumed when the hub's verification does not say (the spec asks hubs to). */
export const DEFAULT_LEASE_SEC = 10 * 86_400;

/** The callback URL for a source. */
export function callbackUrl(base: string, sourceId: number): string {
  return `${base.replace(/\/+$/, '')}/websub/${sourceId}`;
}

/** rel=hub and rel=self targets of HTTP Link headers (RFC 8288), resolved against `base`. */
export function linkHeaderTargets(header: string | undefined, base: string): { hub: string | null; self: string | null } {
  const out = { hub: null as string | null, self: null as string | null };
  if (!header) return out;
  const re = /<([^>]*)>((?:\s*;\s*[^;,]+(?:=(?:"[^"]*"|[^;,]*))?)*)/g;
  for (const m of header.matchAll(re)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(m[2]);
    if (!rel) continue;
    const rels = (rel[1] ?? rel[2]).toLowerCase().split(/\s+/);
    let href: string;
    try {
      href = new URL(m[1], base).href;
    } catch {
      continue;
    }
    if (rels.includes('hub')) out.hub ??= href;
    if (rels.includes('self')) out.self ??= href;
  }
  return out;
}

function absolute(u: string | null | undefined, base: string): string | null {
  if (!u) return null;
  try {
    const url = new URL(u, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const age = (iso: string | null | undefined, now: Date) => (iso ? now.getTime() - Date.parse(iso) : Infinity);

/** Whether to (re)send a subscription request for this hub and topic now. */
export function subscriptionDue(source: Source, hub: string, topic: string, now: Date): boolean {
  if (source.websubHub !== hub || source.websubTopic !== topic) return true;
  const sinceRequest = age(source.websubRequestedAt, now);
  switch (source.websubState ?? null) {
    case 'active': {
      const until = source.websubLeaseUntil ? Date.parse(source.websubLeaseUntil) : NaN;
      const ending = !Number.isFinite(until) || until - now.getTime() <= RENEW_BEFORE_MS;
      return ending && sinceRequest >= RETRY_AFTER_MS;
    }
    case 'denied':
      return sinceRequest >= DENIED_RETRY_MS;
    default: // pending (not verified yet) or none (a request failed)
      return sinceRequest >= RETRY_AFTER_MS;
  }
}

/**
 * Keeps the source subscribed at the hub its feed names: subscribes when not subscribed to
 * this hub and topic, renews when the lease ends within a day. `feed` null (a 304) reuses
 * the stored hub and topic. A feed that stops naming a hub drops the subscription (the lease
 * lapses). Failures are logged, never thrown.
 */
export async function maintainSubscription(
  deps: PipelineDeps,
  source: Source,
  feed: Feed | null,
  now: Date = deps.now?.() ?? new Date(),
  responseHeaders?: Record<string, string>,
): Promise<void> {
  const cfg = deps.websub;
  if (!cfg) return;
  try {
    let hub: string | null;
    let topic: string | null;
    if (feed) {
      // Link headers take precedence over the document's own links (WebSub §4).
      const fromHeaders = linkHeaderTargets(responseHeaders?.['link'], source.url);
      hub = fromHeaders.hub ?? absolute(feed.hub, source.url);
      topic = fromHeaders.self ?? absolute(feed.self, source.url) ?? source.url;
      if (!hub) {
        if (source.websubHub || source.websubState) {
          await deps.store.updateSource(source.id, {
            websubHub: null,
            websubTopic: null,
            websubSecret: null,
            websubState: null,
            websubLeaseUntil: null,
            websubRequestedAt: null,
          });
          deps.log.info('websub: the feed no longer names a hub; subscription dropped', { source: source.url });
        }
        return;
      }
    } else {
      hub = source.websubHub ?? null;
      topic = source.websubTopic ?? null;
      if (!hub || !topic) return;
    }
    if (!subscriptionDue(source, hub, topic, now)) return;
    await subscribe(deps, cfg, source, hub, topic, now);
  } catch (e) {
    deps.log.warn('websub: subscription failed', { source: source.url, error: toDigestError(e, 'network').message });
  }
}

async function subscribe(deps: PipelineDeps, cfg: WebSubSettings, source: Source, hub: string, topic: string, now: Date): Promise<void> {
  const same = source.websubHub === hub && source.websubTopic === topic;
  // Renewing keeps the secret: the hub signs with the old one until it has verified the renewal.
  const secret = same && source.websubSecret ? source.websubSecret : newSecret();
  const callback = callbackUrl(cfg.callbackBase, source.id);
  const req = buildSubscribeRequest({ hub, topic, callback, secret, leaseSeconds: cfg.leaseSeconds ?? DEFAULT_LEASE_SEC });
  const requestedAt = now.toISOString();
  // Marked pending before the request: some hubs verify before they answer it.
  await deps.store.updateSource(source.id, {
    websubHub: hub,
    websubTopic: topic,
    websubSecret: secret,
    websubState: 'pending',
    websubRequestedAt: requestedAt,
    websubLeaseUntil: same ? (source.websubLeaseUntil ?? null) : null,
  });
  try {
    const res = await deps.fetch(req.url, { method: 'POST', body: req.body, headers: req.headers, kind: 'other' });
    deps.log.info('websub: subscription requested', { source: source.url, hub, topic, status: res.status });
  } catch (e) {
    const err = toDigestError(e, 'network', hub);
    // Undo "pending" unless the hub verified meanwhile; websubRequestedAt spaces the retries.
    const cur = await deps.store.getSource(source.id);
    if (cur && cur.websubState === 'pending' && cur.websubRequestedAt === requestedAt) {
      const keep = same && source.websubState === 'active';
      await deps.store.updateSource(source.id, { websubState: keep ? 'active' : null });
    }
    deps.log.warn('websub: the hub refused or failed the subscription request', { source: source.url, hub, kind: err.kind, status: err.status, error: err.message });
  }
}

export interface PushResult {
  outcome: 'ok' | 'error';
  newArticles: number;
  itemErrors: number;
  /** Items left over (time budget); the next poll of the feed picks them up. */
  deferred?: number;
  error?: DigestError;
}

/**
 * Ingests content a hub pushed for `source` (the signature already checked): parses it as
 * the source's feed and stores its new items like a fetch would. Logged in the fetch log as
 * outcome "push". Never throws.
 */
export async function ingestPushed(
  deps: PipelineDeps,
  source: Source,
  body: Buffer,
  headers: Record<string, string | string[] | undefined>,
): Promise<PushResult> {
  const now = deps.now?.() ?? new Date();
  const started = Date.now();
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  const result: PushResult = { outcome: 'ok', newArticles: 0, itemErrors: 0 };
  const doc: FetchedDocument = {
    requestUrl: source.url,
    url: source.url,
    status: 200,
    headers: flat,
    body,
    notModified: false,
    etag: null,
    lastModified: null,
    elapsedMs: 0,
  };
  try {
    const feed = await deps.parseFeed(doc);
    await ingestItems(deps, source, feed, now, result);
    await deps.analysePending?.();
    deps.log.info('websub: pushed content ingested', {
      source: source.url,
      items: feed.items.length,
      new_articles: result.newArticles,
      deferred: result.deferred,
    });
  } catch (e) {
    result.outcome = 'error';
    result.error = toDigestError(e, 'parse', source.url);
    deps.log.warn('websub: pushed content not ingested', { source: source.url, kind: result.error.kind, error: result.error.message });
  }
  try {
    await deps.store.logFetch({
      sourceId: source.id,
      url: source.url,
      startedAt: now.toISOString(),
      status: null,
      outcome: result.outcome === 'ok' ? 'push' : (result.error?.kind ?? 'error'),
      error: result.error?.describe() ?? null,
      newArticles: result.newArticles,
      elapsedMs: Date.now() - started,
    });
  } catch (e) {
    deps.log.warn('websub: fetch log not written', { source: source.url, error: toDigestError(e, 'network').message });
  }
  return result;
}
