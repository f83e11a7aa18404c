// The sync APIs inside the web app on a real SQLite store with the web fixture: the CSRF
// exemption (and that pages keep their check), one user never reaching another's data, copies
// folded, every bad parameter a 400, app password scopes and revocation. The full client
// sequences are test/sync-conformance.test.ts (the shared harness against digest run).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import { addUser, createAppPassword } from '../accounts/index.ts';
import { createWebApp, syncApiOf } from '../web/index.ts';
import { FIXTURE_NOW, seedStore, type Fixture } from '../../test/helpers/web.ts';
import { webSignIn } from '../../test/helpers/accounts.ts';
import { longId, parseItemId } from './googlereader/index.ts';

let dir: string;
let store: Store;
let fx: Fixture;
let base: string;
let close: () => Promise<void>;
const who: Record<'ann' | 'ben', { id: number; secret: string; token: string; fever: string }> = {} as never;

async function call(method: string, path: string, o: { auth?: string; body?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...o.headers };
  if (o.auth) headers.authorization = `GoogleLogin auth=${o.auth}`;
  if (o.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const r = await fetch(base + path, { method, headers, body: o.body, redirect: 'manual' });
  const text = await r.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* plain text */
  }
  return { status: r.status, text, json, headers: r.headers };
}
const gr = (who: string, path: string) => call('GET', `/reader/api/0/${path}`, { auth: who });
const grPost = (who: string, path: string, body: string) => call('POST', `/reader/api/0/${path}`, { auth: who, body });
const fever = (key: string, q: string, body = '') => call('POST', `/fever/?api&${q}`, { body: `api_key=${key}${body ? '&' + body : ''}` });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'digest-sync-'));
  store = await openStore({ driver: 'sqlite', path: join(dir, 'd.db') });
  fx = await seedStore(store);
  for (const name of ['ann', 'ben'] as const) {
    const u = await addUser(store, name, `${name} password 1`);
    const { secret } = await createAppPassword(store, u.id, 'phone');
    who[name] = { id: u.id, secret, token: '', fever: createHash('md5').update(`${name}:${secret}`).digest('hex') };
  }
  // ann follows the Harbour Ledger (in a folder) and Meridian, which republishes one of its articles.
  await store.subscribe(who.ann.id, fx.sources.harbour, { folder: 'News' });
  await store.subscribe(who.ann.id, fx.sources.meridian);
  await store.subscribe(who.ben.id, fx.sources.northgate, { folder: 'Ben only' });
  const app = createWebApp({ store, now: () => FIXTURE_NOW });
  const srv = await app.listen(0);
  base = srv.url;
  close = srv.close;
  for (const name of ['ann', 'ben'] as const) {
    const r = await call('POST', '/accounts/ClientLogin', { body: `Email=${name}&Passwd=${encodeURIComponent(who[name].secret)}` });
    assert.equal(r.status, 200, r.text);
    who[name].token = /^Auth=(\S+)$/m.exec(r.text)![1];
  }
});
after(async () => {
  await close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the sync paths, with FreshRSS aliases, are told apart from the read-only JSON API', () => {
  assert.deepEqual(syncApiOf('/reader/api/0/edit-tag'), { api: 'greader', rest: '/reader/api/0/edit-tag' });
  assert.deepEqual(syncApiOf('/api/greader.php/reader/api/0/tag/list'), { api: 'greader', rest: '/reader/api/0/tag/list' });
  assert.deepEqual(syncApiOf('/api/greader.php/accounts/ClientLogin'), { api: 'greader', rest: '/accounts/ClientLogin' });
  assert.deepEqual(syncApiOf('/api/fever.php'), { api: 'fever' });
  assert.deepEqual(syncApiOf('/fever/'), { api: 'fever' });
  assert.equal(syncApiOf('/api/articles'), null);
  assert.equal(syncApiOf('/api/greader.php/other'), null);
});

