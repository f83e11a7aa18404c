import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNewPassword, hashPassword, needsRehash, verifyDummy, verifyPassword } from './passwords.ts';
import { DigestError } from '../core/errors.ts';

test('hashes with scrypt: parameters and a 16-byte salt in the string, different every time, verifies only the right password', async () => {
  const h = await hashPassword('correct horse battery');
  const m = /^scrypt\$ln=15,r=8,p=1\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(h);
  assert.ok(m, h);
  assert.equal(Buffer.from(m[1], 'base64').length, 16);
  assert.equal(Buffer.from(m[2], 'base64').length, 32);
  assert.ok(!h.includes('correct horse'));
  assert.notEqual(await hashPassword('correct horse battery'), h, 'salted');
  assert.equal(await verifyPassword('correct horse battery', h), true);
  assert.equal(await verifyPassword('correct horse batterY', h), false);
  assert.equal(await verifyPassword('', h), false);
  assert.equal(await verifyPassword('correct horse battery', 'plain text'), false, 'malformed hash');
  assert.equal(await verifyPassword('correct horse battery', h.replace('ln=15', 'ln=14')), false, 'the parameters are part of the check');
  assert.equal(await verifyDummy('anything'), false);
});

test('old, weaker hashes still verify and are marked for re-hashing', async () => {
  const weak = await hashPassword('correct horse battery', { ln: 12, r: 8, p: 1 });
  assert.equal(await verifyPassword('correct horse battery', weak), true);
  assert.equal(needsRehash(weak), true);
  assert.equal(needsRehash(await hashPassword('x'.repeat(8))), false);
});

test('new passwords: empty, short and huge ones are refused with a clear message', () => {
  assert.throws(() => checkNewPassword(''), (e: unknown) => e instanceof DigestError && e.kind === 'usage' && /empty/.test(e.message));
  assert.throws(() => checkNewPassword('1234567'), (e: unknown) => e instanceof DigestError && /too short.*at least 8/.test(e.message));
  assert.throws(() => checkNewPassword('x'.repeat(1025)), /too long/);
  checkNewPassword('12345678');
  checkNewPassword('pässwörd');
});
