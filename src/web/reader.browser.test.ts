// Browser test of personal reading: Debian's chromium (playwright-core) signs in, subscribes
// through feed discovery (a loopback site offering two feeds: the choice is shown), reads with
// the keyboard (j/k/m/s, o opens and the script marks the article read), stars, marks a folder
// read, imports an OPML file, signs out; axe-core checks every personal page at phone and
// desktop sizes in light and dark. Launch flags and axe use as in browser.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { axeFindings, launchBrowser, openPage, skipBrowser } from '../../test/helpers/browser.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import { addUser } from '../accounts/index.ts';
import { createFetcher } from '../fetch/client.ts';
import { findFeeds } from '../jobs/findfeeds.ts';
import { createWebApp } from './index.ts';
import { FIXTURE_NOW, seedStore, type Fixture } from '../../test/helpers/web.ts';

const skip = skipBrowser;

let dir: string;
let store: Store;
let fx: Fixture;
let base: string;
let site: string;
let siteServer: Server;
let closeApp: () => Promise<void>;
let browser: Browser;
let ann = 0;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'web-reader-browser-'));
  store = await openStore({ driver: 'sqlite', path: join(dir, 'web.db') });
  const feed = (title: string, path: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>${site}/</link>
<item><title>${title} item</title><link>${site}${path}/1</link><guid>${path}-1</guid></item></channel></rss>`;
  siteServer = createServer((req, res) => {
    const u = req.url ?? '/';
    if (u === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<!doctype html><html><head><title>Two</title><link rel="alternate" type="application/rss+xml" href="/news.xml"><link rel="alternate" type="application/rss+xml" href="/sport.xml"></head><body></body></html>');
    }
    if (u === '/news.xml' || u === '/sport.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      return res.end(feed(u === '/news.xml' ? 'Quay News' : 'Quay Sport', u));
    }
    if (u.startsWith('/img/')) {
      res.writeHead(200, { 'content-type': 'image/svg+xml' });
      return res.end('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="120" height="60" fill="#2b3a55"/></svg>');
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => siteServer.listen(0, '127.0.0.1', () => r()));
  site = `http://127.0.0.1:${(siteServer.address() as AddressInfo).port}`;
  fx = await seedStore(store, site + '/img');
  ann = (await addUser(store, 'ann', 'ann password')).id;
  const fetcher = createFetcher({ allowPrivateRanges: ['127.0.0.1/32'], perHostIntervalMs: 0, retries: 0 });
  const app = createWebApp({ store, siteTitle: 'Occasional Digest', timeZone: 'UTC', now: () => FIXTURE_NOW, findFeeds: (url) => findFeeds(fetcher, url) });
  const srv = await app.listen(0, '127.0.0.1');
  base = srv.url;
  closeApp = srv.close;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await closeApp?.();
  await new Promise<void>((r) => (siteServer ? siteServer.close(() => r()) : r()));
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const open = (width: number, height: number, dark = false) => openPage(browser, width, height, dark);

async function signIn(page: Page): Promise<void> {
  await page.goto(base + '/login?next=/my');
  await page.fill('input[name="username"]', 'ann');
  await page.fill('input[name="password"]', 'ann password');
  await Promise.all([page.waitForURL(base + '/my'), page.press('input[name="password"]', 'Enter')]);
}

async function axe(page: Page): Promise<string[]> {
  return (await axeFindings(page))
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target).join(' | ')}`);
}

const until = async (what: string, check: () => Promise<boolean>) => {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting until ${what}`);
};