test('item ids: the four forms, FreshRSS disambiguation, and the long form round-trips', () => {
  assert.equal(parseItemId('tag:google.com,2005:reader/item/00000000000002f2'), 0x2f2);
  assert.equal(parseItemId('tag:google.com,2005:reader/item/2f2'), 0x2f2);
  assert.equal(parseItemId('000000000000048c'), 0x48c);
  assert.equal(parseItemId('12345'), 12345);
  assert.equal(parseItemId('1234567890123456'), 1234567890123456, '16 digits without a leading 0 are decimal');
  assert.equal(parseItemId(longId(987654321)), 987654321);
  assert.equal(longId(0x2f2), 'tag:google.com,2005:reader/item/00000000000002f2');
  for (const bad of ['0', 'zz', '', 'tag:google.com,2005:reader/item/ffffffffffffffff', 'feed/12', '-5']) assert.throws(() => parseItemId(bad), /item id/, bad);
});

test('API writes need no session CSRF token (token auth instead), while page forms keep their check', async () => {
  const id = fx.articles.envoysHarbour;
  // No cookie, no csrf field: authenticated by the GoogleLogin header and T.
  let r = await grPost(who.ann.token, 'edit-tag', `T=${who.ann.token}&i=${id}&a=user/-/state/com.google/starred`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.text, 'OK');
  assert.ok((await store.articleStates(who.ann.id, [id]))[0]?.starredAt);
  assert.equal((await grPost(who.ann.token, 'edit-tag', `T=&i=${id}&a=user/-/state/com.google/like`)).text, 'OK', 'like is ignored');
  // Reeder's T=x and FeedMe's empty T are accepted with a valid header; a wrong T is 401.
  for (const t of ['x', '']) assert.equal((await grPost(who.ann.token, 'edit-tag', `T=${t}&i=${id}&r=user/-/state/com.google/starred`)).status, 200);
  r = await grPost(who.ann.token, 'edit-tag', `T=wrong&i=${id}&a=user/-/state/com.google/starred`);
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('google-bad-token'), 'true');
  assert.equal((await store.articleStates(who.ann.id, [id]))[0]?.starredAt ?? null, null);
  // Fever writes: api_key only.
  r = await fever(who.ann.fever, 'mark=item', `as=saved&id=${id}`);
  assert.equal(r.json.auth, 1);
  assert.ok((await store.articleStates(who.ann.id, [id]))[0]?.starredAt);
  // A page form POSTed with the same credentials but no CSRF token still changes nothing.
  const web = await webSignIn(base, 'ann', 'ann password 1');
  const page = await call('POST', `/articles/${id}/star`, { body: 'star=0', headers: { cookie: web.cookie, authorization: `GoogleLogin auth=${who.ann.token}` } });
  assert.equal(page.status, 403);
  assert.ok((await store.articleStates(who.ann.id, [id]))[0]?.starredAt);
});

test('copies are folded: one item per article, and marking it read marks its copy read', async () => {
  const r = await gr(who.ann.token, 'stream/items/ids?n=1000&s=user/-/state/com.google/reading-list');
  const ids = r.json.itemRefs.map((x: { id: string }) => Number(x.id));
  assert.ok(ids.includes(fx.articles.envoysHarbour));
  assert.ok(!ids.includes(fx.articles.envoysCopy), 'the copy of an article she follows is not a second item');
  assert.equal((await grPost(who.ann.token, 'edit-tag', `T=&i=${longId(fx.articles.envoysHarbour)}&a=user/-/state/com.google/read`)).status, 200);
  const st = await store.articleStates(who.ann.id, [fx.articles.envoysHarbour, fx.articles.envoysCopy]);
  assert.equal(st.filter((s) => s.readAt).length, 2);
});

