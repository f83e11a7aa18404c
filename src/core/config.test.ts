// The config's fetch section and the fetcher share one definition (fetch/options.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.ts';
import { DEFAULT_FETCH_SETTINGS, DEFAULT_USER_AGENT } from '../fetch/index.ts';

test('the fetch section defaults to the fetcher’s own settings, with the one default User-Agent', () => {
  const cfg = loadConfig({ env: {} });
  assert.deepEqual(cfg.fetch, DEFAULT_FETCH_SETTINGS);
  assert.equal(cfg.fetch.userAgent, DEFAULT_USER_AGENT);
  assert.match(DEFAULT_USER_AGENT, /^OccasionalDigest\/\d/);
});

test('fetch settings from the environment and the file override the defaults; bad ones name the setting', () => {
  const cfg = loadConfig({ env: { DIGEST_USER_AGENT: 'MyDigest/2.0', DIGEST_FETCH_ALLOW_PRIVATE: '127.0.0.1/32, ::1/128' }, overrides: { fetch: { retries: 0 } } });
  assert.equal(cfg.fetch.userAgent, 'MyDigest/2.0');
  assert.deepEqual(cfg.fetch.allowPrivateRanges, ['127.0.0.1/32', '::1/128']);
  assert.equal(cfg.fetch.retries, 0);
  assert.equal(cfg.fetch.timeoutMs, DEFAULT_FETCH_SETTINGS.timeoutMs);
  // Defaults are not shared mutable state: changing one config's list leaves the next alone.
  cfg.fetch.allowPrivateRanges.push('10.0.0.0/8');
  assert.deepEqual(loadConfig({ env: {} }).fetch.allowPrivateRanges, []);
  assert.throws(() => loadConfig({ env: {}, overrides: { fetch: { maxRedirects: 99 } } }), /fetch\.maxRedirects/);
});
