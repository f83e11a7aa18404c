// Dates, hosts and text excerpts for pages and feeds.

export interface Clock {
  timeZone: string;
  now: () => Date;
}

function parts(d: Date, tz: string): { y: number; m: number; d: number } {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  const [y, m, dd] = f.format(d).split('-').map(Number);
  return { y, m, d: dd };
}

/** "2025-03-04" in the given zone: the key articles are grouped by. */
export function dayKey(iso: string | Date, tz: string): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return 'unknown';
  const p = parts(d, tz);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** "Today", "Yesterday" or "Tuesday 4 March 2025". */
export function dayLabel(key: string, clock: Clock): string {
  if (key === 'unknown') return 'Undated';
  const today = dayKey(clock.now(), clock.timeZone);
  const yesterday = dayKey(new Date(clock.now().getTime() - 86_400_000), clock.timeZone);
  if (key === today) return 'Today';
  if (key === yesterday) return 'Yesterday';
  const [y, m, d] = key.split('-').map(Number);
  const noonUtc = new Date(Date.UTC(y, m - 1, d, 12));
  const p = partsOf(noonUtc, 'UTC', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

/** Named date parts (ICU versions differ in how they join them, so we join them ourselves). */
function partsOf(d: Date, tz: string, o: Intl.DateTimeFormatOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of new Intl.DateTimeFormat('en-GB', { timeZone: tz, hourCycle: 'h23', ...o }).formatToParts(d)) {
    if (part.type !== 'literal') out[part.type] = part.value;
  }
  return out;
}

export function validDate(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "14:05" in the zone. */
export function timeOfDay(iso: string | null | undefined, tz: string): string {
  const d = validDate(iso);
  if (!d) return '';
  const p = partsOf(d, tz, { hour: '2-digit', minute: '2-digit' });
  return `${p.hour}:${p.minute}`;
}

/** "4 March 2025, 14:05". */
export function dateTime(iso: string | null | undefined, tz: string): string {
  const d = validDate(iso);
  if (!d) return '';
  const p = partsOf(d, tz, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  return `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** "5 min ago", "3 h ago", "in 20 min", or a date when far away. */
export function relative(iso: string | null | undefined, clock: Clock): string {
  const d = validDate(iso);
  if (!d) return '';
  const diff = d.getTime() - clock.now().getTime();
  const abs = Math.abs(diff);
  const min = Math.round(abs / 60_000);
  let s: string;
  if (abs < 60_000) return diff <= 0 ? 'just now' : 'in under a minute';
  if (min < 60) s = `${min} min`;
  else if (min < 48 * 60) s = `${Math.round(min / 60)} h`;
  else if (min < 14 * 24 * 60) s = `${Math.round(min / 1440)} days`;
  else return dateTime(iso, clock.timeZone);
  return diff <= 0 ? `${s} ago` : `in ${s}`;
}

export function hostOf(url: string | null | undefined): string {
  if (!url) return '';
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** First `max` characters of text, cut at a word boundary, with an ellipsis. */
export function excerpt(text: string | null | undefined, max = 240): string {
  if (!text) return '';
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const sp = cut.lastIndexOf(' ');
  return (sp > max * 0.6 ? cut.slice(0, sp) : cut).replace(/[\s,;:.–-]+$/, '') + '…';
}

/** Only http(s) URLs may become links; anything else (javascript:, data:) is dropped. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

// Abbreviations and initials a full stop does not end a sentence after ("Gov. Sarah Palin", "U.S. troops").
const ABBREV_END =
  /(?:^|[\s(])(?:\p{Lu}|(?:\p{Lu}\.)+\p{Lu}|Mr|Mrs|Ms|Dr|Prof|Gov|Sen|Rep|Gen|Lt|Col|Capt|Sgt|Rev|St|Mt|Ft|Jr|Sr|No|Co|Corp|Inc|Ltd|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$/u;

/** The sentences of a text: split after . ! ? (and a closing quote) before a capital. */
export function sentences(text: string | null | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const block of text.split(/\n+/)) {
    const parts = block.replace(/\s+/g, ' ').trim().split(/(?<=[.!?…]["”’)]?)\s+(?=["“‘(]?[\p{Lu}\p{N}])/u);
    for (const p of parts) {
      const t = p.trim();
      if (!t) continue;
      if (out.length && ABBREV_END.test(out[out.length - 1])) out[out.length - 1] += ' ' + t;
      else out.push(t);
    }
  }
  return out;
}

/**
 * Whole sentences from the start of a text, as many as fit in `max` characters (at least
 * one); a first sentence longer than `max` is cut at a word with an ellipsis.
 */
export function lede(text: string | null | undefined, max = 200, maxSentences = 2): string {
  const ss = sentences(text);
  if (ss.length === 0) return '';
  if (ss[0].length > max) return excerpt(ss[0], max);
  let out = ss[0];
  for (const s of ss.slice(1, maxSentences)) {
    if (out.length + 1 + s.length > max) break;
    out += ' ' + s;
  }
  return out;
}

/**
 * The days a span covers, compactly: "4 March 2025", "3–5 March 2025",
 * "28 February – 2 March 2025", "30 December 2024 – 2 January 2025".
 */
export function daySpan(fromIso: string | null | undefined, toIso: string | null | undefined, tz: string): string {
  const a = validDate(fromIso);
  const b = validDate(toIso) ?? a;
  if (!a || !b) return '';
  const o: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };
  const p = partsOf(a, tz, o);
  const q = partsOf(b, tz, o);
  if (p.year !== q.year) return `${p.day} ${p.month} ${p.year} – ${q.day} ${q.month} ${q.year}`;
  if (p.month !== q.month) return `${p.day} ${p.month} – ${q.day} ${q.month} ${q.year}`;
  if (p.day !== q.day) return `${p.day}–${q.day} ${q.month} ${q.year}`;
  return `${q.day} ${q.month} ${q.year}`;
}
