// When to fetch a source next: adapted to how often it publishes, bounded, and honouring
// what the server and the feed ask for (Cache-Control, Expires, Retry-After, RSS ttl, skipHours).

export interface ScheduleBounds {
  defaultIntervalSec: number;
  minIntervalSec: number;
  maxIntervalSec: number;
}

export interface ScheduleInput {
  now: Date;
  /** Publication times of the feed's items (any order; invalid ones ignored). */
  published: (string | null)[];
  headers?: Record<string, string>;
  /** RSS <ttl> in minutes. */
  ttlMin?: number | null;
  /** RSS <skipHours>, hours 0-23 in UTC. */
  skipHours?: number[];
  /** Seconds asked by Retry-After on an error response. */
  retryAfterSec?: number | null;
  /** Consecutive failures so far (after this fetch). */
  errorCount?: number;
}

export interface ScheduleResult {
  intervalSec: number;
  nextDueAt: string;
  why: string;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

function headerSeconds(h: Record<string, string> | undefined, now: Date): number | null {
  if (!h) return null;
  const get = (k: string) => h[k] ?? h[k.toLowerCase()] ?? Object.entries(h).find(([n]) => n.toLowerCase() === k)?.[1];
  const cc = get('cache-control');
  const m = cc ? /(?:^|,)\s*max-age\s*=\s*(\d+)/i.exec(cc) : null;
  if (m) return Number(m[1]);
  const exp = get('expires');
  if (exp) {
    const t = Date.parse(exp);
    if (!Number.isNaN(t)) return Math.max(0, Math.round((t - now.getTime()) / 1000));
  }
  return null;
}

/** Median gap between successive items, in seconds (null with fewer than 2 dated items). */
export function publishingGapSec(published: (string | null)[]): number | null {
  const ts = published
    .map((p) => (p ? Date.parse(p) : NaN))
    .filter((t) => !Number.isNaN(t))
    .sort((a, b) => b - a)
    .slice(0, 20);
  if (ts.length < 2) return null;
  const gaps: number[] = [];
  for (let i = 1; i < ts.length; i++) gaps.push((ts[i - 1] - ts[i]) / 1000);
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)];
}

export function nextFetch(input: ScheduleInput, b: ScheduleBounds): ScheduleResult {
  const { now } = input;
  let interval: number;
  let why: string;
  if (input.retryAfterSec != null && input.retryAfterSec > 0) {
    interval = clamp(input.retryAfterSec, 1, b.maxIntervalSec);
    why = 'retry-after';
  } else if (input.errorCount && input.errorCount > 0) {
    // Exponential backoff on repeated failures: default, 2x, 4x ... capped.
    interval = clamp(b.defaultIntervalSec * 2 ** Math.min(input.errorCount - 1, 10), b.minIntervalSec, b.maxIntervalSec);
    why = `backoff after ${input.errorCount} error(s)`;
  } else {
    const gap = publishingGapSec(input.published);
    // Check about twice per typical gap between items.
    interval = gap !== null ? gap / 2 : b.defaultIntervalSec;
    why = gap !== null ? 'publishing rate' : 'default';
    const server = headerSeconds(input.headers, now);
    if (server !== null && server > interval) {
      interval = server;
      why = 'cache headers';
    }
    if (input.ttlMin && input.ttlMin * 60 > interval) {
      interval = input.ttlMin * 60;
      why = 'rss ttl';
    }
    interval = clamp(interval, b.minIntervalSec, b.maxIntervalSec);
  }
  let due = new Date(now.getTime() + interval * 1000);
  const skip = new Set((input.skipHours ?? []).filter((h) => h >= 0 && h < 24));
  if (skip.size > 0 && skip.size < 24) {
    let guard = 0;
    while (skip.has(due.getUTCHours()) && guard++ < 24) {
      due = new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth(), due.getUTCDate(), due.getUTCHours() + 1));
    }
    if (guard > 0) why += ', skipHours';
  }
  return { intervalSec: Math.round((due.getTime() - now.getTime()) / 1000), nextDueAt: due.toISOString(), why };
}
