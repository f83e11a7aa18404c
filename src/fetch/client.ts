// The HTTP(S) client every stage fetches through. Node's http/https with:
// - the SSRF policy on the URL, on every resolved address (custom `lookup`, so the decision is
//   on the address actually connected to) and on the socket's remote address;
// - connect and total timeouts, a byte cap before and after decompression (gzip/deflate/br);
// - redirects followed by hand, each hop re-checked; conditional GET (304 -> notModified);
// - per-host concurrency, per-host minimum interval and global concurrency;
// - retries with exponential backoff and jitter on 5xx/429/408 and network errors
//   (Retry-After honoured up to a cap); robots.txt for 'page' requests; bot-wall detection.
// Every failure is a DigestError. The fetcher knows nothing about feeds or articles.
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { Socket } from 'node:net';
import { Transform } from 'node:stream';
import type { FetchedDocument } from '../core/types.ts';
import { DigestError } from '../core/errors.ts';
import { checkAddress, checkUrl, checkUrlResolved, createPolicy, guardedLookup, type LookupFn, type Policy } from './policy.ts';
import { HostLimiter } from './limiter.ts';
import { ALLOW_ALL, parseRobots, type RobotsRules } from './robots.ts';
import { DEFAULT_FETCH_SETTINGS, type FetchSettings } from './options.ts';

export type FetchKind = 'feed' | 'page' | 'robots' | 'other';

/** The settings (shared with the config schema) plus hooks for tests and embedders. */
export interface FetchOptions extends FetchSettings {
  /** Resolver with the dns.lookup signature (tests inject a stub). */
  lookup?: LookupFn;
  /** First retry delay in ms (doubled per attempt, with jitter). Default 1000. */
  retryBaseMs?: number;
  /** Longest backoff or Retry-After waited in-process, in seconds. Longer: fail at once with retryAfterSec. Default 60. */
  maxRetryAfterSec?: number;
  /** How long a robots.txt is cached per origin, ms. Default 1 hour. */
  robotsTtlMs?: number;
}

export interface FetchRequest {
  etag?: string | null;
  lastModified?: string | null;
  accept?: string;
  kind?: FetchKind;
  /** Default GET. A POST is sent once (no retries) and its redirects are not followed. */
  method?: 'GET' | 'POST';
  /** Request body (POST). */
  body?: Buffer | string;
  /**
   * Extra request headers (names case-insensitive). They override the defaults (user-agent,
   * accept, …); host, content-length, transfer-encoding and connection are set by the client.
   */
  headers?: Record<string, string>;
}

export interface Fetcher {
  fetch(url: string, req?: FetchRequest): Promise<FetchedDocument>;
  /** Abort requests in flight and refuse new ones. */
  close(): void;
}

export const DEFAULT_FETCH_OPTIONS: FetchOptions = { ...DEFAULT_FETCH_SETTINGS, allowPrivateRanges: [] };

const ACCEPT: Record<FetchKind, string> = {
  feed: 'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5',
  page: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.8',
  robots: 'text/plain, */*;q=0.5',
  other: '*/*',
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Request headers the client owns: callers cannot set them. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'expect', 'te', 'trailer', 'keep-alive']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA']);
const TLS_CODES = new Set([
  'EPROTO', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED',
  'CERT_REJECTED', 'CERT_REVOKED', 'HOSTNAME_MISMATCH', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ECONNRESET_TLS',
]);
const ERROR_BODY_CAP = 256 * 1024;

type HopResult =
  | { kind: 'redirect'; status: number; location: string | null; headers: Record<string, string> }
  | { kind: 'response'; status: number; headers: Record<string, string>; body: Buffer };

function flattenHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  return Math.max(0, Math.ceil((t - now) / 1000));
}

const BOT_WALL_MARKERS = [
  '_cf_chl_opt', 'cf-browser-verification', 'cf_chl_', '/cdn-cgi/challenge-platform/', 'just a moment...',
  'attention required! | cloudflare', 'checking your browser before accessing', 'enable javascript and cookies to continue',
  'captcha-delivery.com', 'px-captcha', 'perimeterx', '_incapsula_resource', 'incapsula incident id',
  'sucuri website firewall', 'awswafcookiedomainlist', 'window.awswaf', 'ddos-guard', 'please verify you are a human',
];

