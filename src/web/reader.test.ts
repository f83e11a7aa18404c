// Personal reading on the web: my pages, read/star/mark-all forms, managing subscriptions
// (discovery against a loopback site, OPML in and out), and the permission rules: a viewer
// only ever sees and changes their own state; GET never writes; a form without the viewer's
// CSRF token changes nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseDocument, DomUtils } from 'htmlparser2';
import type { Element } from 'domhandler';
import type { Store } from '../store/types.ts';
import { createFetcher } from '../fetch/client.ts';
import { findFeeds } from '../jobs/findfeeds.ts';
import { addUser } from '../accounts/index.ts';
import { createWebApp } from './index.ts';
import { zonedMidnight, backPath } from './reader.ts';
import { FIXTURE_NOW, seedStore, type Fixture } from '../../test/helpers/web.ts';
import { openTestStore, type TestStore } from '../../test/helpers/dialect.ts';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let t: TestStore;
let store: Store;
let fx: Fixture;
let base: string;
let site: string;
let siteServer: Server;
let close: () => Promise<void>;
const users: Record<string, { id: number; csrf: string; cookie: string }> = {};

function call(path: string, o: { method?: string; as?: string; body?: string | Buffer; type?: string; accept?: string } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (o.as) headers.cookie = users[o.as].cookie;
    if (o.type) headers['content-type'] = o.type;
    if (o.accept) headers.accept = o.accept;
    const req = request(base + path, { method: o.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** A form post as `who`, with their CSRF token unless `csrf` says otherwise. */
function post(path: string, who: string | undefined, fields: Record<string, string> = {}, o: { csrf?: string; accept?: string } = {}): Promise<Res> {
  const body = new URLSearchParams({ csrf: o.csrf ?? (who ? users[who].csrf : ''), ...fields }).toString();
  return call(path, { method: 'POST', as: who, body, type: 'application/x-www-form-urlencoded', accept: o.accept });
}

const doc = (s: string) => parseDocument(s);
const findAll = (s: string, sel: (e: Element) => boolean) => DomUtils.findAll(sel, doc(s).children);
const byClass = (cls: string) => (e: Element) => (e.attribs.class ?? '').split(/\s+/).includes(cls);


/** Every row of per-user state and every subscription, to prove a request wrote nothing. */
async function snapshot(): Promise<string> {
  const out: unknown[] = [];
  for (const u of Object.values(users)) {
    out.push(await store.listSubscriptions(u.id));
    const ids = (await store.listArticles({ limit: 500 })).items.map((a) => a.id);
    out.push(await store.articleStates(u.id, ids));
  }
  out.push((await store.listSources()).map((s) => [s.id, s.title, s.folder]));
  return JSON.stringify(out);
}

before(async () => {
  t = await openTestStore('digest-reader');
  store = t.store;
  fx = await seedStore(store);
  for (const name of ['ann', 'bob']) users[name] = { id: (await addUser(store, name, `${name} password`)).id, csrf: '', cookie: '' };
  // A site offering two feeds, and one offering a single feed, on loopback.
  const feed = (title: string, path: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>${site}/</link>
<item><title>${title} first item</title><link>${site}${path}/1</link><guid>${path}-1</guid><pubDate>Wed, 05 Mar 2025 10:00:00 GMT</pubDate></item></channel></rss>`;
  siteServer = createServer((req, res) => {
    const u = req.url ?? '/';
    if (u === '/robots.txt') return res.writeHead(404).end();
    if (u === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(`<!doctype html><html><head><title>Two Feeds</title><link rel="alternate" type="application/rss+xml" href="/news.xml"><link rel="alternate" type="application/rss+xml" href="/sport.xml"></head><body>hi</body></html>`);
    }
    if (u === '/news.xml' || u === '/sport.xml' || u === '/solo.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      return res.end(feed(u === '/news.xml' ? 'Two Feeds News' : u === '/sport.xml' ? 'Two Feeds Sport' : 'Solo Feed', u));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => siteServer.listen(0, '127.0.0.1', () => r()));
  site = `http://127.0.0.1:${(siteServer.address() as AddressInfo).port}`;
  const fetcher = createFetcher({ allowPrivateRanges: ['127.0.0.1/32'], perHostIntervalMs: 0, retries: 0 });
  const app = createWebApp({
    store,
    siteTitle: 'Test Digest',
    baseUrl: 'http://digest.test',
    timeZone: 'Europe/London',
    now: () => FIXTURE_NOW,
    findFeeds: (url) => findFeeds(fetcher, url),
  });
  const srv = await app.listen(0);
  base = srv.url;
  close = srv.close;
  // Sign in through the form, as a browser does.
  for (const name of ['ann', 'bob']) {
    const form = await call('/login');
    const pre = /digest_login_csrf=([^;]+)/.exec(String(form.headers['set-cookie']))![1];
    const csrf = /name="csrf" value="([^"]*)"/.exec(form.body)![1];
    const body = new URLSearchParams({ username: name, password: `${name} password`, csrf }).toString();
    const res = await new Promise<Res>((resolve, reject) => {
      const r = request(base + '/login', { method: 'POST', headers: { cookie: `digest_login_csrf=${pre}`, 'content-type': 'application/x-www-form-urlencoded' } }, (x) => {
        x.resume();
        x.on('end', () => resolve({ status: x.statusCode ?? 0, headers: x.headers, body: '' }));
      });
      r.on('error', reject);
      r.end(body);
    });
    assert.equal(res.status, 303);
    users[name].cookie = `digest_session=${/digest_session=([^;]+)/.exec(String(res.headers['set-cookie']))![1]}`;
    users[name].csrf = /name="csrf" value="([^"]*)"/.exec((await call('/my', { as: name })).body)![1];
    assert.ok(users[name].csrf);
  }
});

