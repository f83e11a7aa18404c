// Sending responses: strong ETags with If-None-Match → 304, gzip/br negotiated by
// Accept-Encoding q-values, security headers and Cache-Control on everything.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants as zc, gzipSync } from 'node:zlib';

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: http: data:",
  "media-src 'self' https: http:",
  "font-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
};

export interface Reply {
  status: number;
  type: string;
  body: string | Buffer;
  cacheControl?: string;
  headers?: Record<string, string | string[]>;
  /** Mixed into the ETag: one reader's representation never revalidates as another's. */
  etagKey?: string;
}

const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|feed\+json|javascript)|image\/svg)/;
const MIN_COMPRESS = 512;

type Coding = 'br' | 'gzip' | 'identity';

/** Pick br or gzip from Accept-Encoding, honouring q-values (q=0 forbids). */
export function negotiateEncoding(header: string | undefined): Coding {
  if (!header) return 'identity';
  const q: Record<string, number> = {};
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let qv = 1;
    for (const p of params) {
      const m = /^\s*q=([0-9.]+)\s*$/.exec(p);
      if (m) qv = Number(m[1]);
    }
    q[name] = Number.isFinite(qv) ? qv : 0;
  }
  const of = (c: string) => q[c] ?? (c !== 'identity' ? q['*'] : undefined) ?? 0;
  const br = of('br');
  const gz = Math.max(of('gzip'), q['x-gzip'] ?? 0);
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return 'identity';
}

function etagOf(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('base64url').slice(0, 27);
}

/** If-None-Match holds the tag (weak comparison, as RFC 9110 asks for this header). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}

// A small cache of compressed bodies keyed by (tag, coding): pages are re-rendered on
// every request but often identical, and brotli is the costly part.
const compressed = new Map<string, Buffer>();
const MAX_CACHED = 200;

function compress(buf: Buffer, coding: 'br' | 'gzip', tag: string): Buffer {
  const key = `${coding}:${tag}`;
  const hit = compressed.get(key);
  if (hit) return hit;
  const out =
    coding === 'br'
      ? brotliCompressSync(buf, {
          params: {
            [zc.BROTLI_PARAM_QUALITY]: 5,
            [zc.BROTLI_PARAM_SIZE_HINT]: buf.length,
          },
        })
      : gzipSync(buf, { level: 6 });
  if (compressed.size >= MAX_CACHED) compressed.delete(compressed.keys().next().value as string);
  compressed.set(key, out);
  return out;
}

/** Write a reply with every common header; returns the status actually sent. */
export function send(req: IncomingMessage, res: ServerResponse, r: Reply): number {
  const body = typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
  res.setHeader('Cache-Control', r.cacheControl ?? 'no-cache');

  const cacheable = r.status === 200;
  const canCompress = COMPRESSIBLE.test(r.type) && body.length >= MIN_COMPRESS;
  if (canCompress) {
    const vary = res.getHeader('Vary');
    res.setHeader('Vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
  }
  const coding: Coding = canCompress ? negotiateEncoding(req.headers['accept-encoding']) : 'identity';

  const base = r.etagKey ? etagOf(Buffer.concat([Buffer.from(`${r.etagKey}\n`), body])) : etagOf(body);
  // Each encoding is its own representation, so it gets its own strong tag.
  const etag = `"${base}${coding === 'br' ? '-br' : coding === 'gzip' ? '-gz' : ''}"`;
  if (cacheable) {
    res.setHeader('ETag', etag);
    if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) {
      res.statusCode = 304;
      res.end();
      return 304;
    }
  }

  const out = coding === 'identity' ? body : compress(body, coding, base);
  res.statusCode = r.status;
  res.setHeader('Content-Type', r.type);
  if (coding !== 'identity') res.setHeader('Content-Encoding', coding);
  res.setHeader('Content-Length', String(out.length));
  if (req.method === 'HEAD') res.end();
  else res.end(out);
  return r.status;
}
