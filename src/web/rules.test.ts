// /my/rules over HTTP: only the signed-in owner sees and changes their rules; forms need the
// CSRF token; bad patterns are refused with the reason; rules take effect at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyStore } from '../store/index.ts';
import { openTestStore, type TestStore } from '../../test/helpers/dialect.ts';
import { SESSION_COOKIE, startSession } from '../accounts/sessions.ts';
import { sessionCsrf } from '../accounts/csrf.ts';
import { createWebApp } from './index.ts';

let testStore: TestStore;
let store: KyselyStore;
let srv: { url: string; close(): Promise<void> };
let ann: { id: number; cookie: string; csrf: string };
let bob: { id: number; cookie: string; csrf: string };
let admin: { id: number; cookie: string; csrf: string };
let sponsored = 0;
let council = 0;
let ledger = 0;

async function signedIn(name: string, isAdmin = false) {
  const u = await store.createUser({ name, passwordHash: 'x', admin: isAdmin });
  const { token } = await startSession(store, u.id, new Date());
  return { id: u.id, cookie: `${SESSION_COOKIE}=${token}`, csrf: sessionCsrf(token) };
}

before(async () => {
  testStore = await openTestStore('digest-web-rules');
  store = testStore.store;
  ledger = (await store.addSource({ url: 'https://ledger.example/feed', title: 'The Daily Ledger' })).id;
  const base = { canonicalUrl: null, byline: null, publishedIsFallback: false, html: '<p>x</p>', summary: null, leadImage: null, siteName: null, section: null, lang: 'en', extractedFrom: 'page' as const, extractionMethod: 'dom', extractionError: null };
  const t = new Date().toISOString();
  [sponsored, council] = (await store.upsertArticles([
    { ...base, sourceId: ledger, url: 'https://ledger.example/a1', guid: 'a1', title: 'Sponsored: the best crypto wallets', text: 'Brought to you by our partners.', published: t, fetchedAt: t },
    { ...base, sourceId: ledger, url: 'https://ledger.example/a2', guid: 'a2', title: 'Council approves cycle lanes', text: 'The council voted on Tuesday.', published: t, fetchedAt: t },
  ])).map((r) => r.article.id);
  ann = await signedIn('ann');
  bob = await signedIn('bob');
  admin = await signedIn('root', true);
  await store.subscribe(ann.id, ledger);
  await store.subscribe(bob.id, ledger);
  srv = await createWebApp({ store, timeZone: 'UTC' }).listen(0, '127.0.0.1');
});

after(async () => {
  await srv.close();
  await testStore.dispose();
});

const get = (path: string, who?: { cookie: string }) => fetch(srv.url + path, { redirect: 'manual', headers: who ? { cookie: who.cookie } : {} });
const post = (path: string, who: { cookie: string } | null, fields: Record<string, string>) =>
  fetch(srv.url + path, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(who ? { cookie: who.cookie } : {}) }, body: new URLSearchParams(fields).toString() });
const hidden = async (userId: number, id: number) => !!(await store.articleStates(userId, [id]))[0]?.hiddenAt;

test('anonymous visitors are sent to sign in and cannot post', async () => {
  const r = await get('/my/rules');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login?next=%2Fmy%2Frules');
  const p = await post('/my/rules', null, { pattern: 'crypto' });
  assert.equal(p.status, 403);
  assert.deepEqual(await store.listRules(ann.id), []);
});

test('the owner adds, edits and deletes rules with CSRF-protected forms; rules apply at once', async () => {
  const page = await get('/my/rules', ann);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('cache-control') ?? '', /private|no-store/);
  const body = await page.text();
  assert.match(body, /<h1>Rules<\/h1>/);
  assert.match(body, /No rules yet/);
  assert.ok(body.includes(`name="csrf" value="${ann.csrf}"`), 'the form carries the token');
  assert.match(body, /<label for="new-pattern">/);
  assert.match(body, /<option value="[0-9]+">The Daily Ledger<\/option>/);

  // without the token nothing changes
  assert.equal((await post('/my/rules', ann, { pattern: 'crypto', field: 'title', action: 'hide', kind: 'mute' })).status, 403);
  assert.equal((await post('/my/rules', ann, { csrf: bob.csrf, pattern: 'crypto', field: 'title', action: 'hide', kind: 'mute' })).status, 403, 'another session’s token does not do');
  assert.deepEqual(await store.listRules(ann.id), []);

  const add = await post('/my/rules', ann, { csrf: ann.csrf, pattern: 'crypto', field: 'title', action: 'hide', kind: 'mute', source: '' });
  assert.equal(add.status, 303);
  assert.equal(add.headers.get('location'), '/my/rules?done=added');
  const [rule] = await store.listRules(ann.id);
  assert.deepEqual([rule.pattern, rule.field, rule.action, rule.kind, rule.isRegex, rule.sourceId], ['crypto', 'title', 'hide', 'mute', false, null]);
  assert.equal(await hidden(ann.id, sponsored), true, 'applied to the articles already there');
  assert.equal(await hidden(bob.id, sponsored), false);
  const listed = await (await get('/my/rules?done=added', ann)).text();
  assert.match(listed, /role="status">The rule was added and applied\./);
  assert.match(listed, /<strong>Hide<\/strong> articles of all my sources whose title has “crypto”/);

  const edit = await get(`/my/rules/${rule.id}/edit`, ann);
  assert.equal(edit.status, 200);
  assert.match(await edit.text(), /value="crypto"/);
  const save = await post(`/my/rules/${rule.id}`, ann, { csrf: ann.csrf, pattern: '^council', regex: '1', field: 'title', action: 'star', kind: 'mute', source: String(ledger) });
  assert.equal(save.status, 303);
  assert.deepEqual(await store.getRule(ann.id, rule.id).then((r) => [r?.pattern, r?.isRegex, r?.action, r?.sourceId]), ['^council', true, 'star', ledger]);
  assert.equal(await hidden(ann.id, sponsored), false, 'what the old rule hid is back');
  assert.ok((await store.articleStates(ann.id, [council]))[0]?.starredAt);

  // a bad pattern is refused with the reason, the form keeps what was typed
  const bad = await post('/my/rules', ann, { csrf: ann.csrf, pattern: '(a+', regex: '1', field: 'any', action: 'hide', kind: 'mute' });
  assert.equal(bad.status, 400);
  const badBody = await bad.text();
  assert.match(badBody, /role="alert">The regular expression &quot;\(a\+&quot; is not valid/);
  assert.match(badBody, /value="\(a\+"/);
  const evil = await post('/my/rules', ann, { csrf: ann.csrf, pattern: '(a)\\1', regex: '1', field: 'any', action: 'hide', kind: 'mute' });
  assert.equal(evil.status, 400);
  assert.equal((await store.listRules(ann.id)).length, 1);

  assert.equal((await get(`/my/rules/${rule.id}/delete`, ann)).status, 405, 'GET never deletes');
  const del = await post(`/my/rules/${rule.id}/delete`, ann, { csrf: ann.csrf });
  assert.equal(del.status, 303);
  assert.deepEqual(await store.listRules(ann.id), []);
  assert.equal((await store.articleStates(ann.id, [council]))[0]?.starredAt ?? null, null);
});

