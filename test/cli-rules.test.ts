// `digest rule …`, `digest schedule` and `digest brief --user` as an operator runs them: a
// real process on a temp data folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/index.ts';

const BIN = new URL('../bin/digest.js', import.meta.url).pathname;
let dir = '';

function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DIGEST_DATA_DIR: dir, DIGEST_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'digest-cli-rules-'));
  writeFileSync(join(dir, 'pw'), 'correct horse battery\n');
  // a source and two articles ann follows (the CLI adds sources by fetching; here they are stored directly)
  const store = await openStore({ driver: 'sqlite', path: join(dir, 'digest.db') });
  const src = (await store.addSource({ url: 'https://ledger.example/feed', title: 'The Daily Ledger' })).id;
  const t = new Date(Date.now() - 3600_000).toISOString();
  const base = { sourceId: src, canonicalUrl: null, byline: null, published: t, publishedIsFallback: false, fetchedAt: t, html: '<p>x</p>', summary: null, leadImage: null, siteName: null, section: null, lang: 'en', extractedFrom: 'page' as const, extractionMethod: 'dom', extractionError: null };
  await store.upsertArticles([
    { ...base, url: 'https://ledger.example/1', guid: '1', title: 'Sponsored: the best crypto wallets', text: 'Brought to you by our partners.' },
    { ...base, url: 'https://ledger.example/2', guid: '2', title: 'Council approves cycle lanes', text: 'The council voted on Tuesday.' },
  ]);
  await store.close();
  const add = await run(['user', 'add', 'ann', '--password-file', join(dir, 'pw')]);
  assert.equal(add.code, 0, add.err);
  const s2 = await openStore({ driver: 'sqlite', path: join(dir, 'digest.db') });
  await s2.subscribe((await s2.getUserByName('ann'))!.id, src);
  await s2.close();
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('rule add | list | remove for a user; bad input is a usage error', async () => {
  const none = await run(['rule', 'list', '--user', 'ann']);
  assert.equal(none.code, 0, none.err);
  assert.match(none.out, /ann has no rules/);
  const add = await run(['rule', 'add', '--user', 'ann', '--field', 'title', 'crypto, casino']);
  assert.equal(add.code, 0, add.err);
  assert.match(add.out, /^rule (\d+) added for ann: hide · title “crypto, casino”/);
  const id = /^rule (\d+)/.exec(add.out)![1];
  const keep = await run(['rule', 'add', '--user', 'ann', '--keep', '--regex', '^(council|sponsored)']);
  assert.equal(keep.code, 0, keep.err);
  const list = await run(['rule', 'list', '--user', 'ann', '--json']);
  assert.deepEqual(JSON.parse(list.out).map((r: { pattern: string; kind: string; action: string }) => [r.pattern, r.kind, r.action]), [['crypto, casino', 'mute', 'hide'], ['^(council|sponsored)', 'keep', 'hide']]);
  const table = await run(['rule', 'list', '--user', 'ann']);
  assert.match(table.out, /keep\s+hide\s+any\s+\/\^\(council\|sponsored\)\//);

  const brief = await run(['brief', '--user', 'ann', '--since', '1d']);
  assert.equal(brief.code, 0, brief.err);
  assert.match(brief.out, /Council approves cycle lanes/);
  assert.doesNotMatch(brief.out, /crypto/, 'hidden by the rule');
  const shared = await run(['brief', '--since', '1d']);
  assert.match(shared.out, /crypto/, 'the shared digest is unchanged');

  const bad = await run(['rule', 'add', '--user', 'ann', '--regex', '(a+']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /regular expression "\(a\+" is not valid/);
  const nobody = await run(['rule', 'list', '--user', 'zed']);
  assert.equal(nobody.code, 1);
  assert.match(nobody.err, /no user "zed"/);
  assert.equal((await run(['rule', 'list'])).code, 2, '--user is required');
  const rm = await run(['rule', 'remove', '--user', 'ann', id]);
  assert.equal(rm.code, 0, rm.err);
  assert.equal((await run(['rule', 'remove', '--user', 'ann', id])).code, 1);
  const after = await run(['brief', '--user', 'ann', '--since', '1d']);
  assert.match(after.out, /crypto/, 'back once the rule is gone');
});

test('schedule sets, lists and stops a user’s personal digest', async () => {
  const empty = await run(['schedule']);
  assert.match(empty.out, /no personal digests are scheduled/);
  const set = await run(['schedule', '--user', 'ann', '--hour', '7', '--tz', 'Europe/Paris', '--to', 'ann@example.org']);
  assert.equal(set.code, 0, set.err);
  assert.match(set.out, /goes to ann@example.org daily at 07:00 Europe\/Paris/);
  assert.match((await run(['schedule'])).out, /ann\s+7\s+Europe\/Paris\s+ann@example.org\s+-/);
  const badTz = await run(['schedule', '--user', 'ann', '--hour', '7', '--tz', 'Nowhere/Land', '--to', 'ann@example.org']);
  assert.equal(badTz.code, 2);
  assert.match(badTz.err, /time zone "Nowhere\/Land" is not known/);
  assert.equal((await run(['schedule', '--user', 'ann', '--off'])).code, 0);
  assert.match((await run(['schedule'])).out, /no personal digests are scheduled/);
});
