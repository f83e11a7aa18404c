// A tiny escaping template helper: everything interpolated into `html\`...\`` is
// HTML-escaped unless it is already SafeHtml (the result of html`` or raw()).
// Arrays are rendered item by item; null, undefined and false render as nothing.

export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for HTML element content and (quoted) attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Mark a string as trusted HTML (stored article HTML is sanitised before it is stored). */
export function raw(s: string | null | undefined): SafeHtml {
  return new SafeHtml(s ?? '');
}

function render(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Join pieces (escaped unless SafeHtml) with a SafeHtml separator. */
export function join(items: unknown[], sep: SafeHtml | string = ''): SafeHtml {
  const s = sep instanceof SafeHtml ? sep.value : escapeHtml(sep);
  return new SafeHtml(items.map(render).join(s));
}

// Characters XML 1.0 forbids anywhere (C0 controls except tab/LF/CR, lone surrogates,
// U+FFFE/U+FFFF). They are dropped, or the whole feed would be invalid.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Remove characters that may not appear in XML 1.0. */
export function stripInvalidXml(s: string): string {
  return s.replace(XML_INVALID, '');
}

/** Escape text for XML element content and attribute values. */
export function escapeXml(s: string): string {
  return stripInvalidXml(s).replace(/[&<>"']/g, (c) => (c === "'" ? '&apos;' : HTML_ESCAPES[c]));
}

/**
 * Plain text (a search snippet or title from the store) escaped, with the given
 * [start, end) ranges wrapped in <mark>…</mark>. Ranges out of order, overlapping or out
 * of bounds are clipped, so no input can produce unbalanced markup.
 */
export function markRanges(text: string, ranges: readonly (readonly [number, number])[]): SafeHtml {
  let out = '';
  let at = 0;
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const start = Math.max(at, Math.min(a, text.length));
    const end = Math.min(text.length, b);
    if (end <= start) continue;
    out += escapeHtml(text.slice(at, start)) + '<mark>' + escapeHtml(text.slice(start, end)) + '</mark>';
    at = end;
  }
  return new SafeHtml(out + escapeHtml(text.slice(at)));
}