/** A challenge page served instead of content (Cloudflare, DataDome, PerimeterX, Imperva, ...). */
export function isBotWall(status: number, headers: Record<string, string>, body: Buffer): boolean {
  if ((headers['cf-mitigated'] ?? '').toLowerCase() === 'challenge') return true;
  const text = body.subarray(0, 128 * 1024).toString('latin1').toLowerCase();
  if (status === 200) {
    // Some walls answer 200. A small page carrying two different challenge markers is one;
    // an article that merely mentions a marker is long and carries one.
    if (body.length > 64 * 1024) return false;
    return BOT_WALL_MARKERS.filter((m) => text.includes(m)).length >= 2;
  }
  if (status !== 403 && status !== 429 && status !== 503 && status !== 401) return false;
  if (headers['x-datadome'] !== undefined || headers['x-amzn-waf-action'] !== undefined) return true;
  return BOT_WALL_MARKERS.some((m) => text.includes(m));
}

function errorCode(err: unknown): string {
  const e = err as { code?: string; errors?: Array<{ code?: string }> };
  if (e?.code) return e.code;
  if (Array.isArray(e?.errors)) for (const x of e.errors) if (x?.code) return x.code;
  return '';
}

/** Map a Node error to a DigestError for `subject`. */
export function classifyError(err: unknown, subject: string): DigestError {
  if (err instanceof DigestError) {
    if (err.subject === subject) return err;
    return new DigestError(err.kind, err.message, { subject, status: err.status, retryAfterSec: err.retryAfterSec, cause: err.cause ?? err });
  }
  const inner = (err as { errors?: unknown[] })?.errors;
  if (Array.isArray(inner)) {
    const d = inner.find((x): x is DigestError => x instanceof DigestError);
    if (d) return classifyError(d, subject);
  }
  const code = errorCode(err);
  const msg = err instanceof Error ? err.message : String(err);
  if (DNS_CODES.has(code)) return new DigestError('dns', `cannot resolve host (${code})`, { subject, cause: err });
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || TLS_CODES.has(code) || code.startsWith('CERT_') || /\b(ssl|tls|certificate|wrong version number)\b/i.test(msg)) {
    return new DigestError('tls', `TLS failure: ${msg}`, { subject, cause: err });
  }
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return new DigestError('timeout', `timed out (${code})`, { subject, cause: err });
  return new DigestError('network', `${code ? code + ': ' : ''}${msg}`, { subject, cause: err });
}

function isRetryable(e: DigestError): boolean {
  if (e.kind === 'network' || e.kind === 'timeout') return true;
  if (e.kind === 'http' && e.status !== undefined) return e.status >= 500 || e.status === 429 || e.status === 408;
  return false;
}

/** Stream decoders for a Content-Encoding header (applied in reverse order of listing). */
function decodersFor(encoding: string | undefined): Transform[] | null {
  if (!encoding) return [];
  const list = encoding
    .toLowerCase()
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'identity')
    .reverse();
  const out: Transform[] = [];
  for (const enc of list) {
    if (enc === 'gzip' || enc === 'x-gzip') out.push(zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH }));
    else if (enc === 'deflate') out.push(createAutoInflate());
    else if (enc === 'br') out.push(zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }));
    else return null;
  }
  return out;
}

/** "deflate" is zlib-wrapped by the spec but raw deflate in the wild: look at the first bytes. */
function createAutoInflate(): Transform {
  // zlib.createUnzip() would reject raw deflate; pick on the first chunk instead.
  let inner: zlib.Inflate | zlib.InflateRaw | null = null;
  const outer: Transform = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (!inner) {
        const zlibHeader = chunk.length >= 2 && (chunk[0] & 0x0f) === 8 && ((chunk[0] << 8) | chunk[1]) % 31 === 0;
        inner = zlibHeader
          ? zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH })
          : zlib.createInflateRaw({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
        inner.on('data', (d: Buffer) => outer.push(d));
        inner.on('error', (e: Error) => outer.destroy(e));
      }
      inner.write(chunk, () => cb());
    },
    flush(cb) {
      if (!inner) return cb();
      inner.once('end', () => cb());
      inner.end();
    },
    destroy(err, cb) {
      inner?.destroy();
      cb(err);
    },
  });
  return outer;
}

interface RobotsEntry {
  rules: Promise<RobotsRules>;
  at: number;
}

