// DedupeIndex: recognises copies as articles arrive.
// Exact copies first (canonical URL, the page's rel=canonical, feed guid), then near copies:
// candidates from an inverted index over sampled shingle hashes, verified by containment.
// Memory is bounded by a sliding window (time and count); state exports to plain JSON.
import { canonicalizeUrl } from './url.ts';
import { fingerprint, overlap, tokenize, type Fingerprint } from './text.ts';

export type DedupeId = string | number;

export interface DedupeItem {
  id: DedupeId;
  url?: string | null;
  canonicalUrl?: string | null;
  guid?: string | null;
  title?: string | null;
  text?: string | null;
  published?: string | null;
  byline?: string | null;
  siteName?: string | null;
  originalUrl?: string | null;
}

export type DedupeReason = 'url' | 'canonical-url' | 'guid' | 'content' | 'title' | null;

export interface DedupeResult {
  /** Id of the first-seen member of the copy group this item joins, or null when it is new. */
  duplicateOf: DedupeId | null;
  reason: DedupeReason;
  /** Containment of the smaller text in the larger (content matches only). */
  similarity?: number;
}

export interface NearDupOptions {
  /** Containment of the smaller body in the larger needed to call a copy (default 0.8). */
  containment?: number;
}

export interface NearDupVerdict {
  dup: boolean;
  containment: number;
  resemblance: number;
  reason: 'content' | 'title' | 'none';
}

/** Title with a trailing " - Site" / " | Site" suffix removed, as tokens. */
export function titleKey(title: string | null | undefined): string {
  if (!title) return '';
  const t = title.replace(/\s+[-|–—:·»]\s+[^-|–—:·»]{1,60}$/u, '');
  return tokenize(t).join(' ');
}

const MIN_BODY_TOKENS = 25;

/** Pairwise verdict on precomputed fingerprints and title keys (see titleKey). */
export function compareFingerprints(
  a: Fingerprint,
  b: Fingerprint,
  ta: string,
  tb: string,
  opts: NearDupOptions = {},
): NearDupVerdict {
  const thr = opts.containment ?? 0.8;
  if (a.tokens < MIN_BODY_TOKENS || b.tokens < MIN_BODY_TOKENS) {
    // headline-only items: identical (suffix-stripped) headlines of some length are copies
    const dup = ta !== '' && ta === tb && ta.split(' ').length >= 5;
    return { dup, containment: 0, resemblance: 0, reason: dup ? 'title' : 'none' };
  }
  const ov = overlap(a, b);
  const small = Math.min(ov.sizeA, ov.sizeB);
  // a short body contained in a long one (a quote, a lede) is only a copy when the titles agree too
  const needTitle = small < 12;
  const dup = ov.containment >= thr && ov.shared >= 3 && (!needTitle || (ta !== '' && ta === tb));
  return { dup, containment: ov.containment, resemblance: ov.resemblance, reason: dup ? 'content' : 'none' };
}

/** Is `b` a copy of `a` (or the other way round)? Pure pairwise check on title and body. */
export function isNearDuplicate(
  a: { title?: string | null; text?: string | null },
  b: { title?: string | null; text?: string | null },
  opts: NearDupOptions = {},
): NearDupVerdict {
  return compareFingerprints(fingerprint(a.text ?? ''), fingerprint(b.text ?? ''), titleKey(a.title), titleKey(b.title), opts);
}

export interface DedupeIndexOptions extends NearDupOptions {
  /** Only compare with items published (or added) at most this long before the newest one (default 14 days). */
  windowMs?: number;
  /** Keep at most this many items for content matching (default 200,000). */
  maxItems?: number;
  /** Hashes shared by more than this many indexed items are too common to propose candidates (default 50). */
  maxPosting?: number;
  /** Candidates verified per item (default 8). */
  maxCandidates?: number;
}

interface Entry {
  slot: number;
  id: DedupeId;
  root: DedupeId;
  time: number;
  fp: Fingerprint;
  titleKey: string;
  keys: string[];
}

/** JSON-safe state of a DedupeIndex. */
export interface DedupeSnapshot {
  version: 1;
  entries: Array<{
    id: DedupeId;
    root: DedupeId;
    time: number;
    titleKey: string;
    keys: string[];
    fp: { hashes: number[]; shingles: number; tokens: number; sample: number };
  }>;
}

export class DedupeIndex {
  private readonly opts: Required<DedupeIndexOptions>;
  private readonly entries = new Map<number, Entry>();
  private readonly order: number[] = []; // slots in insertion order (queue)
  private head = 0;
  private nextSlot = 0;
  private readonly postings = new Map<number, number[]>();
  private readonly exact = new Map<string, number>();
  private readonly titles = new Map<string, number>();
  private newest = Number.NEGATIVE_INFINITY;

  constructor(opts: DedupeIndexOptions = {}) {
    this.opts = {
      containment: opts.containment ?? 0.8,
      windowMs: opts.windowMs ?? 14 * 86400_000,
      maxItems: opts.maxItems ?? 200_000,
      maxPosting: opts.maxPosting ?? 50,
      maxCandidates: opts.maxCandidates ?? 8,
    };
  }

  /** Number of items currently indexed (inside the window). */
  get size(): number {
    return this.entries.size;
  }