test('user B cannot read, change or delete A’s rules through any route', async () => {
  const rule = await store.addRule(ann.id, { field: 'any', pattern: 'secret words of ann', isRegex: false, action: 'hide', kind: 'mute' });
  const bobsPage = await (await get('/my/rules', bob)).text();
  assert.doesNotMatch(bobsPage, /secret words of ann/);
  assert.equal((await get(`/my/rules/${rule.id}/edit`, bob)).status, 404);
  const change = await post(`/my/rules/${rule.id}`, bob, { csrf: bob.csrf, pattern: 'taken over', field: 'any', action: 'read', kind: 'mute' });
  assert.equal(change.status, 404);
  const del = await post(`/my/rules/${rule.id}/delete`, bob, { csrf: bob.csrf });
  assert.equal(del.status, 404);
  // nor with A's token on B's session, nor A's token without a session
  assert.equal((await post(`/my/rules/${rule.id}/delete`, bob, { csrf: ann.csrf })).status, 403);
  assert.equal((await post(`/my/rules/${rule.id}/delete`, null, { csrf: ann.csrf })).status, 403);
  // a rule for a source B does not follow is refused
  const other = (await store.addSource({ url: 'https://other.example/feed', title: 'Other' })).id;
  assert.equal((await post('/my/rules', bob, { csrf: bob.csrf, pattern: 'x', field: 'any', action: 'hide', kind: 'mute', source: String(other) })).status, 400);
  assert.deepEqual(await store.getRule(ann.id, rule.id), rule, 'A’s rule is untouched');
  assert.deepEqual(await store.listRules(bob.id), []);
  await store.removeRule(ann.id, rule.id);
});

test('admins schedule personal digests on the web; readers cannot', async () => {
  assert.equal((await get('/admin/briefs', ann)).status, 403);
  assert.equal((await post(`/admin/briefs/${ann.id}`, ann, { csrf: ann.csrf, hour: '6', tz: 'UTC', to: 'ann@example.org' })).status, 403);
  assert.equal(await store.getBriefSchedule(ann.id), null);
  const page = await get('/admin/briefs', admin);
  assert.equal(page.status, 200);
  const body = await page.text();
  assert.match(body, /<h1>Personal digests<\/h1>/);
  assert.match(body, new RegExp(`<label for="hour-${ann.id}">Hour</label>`));
  assert.equal((await post(`/admin/briefs/${ann.id}`, admin, { hour: '7', tz: 'Europe/Paris', to: 'ann@example.org' })).status, 403, 'no token, no change');
  const set = await post(`/admin/briefs/${ann.id}`, admin, { csrf: admin.csrf, hour: '7', tz: 'Europe/Paris', to: 'ann@example.org' });
  assert.equal(set.status, 303);
  assert.deepEqual(await store.getBriefSchedule(ann.id), { hour: 7, timeZone: 'Europe/Paris', to: 'ann@example.org' });
  assert.match(await (await get('/admin/briefs?done=scheduled', admin)).text(), /07:00 Europe\/Paris to ann@example.org/);
  const bad = await post(`/admin/briefs/${ann.id}`, admin, { csrf: admin.csrf, hour: '31', tz: 'Europe/Paris', to: 'ann@example.org' });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /role="alert">Brief hour 31: give a whole hour from 0 to 23/);
  assert.equal((await post(`/admin/briefs/${ann.id}/off`, admin, { csrf: admin.csrf })).status, 303);
  assert.equal(await store.getBriefSchedule(ann.id), null);
  assert.equal((await post('/admin/briefs/9999', admin, { csrf: admin.csrf, hour: '7', tz: 'UTC', to: 'x@example.org' })).status, 404);
});