test('one user never sees or changes another user\'s data', async () => {
  const annIds = (await gr(who.ann.token, 'stream/items/ids?n=1000&s=user/-/state/com.google/reading-list')).json.itemRefs.map((x: { id: string }) => x.id);
  const benIds = (await gr(who.ben.token, 'stream/items/ids?n=1000&s=user/-/state/com.google/reading-list')).json.itemRefs.map((x: { id: string }) => x.id);
  assert.ok(annIds.length > 0 && benIds.length > 0);
  assert.deepEqual(annIds.filter((x: string) => benIds.includes(x)), []);
  const annItem = Number(annIds[0]);
  // Reading her items by id, or her feed's stream, gives ben nothing.
  let r = await grPost(who.ben.token, 'stream/items/contents', `T=&i=${annItem}`);
  assert.deepEqual(r.json.items, []);
  r = await gr(who.ben.token, `stream/items/ids?s=feed/${fx.sources.harbour}`);
  assert.deepEqual(r.json.itemRefs, []);
  // Her stream ids with her user id are refused to him.
  r = await gr(who.ben.token, `stream/items/ids?s=user/${who.ann.id}/state/com.google/reading-list`);
  assert.equal(r.status, 400);
  // His writes do not reach her state, her subscriptions or her folders.
  const before = await store.articleStates(who.ann.id, [annItem]);
  await grPost(who.ben.token, 'edit-tag', `T=&i=${annItem}&a=user/-/state/com.google/starred&a=user/-/state/com.google/read`);
  assert.deepEqual(await store.articleStates(who.ann.id, [annItem]), before);
  assert.deepEqual(await store.articleStates(who.ben.id, [annItem]), []);
  assert.equal((await grPost(who.ben.token, 'subscription/edit', `T=&s=feed/${fx.sources.harbour}&ac=unsubscribe`)).status, 404);
  assert.equal((await grPost(who.ben.token, 'rename-tag', 'T=&s=user/-/label/News&dest=user/-/label/Mine')).status, 404);
  assert.equal((await grPost(who.ben.token, 'disable-tag', 'T=&s=user/-/label/News')).status, 404);
  assert.ok(await store.getSubscription(who.ann.id, fx.sources.harbour));
  assert.equal((await store.getSubscription(who.ann.id, fx.sources.harbour))!.folder, 'News');
  const tags = (await gr(who.ben.token, 'tag/list?output=json')).json.tags.map((t: { id: string }) => t.id);
  assert.ok(!tags.includes('user/-/label/News'));
  // Fever: his key lists only his feeds and items; marking her feed or her item changes nothing.
  r = await fever(who.ben.fever, 'feeds&items&since_id=0');
  assert.deepEqual(r.json.feeds.map((f: { id: number }) => f.id), [fx.sources.northgate]);
  assert.ok(r.json.items.every((i: { id: number }) => !annIds.includes(String(i.id))));
  assert.equal((await fever(who.ben.fever, 'mark=feed', `as=read&id=${fx.sources.harbour}&before=${Math.floor(Date.now() / 1000)}`)).status, 400);
  await fever(who.ben.fever, 'mark=item', `as=read&id=${annItem}`);
  assert.deepEqual(await store.articleStates(who.ben.id, [annItem]), []);
  r = await fever(who.ben.fever, 'unread_item_ids');
  assert.ok(r.json.unread_item_ids.split(',').every((x: string) => !annIds.includes(x)));
});

