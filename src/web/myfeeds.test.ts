// A reader's own feeds out (/my/feed.rss, .atom, .json): only the viewer's subscriptions, without
// what their rules hid and without copies of originals they follow; a session cookie or HTTP
// basic auth with an app password of scope `all`; anonymous, revoked or wrong-scope credentials
// are 401; private caching with a per-user ETag; GET writes nothing. Runs on SQLite here and on
// PostgreSQL through myfeeds.pg.test.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createAppPassword } from '../accounts/index.ts';
import { SESSION_COOKIE, startSession } from '../accounts/sessions.ts';
import type { KyselyStore } from '../store/index.ts';
import { openTestStore, type TestStore } from '../../test/helpers/dialect.ts';
import { createWebApp } from './index.ts';

let t: TestStore;
let store: KyselyStore;
let srv: { url: string; close(): Promise<void> };
const ids: Record<string, number> = {};
let ann: { id: number; cookie: string; secret: string };
let bob: { id: number; cookie: string; secret: string };

async function reader(name: string) {
  const u = await store.createUser({ name, passwordHash: 'x', admin: false });
  const { token } = await startSession(store, u.id, new Date());
  const { secret } = await createAppPassword(store, u.id, `${name}'s reader`, 'all');
  return { id: u.id, cookie: `${SESSION_COOKIE}=${token}`, secret };
}

before(async () => {
  t = await openTestStore('digest-myfeeds');
  store = t.store;
  const ledger = (await store.addSource({ url: 'https://ledger.example/feed', title: 'The Daily Ledger' })).id;
  const courier = (await store.addSource({ url: 'https://courier.example/feed', title: 'The Courier' })).id;
  const base = { canonicalUrl: null, byline: null, publishedIsFallback: false, html: '', summary: null, leadImage: null, siteName: null, section: null, lang: 'en', extractedFrom: 'page' as const, extractionMethod: 'dom', extractionError: null };
  const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h)).toISOString();
  const made = await store.upsertArticles([
    { ...base, sourceId: ledger, url: 'https://ledger.example/sponsored', guid: 'l1', title: 'Sponsored: the best crypto wallets', text: 'Brought to you by our partners.', published: at(8), fetchedAt: at(8) },
    { ...base, sourceId: ledger, url: 'https://ledger.example/council', guid: 'l2', title: 'Council approves cycle lanes', text: 'The council voted on Tuesday.', published: at(9), fetchedAt: at(9) },
    { ...base, sourceId: courier, url: 'https://courier.example/harbour', guid: 'c1', title: 'Harbour reopens after storm', text: 'Ships are back.', published: at(10), fetchedAt: at(10) },
    { ...base, sourceId: courier, url: 'https://courier.example/council-copy', guid: 'c2', title: 'Council approves cycle lanes (wire copy)', text: 'The council voted on Tuesday.', published: at(11), fetchedAt: at(11) },
  ]);
  [ids.sponsored, ids.council, ids.harbour, ids.copy] = made.map((r) => r.article.id);
  await store.setDuplicateOf(ids.copy, ids.council);
  ann = await reader('ann');
  bob = await reader('bob');
  // ann follows both (the Ledger in a folder) and hides sponsored posts; bob follows the Courier only.
  await store.subscribe(ann.id, ledger, { folder: 'News' });
  await store.subscribe(ann.id, courier);
  await store.subscribe(bob.id, courier);
  await store.addRule(ann.id, { field: 'title', pattern: 'sponsored', isRegex: false, action: 'hide', kind: 'mute' });
  await store.setStarred(ann.id, [ids.harbour]);
  await store.markRead(ann.id, [ids.council]);
  srv = await createWebApp({ store, siteTitle: 'Test Digest', baseUrl: 'http://digest.test', timeZone: 'UTC' }).listen(0, '127.0.0.1');
});

