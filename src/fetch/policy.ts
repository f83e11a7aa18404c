// SSRF policy: which URLs and which connected addresses the fetcher may reach.
// URLs are parsed with the WHATWG URL class (never regexes on the raw string); the decision is
// made on IP addresses: IP literals at once, names on every address the resolver returns at
// connect time (see guardedLookup), so DNS rebinding cannot slip a private address through.
import { isIP } from 'node:net';
import type { LookupAddress } from 'node:dns';
import dns from 'node:dns';
import { DigestError } from '../core/errors.ts';

/** A parsed CIDR range. */
export interface Cidr {
  family: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
}

/** The dns.lookup signature (as far as the fetcher uses it). */
export type LookupFn = (
  hostname: string,
  options: dns.LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

export interface Policy {
  /** CIDR ranges allowed even though private/loopback (matched against the connected address). */
  allow: Cidr[];
}

export function createPolicy(allowPrivateRanges: string[] = []): Policy {
  return { allow: allowPrivateRanges.map(parseCidr) };
}

// ---- address parsing --------------------------------------------------------------------------

function v4Bytes(ip: string): Uint8Array | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return null;
    const n = Number(parts[i]);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function v6Bytes(ip: string): Uint8Array | null {
  let s = ip;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (s.includes('%')) return null; // zone ids are never accepted
  let tail: Uint8Array | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail = v4Bytes(s.slice(lastColon + 1));
    if (!tail) return null;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string) => (h === '' ? [] : h.split(':'));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(groups[i])) return null;
    const n = parseInt(groups[i], 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  }
  if (tail) out.set(tail, 12);
  return out;
}

/** Bytes of an IP address (4 or 16), or null when it is not an IP address. */
export function ipBytes(ip: string): Uint8Array | null {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const fam = isIP(bare);
  if (fam === 4) return v4Bytes(bare);
  if (fam === 6) return v6Bytes(bare);
  return null;
}

export function parseCidr(text: string): Cidr {
  const [addr, len] = text.trim().split('/');
  const bytes = ipBytes(addr ?? '');
  if (!bytes) throw new DigestError('config', `not an IP range: "${text}" (expected CIDR such as 127.0.0.1/32)`);
  const max = bytes.length * 8;
  const prefix = len === undefined ? max : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new DigestError('config', `bad prefix length in "${text}"`);
  return { family: bytes.length === 4 ? 4 : 6, bytes, prefix };
}

function inPrefix(bytes: Uint8Array, net: Uint8Array, prefix: number): boolean {
  if (bytes.length !== net.length) return false;
  let bits = prefix;
  for (let i = 0; i < bytes.length && bits > 0; i++) {
    const take = Math.min(8, bits);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[i] & mask) !== (net[i] & mask)) return false;
    bits -= take;
  }
  return true;
}

const cidr = (s: string) => parseCidr(s);

/** IPv4 ranges refused by default (RFC 6890 special-purpose and friends). */
const REFUSED_V4: Array<[Cidr, string]> = [
  [cidr('0.0.0.0/8'), '"this host" 0.0.0.0/8'],
  [cidr('10.0.0.0/8'), 'private 10/8'],
  [cidr('100.64.0.0/10'), 'carrier-grade NAT 100.64/10'],
  [cidr('127.0.0.0/8'), 'loopback 127/8'],
  [cidr('169.254.0.0/16'), 'link-local / cloud metadata 169.254/16'],
  [cidr('172.16.0.0/12'), 'private 172.16/12'],
  [cidr('192.0.0.0/24'), 'IETF protocol assignments 192.0.0/24'],
  [cidr('192.0.2.0/24'), 'documentation 192.0.2/24'],
  [cidr('192.88.99.0/24'), '6to4 relay anycast'],
  [cidr('192.168.0.0/16'), 'private 192.168/16'],
  [cidr('198.18.0.0/15'), 'benchmarking 198.18/15'],
  [cidr('198.51.100.0/24'), 'documentation 198.51.100/24'],
  [cidr('203.0.113.0/24'), 'documentation 203.0.113/24'],
  [cidr('224.0.0.0/4'), 'multicast 224/4'],
  [cidr('240.0.0.0/4'), 'reserved 240/4 (and broadcast)'],
];