after(async () => {
  await close();
  await new Promise<void>((r) => siteServer.close(() => r()));
  await t.dispose();
});

describe('personal reading on the web', () => {
  test('anonymous visitors see the shared digest as before, no personal links or script, and /my asks them to sign in', async () => {
    const home = await call('/');
    assert.equal(home.status, 200);
    assert.doesNotMatch(home.body, /\/my\b|reader\.js/);
    const my = await call('/my/unread');
    assert.equal(my.status, 303);
    assert.equal(my.headers.location, '/login?next=%2Fmy%2Funread');
    const art = await call(`/articles/${fx.articles.envoysHarbour}`);
    assert.doesNotMatch(art.body, /data-action="read"/);
    const snap = await snapshot();
    const p = await post(`/articles/${fx.articles.envoysHarbour}/read`, undefined, { read: '1' });
    assert.equal(p.status, 403);
    assert.equal(await snapshot(), snap);
  });

  test('shared lists carry the keyboard hooks only for a signed-in viewer', async () => {
    assert.doesNotMatch((await call('/')).body, /data-item=/);
    assert.match((await call('/', { as: 'ann' })).body, new RegExp(`data-item="${fx.articles.bridge}"`));
  });

  test('the CSP allows only first-party scripts, and the keyboard script is served from /static/', async () => {
    const page = await call('/my', { as: 'ann' });
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    const src = /<script src="([^"]+)" defer><\/script>/.exec(page.body)?.[1];
    assert.ok(src && src.startsWith('/static/keys.js?v='), 'signed-in pages load the script');
    const js = await call(src);
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.match(js.body, /keydown/);
  });

  test('subscribing through discovery: a site with several feeds shows the choice; a known URL reuses the source', async () => {
    const before = (await store.listSources()).length;
    const choice = await post('/my/sources/add', 'ann', { url: site + '/', folder: 'Local' });
    assert.equal(choice.status, 200);
    const radios = findAll(choice.body, (e) => e.name === 'input' && e.attribs.type === 'radio');
    assert.deepEqual(radios.map((r) => r.attribs.value), [site + '/news.xml', site + '/sport.xml']);
    assert.equal((await store.listSources()).length, before, 'showing the choice adds nothing');
    const add = await post('/my/sources/add', 'ann', { url: site + '/', folder: 'Local', feed: site + '/sport.xml' });
    assert.equal(add.status, 303);
    const subs = await store.listSubscriptions(users.ann.id);
    assert.deepEqual(subs.map((s) => [s.source.url, s.folder, s.source.title]), [[site + '/sport.xml', 'Local', 'Two Feeds Sport']]);
    const solo = await post('/my/sources/add', 'ann', { url: site + '/solo.xml' });
    assert.equal(solo.status, 303, 'a feed URL is subscribed at once');
    // bob subscribes to a source the instance already has: no new source.
    const n = (await store.listSources()).length;
    assert.equal((await post('/my/sources/add', 'bob', { url: 'https://harbourledger.example/feed.xml' })).status, 303);
    assert.equal((await store.listSources()).length, n);
    assert.equal((await store.getSubscription(users.bob.id, fx.sources.harbour))?.source.title, 'Harbour Ledger');
    const bad = await post('/my/sources/add', 'ann', { url: 'ftp://nope' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /not a web address/);
    const none = await post('/my/sources/add', 'ann', { url: site + '/nothing-here' });
    assert.equal(none.status, 422);
    assert.match(none.body, /No feed added/);
  });

  test('my sources: rename, move, folders, unread counts, health; OPML export and import are per user', async () => {
    await store.subscribe(users.ann.id, fx.sources.harbour, { folder: 'World' });
    await store.subscribe(users.ann.id, fx.sources.meridian, { folder: 'World' });
    const page = await call('/my/sources', { as: 'ann' });
    assert.equal(page.status, 200);
    assert.equal(page.headers['cache-control'], 'private, no-cache');
    assert.match(page.body, /Harbour Ledger/);
    assert.match(page.body, /World <span class="count">\d+ unread<\/span>/);
    assert.match(page.body, /status status-ok/);
    assert.equal((await post(`/my/sources/${fx.sources.harbour}/edit`, 'ann', { title: 'The Ledger', folder: 'News' })).status, 303);
    let sub = await store.getSubscription(users.ann.id, fx.sources.harbour);
    assert.deepEqual([sub?.title, sub?.folder], ['The Ledger', 'News']);
    assert.equal((await store.getSource(fx.sources.harbour))?.title, 'Harbour Ledger', 'the shared source keeps its title');
    assert.equal((await post('/my/folders/rename', 'ann', { from: 'News', to: 'Papers' })).status, 303);
    sub = await store.getSubscription(users.ann.id, fx.sources.harbour);
    assert.equal(sub?.folder, 'Papers');
    assert.equal((await post('/my/folders/delete', 'ann', { folder: 'Papers' })).status, 303);
    assert.equal((await store.getSubscription(users.ann.id, fx.sources.harbour))?.folder, null);
    assert.equal((await post('/my/folders/delete', 'ann', { folder: 'Papers' })).status, 404);

    const opml = await call('/my/opml', { as: 'ann' });
    assert.equal(opml.status, 200);
    assert.match(String(opml.headers['content-disposition']), /attachment/);
    assert.match(opml.body, /The Ledger/);
    assert.doesNotMatch(opml.body, /Northgate/, 'only her subscriptions');
    // Import as multipart upload.
    const boundary = 'xBOUNDARYx';
    const file = `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body><outline text="Imported">
<outline type="rss" text="Northgate" xmlUrl="https://northgatewire.example/rss"/><outline type="rss" text="New One" xmlUrl="https://new-one.example/feed"/></outline></body></opml>`;
    const body = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${users.bob.csrf}\r\n--${boundary}\r\nContent-Disposition: form-data; name="opml"; filename="subs.opml"\r\nContent-Type: text/x-opml\r\n\r\n${file}\r\n--${boundary}--\r\n`);
    const imp = await call('/my/opml/import', { method: 'POST', as: 'bob', body, type: `multipart/form-data; boundary=${boundary}` });
    assert.equal(imp.status, 200);
    assert.match(imp.body, /Imported 2 subscriptions/);
    const bobs = await store.listSubscriptions(users.bob.id);
    assert.deepEqual(bobs.filter((s) => s.folder === 'Imported').map((s) => s.source.url).sort(), ['https://new-one.example/feed', 'https://northgatewire.example/rss']);
    assert.equal((await store.findSourceByUrl('https://northgatewire.example/rss'))?.id, fx.sources.northgate, 'reuses the shared source');
    assert.equal(await store.getSubscription(users.ann.id, fx.sources.northgate), null, "bob's import is not ann's");
    const notOpml = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${users.bob.csrf}\r\n--${boundary}\r\nContent-Disposition: form-data; name="opml"; filename="x.opml"\r\n\r\nhello\r\n--${boundary}--\r\n`);
    assert.equal((await call('/my/opml/import', { method: 'POST', as: 'bob', body: notOpml, type: `multipart/form-data; boundary=${boundary}` })).status, 400);
    // Unsubscribing from a source the web added and nobody else follows deletes it; an instance source stays.
    const newOne = (await store.findSourceByUrl('https://new-one.example/feed'))!;
    assert.equal((await post(`/my/sources/${newOne.id}/remove`, 'bob')).status, 303);
    assert.equal(await store.getSource(newOne.id), null);
    assert.equal((await post(`/my/sources/${fx.sources.northgate}/remove`, 'bob')).status, 303);
    assert.notEqual(await store.getSource(fx.sources.northgate), null);
  });

  test('reading: GET and HEAD never write; the read form marks the article and its copies; star; unread and starred pages', async () => {
    await store.subscribe(users.ann.id, fx.sources.harbour);
    await store.subscribe(users.ann.id, fx.sources.meridian);
    const snap = await snapshot();
    for (const path of [`/articles/${fx.articles.envoysCopy}`, `/articles/${fx.articles.envoysHarbour}`, `/stories/${fx.stories.envoys}`, '/my', '/my/unread', '/my/all', '/my/starred', '/my/sources', '/my/opml', '/']) {
      assert.equal((await call(path, { as: 'ann' })).status, 200, path);
      await call(path, { as: 'ann', method: 'HEAD' });
    }
    assert.equal(await snapshot(), snap, 'looking is not reading');

    const art = await call(`/articles/${fx.articles.envoysCopy}`, { as: 'ann' });
    const form = findAll(art.body, (e) => e.name === 'form' && e.attribs['data-action'] === 'read')[0];
    assert.equal(form.attribs.action, `/articles/${fx.articles.envoysCopy}/read`);
    assert.ok('data-autoread' in form.attribs, 'the keyboard script posts it when the article opens');
    const r = await post(`/articles/${fx.articles.envoysCopy}/read`, 'ann', { read: '1', back: '/my/unread' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/my/unread');
    const states = await store.articleStates(users.ann.id, [fx.articles.envoysCopy, fx.articles.envoysHarbour]);
    assert.deepEqual(states.map((s) => !!s.readAt), [true, true], 'the copy and its original are one article to the reader');
    assert.deepEqual(await store.articleStates(users.bob.id, [fx.articles.envoysCopy, fx.articles.envoysHarbour]), []);
    const j = await post(`/articles/${fx.articles.envoysHarbour}/read`, 'ann', { read: '0' }, { accept: 'application/json' });
    assert.deepEqual(JSON.parse(j.body), { id: fx.articles.envoysHarbour, read: false });
    assert.equal((await post(`/articles/${fx.articles.bridge}/star`, 'ann', { star: '1', back: 'https://evil.example/' })).headers.location, `/articles/${fx.articles.bridge}`, 'back only goes to this site');
    const starred = await call('/my/starred', { as: 'ann' });
    assert.deepEqual(findAll(starred.body, byClass('item')).map((e) => e.attribs['data-item']), [String(fx.articles.bridge)]);
    assert.deepEqual(findAll((await call('/my/starred', { as: 'bob' })).body, byClass('item')), []);
    const unread = await call('/my/unread', { as: 'ann' });
    const ids = findAll(unread.body, byClass('item')).map((e) => Number(e.attribs['data-item']));
    assert.ok(ids.includes(fx.articles.envoysHarbour));
    assert.ok(!ids.includes(fx.articles.envoysCopy), 'a copy of an article she follows is not listed apart');
    assert.equal(findAll(unread.body, (e) => e.name === 'form' && e.attribs['data-action'] === 'mark-all').length, 1);
    assert.equal((await post('/articles/999999/read', 'ann', { read: '1' })).status, 404);
  });

  test('mark all as read: a source, a folder, a story, a day, everything before a time', async () => {
    await store.subscribe(users.bob.id, fx.sources.valley, { folder: 'V' });
    await store.subscribe(users.bob.id, fx.sources.northgate, { folder: 'N' });
    const unreadOf = async () => (await store.unreadCounts(users.bob.id));
    assert.ok((await unreadOf()).folders.get('V')! > 0);
    assert.equal((await post('/my/mark-read', 'bob', { folder: 'V', back: '/my/sources' })).headers.location, '/my/sources');
    assert.equal((await unreadOf()).folders.get('V') ?? 0, 0);
    assert.ok((await unreadOf()).folders.get('N')! > 0, 'other folders stay unread');
    await post('/my/mark-read', 'bob', { story: String(fx.stories.envoys) });
    const st = await store.articleStates(users.bob.id, [fx.articles.envoysNorthgate, fx.articles.envoysCopy]);
    assert.deepEqual(st.map((x) => !!x.readAt), [true, true]);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(FIXTURE_NOW);
    await post('/my/mark-read', 'bob', { source: String(fx.sources.harbour), day });
    await post('/my/mark-read', 'bob', { day });
    const left = (await store.listUserArticles(users.bob.id, { unread: true })).items;
    assert.ok(left.every((a) => Date.parse(a.published ?? a.fetchedAt) < zonedMidnight(day, 'Europe/London').getTime()), 'only older days stay unread');
    await post('/my/mark-read', 'bob', { before: FIXTURE_NOW.toISOString() });
    assert.equal((await unreadOf()).total, 0);
    assert.equal((await post('/my/mark-read', 'bob', { day: '2025-13-45' })).status, 400);
    assert.equal((await post('/my/mark-read', 'bob', { story: '1', folder: 'V' })).status, 400);
  });

  test("user A cannot read or change B's state or subscriptions through any route; forms without the CSRF token change nothing", async () => {
    await store.subscribe(users.bob.id, fx.sources.broken, { folder: 'Secret', title: 'Bob private title' });
    await store.setStarred(users.bob.id, [fx.articles.reservoir]);
    for (const path of ['/my', '/my/unread', '/my/all', '/my/starred', '/my/sources', '/my/opml', `/my/unread?source=${fx.sources.broken}`, '/my/unread?folder=Secret']) {
      const r = await call(path, { as: 'ann' });
      assert.doesNotMatch(r.body, /Bob private title|Coastal Courier/, path);
    }
    assert.deepEqual(findAll((await call('/my/unread?folder=Secret', { as: 'ann' })).body, byClass('item')), [], "bob's folder is not hers");
    assert.equal((await call(`/my/unread?source=${fx.sources.broken}`, { as: 'ann' })).status, 404);
    const snap = await snapshot();
    const attempts: [string, Record<string, string>][] = [
      [`/my/sources/${fx.sources.broken}/edit`, { title: 'pwned', folder: 'x' }],
      [`/my/sources/${fx.sources.broken}/remove`, {}],
      ['/my/folders/rename', { from: 'Secret', to: 'pwned' }],
      ['/my/folders/delete', { folder: 'Secret' }],
    ];
    for (const [path, f] of attempts) assert.equal((await post(path, 'ann', f)).status, 404, path);
    assert.equal(await snapshot(), snap, "ann's attempts on bob's things changed nothing");
    // Without the token, or with the other user's, nothing changes.
    const all: [string, Record<string, string>][] = [
      ...attempts,
      [`/articles/${fx.articles.bridge}/read`, { read: '1' }],
      [`/articles/${fx.articles.bridge}/star`, { star: '1' }],
      ['/my/mark-read', {}],
      ['/my/sources/add', { url: site + '/solo.xml' }],
    ];
    for (const [path, f] of all) {
      assert.equal((await post(path, 'bob', f, { csrf: '' })).status, 403, `${path} without a token`);
      assert.equal((await post(path, 'bob', f, { csrf: users.ann.csrf })).status, 403, `${path} with ann's token`);
    }
    assert.equal(await snapshot(), snap);
  });

  test('helpers: day bounds in the time zone; back paths stay on the site', () => {
    assert.equal(zonedMidnight('2025-07-01', 'Europe/London').toISOString(), '2025-06-30T23:00:00.000Z');
    assert.equal(zonedMidnight('2025-01-15', 'Europe/London').toISOString(), '2025-01-15T00:00:00.000Z');
    assert.equal(zonedMidnight('2025-03-09', 'America/New_York').toISOString(), '2025-03-09T05:00:00.000Z');
    assert.equal(backPath('/my/unread?folder=a', '/x'), '/my/unread?folder=a');
    for (const bad of ['//evil.example/', 'https://evil.example/', '/\\evil', '', null]) assert.equal(backPath(bad, '/x'), '/x');
  });
});


