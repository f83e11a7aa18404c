// Browser test: Debian's chromium driven by playwright-core opens the home page, an
// article and a search, checks what a reader sees, and that at 390×844 nothing scrolls
// sideways; then axe-core checks every page type at phone and desktop sizes in light and
// dark colour schemes, and keyboard focus is checked to be visible. Set WEB_SCREENSHOT_DIR
// to keep screenshots (phone and desktop, light and dark).
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
import { createWebApp } from './index.ts';
import { addUser } from '../accounts/index.ts';
import { FIXTURE_NOW, seedStore, type Fixture } from '../../test/helpers/web.ts';

const SHOTS = process.env.WEB_SCREENSHOT_DIR;
// Skipped only on a developer machine without Chromium; in CI (CI=true, where .ci/run installs
// it) a missing browser fails the test instead.
const skip = skipBrowser;

// A lead image served from loopback, so the page shows a real picture without the network.
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2b3a55"/><stop offset="1" stop-color="#c98a5b"/></linearGradient></defs>
<rect width="1200" height="675" fill="url(#sky)"/><rect y="430" width="1200" height="245" fill="#7a2e24"/>
<rect x="520" y="250" width="160" height="190" fill="#8c3a2c"/><polygon points="520,250 600,150 680,250" fill="#3d6b4f"/>
${[60, 220, 380, 760, 920].map((x) => `<rect x="${x}" y="560" width="120" height="50" rx="10" fill="#15181d"/>`).join('')}
</svg>`;

let dir: string;
let store: Store;
let fx: Fixture;
let base: string;
let closeApp: () => Promise<void>;
let imageServer: Server;
let browser: Browser;
let wideId = 0;

before(async () => {
  if (skip) return;
  imageServer = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'image/svg+xml' });
    res.end(SVG);
  });
  await new Promise<void>((r) => imageServer.listen(0, '127.0.0.1', r));
  const imgBase = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'web-browser-'));
  store = await openStore({ driver: 'sqlite', path: join(dir, 'web.db') });
  fx = await seedStore(store, imgBase);
  // An article whose stored HTML tries hard to be wider than a phone.
  const long = 'https://example.org/' + 'very-long-path-segment-'.repeat(12) + 'end.html';
  wideId = (
    await store.upsertArticle({
      sourceId: fx.sources.harbour,
      url: 'https://harbourledger.example/data/wide-table',
      canonicalUrl: null,
      guid: 'wide-table',
      title: 'Supercalifragilisticexpialidociousnessesquantities and other unbreakable words in headlines',
      byline: null,
      published: '2025-03-05T08:00:00Z',
      publishedIsFallback: false,
      fetchedAt: '2025-03-05T08:05:00Z',
      text: 'A table, a long URL, a preformatted block and a large image.',
      html: [
        `<p>Source data: <a href="${long}">${long}</a></p>`,
        `<p>${'x'.repeat(300)}</p>`,
        '<table><tr>' + Array.from({ length: 14 }, (_, i) => `<td>Column ${i} with figures 12,345,678</td>`).join('') + '</tr></table>',
        `<pre>${'const value = computeSomethingVeryLong(argumentNumberOne, argumentNumberTwo); '.repeat(4)}</pre>`,
        `<figure><img src="${imgBase}/wide.svg" width="2400" height="1350" alt="A wide chart"><figcaption>A wide chart.</figcaption></figure>`,
      ].join('\n'),
      summary: null,
      leadImage: null,
      siteName: 'Harbour Ledger',
      section: 'Data',
      lang: 'en',
      extractedFrom: 'page',
      extractionMethod: 'dom',
      extractionError: null,
    })
  ).article.id;
  await addUser(store, 'Ada', 'ada browser password', { admin: true });
  await addUser(store, 'grace', 'grace browser password');
  const app = createWebApp({ store, siteTitle: 'Occasional Digest', timeZone: 'UTC', now: () => FIXTURE_NOW });
  const srv = await app.listen(0, '127.0.0.1');
  base = srv.url;
  closeApp = srv.close;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await closeApp?.();
  await new Promise<void>((r) => (imageServer ? imageServer.close(() => r()) : r()));
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const open = (width: number, height: number, dark = false) => openPage(browser, width, height, dark);

async function noSideScroll(page: Page, what: string): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= 390, `${what}: scrollWidth ${scroll} > 390 (client ${client})`);
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.screenshot({ path: join(SHOTS, `${name}-top.png`) });
}

test('home, article and search read well at 390×844 and on a desktop', { skip, timeout: 60_000 }, async () => {
  const phone = await open(390, 844);
  const p = phone.page;

  await p.goto(base + '/');
  assert.equal(await p.title(), 'Occasional Digest');
  assert.equal(await p.locator('.top-stories .story-title').first().innerText(), 'US envoys meet Putin in Moscow over the peace plan');
  assert.equal(await p.locator('.latest .item-title').first().innerText(), 'Harbour bridge reopens after eight months of repairs');
  assert.equal(await p.locator('text=Why <script> tags & "quotes" still break news feeds').count(), 1, 'escaped title shows as text');
  // The stylesheet applied (CSP allows it): body uses the system font stack, not the UA default.
  const font = await p.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.match(font, /system-ui/);
  await noSideScroll(p, 'home');
  await shot(p, 'web-home-390');

  // Skip link is the first focusable element and becomes visible on focus.
  await p.keyboard.press('Tab');
  assert.equal(await p.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  const top = await p.evaluate(() => document.activeElement!.getBoundingClientRect().top);
  assert.ok(top >= 0, 'skip link visible when focused');

  await p.click(`a[href="/articles/${fx.articles.envoysHarbour}"] >> nth=0`);
  await p.waitForURL(`**/articles/${fx.articles.envoysHarbour}`);
  assert.equal(await p.locator('h1').innerText(), 'US envoys meet Putin in Moscow over Ukraine peace plan');
  const img = p.locator('.lead-image img');
  await img.evaluate((el: HTMLImageElement) => (el.complete ? null : new Promise((r) => el.addEventListener('load', r, { once: true }))));
  assert.ok(await img.evaluate((el: HTMLImageElement) => el.naturalWidth > 0), 'lead image loaded');
  const box = (await img.boundingBox())!;
  assert.ok(box.width <= 390, 'image fits the screen');
  assert.match(await p.locator('.read-at a').innerText(), /Read at Harbour Ledger/);
  assert.match(await p.locator('.who-said-what').innerText(), /Yury Ushakov/);
  await noSideScroll(p, 'article (with a long URL in its body)');
  await shot(p, 'web-article-390');

  // "in the text" under a quote takes the reader back up to the words in the body.
  const inText = p.locator('.who-said-what .in-text').first();
  await inText.scrollIntoViewIfNeeded();
  const passage = p.locator('.article-body p', { hasText: 'we have not found a compromise' });
  assert.ok((await passage.evaluate((el) => el.getBoundingClientRect().bottom)) < 0, 'the passage is above the screen before');
  await inText.click();
  await p.waitForFunction(() => {
    const el = [...document.querySelectorAll('.article-body p')].find((x) => x.textContent!.includes('we have not found a compromise'))!;
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight;
  }, null, { timeout: 3000 });

  await p.fill('#site-search', 'heatwave');
  await p.press('#site-search', 'Enter');
  await p.waitForURL('**/search?q=heatwave');
  assert.equal(await p.locator('.search-results .item').count(), 2);
  assert.ok((await p.locator('.search-results mark').count()) >= 2, 'matches highlighted');
  await noSideScroll(p, 'search');
  await shot(p, 'web-search-390');

  for (const path of [`/stories/${fx.stories.envoys}`, '/sources', `/people/${fx.people.ushakov}`, `/articles/${wideId}`, '/sections/Data', `/sources/${fx.sources.broken}`]) {
    await p.goto(base + path);
    await noSideScroll(p, path);
    if (path === '/sources') await shot(p, 'web-sources-390');
    if (path.startsWith('/stories')) await shot(p, 'web-story-390');
  }
  assert.deepEqual(phone.problems, [], 'no console errors (CSP violations included)');

  if (SHOTS) {
    const desk = await open(1280, 900);
    for (const [path, name] of [['/', 'home'], [`/articles/${fx.articles.envoysHarbour}`, 'article'], [`/stories/${fx.stories.envoys}`, 'story']]) {
      await desk.page.goto(base + path);
      await shot(desk.page, `web-${name}-1280`);
    }
    const dark = await open(390, 844, true);
    await dark.page.goto(base + `/articles/${fx.articles.envoysHarbour}`);
    await shot(dark.page, 'web-article-390-dark');
    await dark.page.goto(base + '/');
    await shot(dark.page, 'web-home-390-dark');
  }
});

const axe = axeFindings;

test('axe-core finds no serious or critical problem on any page type, phone and desktop, light and dark', { skip, timeout: 60_000 }, async (t) => {
  const paths = [
    '/',
    `/articles/${fx.articles.envoysHarbour}`, // lead image, quotes, a copy, a claim disputed elsewhere
    `/articles/${fx.articles.envoysCopy}`, // a copy naming its original
    `/articles/${fx.articles.feedOnly}`, // shown from the feed
    `/stories/${fx.stories.envoys}`,
    `/people/${fx.people.ushakov}`,
    '/sections/World',
    '/sources',
    `/sources/${fx.sources.broken}`,
    '/search?q=heatwave',
    '/search',
    '/articles/999999', // 404
  ];
  const bad: string[] = [];
  let minor = 0;
  for (const [w, h] of [[390, 844], [1280, 900]] as const) {
    for (const dark of [false, true]) {
      const { page, problems } = await open(w, h, dark);
      for (const path of paths) {
        const res = await page.goto(base + path);
        assert.equal(res?.status(), path === '/articles/999999' ? 404 : 200, path);
        for (const v of await axe(page)) {
          const line = `${w}px ${dark ? 'dark' : 'light'} ${path}: ${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => `${n.target} [${n.summary}]`).join(' | ')}`;
          if (v.impact === 'serious' || v.impact === 'critical') bad.push(line);
          else {
            minor++;
            t.diagnostic(line);
          }
        }
      }
      const unexpected = problems.filter((m) => !/status of 404/.test(m)); // the 404 page itself
      assert.deepEqual(unexpected, [], 'no console errors while axe ran (CSP violations included)');
      await page.context().close();
    }
  }
  assert.deepEqual(bad, [], `axe violations:\n${bad.join('\n')}`);
  t.diagnostic(`${paths.length * 4} page checks, ${minor} moderate or minor findings`);
});

test('keyboard focus is always visible', { skip, timeout: 30_000 }, async () => {
  for (const dark of [false, true]) {
    const { page } = await open(390, 844, dark);
    await page.goto(base + `/articles/${fx.articles.envoysHarbour}`);
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const cs = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return {
          what: `${el.tagName.toLowerCase()} ${el.textContent?.trim().slice(0, 40) ?? ''}`,
          outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
          onScreen: r.bottom > 0 && r.top < innerHeight && r.width > 0 && r.height > 0,
        };
      });
      if (!f) break;
      assert.ok(f.outline, `${dark ? 'dark' : 'light'}: focus outline on ${f.what}`);
      assert.ok(f.onScreen, `${dark ? 'dark' : 'light'}: focused ${f.what} scrolled into view`);
      seen.add(f.what);
    }
    assert.ok(seen.size >= 10, `tabbed through ${seen.size} elements`);
    await page.context().close();
  }
});

test('sign in, the account and admin pages, sign out: in the browser, and axe finds nothing serious on them', { skip, timeout: 90_000 }, async (t) => {
  const bad: string[] = [];
  const check = async (page: Page, what: string) => {
    for (const v of await axe(page)) {
      const line = `${what}: ${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => `${n.target} [${n.summary}]`).join(' | ')}`;
      if (v.impact === 'serious' || v.impact === 'critical') bad.push(line);
      else t.diagnostic(line);
    }
  };
  for (const [w, h] of [[390, 844], [1280, 900]] as const) {
    for (const dark of [false, true]) {
      const tag = `${w}px ${dark ? 'dark' : 'light'}`;
      const { page: p, problems } = await open(w, h, dark);
      await p.goto(base + `/stories/${fx.stories.envoys}`);
      await p.click('.account-nav a:has-text("Sign in")');
      await p.waitForURL('**/login?next=*');
      await check(p, `${tag} /login`);
      if (w === 390) await noSideScroll(p, 'login');
      // a wrong password: 401, the form again with a message, focusable fields
      await p.fill('#login-username', 'Ada');
      await p.fill('#login-password', 'not the password');
      await p.click('form.form button[type="submit"]');
      assert.match(await p.locator('.notice.error').innerText(), /do not match an account/);
      await check(p, `${tag} /login (failed)`);
      await p.fill('#login-password', 'ada browser password');
      await p.click('form.form button[type="submit"]');
      await p.waitForURL(`**/stories/${fx.stories.envoys}`);
      assert.match(await p.locator('.account-nav').innerText(), /Ada/);
      await p.click('.account-nav a[href="/account"]');
      await p.waitForURL('**/account');
      await check(p, `${tag} /account`);
      await p.fill('#app-name', `Reader ${tag}`);
      await p.selectOption('#app-scope', 'greader');
      await p.click('button:has-text("Create app password")');
      assert.match(await p.locator('.secret').innerText(), /^dgap_/);
      await check(p, `${tag} /account (new app password)`);
      if (w === 390) await noSideScroll(p, 'account');
      await p.goto(base + '/admin/users');
      assert.match(await p.locator('h1').innerText(), /Users/);
      await check(p, `${tag} /admin/users`);
      if (w === 390) await noSideScroll(p, 'admin users');
      if (SHOTS && !dark) await shot(p, `web-admin-users-${w}`);
      await p.click('.account-nav button:has-text("Sign out")');
      await p.waitForURL(base + '/');
      assert.match(await p.locator('.account-nav').innerText(), /Sign in/);
      assert.deepEqual(problems.filter((m) => !/status of 401/.test(m)), [], 'no console errors (CSP included)');
      await p.context().close();
    }
  }
  assert.deepEqual(bad, [], `axe violations:\n${bad.join('\n')}`);
});

test('rules and the admin digests page in the browser: add, edit, a refused pattern, delete; axe finds nothing serious', { skip, timeout: 90_000 }, async (t) => {
  const grace = (await store.getUserByName('grace'))!;
  await store.subscribe(grace.id, fx.sources.harbour);
  const bad: string[] = [];
  const check = async (page: Page, what: string) => {
    for (const v of await axe(page)) {
      const line = `${what}: ${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => `${n.target} [${n.summary}]`).join(' | ')}`;
      if (v.impact === 'serious' || v.impact === 'critical') bad.push(line);
      else t.diagnostic(line);
    }
  };
  const signIn = async (p: Page, name: string, password: string) => {
    await p.goto(base + '/login');
    await p.fill('#login-username', name);
    await p.fill('#login-password', password);
    await p.click('form.form button[type="submit"]');
    await p.waitForURL(base + '/');
  };
  for (const [w, h] of [[390, 844], [1280, 900]] as const) {
    for (const dark of [false, true]) {
      const tag = `${w}px ${dark ? 'dark' : 'light'}`;
      const { page: p, problems } = await open(w, h, dark);
      await signIn(p, 'grace', 'grace browser password');
      await p.click('.account-nav a[href="/my/rules"]');
      await p.waitForURL('**/my/rules');
      await check(p, `${tag} /my/rules (empty)`);
      await p.fill('#new-pattern', 'envoys, peace plan');
      await p.selectOption('#new-field', 'title');
      await p.selectOption('#new-action', 'star');
      await p.selectOption('#new-source', String(fx.sources.harbour));
      await p.click('button:has-text("Add rule")');
      await p.waitForURL('**/my/rules?done=added');
      assert.match(await p.locator('ul.rules li').first().innerText(), /Star articles of Harbour Ledger whose title has “envoys, peace plan”/);
      await check(p, `${tag} /my/rules (one rule)`);
      if (w === 390) await noSideScroll(p, 'rules');
      await p.click('ul.rules a:has-text("Edit")');
      await p.waitForURL('**/my/rules/*/edit');
      await check(p, `${tag} edit rule`);
      await p.fill('#edit-pattern', '(unclosed');
      await p.check('input[name="regex"]');
      await p.click('button:has-text("Save rule")');
      assert.match(await p.locator('.notice.error').innerText(), /is not valid/);
      await check(p, `${tag} edit rule (refused)`);
      await p.goto(base + '/my/rules');
      await p.click('ul.rules button:has-text("Delete")');
      await p.waitForURL('**/my/rules?done=deleted');
      assert.match(await p.locator('main').innerText(), /No rules yet/);
      await p.click('.account-nav button:has-text("Sign out")');
      await p.waitForURL(base + '/');
      await signIn(p, 'Ada', 'ada browser password');
      await p.click('.account-nav a[href="/admin/briefs"]');
      await p.waitForURL('**/admin/briefs');
      await check(p, `${tag} /admin/briefs`);
      if (w === 390) await noSideScroll(p, 'admin briefs');
      await p.fill(`#to-${grace.id}`, 'grace@example.org');
      await p.fill(`#tz-${grace.id}`, 'Europe/Paris');
      await p.click(`form[action="/admin/briefs/${grace.id}"] button`);
      await p.waitForURL('**/admin/briefs?done=scheduled');
      assert.match(await p.locator('main').innerText(), /07:00 Europe\/Paris to grace@example.org/);
      await check(p, `${tag} /admin/briefs (scheduled)`);
      await p.click(`form[action="/admin/briefs/${grace.id}/off"] button`);
      await p.waitForURL('**/admin/briefs?done=stopped');
      await p.click('.account-nav button:has-text("Sign out")');
      await p.waitForURL(base + '/');
      assert.deepEqual(problems.filter((m) => !/status of 400/.test(m)), [], 'no console errors but the refused pattern’s 400 (CSP included)');
      await p.context().close();
    }
  }
  assert.deepEqual(bad, [], `axe violations:\n${bad.join('\n')}`);
});
