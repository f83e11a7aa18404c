// Crediting the original among a group of copies.
import { canonicalizeUrl } from './url.ts';

export interface CopyCandidate {
  id: string | number;
  url?: string | null;
  canonicalUrl?: string | null;
  /** Link the page names as the original ("Source link", "Originally published at"). */
  originalUrl?: string | null;
  published?: string | null;
  byline?: string | null;
  siteName?: string | null;
}

export type OriginalReason = 'named-original' | 'canonical' | 'wire' | 'earliest' | 'first';

export interface OriginalChoice {
  id: string | number;
  reason: OriginalReason;
  /** Wire agency the text is credited to, when a byline or site names one (e.g. "Reuters"). */
  wire: string | null;
}

const WIRES: Array<[string, RegExp]> = [
  ['Associated Press', /\b(?:associated press|AP)\b/],
  ['Reuters', /\breuters\b/i],
  ['AFP', /\b(?:AFP|agence france[- ]presse)\b/i],
  ['Bloomberg', /\bbloomberg(?: news)?\b/i],
  ['PA Media', /\b(?:PA Media|Press Association)\b/i],
  ['dpa', /\b(?:dpa|deutsche presse-agentur)\b/i],
  ['ANSA', /\bANSA\b/],
  ['EFE', /\bEFE\b/],
  ['Kyodo', /\bkyodo\b/i],
  ['Xinhua', /\bxinhua\b/i],
  ['UPI', /\bUPI\b/],
  ['ANI', /\bANI\b/],
  ['PTI', /\bPTI\b/],
  ['IANS', /\bIANS\b/],
];

/** The wire agency a byline or site name credits, or null. */
export function wireAgency(s: string | null | undefined): string | null {
  if (!s) return null;
  for (const [name, re] of WIRES) if (re.test(s)) return name;
  return null;
}

function time(p: string | null | undefined): number {
  if (!p) return Number.POSITIVE_INFINITY;
  const t = Date.parse(p);
  return Number.isFinite(t) ? t : Number.POSITIVE_INFINITY;
}

/**
 * Pick the original of a group of copies, in this order:
 * 1. an item other members name as their original (originalUrl / rel=canonical pointing at its URL);
 * 2. an item whose own site is the wire agency the others' bylines credit (AP, Reuters, AFP, ...),
 *    or, when no member is the wire itself, the earliest item carrying a wire byline;
 * 3. the earliest publication time; 4. the first item.
 */
export function pickOriginal(group: CopyCandidate[]): OriginalChoice {
  if (group.length === 0) throw new RangeError('pickOriginal: empty group');
  const byUrl = new Map<string, CopyCandidate>();
  for (const g of group) if (g.url) byUrl.set(canonicalizeUrl(g.url), g);
  for (const g of group) {
    // a page's own rel=canonical names it too, unless that URL already belongs to another member
    if (g.canonicalUrl && !byUrl.has(canonicalizeUrl(g.canonicalUrl))) byUrl.set(canonicalizeUrl(g.canonicalUrl), g);
  }
  // votes: 2 for an explicit "originally published at" link, 1 for a rel=canonical to another member
  const votes = new Map<CopyCandidate, number>();
  const named = new Set<CopyCandidate>();
  for (const g of group) {
    const links: Array<[string | null | undefined, number]> = [[g.originalUrl, 2], [g.canonicalUrl, 1]];
    for (const [u, w] of links) {
      if (!u) continue;
      const target = byUrl.get(canonicalizeUrl(u));
      if (!target || target === g) continue;
      votes.set(target, (votes.get(target) ?? 0) + w);
      if (w === 2) named.add(target);
    }
  }
  const earliest = (xs: CopyCandidate[]) =>
    xs.reduce((best, x) => (time(x.published) < time(best.published) ? x : best), xs[0]);
  const wires = group.map((g) => wireAgency(g.byline) ?? wireAgency(g.siteName));
  const wireOf = (c: CopyCandidate) => wires[group.indexOf(c)];
  const anyWire = wires.find((w) => w) ?? null;

  if (votes.size > 0) {
    const top = Math.max(...votes.values());
    const best = earliest([...votes].filter(([, v]) => v === top).map(([c]) => c));
    return { id: best.id, reason: named.has(best) ? 'named-original' : 'canonical', wire: wireOf(best) ?? anyWire };
  }
  if (anyWire) {
    const isWireSite = group.filter((g) => g.siteName && wireAgency(g.siteName) === anyWire);
    const pool = isWireSite.length ? isWireSite : group.filter((g) => wireOf(g) === anyWire);
    const w = earliest(pool);
    return { id: w.id, reason: 'wire', wire: anyWire };
  }
  const e = earliest(group);
  if (time(e.published) !== Number.POSITIVE_INFINITY) return { id: e.id, reason: 'earliest', wire: null };
  return { id: group[0].id, reason: 'first', wire: null };
}
