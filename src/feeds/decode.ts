// Bytes → string for feeds: BOM, HTTP charset, XML prolog encoding (RFC 3023 / feedparser
// rules), a UTF-8 / windows-1252 fallback, and illegal XML control characters dropped.
// Uses Node's TextDecoder (full ICU in Node 20), so every WHATWG label works.

import { translateCp1252 } from './html.ts';

export interface DecodedFeed {
  text: string;
  /** Encoding actually used (lower case WHATWG-ish name). */
  encoding: string;
  /** The encodings that were declared, for diagnostics. */
  declared: { bom: string | null; http: string | null; xml: string | null };
}

/** Charset parameter of a Content-Type header, lower-cased, or null. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;]+))/i.exec(contentType);
  const v = (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').trim().toLowerCase();
  return v || null;
}

function sniffBom(buf: Uint8Array): { enc: string; skip: number } | null {
  if (buf.length >= 4 && buf[0] === 0x00 && buf[1] === 0x00 && buf[2] === 0xfe && buf[3] === 0xff) return { enc: 'utf-32be', skip: 4 };
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xfe && buf[2] === 0x00 && buf[3] === 0x00) return { enc: 'utf-32le', skip: 4 };
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { enc: 'utf-8', skip: 3 };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { enc: 'utf-16be', skip: 2 };
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { enc: 'utf-16le', skip: 2 };
  // "<?" in UTF-16/32 without a BOM
  if (buf.length >= 4) {
    if (buf[0] === 0x00 && buf[1] === 0x3c && buf[2] === 0x00 && buf[3] === 0x3f) return { enc: 'utf-16be', skip: 0 };
    if (buf[0] === 0x3c && buf[1] === 0x00 && buf[2] === 0x3f && buf[3] === 0x00) return { enc: 'utf-16le', skip: 0 };
    if (buf[0] === 0x00 && buf[1] === 0x00 && buf[2] === 0x00 && buf[3] === 0x3c) return { enc: 'utf-32be', skip: 0 };
    if (buf[0] === 0x3c && buf[1] === 0x00 && buf[2] === 0x00 && buf[3] === 0x00) return { enc: 'utf-32le', skip: 0 };
  }
  return null;
}

/** encoding="..." of the XML declaration (read as ASCII from the first bytes). */
export function xmlPrologEncoding(head: string): string | null {
  const m = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return m ? m[1].toLowerCase() : null;
}

/** `<meta charset>` / http-equiv in an HTML document (looks further than 1024 bytes). */
export function htmlMetaCharset(head: string): string | null {
  const m =
    /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head) ??
    /<meta\b[^>]*?content\s*=\s*["'][^"']*charset=([A-Za-z0-9._:-]+)/i.exec(head);
  return m ? m[1].toLowerCase() : null;
}

const SINGLE_BYTE = /^(?:us-ascii|ascii|iso-?8859-\d+|iso_8859-\d+|latin-?\d|l\d|windows-125\d|cp125\d|x-cp125\d|koi8-[ru]|cp-?\d+|macintosh|x-mac-.*)$/i;

function tryDecode(buf: Uint8Array, label: string, fatal: boolean): string | null {
  let l = label.toLowerCase();
  if (l === 'utf-16' || l === 'utf16') l = 'utf-16le';
  if (l === 'us-ascii' || l === 'ascii') l = 'windows-1252';
  // Strict windows-1252 (as Python's codec): five bytes are undefined.
  if (fatal && /^(windows-1252|cp1252|x-cp1252)$/.test(l)) {
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b === 0x81 || b === 0x8d || b === 0x8f || b === 0x90 || b === 0x9d) return null;
    }
  }
  if (l === 'utf-32' || l === 'utf-32be' || l === 'utf-32le') return decodeUtf32(buf, l === 'utf-32le');
  try {
    const dec = new TextDecoder(l, { fatal, ignoreBOM: false });
    const out = dec.decode(buf);
    // Node 20's windows-1252 decoder (also used for latin1/ascii labels) yields C1 controls
    // for 0x80–0x9F; map them to what windows-1252 means.
    return dec.encoding === 'windows-1252' ? translateCp1252(out) : out;
  } catch {
    return null;
  }
}

