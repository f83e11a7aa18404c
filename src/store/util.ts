// Helpers of the store: timestamps, cursors, names, search query parsing and snippet
// markers. Pure functions, no I/O (no HTML either: the web escapes and marks up).
import { DigestError } from '../core/errors.ts';
import type { Page } from './types.ts';

/** ISO 8601 UTC ("2024-05-01T10:00:00.000Z") for a parseable date string, else null. */
export function normIso(s: string | null | undefined): string | null {
  const t = s == null || s === '' ? NaN : Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** As normIso but throws a usage error for a value that is not a date. */
export function requireIso(s: string, what: string): string {
  const v = normIso(s);
  if (v === null) throw new DigestError('usage', `${what} is not a valid date: ${JSON.stringify(s)}`);
  return v;
}

/** Timestamp a caller gave for a nullable column: null stays null, else normalised. */
export function optIso(s: string | null | undefined, what: string): string | null {
  return s == null || s === '' ? null : requireIso(s, what);
}

/** Sort key of an article: its publication time, else the time it was fetched. */
export function articleSortAt(published: string | null, fetchedAt: string): string {
  return normIso(published) ?? normIso(fetchedAt) ?? new Date().toISOString();
}

export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor and checks its shape ('s' string, 'n' number). */
export function decodeCursor(cursor: string, shape: string): (string | number)[] {
  let v: unknown = null;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // not a cursor
  }
  const ok = (x: unknown, t: string) => (t === 's' ? typeof x === 'string' : typeof x === 'number' && Number.isFinite(x));
  if (!Array.isArray(v) || v.length !== shape.length || !v.every((x, i) => ok(x, shape[i]))) {
    throw new DigestError('usage', 'invalid page cursor');
  }
  return v as (string | number)[];
}

/** A keyset page from up to limit + 1 rows (an extra row means there is more). */
export function pageOf<R, T>(rows: R[], limit: number, map: (r: R) => T, key: (last: R) => (string | number)[]): Page<T> {
  const items = rows.slice(0, limit);
  return { items: items.map(map), next: rows.length > limit ? encodeCursor(key(items[items.length - 1])) : null };
}

/** Fetch log entries kept per source (older ones are pruned as new ones arrive). */
export const FETCH_LOG_KEEP = 200;

export function clampLimit(limit: number | undefined, def: number, max = 500): number {
  if (limit === undefined || !Number.isFinite(limit)) return def;
  return Math.max(1, Math.min(max, Math.floor(limit)));
}

/** Case- and space-insensitive key for names and aliases. */
export function nameKey(s: string): string {
  return s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

// --- search

/** One unit of a user query: a single word or a phrase (several words in order). */
export interface QueryTerm {
  tokens: string[];
  /** Last token matches as a prefix ("ukrain*"). */
  prefix: boolean;
}

const TOKEN = /[\p{L}\p{N}]+/gu;
const MAX_TERMS = 32;

/**
 * Parses what a user typed into terms that are all required (AND). "double quotes" make a
 * phrase; a trailing * makes a prefix; words with inner punctuation ("U.S.", "covid-19")
 * become phrases of their parts; everything else that is not a letter or digit is dropped,
 * so no input can inject search syntax. Only punctuation gives no terms.
 */
export function parseSearchQuery(q: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const push = (chunk: string, forcePhrase: boolean) => {
    const tokens = (chunk.normalize('NFKC').match(TOKEN) ?? []).map((t) => t.toLowerCase());
    if (tokens.length === 0) return;
    const prefix = !forcePhrase && /[\p{L}\p{N}]\*+\s*$/u.test(chunk);
    terms.push({ tokens, prefix });
  };
  for (const m of q.matchAll(/"([^"]*)"?|(\S+)/g)) {
    if (terms.length >= MAX_TERMS) break;
    push(m[1] ?? m[2], m[1] !== undefined);
  }
  return terms;
}

/** FTS5 MATCH expression for parsed terms; every token double-quoted. '' when none. */
export function fts5Query(terms: QueryTerm[]): string {
  return terms.map((t) => '"' + t.tokens.join(' ').replace(/"/g, '""') + '"' + (t.prefix ? '*' : '')).join(' AND ');
}

/** Private-use characters the databases put around hits in snippets and titles. */
export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';

/** Plain text of a marked database snippet and the [start, end) offsets of its hits
 *  (adjacent hits separated only by spaces are joined). */
export function unmark(raw: string | null | undefined): { text: string; matches: [number, number][] } {
  let text = '';
  const matches: [number, number][] = [];
  let start = -1;
  for (const part of (raw ?? '').split(/([\uE000\uE001])/)) {
    if (part === MARK_OPEN) {
      if (start < 0) start = text.length;
    } else if (part === MARK_CLOSE) {
      if (start < 0) continue;
      const last = matches[matches.length - 1];
      if (last && /^\s*$/.test(text.slice(last[1], start))) last[1] = text.length;
      else if (text.length > start) matches.push([start, text.length]);
      start = -1;
    } else text += part;
  }
  if (start >= 0 && text.length > start) matches.push([start, text.length]);
  return { text, matches };
}
