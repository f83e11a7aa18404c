// Password hashing with scrypt (memory-hard, in Node's crypto). The hash string carries its
// parameters, so they can be raised later and old hashes still verify (needsRehash says when
// to re-hash at the next sign-in):  scrypt$ln=15,r=8,p=1$<salt, base64>$<key, base64>
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DigestError } from '../core/errors.ts';

export interface ScryptParams {
  /** log2 of the cost N (15: N = 32768, 32 MiB with r = 8). */
  ln: number;
  r: number;
  p: number;
}

export const DEFAULT_PARAMS: ScryptParams = { ln: 15, r: 8, p: 1 };
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;
const KEY_LEN = 32;
const SALT_LEN = 16;

function scrypt(password: string, salt: Buffer, p: ScryptParams): Promise<Buffer> {
  const N = 2 ** p.ln;
  const opts: ScryptOptions = { N, r: p.r, p: p.p, maxmem: 128 * N * p.r * 2 + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, KEY_LEN, opts, (e, key) => (e ? reject(e) : resolve(key))));
}

/** Throws a usage error naming the rule when a new password is not acceptable. */
export function checkNewPassword(password: string): void {
  if (password.length === 0) throw new DigestError('usage', 'the password is empty; choose one of at least 8 characters');
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new DigestError('usage', `the password is too short; use at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) throw new DigestError('usage', `the password is too long; use at most ${MAX_PASSWORD_LENGTH} characters`);
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_LEN);
  const key = await scrypt(password, salt, params);
  return `scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const m = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) return null;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 1 || params.ln > 22 || params.r < 1 || params.p < 1) return null;
  return { params, salt: Buffer.from(m[4], 'base64'), key: Buffer.from(m[5], 'base64') };
}

/** True when `password` matches the stored hash (constant-time comparison); false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const h = parse(stored);
  if (!h || h.key.length !== KEY_LEN || password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await scrypt(password, h.salt, h.params);
  return timingSafeEqual(key, h.key);
}

/** True when the hash was made with weaker parameters than `params`. */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_PARAMS): boolean {
  const h = parse(stored);
  return !h || h.params.ln < params.ln || h.params.r < params.r || h.params.p < params.p;
}

let dummy: Promise<string> | undefined;
/** Spends the same time as a real check, for a user that does not exist (no timing oracle). */
export async function verifyDummy(password: string): Promise<false> {
  dummy ??= hashPassword('not a password of anyone');
  await verifyPassword(password, await dummy);
  return false;
}