test('every bad parameter is a clear 400, never a 500', async () => {
  const bad = [
    'stream/items/ids?s=user/-/state/com.google/reading-list&n=abc',
    'stream/items/ids?s=user/-/state/com.google/reading-list&n=0',
    'stream/items/ids?s=user/-/state/com.google/reading-list&c=abc',
    'stream/items/ids?s=user/-/state/com.google/reading-list&ot=-1',
    'stream/items/ids?s=user/-/state/com.google/reading-list&r=q',
    'stream/items/ids?s=user/-/state/com.google/reading-list&xt=feed/1',
    'stream/items/ids?s=bogus',
    'stream/items/ids',
    'stream/items/ids?s=user/-/state/com.google/nope',
    'stream/items/contents?i=zz',
    'stream/items/contents',
    'stream/contents/%E0%A4%A',
    'stream/contents?s=user/-/label/',
  ];
  for (const path of bad) {
    const r = await gr(who.ann.token, path);
    assert.equal(r.status, 400, `${path}: ${r.status} ${r.text}`);
    assert.ok(r.text.trim().length > 5, path);
  }
  const badPosts: Array<[string, string]> = [
    ['edit-tag', 'T=&i=0&a=user/-/state/com.google/read'],
    ['edit-tag', 'T=&i=1&a=feed/3'],
    ['mark-all-as-read', 'T=&s=user/-/state/com.google/reading-list&ts=yesterday'],
    ['mark-all-as-read', 'T=&s=user/-/state/com.google/starred'],
    ['subscription/quickadd', 'T=&quickadd=javascript:alert(1)'],
    ['subscription/quickadd', 'T='],
    ['subscription/edit', 'T=&ac=edit'],
    ['subscription/edit', `T=&s=feed/${fx.sources.harbour}&ac=fly`],
    ['subscription/edit', `T=&s=feed/${fx.sources.harbour}&ac=edit&a=user/-/state/com.google/read`],
    ['rename-tag', 'T=&s=user/-/label/News'],
    ['edit-tag', `T=&${Array.from({ length: 1001 }, (_, i) => `i=${i + 1}`).join('&')}&a=user/-/state/com.google/read`],
  ];
  for (const [path, body] of badPosts) {
    const r = await grPost(who.ann.token, path, body);
    assert.equal(r.status, 400, `${path} ${body.slice(0, 60)}: ${r.status} ${r.text}`);
  }
  for (const [q, body] of [['items&since_id=abc', ''], ['items&max_id=-1', ''], ['items&with_ids=1,x', ''], ['mark=item', 'as=bogus&id=1'], ['mark=item', 'as=read'], ['mark=group', 'as=read&id=99&before=1'], ['mark=planet', 'as=read&id=1']]) {
    const r = await fever(who.ann.fever, q, body);
    assert.equal(r.status, 400, `fever ${q} ${body}: ${r.status} ${r.text}`);
    assert.equal(typeof r.json.error, 'string');
  }
  // n is capped, not refused.
  assert.equal((await gr(who.ann.token, 'stream/items/ids?s=user/-/state/com.google/reading-list&n=99999999')).status, 200);
});

test('scopes and revocation: a greader-only password opens no Fever, a fever-only one no ClientLogin; revoked tokens stop', async () => {
  const g = await createAppPassword(store, who.ann.id, 'greader only', 'greader');
  const f = await createAppPassword(store, who.ann.id, 'fever only', 'fever');
  const md5 = (s: string) => createHash('md5').update(`ann:${s}`).digest('hex');
  assert.deepEqual((await fever(md5(g.secret), 'groups')).json, { api_version: 3, auth: 0 });
  assert.equal((await fever(md5(f.secret).toUpperCase(), 'groups')).json.auth, 1, 'the key compares case-insensitively');
  assert.equal((await call('POST', '/accounts/ClientLogin', { body: `Email=ann&Passwd=${f.secret}` })).status, 401);
  assert.equal((await call('POST', '/accounts/ClientLogin', { body: `Email=ben&Passwd=${g.secret}` })).status, 401, "ann's password with ben's name");
  const r = await call('POST', '/api/greader.php/accounts/ClientLogin', { body: `Email=ann&Passwd=${g.secret}&output=json` });
  assert.equal(r.status, 200);
  assert.equal((await gr(r.json.Auth, 'user-info')).json.userName, 'ann');
  assert.ok(await store.revokeAppPassword(who.ann.id, g.record.id));
  const after = await gr(r.json.Auth, 'user-info');
  assert.equal(after.status, 401);
  assert.equal(after.headers.get('x-reader-google-bad-token'), 'true');
});

test('tag/list and subscription/list: validators, 304 while unchanged, 200 once changed; OPML export', async () => {
  let r = await gr(who.ben.token, 'subscription/list?output=json');
  const etag = r.headers.get('etag')!;
  assert.ok(etag);
  assert.equal((await call('GET', '/reader/api/0/subscription/list?output=json', { auth: who.ben.token, headers: { 'if-none-match': etag } })).status, 304);
  await grPost(who.ben.token, 'subscription/edit', `T=&s=feed/${fx.sources.northgate}&ac=edit&t=Renamed`);
  r = await call('GET', '/reader/api/0/subscription/list?output=json', { auth: who.ben.token, headers: { 'if-none-match': etag } });
  assert.equal(r.status, 200);
  assert.equal(r.json.subscriptions[0].title, 'Renamed');
  r = await gr(who.ben.token, 'subscription/export');
  assert.match(r.text, /<opml/);
  assert.match(r.text, /northgatewire/);
  assert.doesNotMatch(r.text, /harbourledger/);
});
