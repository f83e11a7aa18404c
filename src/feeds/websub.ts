// WebSub (W3C, formerly PubSubHubbub) helpers: subscription requests, the verification of
// intent callback, and the HMAC signature of pushed content (X-Hub-Signature).

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SubscribeRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

/** Build the form POST to a hub: subscribe (or unsubscribe) `topic`, pushes to `callback`. */
export function buildSubscribeRequest(opts: {
  hub: string;
  topic: string;
  callback: string;
  secret?: string;
  leaseSeconds?: number;
  mode?: 'subscribe' | 'unsubscribe';
}): SubscribeRequest {
  const p = new URLSearchParams();
  p.set('hub.mode', opts.mode ?? 'subscribe');
  p.set('hub.topic', opts.topic);
  p.set('hub.callback', opts.callback);
  if (opts.secret) {
    if (Buffer.byteLength(opts.secret) > 199) throw new RangeError('WebSub secret must be under 200 bytes');
    p.set('hub.secret', opts.secret);
  }
  if (opts.leaseSeconds && opts.leaseSeconds > 0) p.set('hub.lease_seconds', String(Math.floor(opts.leaseSeconds)));
  return {
    url: opts.hub,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: p.toString(),
  };
}

/** A fresh random secret for a subscription. */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Answer a hub's verification of intent (GET callback?hub.mode=…&hub.topic=…&hub.challenge=…).
 * Returns the challenge to echo with 200 when the mode and topic are the ones we asked for,
 * else null (answer 404).
 */
export function verifyIntent(
  query: URLSearchParams | Record<string, string | undefined>,
  expected: { topic: string; mode?: 'subscribe' | 'unsubscribe' },
): { challenge: string; leaseSeconds: number | null } | null {
  const get = (k: string) => (query instanceof URLSearchParams ? query.get(k) : (query[k] ?? null));
  const mode = get('hub.mode');
  const topic = get('hub.topic');
  const challenge = get('hub.challenge');
  if (!challenge || mode !== (expected.mode ?? 'subscribe') || topic !== expected.topic) return null;
  const lease = get('hub.lease_seconds');
  const n = lease ? parseInt(lease, 10) : NaN;
  return { challenge, leaseSeconds: Number.isFinite(n) ? n : null };
}

/** The X-Hub-Signature value for a body: "sha256=<hex>" (or another algorithm). */
export function signBody(body: Buffer | string, secret: string, algo: 'sha1' | 'sha256' | 'sha384' | 'sha512' = 'sha256'): string {
  return `${algo}=${createHmac(algo, secret).update(body).digest('hex')}`;
}

/**
 * Check the X-Hub-Signature of pushed content ("sha1=…", "sha256=…", "sha384=…", "sha512=…").
 * Constant-time comparison; false for a missing, malformed or wrong signature.
 */
export function verifySignature(body: Buffer | string, signatureHeader: string | null | undefined, secret: string): boolean {
  if (!signatureHeader) return false;
  const m = /^\s*(sha1|sha256|sha384|sha512)=([0-9a-fA-F]+)\s*$/.exec(signatureHeader);
  if (!m) return false;
  const algo = m[1] as 'sha1' | 'sha256' | 'sha384' | 'sha512';
  const expected = createHmac(algo, secret).update(body).digest();
  const given = Buffer.from(m[2], 'hex');
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