function decodeUtf32(buf: Uint8Array, le: boolean): string | null {
  if (buf.length % 4 !== 0) return null;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const cps: number[] = [];
  let out = '';
  for (let i = 0; i < buf.length; i += 4) {
    const cp = dv.getUint32(i, le);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    cps.push(cp);
    if (cps.length >= 4096) {
      out += String.fromCodePoint(...cps);
      cps.length = 0;
    }
  }
  return out + String.fromCodePoint(...cps);
}

function hasMultibyteUtf8(buf: Uint8Array): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] >= 0x80) return true;
  return false;
}

const ILLEGAL_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;

/** Remove characters XML 1.0 forbids (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF). */
export function stripIllegalXmlChars(s: string): string {
  return s.replace(ILLEGAL_XML, '');
}

/**
 * Decode a feed body. Order of trust (feedparser / RFC 3023): a BOM wins; then the HTTP
 * charset; then the XML prolog's encoding; then UTF-8; then windows-1252 (which never fails).
 * A declared encoding that cannot decode the bytes is skipped. A declared single-byte
 * encoding is overridden when the bytes are valid UTF-8 with non-ASCII sequences (the
 * common "UTF-8 file with a wrong prolog" mistake), unless the HTTP header and the prolog
 * agree on it.
 */
export function decodeFeedBytes(body: Uint8Array | string, contentType?: string | null): DecodedFeed {
  if (typeof body === 'string') {
    const text = stripIllegalXmlChars(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
    return { text, encoding: 'utf-16', declared: { bom: null, http: null, xml: null } };
  }
  const bom = sniffBom(body);
  const http = charsetFromContentType(contentType);
  let headAscii: string;
  if (!bom || bom.enc === 'utf-8') {
    const start = bom ? bom.skip : 0;
    headAscii = Buffer.from(body.subarray(start, start + 1024)).toString('latin1');
  } else {
    headAscii = tryDecode(body.subarray(bom.skip, bom.skip + 1024 - (1024 % 4)), bom.enc, false) ?? '';
  }
  let xml = xmlPrologEncoding(headAscii);
  const isHtml = !xml && /^\s*(?:<!--[\s\S]*?-->\s*)*<!doctype html|^\s*<html/i.test(headAscii);
  if (isHtml && !http) xml = htmlMetaCharset(Buffer.from(body.subarray(0, 65536)).toString('latin1'));
  const declared = { bom: bom?.enc ?? null, http, xml };

  const candidates: string[] = [];
  if (bom) candidates.push(bom.enc);
  // An 8-bit document cannot really be UTF-16/32 when no BOM or zero bytes say so.
  const looks16 = bom && bom.enc.startsWith('utf-16');
  for (const d of [http, xml]) {
    if (!d) continue;
    if (/^(utf-?16|utf-?32|ucs-?2|ucs-?4)/.test(d) && !looks16 && !bom) continue;
    candidates.push(d);
  }
  const utf8Ok = !bom || bom.enc === 'utf-8' ? tryDecode(body, 'utf-8', true) : null;
  if (!bom && utf8Ok !== null && hasMultibyteUtf8(body)) {
    // Valid UTF-8 with multi-byte sequences: a declared legacy single-byte encoding is almost
    // surely wrong, unless both the server and the document insist on the same one.
    const first = candidates[0];
    const insist = http && xml && http === xml;
    if (first && SINGLE_BYTE.test(first) && !insist) candidates.unshift('utf-8');
  }
  candidates.push('utf-8', 'windows-1252', 'iso-8859-2');

  const skip = bom ? bom.skip : 0;
  for (const enc of candidates) {
    const sub = enc === bom?.enc ? body.subarray(skip) : body;
    const s = enc === 'utf-8' && utf8Ok !== null && sub === body ? utf8Ok : tryDecode(sub, enc, true);
    if (s !== null) {
      let text = s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
      text = stripIllegalXmlChars(text);
      return { text, encoding: normaliseLabel(enc), declared };
    }
  }
  const text = stripIllegalXmlChars(tryDecode(body, 'windows-1252', false) ?? '');
  return { text, encoding: 'windows-1252', declared };
}

function normaliseLabel(l: string): string {
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return l;
  }
}
