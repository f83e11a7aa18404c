// Typed errors: every failure the pipeline meets is one of these kinds, stored on the
// source or article it concerns and shown to the user with a hint of what to do.

export type ErrorKind =
  | 'timeout'
  | 'dns'
  | 'tls'
  | 'network'
  | 'http'
  | 'too_large'
  | 'too_many_redirects'
  | 'bot_wall'
  | 'refused' // blocked by policy: private address, scheme, robots.txt
  | 'parse'
  | 'extract'
  | 'config'
  | 'usage'
  | 'not_found'
  | 'lease_lost'; // a lease (with its fencing token) ran out or was taken over

const HINTS: Record<ErrorKind, string> = {
  timeout: 'the server did not answer in time; it will be retried later',
  dns: 'the host name does not resolve; check the URL for typos',
  tls: 'the TLS handshake failed; the site certificate may be invalid or expired',
  network: 'the connection failed; it will be retried later',
  http: 'the server answered with an error status',
  too_large: 'the response is larger than fetch.maxBytes allows',
  too_many_redirects: 'the URL redirects too often (or in a loop); use the final URL',
  bot_wall: 'the site answered with a bot check instead of content; it may need a different User-Agent',
  refused: 'the request was refused by policy (private address, scheme or robots.txt)',
  parse: 'the document could not be parsed as a feed; check that the URL is a feed',
  extract: 'no article could be extracted from the page; the feed content is used instead',
  config: 'fix the configuration value named in the message',
  usage: 'see --help for usage',
  not_found: 'nothing by that name or id exists',
  lease_lost: 'another process holds the lease now; this one stops and leaves the work to it',
};

export class DigestError extends Error {
  readonly kind: ErrorKind;
  /** HTTP status when kind is "http". */
  readonly status?: number;
  /** URL or source the error concerns. */
  readonly subject?: string;
  /** Seconds the server asked us to wait (Retry-After). */
  readonly retryAfterSec?: number;

  constructor(
    kind: ErrorKind,
    message: string,
    opts: { status?: number; subject?: string; retryAfterSec?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'DigestError';
    this.kind = kind;
    this.status = opts.status;
    this.subject = opts.subject;
    this.retryAfterSec = opts.retryAfterSec;
  }

  get hint(): string {
    return HINTS[this.kind];
  }

  /** One line for a log or a table: "http 503 at https://x/feed: ... (hint)". */
  describe(): string {
    const where = this.subject ? ` at ${this.subject}` : '';
    const st = this.kind === 'http' && this.status ? ` ${this.status}` : '';
    return `${this.kind}${st}${where}: ${this.message} (${this.hint})`;
  }
}

export function isDigestError(e: unknown): e is DigestError {
  return e instanceof DigestError;
}

/** Wrap anything thrown into a DigestError of the given fallback kind. */
export function toDigestError(e: unknown, fallback: ErrorKind, subject?: string): DigestError {
  if (e instanceof DigestError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new DigestError(fallback, msg, { subject, cause: e });
}
