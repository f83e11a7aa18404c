// The fetcher's settings: the one definition the config schema (core/config.ts, `fetch`
// section) and the fetcher (client.ts) share, with the one set of defaults.

export interface FetchSettings {
  /** User-Agent sent with every request (its product token is what robots.txt rules match). */
  userAgent: string;
  /** Time allowed for DNS + TCP connect. */
  connectTimeoutMs: number;
  /** Time allowed for one whole request/response exchange (per redirect hop). */
  timeoutMs: number;
  /** Cap on the body, both as received and after decompression. */
  maxBytes: number;
  maxRedirects: number;
  perHostConcurrency: number;
  /** Minimum time between the starts of two requests to one host. */
  perHostIntervalMs: number;
  globalConcurrency: number;
  /** Extra attempts after the first on 5xx/429/408, timeouts and network errors. */
  retries: number;
  /** Check robots.txt before 'page' requests. */
  respectRobots: boolean;
  /** CIDR ranges allowed although private (e.g. ["127.0.0.1/32", "::1/128"] for the demo). */
  allowPrivateRanges: string[];
}

export const DEFAULT_USER_AGENT = 'OccasionalDigest/0.1 (+https://github.com/occasional-digest)';

export const DEFAULT_FETCH_SETTINGS: Readonly<FetchSettings> = Object.freeze({
  userAgent: DEFAULT_USER_AGENT,
  connectTimeoutMs: 10_000,
  timeoutMs: 30_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  perHostConcurrency: 2,
  perHostIntervalMs: 1000,
  globalConcurrency: 16,
  retries: 2,
  respectRobots: true,
  allowPrivateRanges: [] as string[],
});