/** IPv6 ranges refused outright (embedded-IPv4 forms are handled separately). */
const REFUSED_V6: Array<[Cidr, string]> = [
  [cidr('::/128'), 'unspecified ::'],
  [cidr('::1/128'), 'loopback ::1'],
  [cidr('64:ff9b:1::/48'), 'local-use NAT64'],
  [cidr('100::/64'), 'discard-only 100::/64'],
  [cidr('2001::/32'), 'Teredo 2001::/32'],
  [cidr('2001:db8::/32'), 'documentation 2001:db8::/32'],
  [cidr('fc00::/7'), 'unique local fc00::/7'],
  [cidr('fe80::/10'), 'link-local fe80::/10'],
  [cidr('ff00::/8'), 'multicast ff00::/8'],
];

const MAPPED = cidr('::ffff:0:0/96');
const COMPAT = cidr('::/96');
const NAT64 = cidr('64:ff9b::/96');
const SIXTOFOUR = cidr('2002::/16');

function v4ToString(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/**
 * Why an address is refused by default, or null when it is public. Embedded IPv4 addresses
 * (IPv4-mapped, IPv4-compatible, NAT64, 6to4) are judged as the IPv4 address they carry.
 */
export function refusedReason(ip: string): string | null {
  const b = ipBytes(ip);
  if (!b) return 'not an IP address';
  if (b.length === 4) {
    for (const [c, why] of REFUSED_V4) if (inPrefix(b, c.bytes, c.prefix)) return why;
    return null;
  }
  for (const [c, why] of REFUSED_V6) if (inPrefix(b, c.bytes, c.prefix)) return why;
  let embedded: Uint8Array | null = null;
  let form = '';
  if (inPrefix(b, MAPPED.bytes, MAPPED.prefix)) [embedded, form] = [b.slice(12), 'IPv4-mapped'];
  else if (inPrefix(b, COMPAT.bytes, COMPAT.prefix)) [embedded, form] = [b.slice(12), 'IPv4-compatible'];
  else if (inPrefix(b, NAT64.bytes, NAT64.prefix)) [embedded, form] = [b.slice(12), 'NAT64'];
  else if (inPrefix(b, SIXTOFOUR.bytes, SIXTOFOUR.prefix)) [embedded, form] = [b.slice(2, 6), '6to4'];
  if (embedded) {
    const inner = refusedReason(v4ToString(embedded));
    if (inner) return `${form} ${inner}`;
  }
  return null;
}

/** True when the address falls in one of the policy's allowed ranges (IPv4-mapped unwrapped). */
export function isAllowListed(ip: string, policy: Policy): boolean {
  const b = ipBytes(ip);
  if (!b) return false;
  if (b.length === 16 && inPrefix(b, MAPPED.bytes, MAPPED.prefix)) {
    const v4 = b.slice(12);
    if (policy.allow.some((c) => inPrefix(v4, c.bytes, c.prefix))) return true;
  }
  return policy.allow.some((c) => inPrefix(b, c.bytes, c.prefix));
}

/** Null when the policy lets the fetcher connect to `ip`, otherwise the reason it may not. */
export function checkAddress(ip: string, policy: Policy): string | null {
  if (isAllowListed(ip, policy)) return null;
  return refusedReason(ip);
}

// ---- URLs -------------------------------------------------------------------------------------

export interface CheckedUrl {
  url: URL;
  /** Host name without IPv6 brackets. */
  host: string;
  /** Set when the host is an IP literal. */
  ip: string | null;
}

/** Parse and check the parts of a URL that need no DNS: the scheme and IP-literal hosts. */
export function checkUrl(raw: string | URL, policy: Policy): CheckedUrl {
  let url: URL;
  try {
    url = new URL(String(raw).trim());
  } catch {
    throw new DigestError('refused', `not a valid absolute URL: ${JSON.stringify(String(raw)).slice(0, 200)}`, { subject: String(raw) });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DigestError('refused', `scheme ${url.protocol} is not allowed (http and https only)`, { subject: url.href });
  }
  let host = url.hostname;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (!host) throw new DigestError('refused', 'URL has no host', { subject: url.href });
  const ip = isIP(host) ? host : null;
  if (ip) {
    const why = checkAddress(ip, policy);
    if (why) throw new DigestError('refused', `address ${ip} is refused (${why})`, { subject: url.href });
  }
  return { url, host, ip };
}

/** RFC 6761: "localhost" and "*.localhost" are loopback whatever a resolver says. */
export function isLocalhostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL', 'ENOTIMP', 'EREFUSED', 'ECONNREFUSED_DNS']);

/**
 * A dns.lookup-compatible function that resolves with `base`, checks every address against
 * the policy and fails with a "refused" DigestError when any of them is refused. Passed as the
 * `lookup` of every request, so the check applies to the address the socket connects to.
 */
export function guardedLookup(policy: Policy, base: LookupFn = dns.lookup as unknown as LookupFn): LookupFn {
  return (hostname, options, callback) => {
    const done = (err: NodeJS.ErrnoException | null, list: LookupAddress[]) => {
      if (err) {
        const code = err.code ?? '';
        const e = new DigestError(DNS_CODES.has(code) ? 'dns' : 'network', `cannot resolve ${hostname}: ${code || err.message}`, {
          subject: hostname,
          cause: err,
        });
        return callback(e as unknown as NodeJS.ErrnoException, options.all ? [] : '', 0);
      }
      if (list.length === 0) {
        const e = new DigestError('dns', `${hostname} has no address`, { subject: hostname });
        return callback(e as unknown as NodeJS.ErrnoException, options.all ? [] : '', 0);
      }
      for (const a of list) {
        const why = checkAddress(a.address, policy);
        if (why) {
          const e = new DigestError('refused', `${hostname} resolves to ${a.address} (${why})`, { subject: hostname });
          return callback(e as unknown as NodeJS.ErrnoException, options.all ? [] : '', 0);
        }
      }
      let usable = list;
      if (options.family === 4 || options.family === 6) {
        usable = list.filter((a) => a.family === options.family);
        if (usable.length === 0) usable = list;
      }
      if (options.all) callback(null, usable);
      else callback(null, usable[0].address, usable[0].family);
    };
    if (isLocalhostName(hostname)) {
      return done(null, [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ]);
    }
    try {
      base(hostname, { ...options, all: true }, (err, addresses, family) => {
        if (err) return done(err, []);
        if (Array.isArray(addresses)) return done(null, addresses);
        done(null, [{ address: addresses, family: family ?? isIP(addresses) }]);
      });
    } catch (e) {
      done(e as NodeJS.ErrnoException, []);
    }
  };
}

/**
 * Check a URL completely before any socket is opened: scheme, IP literal, or every address
 * the name resolves to. Resolves to the allowed addresses. (The fetcher still re-checks at
 * connect time through guardedLookup; this early check gives clean errors without queueing.)
 */
export function checkUrlResolved(raw: string | URL, policy: Policy, lookup?: LookupFn): Promise<CheckedUrl & { addresses: string[] }> {
  const checked = checkUrl(raw, policy);
  if (checked.ip) return Promise.resolve({ ...checked, addresses: [checked.ip] });
  const look = guardedLookup(policy, lookup);
  return new Promise((resolve, reject) => {
    look(checked.host, { all: true }, (err, addresses) => {
      if (err) reject(err instanceof DigestError ? err : new DigestError('dns', err.message, { subject: checked.url.href, cause: err }));
      else resolve({ ...checked, addresses: (addresses as LookupAddress[]).map((a) => a.address) });
    });
  });
}
