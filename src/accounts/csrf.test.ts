import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csrfMatches, newLoginCsrf, sessionCsrf } from './csrf.ts';

test('session CSRF tokens are derived from the session token: stable for one, different for another', () => {
  const a = sessionCsrf('token-a');
  assert.equal(sessionCsrf('token-a'), a);
  assert.notEqual(sessionCsrf('token-b'), a);
  assert.ok(!a.includes('token-a'));
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
});

test('tokens match only exactly; empty never matches', () => {
  const t = newLoginCsrf();
  assert.notEqual(newLoginCsrf(), t);
  assert.equal(csrfMatches(t, t), true);
  assert.equal(csrfMatches(t, t.slice(1)), false);
  assert.equal(csrfMatches(t, t + 'x'), false);
  assert.equal(csrfMatches('', ''), false);
  assert.equal(csrfMatches(t, null), false);
  assert.equal(csrfMatches(undefined, t), false);
});