test('sign in, subscribe through discovery, read with the keyboard, star, mark a folder read, import OPML, sign out', { skip, timeout: 90_000 }, async () => {
  const { page, problems } = await open(1280, 900);
  await signIn(page);
  // Subscribe: a site with two feeds shows the choice.
  await page.goto(base + '/my/sources');
  await page.fill('#add-url', site + '/');
  await page.fill('#add-folder', 'Quay');
  await page.click('form[action="/my/sources/add"] button');
  await page.waitForSelector('input[type="radio"][name="feed"]');
  assert.deepEqual(await page.$$eval('input[name="feed"]', (els) => els.map((e) => (e as HTMLInputElement).value)), [site + '/news.xml', site + '/sport.xml']);
  assert.deepEqual(await axe(page), [], 'the choice page');
  await page.check('#feed-1');
  await Promise.all([page.waitForURL(/\/my\/sources/), page.click('form[action="/my/sources/add"] button')]);
  assert.match(await page.textContent('main') ?? '', /Quay Sport/);
  // Two of the instance's sources, in a folder, through the same form (known URLs: no fetch).
  for (const url of ['https://harbourledger.example/feed.xml', 'https://meridiandaily.example/feed.json']) {
    await page.fill('#add-url', url);
    await page.fill('#add-folder', 'World');
    await Promise.all([page.waitForURL(/\/my\/sources/), page.click('form[action="/my/sources/add"] button')]);
  }
  assert.deepEqual((await store.listSubscriptions(ann)).map((s) => s.folder).sort(), ['Quay', 'World', 'World']);

  // Read with the keyboard.
  await page.goto(base + '/my/unread');
  const first = Number(await page.getAttribute('[data-item]', 'data-item'));
  await page.keyboard.press('j');
  assert.equal(await page.getAttribute('[data-item]', 'class').then((c) => /is-current/.test(c ?? '')), true, 'j selects the first article');
  await page.keyboard.press('m');
  await until('m marked it read', async () => !!(await store.articleStates(ann, [first]))[0]?.readAt);
  await page.waitForSelector(`[data-item="${first}"].is-read`);
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await page.keyboard.press('m');
  await until('m again marked it unread', async () => !(await store.articleStates(ann, [first]))[0]?.readAt);
  await page.keyboard.press('j');
  const second = Number(await page.getAttribute('[data-item].is-current', 'data-item'));
  assert.notEqual(second, first);
  await page.keyboard.press('s');
  await until('s starred it', async () => !!(await store.articleStates(ann, [second]))[0]?.starredAt);
  await page.keyboard.press('?');
  await page.waitForSelector('.kbd-help:not([hidden])');
  await page.keyboard.press('Escape');
  await Promise.all([page.waitForURL(`${base}/articles/${second}`), page.keyboard.press('o')]);
  await until('opening the article marked it read', async () => !!(await store.articleStates(ann, [second]))[0]?.readAt);
  await page.goto(base + '/my/starred');
  assert.deepEqual(await page.$$eval('[data-item]', (els) => els.map((e) => Number(e.getAttribute('data-item')))), [second]);

  // Mark a folder read (the form, no script needed).
  await page.goto(base + '/my/sources');
  const worldBefore = await store.unreadCounts(ann);
  assert.ok((worldBefore.folders.get('World') ?? 0) > 0, JSON.stringify([...worldBefore.folders, ...worldBefore.sources]));
  await Promise.all([page.waitForURL(/\/my\/sources/), page.click('form.mark-all:has(input[value="World"]) button')]);
  assert.equal((await store.unreadCounts(ann)).folders.get('World') ?? 0, 0);

  // Import OPML.
  const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body><outline text="Wires">
<outline type="rss" text="Northgate Wire" xmlUrl="https://northgatewire.example/rss"/></outline></body></opml>`;
  await page.setInputFiles('#opml-file', { name: 'mine.opml', mimeType: 'text/x-opml', buffer: Buffer.from(opml) });
  await page.click('form[action="/my/opml/import"] button');
  await page.waitForSelector('text=Imported 1 subscription');
  assert.equal((await store.getSubscription(ann, fx.sources.northgate))?.folder, 'Wires');

  // Sign out: the personal pages ask to sign in again.
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sign out")')]);
  await page.goto(base + '/my');
  assert.match(page.url(), /\/login\?next=%2Fmy/);
  assert.deepEqual(problems, [], 'no console errors (CSP violations included)');
  await page.context().close();
});

test('axe-core finds no serious or critical problem on the personal pages, phone and desktop, light and dark', { skip, timeout: 90_000 }, async () => {
  await store.subscribe(ann, fx.sources.valley, { folder: 'Valley' });
  const paths = ['/my', '/my/unread', '/my/all', '/my/starred', '/my/sources', `/articles/${fx.articles.envoysHarbour}`, `/stories/${fx.stories.envoys}`];
  const bad: string[] = [];
  for (const [w, h] of [[390, 844], [1280, 900]] as const) {
    for (const dark of [false, true]) {
      const { page, problems } = await open(w, h, dark);
      await signIn(page);
      for (const path of paths) {
        const res = await page.goto(base + path);
        assert.equal(res?.status(), 200, path);
        for (const v of await axe(page)) bad.push(`${w}px ${dark ? 'dark' : 'light'} ${path}: ${v}`);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(scroll <= w, `${path} at ${w}px scrolls sideways (${scroll})`);
      }
      assert.deepEqual(problems, [], 'no console errors');
      await page.context().close();
    }
  }
  assert.deepEqual(bad, [], `axe violations:\n${bad.join('\n')}`);
});