after(async () => {
  await srv?.close();
  await t?.dispose();
});

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
const get = (path: string, headers: Record<string, string> = {}) => fetch(srv.url + path, { redirect: 'manual', headers });
const itemIds = (feed: { items: { id: string }[] }) => feed.items.map((i) => Number(/\/articles\/(\d+)$/.exec(i.id)![1])).sort((a, b) => a - b);
const sorted = (...xs: number[]) => xs.sort((a, b) => a - b);

/** Per-user state, subscriptions and rules of both readers, to prove a request wrote nothing. */
async function snapshot(): Promise<string> {
  const all = Object.values(ids);
  const out: unknown[] = [];
  for (const u of [ann, bob]) out.push(await store.articleStates(u.id, all), await store.listSubscriptions(u.id), await store.listRules(u.id));
  return JSON.stringify(out);
}

test('anonymous visitors get 401 with a basic-auth challenge, on a public site too', async () => {
  for (const ext of ['rss', 'atom', 'json']) {
    const r = await get(`/my/feed.${ext}`);
    assert.equal(r.status, 401, ext);
    assert.match(r.headers.get('www-authenticate') ?? '', /^Basic realm="Test Digest"/);
    assert.match(await r.text(), /app password/);
  }
  // The shared feed stays public.
  assert.equal((await get('/feed.json')).status, 200);
});

test('basic auth with an app password gives that reader their own items: hidden and copies left out', async () => {
  const r = await get('/my/feed.json', { authorization: basic('ann', ann.secret) });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('cache-control') ?? '', /^private/);
  const feed = await r.json();
  assert.equal(feed.feed_url, 'http://digest.test/my/feed.json');
  assert.match(feed.title, /ann/);
  // Not the sponsored post (hidden by her rule), not the Courier's copy of the Ledger's story she follows.
  assert.deepEqual(itemIds(feed), sorted(ids.council, ids.harbour));

  const b = await (await get('/my/feed.json', { authorization: basic('bob', bob.secret) })).json();
  // bob follows the Courier only: its two articles (the copy is his to read: he does not follow the original), never the Ledger's.
  assert.deepEqual(itemIds(b), sorted(ids.harbour, ids.copy));
  assert.doesNotMatch(JSON.stringify(b), /Sponsored|ledger\.example/);
});

test('RSS and Atom carry the same items with their own self links; a session cookie works too', async () => {
  const rss = await (await get('/my/feed.rss', { authorization: basic('ann', ann.secret) })).text();
  assert.match(rss, /<atom:link href="http:\/\/digest\.test\/my\/feed\.rss" rel="self"/);
  assert.equal((rss.match(/<item>/g) ?? []).length, 2);
  assert.doesNotMatch(rss, /Sponsored|wire copy/);
  const r = await get('/my/feed.atom', { cookie: ann.cookie });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /application\/atom\+xml/);
  const atom = await r.text();
  assert.match(atom, /<link rel="self" type="application\/atom\+xml" href="http:\/\/digest\.test\/my\/feed\.atom"\/>/);
  assert.equal((atom.match(/<entry>/g) ?? []).length, 2);
  assert.match(atom, /Harbour reopens/);
  assert.match(atom, /Council approves cycle lanes</);
});

test('?unread=1, ?starred=1 and ?folder= narrow the feed', async () => {
  const auth = { authorization: basic('ann', ann.secret) };
  assert.deepEqual(itemIds(await (await get('/my/feed.json?unread=1', auth)).json()), [ids.harbour]);
  assert.deepEqual(itemIds(await (await get('/my/feed.json?starred=1', auth)).json()), [ids.harbour]);
  const news = await (await get('/my/feed.json?folder=News', auth)).json();
  assert.deepEqual(itemIds(news), [ids.council]);
  assert.equal(news.feed_url, 'http://digest.test/my/feed.json?folder=News');
  assert.deepEqual(itemIds(await (await get('/my/feed.json?folder=News&unread=1', auth)).json()), []);
});