class FetcherImpl implements Fetcher {
  private readonly o: Required<Omit<FetchOptions, 'lookup'>> & { lookup?: LookupFn };
  private readonly policy: Policy;
  private readonly lookup: LookupFn;
  private readonly limiter: HostLimiter;
  private readonly robots = new Map<string, RobotsEntry>();
  private readonly inflight = new Set<http.ClientRequest>();
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; reject: (e: Error) => void }>();
  private closed = false;

  constructor(opts: Partial<FetchOptions>) {
    this.o = {
      retryBaseMs: 1000,
      maxRetryAfterSec: 60,
      robotsTtlMs: 3_600_000,
      ...DEFAULT_FETCH_OPTIONS,
      ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
    } as FetcherImpl['o'];
    this.policy = createPolicy(this.o.allowPrivateRanges);
    this.lookup = guardedLookup(this.policy, this.o.lookup);
    this.limiter = new HostLimiter(
      Math.max(1, this.o.globalConcurrency),
      Math.max(1, this.o.perHostConcurrency),
      Math.max(0, this.o.perHostIntervalMs),
    );
  }

  close(): void {
    this.closed = true;
    this.limiter.close();
    for (const r of this.inflight) r.destroy(new DigestError('network', 'fetcher closed'));
    this.inflight.clear();
    for (const s of this.sleepers) {
      clearTimeout(s.timer);
      s.reject(new DigestError('network', 'fetcher closed'));
    }
    this.sleepers.clear();
  }

  async fetch(url: string, req: FetchRequest = {}): Promise<FetchedDocument> {
    const started = Date.now();
    if (this.closed) throw new DigestError('network', 'fetcher closed', { subject: url });
    const first = checkUrl(url, this.policy).url;
    const kind = req.kind ?? 'other';
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'POST') throw new DigestError('usage', `unsupported method ${String(method)}`, { subject: url });
    if (method === 'GET' && req.body !== undefined) throw new DigestError('usage', 'a GET request has no body', { subject: url });
    if (kind === 'page' && this.o.respectRobots && method === 'GET') await this.checkRobots(first);
    // A POST is not idempotent: it is sent once, whatever happens.
    const retries = method === 'POST' ? 0 : this.o.retries;
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await this.fetchFollowing(first, req, kind, this.o.maxBytes);
        doc.requestUrl = url;
        doc.elapsedMs = Date.now() - started;
        return doc;
      } catch (e) {
        const err = classifyError(e, url);
        if (this.closed || !isRetryable(err) || attempt >= retries) throw err;
        const backoff = this.o.retryBaseMs * 2 ** attempt * (0.5 + Math.random());
        const waitMs = err.retryAfterSec !== undefined ? Math.max(err.retryAfterSec * 1000, backoff / 4) : backoff;
        if (waitMs > this.o.maxRetryAfterSec * 1000) throw err;
        await this.sleep(waitMs);
      }
    }
  }

  private withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => DigestError): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms);
    });
    return Promise.race([p, t]).finally(() => clearTimeout(timer));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleepers.delete(entry);
          resolve();
        }, ms),
        reject,
      };
      this.sleepers.add(entry);
    });
  }

  private async checkRobots(url: URL): Promise<void> {
    const origin = url.origin;
    let entry = this.robots.get(origin);
    if (!entry || Date.now() - entry.at > this.o.robotsTtlMs) {
      entry = { at: Date.now(), rules: this.loadRobots(url) };
      this.robots.set(origin, entry);
      if (this.robots.size > 2000) {
        const oldest = this.robots.keys().next().value;
        if (oldest !== undefined) this.robots.delete(oldest);
      }
    }
    const rules = await entry.rules;
    if (!rules.isAllowed(url.pathname + url.search)) {
      throw new DigestError('refused', `robots.txt of ${origin} disallows ${url.pathname}`, { subject: url.href });
    }
  }

  private async loadRobots(url: URL): Promise<RobotsRules> {
    const robotsUrl = new URL('/robots.txt', url.origin);
    try {
      const doc = await this.fetchFollowing(robotsUrl, { accept: ACCEPT.robots }, 'robots', Math.min(this.o.maxBytes, 512 * 1024));
      if (doc.status < 200 || doc.status >= 300) return ALLOW_ALL;
      const rules = parseRobots(doc.body.toString('utf8'), this.o.userAgent);
      if (rules.crawlDelaySec !== null && rules.crawlDelaySec > 0) {
        this.limiter.setHostInterval(url.host, Math.min(rules.crawlDelaySec, 30) * 1000);
      }
      return rules;
    } catch {
      // Unreachable or erroring robots.txt: treat as no restrictions (RFC 9309 allows this for 4xx;
      // we are lenient on 5xx and network errors too: the page fetch will meet the same server).
      return ALLOW_ALL;
    }
  }

  private async fetchFollowing(start: URL, req: FetchRequest, kind: FetchKind, maxBytes: number): Promise<FetchedDocument> {
    let current = start;
    const seen = new Set<string>([current.href]);
    let hops = 0;
    const method = req.method ?? 'GET';
    const headers: Record<string, string> = {
      'user-agent': this.o.userAgent,
      accept: req.accept ?? ACCEPT[kind],
      'accept-encoding': 'gzip, deflate, br',
    };
    if (method === 'GET' && req.etag) headers['if-none-match'] = req.etag;
    if (method === 'GET' && req.lastModified) headers['if-modified-since'] = req.lastModified;
    for (const [k, v] of Object.entries(req.headers ?? {})) {
      const name = k.toLowerCase();
      if (RESERVED_HEADERS.has(name) || typeof v !== 'string') continue;
      if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name) || /[\r\n\0]/.test(v)) {
        throw new DigestError('usage', `invalid request header ${JSON.stringify(k)}`, { subject: start.href });
      }
      headers[name] = v;
    }
    const reqBody = method === 'POST' ? (typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : (req.body ?? Buffer.alloc(0))) : null;
    for (;;) {
      if (this.closed) throw new DigestError('network', 'fetcher closed', { subject: current.href });
      // Early check (scheme, literal address, every resolved address) before queueing or
      // opening a socket; the connect-time lookup checks again.
      await this.withTimeout(
        checkUrlResolved(current, this.policy, this.o.lookup),
        this.o.connectTimeoutMs,
        () => new DigestError('timeout', `no DNS answer within ${this.o.connectTimeoutMs} ms`, { subject: current.href }),
      );
      const release = await this.limiter.acquire(current.host);
      let result: HopResult;
      try {
        result = await this.requestOnce(current, headers, maxBytes, method, reqBody);
      } finally {
        release();
      }
      if (result.kind === 'redirect') {
        if (method === 'POST') {
          // Following would re-send (307/308) or turn into a GET (301-303): neither is safe to do blindly.
          throw new DigestError('http', `POST answered with redirect ${result.status}${result.location ? ` to ${result.location.slice(0, 200)}` : ''} (not followed)`, {
            status: result.status,
            subject: current.href,
          });
        }
        if (!result.location) {
          throw new DigestError('http', `redirect ${result.status} without a Location`, { status: result.status, subject: current.href });
        }
        let next: URL;
        try {
          next = new URL(result.location, current);
        } catch {
          throw new DigestError('refused', `redirect to an invalid URL: ${result.location.slice(0, 200)}`, { subject: current.href });
        }
        hops++;
        if (seen.has(next.href)) {
          throw new DigestError('too_many_redirects', `redirect loop back to ${next.href}`, { subject: start.href });
        }
        if (hops > this.o.maxRedirects) {
          throw new DigestError('too_many_redirects', `more than ${this.o.maxRedirects} redirects`, { subject: start.href });
        }
        seen.add(next.href);
        current = checkUrl(next, this.policy).url;
        continue;
      }
      const { status, headers: h, body } = result;
      const doc: FetchedDocument = {
        requestUrl: start.href,
        url: current.href,
        status,
        headers: h,
        body,
        notModified: status === 304,
        etag: h['etag'] ?? (status === 304 ? (req.etag ?? null) : null),
        lastModified: h['last-modified'] ?? (status === 304 ? (req.lastModified ?? null) : null),
        elapsedMs: 0,
      };
      if (status === 304) return doc;
      if (isBotWall(status, h, body)) {
        throw new DigestError('bot_wall', `bot check (HTTP ${status}) instead of content`, {
          status,
          subject: current.href,
          retryAfterSec: parseRetryAfter(h['retry-after']) ?? undefined,
        });
      }
      if (status >= 400 || status < 200) {
        if (kind === 'robots') return doc; // the robots logic reads the status itself
        throw new DigestError('http', `HTTP ${status}`, {
          status,
          subject: current.href,
          retryAfterSec: parseRetryAfter(h['retry-after']) ?? undefined,
        });
      }
      return doc;
    }
  }

  private requestOnce(url: URL, headers: Record<string, string>, maxBytes: number, method: 'GET' | 'POST' = 'GET', body: Buffer | null = null): Promise<HopResult> {
    return new Promise<HopResult>((resolve, reject) => {
      const isHttps = url.protocol === 'https:';
      const mod = isHttps ? https : http;
      let settled = false;
      const decoders: Transform[] = [];
      const timers: NodeJS.Timeout[] = [];
      const clear = () => {
        for (const t of timers) clearTimeout(t);
        timers.length = 0;
        this.inflight.delete(request);
      };
      const fail = (e: DigestError) => {
        if (settled) return;
        settled = true;
        clear();
        for (const d of decoders) d.destroy();
        request.destroy();
        reject(e);
      };
      const succeed = (r: HopResult) => {
        if (settled) return;
        settled = true;
        clear();
        resolve(r);
      };
      const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      const request = mod.request({
        protocol: url.protocol,
        hostname,
        port: url.port ? Number(url.port) : undefined,
        path: (url.pathname || '/') + url.search,
        method,
        headers: body ? { ...headers, 'content-length': String(body.length) } : headers,
        agent: false,
        lookup: this.lookup as never,
      });
      this.inflight.add(request);
      timers.push(
        setTimeout(() => fail(new DigestError('timeout', `no connection within ${this.o.connectTimeoutMs} ms`, { subject: url.href })), this.o.connectTimeoutMs),
      );
      const connectTimer = timers[0];
      timers.push(setTimeout(() => fail(new DigestError('timeout', `no complete answer within ${this.o.timeoutMs} ms`, { subject: url.href })), this.o.timeoutMs));
      request.on('socket', (socket: Socket) => {
        const onConnect = () => {
          clearTimeout(connectTimer);
          const remote = socket.remoteAddress;
          const why = remote ? checkAddress(remote, this.policy) : 'no remote address';
          if (why) fail(new DigestError('refused', `connected address ${remote} is refused (${why})`, { subject: url.href }));
        };
        if (socket.connecting) socket.once('connect', onConnect);
        else onConnect();
      });
      request.on('error', (err) => fail(classifyError(err, url.href)));
      request.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const h = flattenHeaders(res.headers);
        if (REDIRECTS.has(status)) {
          res.resume();
          succeed({ kind: 'redirect', status, location: h['location'] ?? null, headers: h });
          request.destroy();
          return;
        }
        if (status === 304 || status === 204) {
          res.resume();
          succeed({ kind: 'response', status, headers: h, body: Buffer.alloc(0) });
          request.destroy();
          return;
        }
        const isError = status >= 400;
        const cap = isError ? Math.min(maxBytes, ERROR_BODY_CAP) : maxBytes;
        const declared = Number(h['content-length']);
        if (!isError && Number.isFinite(declared) && declared > maxBytes) {
          fail(new DigestError('too_large', `Content-Length ${declared} is over the ${maxBytes}-byte cap`, { subject: url.href }));
          return;
        }
        const chain = decodersFor(h['content-encoding']);
        if (chain === null) {
          // Unknown encoding: hand the bytes on as they are.
          decoders.length = 0;
        } else decoders.push(...chain);
        const chunks: Buffer[] = [];
        let raw = 0;
        let decoded = 0;
        let truncated = false;
        const finish = () => succeed({ kind: 'response', status, headers: h, body: Buffer.concat(chunks) });
        const over = (what: string) => {
          if (isError) {
            truncated = true;
            finish();
            request.destroy();
          } else fail(new DigestError('too_large', `${what} body is over the ${maxBytes}-byte cap`, { subject: url.href }));
        };
        res.on('data', (c: Buffer) => {
          raw += c.length;
          if (raw > cap && !truncated) over('the');
        });
        res.on('error', (e) => fail(classifyError(e, url.href)));
        res.on('close', () => {
          if (!res.complete && !settled) fail(new DigestError('network', 'connection closed before the body was complete', { subject: url.href }));
        });
        let last: NodeJS.ReadableStream = res;
        for (const d of decoders) {
          d.on('error', (e: Error) => fail(new DigestError('network', `cannot decode ${h['content-encoding']} body: ${e.message}`, { subject: url.href, cause: e })));
          last = last.pipe(d);
        }
        last.on('data', (c: Buffer) => {
          if (settled) return;
          decoded += c.length;
          if (decoded > cap) {
            if (isError) {
              chunks.push(c.subarray(0, c.length - (decoded - cap)));
            }
            over(decoders.length ? 'the decompressed' : 'the');
            return;
          }
          chunks.push(c);
        });
        last.on('end', finish);
      });
      if (body) request.end(body);
      else request.end();
    });
  }
}

/** Create a fetcher; options not given take DEFAULT_FETCH_OPTIONS. */
export function createFetcher(opts: Partial<FetchOptions> = {}): Fetcher {
  return new FetcherImpl(opts);
}
