// Throttling sign-in attempts: failures are counted in the store per account name and per
// client address (so several processes agree), and each key waits longer after each failure
// beyond a few free ones: 1 s, 2 s, 4 s, … up to 15 minutes. The account key is the name as
// typed (case-folded), whether or not such a user exists, so a 429 reveals nothing.
import { isIPv6 } from 'node:net';
import type { Store } from '../store/types.ts';

export interface ThrottlePolicy {
  /** Failures allowed without delay, per account and per address. */
  freeAccount: number;
  freeAddress: number;
  /** First delay after the free failures, and the most ever asked for. */
  baseMs: number;
  maxMs: number;
  /** Attempts last made longer ago than this are forgotten. */
  forgetMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { freeAccount: 3, freeAddress: 10, baseMs: 1000, maxMs: 15 * 60_000, forgetMs: 24 * 3600_000 };

/** The keys of an attempt: the account name (case-folded) and the address (IPv6: its /64). */
export function throttleKeys(name: string, address: string | undefined): string[] {
  const keys = [`user:${name.normalize('NFKC').trim().toLowerCase()}`];
  if (address) {
    const a = address.replace(/^::ffff:(?=\d+\.)/, '');
    keys.push(`ip:${isIPv6(a) ? expand6(a).slice(0, 4).join(':') + '::/64' : a}`);
  }
  return keys;
}

function expand6(a: string): string[] {
  const [head, tail = ''] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = a.includes('::') ? (tail ? tail.split(':') : []) : [];
  return [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t].map((x) => x.toLowerCase());
}

/** Delay owed after `failures` failures of a key allowing `free` of them. */
export function delayMs(failures: number, free: number, p: ThrottlePolicy = DEFAULT_THROTTLE): number {
  if (failures < free) return 0;
  return Math.min(p.maxMs, p.baseMs * 2 ** Math.min(30, failures - free));
}

/** Milliseconds to wait before another attempt with these keys may be checked (0: go ahead). */
export async function throttleWait(store: Store, keys: string[], now: Date, p: ThrottlePolicy = DEFAULT_THROTTLE): Promise<number> {
  let wait = 0;
  for (const a of await store.loginAttempts(keys)) {
    const free = a.key.startsWith('user:') ? p.freeAccount : p.freeAddress;
    const until = Date.parse(a.lastAt) + delayMs(a.failures, free, p);
    wait = Math.max(wait, until - now.getTime());
  }
  return wait;
}

/** Counts a failed attempt against every key; now and then forgets old attempts. */
export async function recordFailure(store: Store, keys: string[], now: Date, p: ThrottlePolicy = DEFAULT_THROTTLE): Promise<void> {
  await store.recordLoginFailure(keys, now.toISOString());
  if (Math.random() < 0.05) await store.pruneLoginAttempts(new Date(now.getTime() - p.forgetMs).toISOString());
}

/** After a successful sign-in: the account's count starts again (the address keeps its own). */
export async function recordSuccess(store: Store, keys: string[]): Promise<void> {
  await store.clearLoginAttempts(keys.filter((k) => k.startsWith('user:')));
}
