import { isTitleCase } from './text.ts';

// Extractive story summaries: 2-3 sentences from the members' leads, chosen by closeness to
// the story centroid, position and non-redundancy.

/** A text piece ending in an abbreviation or an initial, after which a capital does not start a sentence. */
const ABBREV_END =
  /(?:^|[\s(])(?:\p{Lu}|(?:\p{Lu}\.)+\p{Lu}|Mr|Mrs|Ms|Dr|Prof|Gov|Sen|Rep|Gen|Lt|Col|Capt|Sgt|Rev|St|Mt|Ft|Jr|Sr|No|Co|Corp|Inc|Ltd|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Calif|Fla|Mass|Wash|Ariz|Ill|Mich|Pa|Va)\.$/u;

/** Sentences of a text (one per line when the text is line-broken, otherwise split on punctuation). */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split(/\n+/)) {
    const b = block.trim();
    if (!b) continue;
    // split after . ! ? before a capital, except after abbreviations and initials ("Gov. Sarah Palin", "U.S. troops")
    const parts = b.split(/(?<=[.!?]["”’)]?)\s+(?=["“‘(]?\p{Lu})/u);
    const joined: string[] = [];
    for (const part of parts) {
      const prev = joined[joined.length - 1];
      if (prev !== undefined && ABBREV_END.test(prev)) joined[joined.length - 1] = prev + ' ' + part;
      else joined.push(part);
    }
    for (const s of joined) {
      const t = s.trim();
      if (t.length >= 25 && t.split(/\s+/).length >= 5) out.push(t);
    }
  }
  return out;
}

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\\.?';
/**
 * A dateline at the start of a sentence: a place in capitals ("VOSTRAVA", "NEW YORK", "WASHINGTON, D.C.",
 * "SAN JOSE, Calif.", "LONDON (Reuters)"), optionally a date ("March 3", "3 March 2014"), then a dash.
 */
const DATELINE_RE = new RegExp(
  '^\\s*\\p{Lu}[\\p{Lu}\\p{M}.\'’&-]+(?:[ ,]+\\p{Lu}[\\p{Lu}\\p{M}.\'’&-]*)*' + // place in capitals
    '(?:,\\s*\\p{Lu}[\\p{L}.]{0,14}){0,2}' + // ", Calif." / ", D.C."
    '(?:\\s*\\([^)]{1,40}\\))?' + // "(Reuters)"
    `(?:,?\\s+(?:${MONTH}\\s+\\d{1,2}(?:,?\\s+\\d{4})?|\\d{1,2}\\s+${MONTH}(?:\\s+\\d{4})?))?` + // date
    '\\s*(?:[—–]|--?)\\s*',
  'u',
);

/** A sentence without its leading dateline ("VOSTRAVA — The mayor said …" → "The mayor said …"). */
export function stripDateline(sentence: string): string {
  const m = DATELINE_RE.exec(sentence);
  if (!m) return sentence;
  const head = m[0];
  // the place must hold at least three capital letters in a row ("US - China" is a headline, not a dateline)
  if (!/\p{Lu}{3}/u.test(head)) return sentence;
  // with a bare hyphen, a short acronym is more likely a headline ("NATO - Russia council meets")
  if (/[^-]-\s*$/.test(head) && !/\p{Lu}{5}|\p{Lu}\s+\p{Lu}|\(|\d/u.test(head)) return sentence;
  const rest = sentence.slice(head.length);
  if (rest.length < 20 || !/^["“‘'(]?[\p{Lu}\p{N}]/u.test(rest)) return sentence;
  return rest;
}

/**
 * A headline without the site or section name some outlets append ("… | The Nation",
 * "… | World News", "… - Reuters" when Reuters is the outlet).
 */
export function cleanHeadline(title: string, source?: string | null): string {
  let t = title.trim();
  const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (source && source.trim()) {
    const re = new RegExp(`\\s+[-–—|:]\\s+${esc(source.trim())}\\s*$`, 'i');
    if (re.test(t) && t.replace(re, '').split(/\s+/).length >= 3) t = t.replace(re, '');
  }
  for (let i = 0; i < 2; i++) {
    const m = /^(.*\S)\s+\|\s+([^|]*)$/.exec(t);
    if (!m) break;
    const [, head, tail] = m;
    const words = tail.trim().split(/\s+/).filter(Boolean);
    const siteLike =
      words.length === 0 ||
      /^[\d./-]+$/.test(tail.trim()) || // a date
      /(?:^|\s)(?:\.\.\.|…)$/.test(tail.trim()) || // cut-off site name
      (words.length <= 4 && words.every((w) => /^['"‘“(]?[\p{Lu}\p{N}]/u.test(w) || /^(?:of|and|the|&|for|in|on)$/i.test(w)));
    if (!siteLike || head.split(/\s+/).length < 3) break;
    t = head;
  }
  return t;
}

function cos(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, x] of a) {
    na += x * x;
    const y = b.get(k);
    if (y !== undefined) dot += x * y;
  }
  for (const [, y] of b) nb += y * y;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Pick up to `max` sentences (2-3) that say what the story is about. Members without body text
 * contribute their headlines, so headline-only stories get a summary of distinct headlines.
 */
export function summarize(
  members: Array<{ title: string; lead: string[] }>,
  centroid: Map<string, number>,
  vectorize: (s: string) => Map<string, number>,
  max = 3,
): string[] {
  const cands: Array<{ s: string; v: Map<string, number>; score: number }> = [];
  const seen = new Set<string>();
  const hasText = members.some((m) => m.lead.length > 0);
  for (const m of members.slice(0, 60)) {
    const sents = hasText ? m.lead.map(stripDateline) : [cleanHeadline(m.title)];
    sents.forEach((s, i) => {
      const key = s.toLowerCase().replace(/\W+/g, ' ').trim();
      if (seen.has(key) || (hasText && s === m.title)) return;
      // from body text, only sentences: headlines, deks and date lines inside the text are left out
      if (hasText && (!/[.!?]["”’)]?$/u.test(s) || isTitleCase(s))) return;
      // headlines cut off by the feed say less than whole ones
      if (!hasText && /(?:\.\.\.|…)\s*$/.test(s)) return;
      seen.add(key);
      const v = vectorize(s);
      // earlier sentences of an article carry its news; a mild position prior
      cands.push({ s, v, score: cos(v, centroid) * (1 - 0.08 * i) });
    });
  }
  cands.sort((a, b) => b.score - a.score);
  const chosen: typeof cands = [];
  for (const c of cands) {
    if (chosen.length >= max) break;
    if (chosen.some((x) => cos(x.v, c.v) > 0.5)) continue;
    chosen.push(c);
  }
  return chosen.map((c) => c.s);
}
