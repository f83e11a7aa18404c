// Small helpers shared by the demo site's templates and feed writers.
import { createHash } from 'node:crypto';

/** Placeholder for the server's origin; substituted at serve time. */
export const BASE = '{{BASE}}';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline markup of a body block: escapes text, turns [text](url) into links. */
export function inline(s: string): string {
  const parts: string[] = [];
  let last = 0;
  const re = /\[([^\]]+)\]\(([^)\s]+)\)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    parts.push(esc(s.slice(last, m.index)));
    const href = m[2].startsWith('/') ? BASE + m[2] : m[2];
    parts.push(`<a href="${esc(href)}">${esc(m[1])}</a>`);
    last = m.index + m[0].length;
  }
  parts.push(esc(s.slice(last)));
  return parts.join('');
}

/** Plain text of a block (links reduced to their text). */
export function plain(s: string): string {
  return s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1').replace(/^##\s+/, '');
}

export function isHeading(block: string): boolean {
  return block.startsWith('## ');
}

export function shortHash(s: string, n = 8): string {
  return createHash('sha1').update(s).digest('hex').slice(0, n);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number): string => String(n).padStart(2, '0');

/** Shift an instant into a fixed UTC offset (minutes) and return its wall-clock parts. */
function wall(iso: string, offsetMin: number): Date {
  return new Date(Date.parse(iso) + offsetMin * 60_000);
}

function zone(offsetMin: number, colon: boolean): string {
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `${sign}${pad(Math.floor(a / 60))}${colon ? ':' : ''}${pad(a % 60)}`;
}

/** RFC 822 date as RSS 2.0 wants it, in the given offset: "Wed, 25 Nov 2026 08:30:00 +0100". */
export function rfc822(iso: string, offsetMin = 0): string {
  const d = wall(iso, offsetMin);
  return (
    `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ` +
    (offsetMin === 0 ? 'GMT' : zone(offsetMin, false))
  );
}

/** ISO 8601 in the given offset: "2026-11-25T08:30:00+01:00" (or "Z" for UTC when utcZ). */
export function isoIn(iso: string, offsetMin = 0, utcZ = false): string {
  const d = wall(iso, offsetMin);
  const z = offsetMin === 0 && utcZ ? 'Z' : zone(offsetMin, true);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${z}`
  );
}

/** HTTP date (always GMT). */
export function httpDate(iso: string): string {
  return new Date(Date.parse(iso)).toUTCString();
}

/** Human dates in the styles outlets use. */
export function humanDate(
  iso: string,
  style: 'long' | 'short' | 'dayfirst' | 'numeric' | 'weekday',
  offsetMin = 0,
): string {
  const d = wall(iso, offsetMin);
  const h = d.getUTCHours();
  const mi = pad(d.getUTCMinutes());
  const h12 = `${h % 12 === 0 ? 12 : h % 12}:${mi} ${h < 12 ? 'a.m.' : 'p.m.'}`;
  switch (style) {
    case 'long':
      return `${LONG_MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} at ${h12}`;
    case 'short':
      return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
    case 'dayfirst':
      return `${d.getUTCDate()} ${LONG_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${pad(h)}:${mi}`;
    case 'numeric':
      return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(h)}h${mi}`;
    case 'weekday':
      return `${LONG_DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${LONG_MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  }
}

// windows-1252 bytes 0x80-0x9F and the code points they stand for.
const CP1252_HIGH: Record<number, number> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
  0x02c6: 0x88, 0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91,
  0x2019: 0x92, 0x201c: 0x93, 0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98,
  0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b, 0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
};

/**
 * Encode markup as windows-1252. Characters the code page lacks become numeric character
 * references, which is what a CMS writing a legacy charset does (valid in both XML and HTML).
 */
export function encodeCp1252(s: string): Buffer {
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) out.push(cp);
    else if (CP1252_HIGH[cp] !== undefined) out.push(CP1252_HIGH[cp]);
    else for (const b of Buffer.from(`&#${cp};`, 'latin1')) out.push(b);
  }
  return Buffer.from(out);
}

/** Straight quotes, for outlets whose CMS doesn't curl them. */
export function straightQuotes(s: string): string {
  return s.replace(/[\u201c\u201d]/g, '"').replace(/[\u2018\u2019]/g, "'");
}