  /** Index one article and say whether it is a copy of one already seen. */
  add(item: DedupeItem): DedupeResult {
    const t = item.published ? Date.parse(item.published) : NaN;
    const time = Number.isFinite(t) ? t : Math.max(this.newest, 0);
    const keys: string[] = [];
    if (item.url) keys.push('u:' + canonicalizeUrl(item.url));
    if (item.canonicalUrl) keys.push('u:' + canonicalizeUrl(item.canonicalUrl));
    if (item.guid) keys.push('g:' + item.guid.trim());
    const fp = fingerprint(item.text ?? '');
    const tk = titleKey(item.title);

    let result: DedupeResult = { duplicateOf: null, reason: null };
    for (const k of keys) {
      const slot = this.exact.get(k);
      const e = slot === undefined ? undefined : this.entries.get(slot);
      if (e) {
        const reason: DedupeReason = k.startsWith('g:') ? 'guid' : k === keys[0] ? 'url' : 'canonical-url';
        result = { duplicateOf: e.root, reason };
        break;
      }
    }
    if (result.duplicateOf === null) result = this.nearMatch(fp, tk, time);

    const slot = this.nextSlot++;
    const entry: Entry = { slot, id: item.id, root: result.duplicateOf ?? item.id, time, fp, titleKey: tk, keys };
    this.insert(entry);
    this.evict();
    return result;
  }

  private nearMatch(fp: Fingerprint, tk: string, time: number): DedupeResult {
    if (fp.tokens < MIN_BODY_TOKENS) {
      const slot = tk.split(' ').length >= 5 ? this.titles.get(tk) : undefined;
      const e = slot === undefined ? undefined : this.entries.get(slot);
      if (e && e.fp.tokens < MIN_BODY_TOKENS && time - e.time <= this.opts.windowMs) {
        return { duplicateOf: e.root, reason: 'title' };
      }
      return { duplicateOf: null, reason: null };
    }
    const counts = new Map<number, number>();
    for (const h of fp.hashes) {
      const p = this.postings.get(h);
      if (!p || p.length > this.opts.maxPosting) continue;
      for (const s of p) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const ranked = [...counts].filter(([, c]) => c >= 2).sort((x, y) => y[1] - x[1]).slice(0, this.opts.maxCandidates);
    let best: { e: Entry; c: number } | null = null;
    for (const [s] of ranked) {
      const e = this.entries.get(s);
      if (!e) continue;
      const v = compareFingerprints(fp, e.fp, tk, e.titleKey, this.opts);
      if (v.dup && (!best || v.containment > best.c)) best = { e, c: v.containment };
    }
    return best ? { duplicateOf: best.e.root, reason: 'content', similarity: best.c } : { duplicateOf: null, reason: null };
  }

  private insert(e: Entry): void {
    this.entries.set(e.slot, e);
    this.order.push(e.slot);
    for (const k of e.keys) if (!this.exact.has(k)) this.exact.set(k, e.slot);
    if (e.fp.tokens < MIN_BODY_TOKENS) {
      if (e.titleKey && !this.titles.has(e.titleKey)) this.titles.set(e.titleKey, e.slot);
    } else {
      for (const h of e.fp.hashes) {
        const p = this.postings.get(h);
        if (p) p.push(e.slot);
        else this.postings.set(h, [e.slot]);
      }
    }
    if (e.time > this.newest) this.newest = e.time;
  }

  private evict(): void {
    const cutoff = this.newest - this.opts.windowMs;
    while (this.head < this.order.length) {
      const slot = this.order[this.head];
      const e = this.entries.get(slot);
      if (e && this.entries.size <= this.opts.maxItems && e.time >= cutoff) break;
      this.head++;
      if (!e) continue;
      this.entries.delete(slot);
      for (const k of e.keys) if (this.exact.get(k) === slot) this.exact.delete(k);
      if (this.titles.get(e.titleKey) === slot) this.titles.delete(e.titleKey);
      for (const h of e.fp.hashes) {
        const p = this.postings.get(h);
        if (!p) continue;
        const i = p.indexOf(slot);
        if (i >= 0) p.splice(i, 1);
        if (p.length === 0) this.postings.delete(h);
      }
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Plain JSON state, to persist or to rebuild the index at start-up. */
  snapshot(): DedupeSnapshot {
    const entries: DedupeSnapshot['entries'] = [];
    for (let i = this.head; i < this.order.length; i++) {
      const e = this.entries.get(this.order[i]);
      if (!e) continue;
      entries.push({
        id: e.id,
        root: e.root,
        time: e.time,
        titleKey: e.titleKey,
        keys: e.keys,
        fp: { hashes: Array.from(e.fp.hashes), shingles: e.fp.shingles, tokens: e.fp.tokens, sample: e.fp.sample },
      });
    }
    return { version: 1, entries };
  }

  static restore(snap: DedupeSnapshot, opts: DedupeIndexOptions = {}): DedupeIndex {
    const ix = new DedupeIndex(opts);
    for (const s of snap.entries) {
      ix.insert({
        slot: ix.nextSlot++,
        id: s.id,
        root: s.root,
        time: s.time,
        titleKey: s.titleKey,
        keys: s.keys,
        fp: { ...s.fp, hashes: Uint32Array.from(s.fp.hashes) },
      });
    }
    ix.evict();
    return ix;
  }
}
