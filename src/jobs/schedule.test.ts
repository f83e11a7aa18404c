import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextFetch, publishingGapSec } from './schedule.ts';

const bounds = { defaultIntervalSec: 1800, minIntervalSec: 300, maxIntervalSec: 86400 };
const now = new Date('2026-11-28T10:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000).toISOString();

test('a busy source is checked about twice per publishing gap, never below the minimum', () => {
  const hourly = [0, 1, 2, 3, 4].map(hoursAgo);
  assert.equal(publishingGapSec(hourly), 3600);
  assert.equal(nextFetch({ now, published: hourly }, bounds).intervalSec, 1800);
  const everyMinute = [0, 1, 2, 3].map((m) => new Date(now.getTime() - m * 60_000).toISOString());
  assert.equal(nextFetch({ now, published: everyMinute }, bounds).intervalSec, 300);
});

test('a slow source is checked rarely, capped at the maximum', () => {
  const weekly = [0, 168, 336].map(hoursAgo);
  assert.equal(nextFetch({ now, published: weekly }, bounds).intervalSec, 86400);
  assert.equal(nextFetch({ now, published: [null, 'garbage'] }, bounds).why, 'default');
});

test('Cache-Control, Expires and ttl lengthen the interval; Retry-After decides', () => {
  const hourly = [0, 1, 2].map(hoursAgo);
  assert.equal(nextFetch({ now, published: hourly, headers: { 'Cache-Control': 'public, max-age=7200' } }, bounds).intervalSec, 7200);
  const exp = new Date(now.getTime() + 5400_000).toUTCString();
  assert.equal(nextFetch({ now, published: hourly, headers: { expires: exp } }, bounds).intervalSec, 5400);
  assert.equal(nextFetch({ now, published: hourly, ttlMin: 240 }, bounds).intervalSec, 14400);
  assert.equal(nextFetch({ now, published: hourly, retryAfterSec: 120 }, bounds).intervalSec, 120);
});

test('errors back off exponentially', () => {
  const a = nextFetch({ now, published: [], errorCount: 1 }, bounds).intervalSec;
  const b = nextFetch({ now, published: [], errorCount: 3 }, bounds).intervalSec;
  assert.equal(a, 1800);
  assert.equal(b, 7200);
});

test('skipHours moves the next fetch out of the skipped hours', () => {
  const r = nextFetch({ now, published: [], skipHours: [10, 11] }, bounds);
  assert.equal(new Date(r.nextDueAt).getUTCHours(), 12);
  assert.match(r.why, /skipHours/);
});