test('the user name must match the app password; revoked and fever-only passwords are refused', async () => {
  assert.equal((await get('/my/feed.rss', { authorization: basic('bob', ann.secret) })).status, 401);
  assert.equal((await get('/my/feed.rss', { authorization: basic('ann', 'not-a-secret') })).status, 401);
  const fever = await createAppPassword(store, ann.id, 'fever app', 'fever');
  const f = await get('/my/feed.rss', { authorization: basic('ann', fever.secret) });
  assert.equal(f.status, 401);
  assert.match(f.headers.get('www-authenticate') ?? '', /^Basic realm=/);
  const temp = await createAppPassword(store, ann.id, 'temporary', 'all');
  assert.equal((await get('/my/feed.rss', { authorization: basic('ann', temp.secret) })).status, 200);
  assert.equal(await store.revokeAppPassword(ann.id, temp.record.id), true);
  assert.equal((await get('/my/feed.rss', { authorization: basic('ann', temp.secret) })).status, 401);
  // A Bearer app password works as for the API.
  assert.equal((await get('/my/feed.rss', { authorization: `Bearer ${ann.secret}` })).status, 200);
});

test('ETags are per user and revalidate; POST is refused; GET and HEAD write nothing', async () => {
  const before = await snapshot();
  const annAuth = { authorization: basic('ann', ann.secret) };
  const bobAuth = { authorization: basic('bob', bob.secret) };
  // Both have starred the same one article.
  await store.setStarred(bob.id, [ids.harbour]);
  const a = await get('/my/feed.json?starred=1', annAuth);
  const b = await get('/my/feed.json?starred=1', bobAuth);
  const [ta, tb] = [a.headers.get('etag')!, b.headers.get('etag')!];
  assert.ok(ta && tb);
  assert.deepEqual(itemIds(await a.json()), itemIds(await b.json()), 'the same items for both');
  assert.notEqual(ta, tb);
  assert.match(a.headers.get('vary') ?? '', /Authorization/);
  assert.equal((await get('/my/feed.json?starred=1', { ...annAuth, 'if-none-match': ta })).status, 304);
  assert.equal((await get('/my/feed.json?starred=1', { ...annAuth, 'if-none-match': tb })).status, 200, "bob's tag is not ann's");
  const p = await fetch(srv.url + '/my/feed.rss', { method: 'POST', headers: annAuth, body: '' });
  assert.equal(p.status, 405);
  const mid = await snapshot();
  assert.notEqual(before, mid, 'the snapshot sees state changes');
  for (const ext of ['rss', 'atom', 'json']) {
    await (await get(`/my/feed.${ext}`, annAuth)).text();
    await (await get(`/my/feed.${ext}?starred=1`, bobAuth)).text();
    await (await fetch(`${srv.url}/my/feed.${ext}?unread=1`, { method: 'HEAD', headers: { cookie: ann.cookie } })).text();
  }
  assert.equal(await snapshot(), mid, 'reading the feeds changed no state');
});

test('the /my pages autodiscover the personal feeds and the account page explains them', async () => {
  const my = await (await get('/my', { cookie: ann.cookie })).text();
  assert.match(my, /<link rel="alternate" type="application\/rss\+xml" title="Test Digest: mine \(RSS\)" href="http:\/\/digest\.test\/my\/feed\.rss">/);
  assert.match(my, /href="http:\/\/digest\.test\/my\/feed\.atom"/);
  assert.match(my, /href="http:\/\/digest\.test\/my\/feed\.json"/);
  const home = await (await get('/', { cookie: ann.cookie })).text();
  assert.doesNotMatch(home, /\/my\/feed\./, 'shared pages offer the shared feeds only');
  const account = await (await get('/account', { cookie: ann.cookie })).text();
  assert.match(account, /My feeds/);
  assert.match(account, /http:\/\/digest\.test\/my\/feed\.rss/);
  assert.match(account, /app password/);
});
