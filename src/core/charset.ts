// Decoding an HTML page's bytes: BOM, then the HTTP charset, then <meta charset> in the
// first bytes, then UTF-8 when valid, else windows-1252 (what browsers do for Latin pages).

const LABEL_ALIASES: Record<string, string> = { 'iso-8859-1': 'windows-1252', latin1: 'windows-1252', 'us-ascii': 'windows-1252', ascii: 'windows-1252' };

function normaliseLabel(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (!l) return null;
  const mapped = LABEL_ALIASES[l] ?? l;
  try {
    new TextDecoder(mapped);
    return mapped;
  } catch {
    return null;
  }
}

// Node 20's TextDecoder decodes "windows-1252" as ISO-8859-1 (0x80-0x9F become C1 controls),
// so the 32 bytes where the two differ are mapped by hand.
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const part = bytes.subarray(i, i + CHUNK);
    let s = '';
    for (let j = 0; j < part.length; j++) {
      const b = part[j];
      s += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
    }
    out += s;
  }
  return out;
}

/** Decodes bytes with a WHATWG encoding label, fixing Node's windows-1252. */
export function decodeWith(label: string, bytes: Uint8Array): string {
  const l = normaliseLabel(label) ?? 'utf-8';
  if (l === 'windows-1252') return decodeWindows1252(bytes);
  return new TextDecoder(l).decode(bytes);
}

export function charsetFromContentType(ct: string | null | undefined): string | null {
  const m = ct ? /charset\s*=\s*("?)([^";,\s]+)\1/i.exec(ct) : null;
  return m ? normaliseLabel(m[2]) : null;
}

export function sniffMetaCharset(head: Buffer): string | null {
  const s = head.subarray(0, 4096).toString('latin1');
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(s) ??
    /<meta[^>]+http-equiv\s*=\s*["']?content-type["']?[^>]*content\s*=\s*["'][^"']*charset=([\w.:-]+)/i.exec(s);
  return m ? normaliseLabel(m[1]) : null;
}

export function decodeHtml(body: Buffer, contentType?: string | null): string {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return body.subarray(3).toString('utf8');
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return new TextDecoder('utf-16le').decode(body.subarray(2));
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return new TextDecoder('utf-16be').decode(body.subarray(2));
  const label = charsetFromContentType(contentType) ?? sniffMetaCharset(body);
  if (label && label !== 'utf-8' && !label.startsWith('utf-16')) return decodeWith(label, body);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return label === 'utf-8' ? body.toString('utf8') : decodeWindows1252(body);
  }
}
