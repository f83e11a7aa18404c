import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  parseOpml, toOpml, discoverFeeds, commonFeedUrls, looksLikeFeed, COMMON_FEED_PATHS, parseSitemap,
  buildSubscribeRequest, verifyIntent, verifySignature, signBody,
} from './index.ts';
import { DigestError } from '../core/errors.ts';
import { createHmac } from 'node:crypto';

const fx = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

test('OPML import: nested folders joined with "/", xmlurl case, link outlines skipped', () => {
  const doc = parseOpml(fx('subscriptions.opml'));
  assert.equal(doc.title, 'My feeds');
  assert.deepEqual(doc.outlines, [
    { url: 'https://top.example.org/feed', title: 'Top level', siteUrl: 'https://top.example.org/', folder: null },
    { url: 'https://world.example.org/rss.xml', title: 'Example World', siteUrl: null, folder: 'News/World' },
    { url: 'https://local.example.org/atom.xml', title: 'Local paper', siteUrl: null, folder: 'News' },
    { url: 'https://blog.example.org/index.xml', title: 'Blog', siteUrl: null, folder: 'Tech' },
  ]);
});

test('OPML export round-trips folders, titles and site URLs (with escaping)', () => {
  const sources = [
    { url: 'https://a.example.org/feed?x=1&y=2', title: 'A & "B"', siteUrl: 'https://a.example.org/', folder: null },
    { url: 'https://b.example.org/rss', title: 'B <news>', siteUrl: null, folder: 'News/World' },
    { url: 'https://c.example.org/atom', title: 'C', siteUrl: null, folder: 'News' },
    { url: 'https://d.example.org/feed.json', title: 'D', siteUrl: null, folder: 'Tech/Deep/Deeper' },
  ];
  const xml = toOpml(sources);
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">/);
  const back = parseOpml(xml);
  const sort = (a: { url: string }[]) => [...a].sort((x, y) => x.url.localeCompare(y.url));
  assert.deepEqual(sort(back.outlines), sort(sources));
  assert.deepEqual(parseOpml(toOpml(back.outlines)).outlines, back.outlines);
});

test('OPML: not OPML is a parse error', () => {
  assert.throws(() => parseOpml('<rss><channel/></rss>'), (e: unknown) => e instanceof DigestError && e.kind === 'parse');
});

test('discovery: <link rel=alternate> feeds resolved against <base>, deduplicated, in order', () => {
  const feeds = discoverFeeds(fx('html-page.html').toString('utf8'), 'https://example.org/news/today');
  assert.deepEqual(feeds, ['https://example.org/feed.xml', 'https://example.org/news/atom.xml', 'https://example.org/feed.json', 'https://example.org/rss']);
  assert.deepEqual(discoverFeeds('<html><head><title>x</title></head></html>', 'https://e.org/'), []);
  for (const p of ['/feed', '/rss.xml', '/atom.xml', '/index.xml', '/feed.json', '/rss', '/feed.xml']) assert.ok(COMMON_FEED_PATHS.includes(p), p);
  assert.equal(commonFeedUrls('https://e.org/some/page?q=1')[0], 'https://e.org/feed');
});

test('looksLikeFeed tells feeds from HTML pages', () => {
  assert.equal(looksLikeFeed(fx('rdf.xml'), 'application/rdf+xml'), true);
  assert.equal(looksLikeFeed(fx('atom-types.xml'), 'text/html'), true); // wrong content type, still a feed
  assert.equal(looksLikeFeed(fx('jsonfeed-1.json'), 'application/json'), true);
  assert.equal(looksLikeFeed(fx('html-page.html'), 'text/html'), false);
  assert.equal(looksLikeFeed('{"name": "not a feed"}', 'application/json'), false);
  assert.equal(looksLikeFeed('<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE rss>\n<rss version="2.0"/>', null), true);
  assert.equal(looksLikeFeed('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', 'application/xml'), false);
});

test('news sitemap → items (title, publication date, keywords, image, lastmod), deduplicated, newest first', () => {
  const r = parseSitemap(fx('sitemap-news.xml'));
  assert.equal(r.kind, 'urlset');
  if (r.kind !== 'urlset') return;
  assert.equal(r.items.length, 2);
  const [b, a] = r.items;
  assert.equal(b.link, 'https://example.org/b');
  assert.equal(b.updated, '2024-05-02T00:00:00Z');
  assert.equal(a.title, 'Council & mayor agree');
  assert.equal(a.published, '2024-05-01T08:00:00Z');
  assert.deepEqual(a.categories, ['council', 'budget']);
  assert.equal(a.author, 'Example Times');
  assert.equal(a.image, 'https://example.org/a.jpg');
});

test('sitemap index → child sitemaps; other documents are parse errors', () => {
  assert.deepEqual(parseSitemap(fx('sitemap-index.xml')), {
    kind: 'index',
    sitemaps: ['https://example.org/sitemap-news.xml', 'https://example.org/sitemap-2024.xml'],
  });
  assert.throws(() => parseSitemap(fx('rdf.xml')), (e: unknown) => e instanceof DigestError && e.kind === 'parse');
});

test('WebSub: subscribe request, verification of intent', () => {
  const req = buildSubscribeRequest({ hub: 'https://hub.example.org/', topic: 'https://e.org/feed', callback: 'https://me.example/cb?s=1', secret: 's3cret', leaseSeconds: 86400 });
  assert.equal(req.method, 'POST');
  assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
  const p = new URLSearchParams(req.body);
  assert.equal(p.get('hub.mode'), 'subscribe');
  assert.equal(p.get('hub.topic'), 'https://e.org/feed');
  assert.equal(p.get('hub.callback'), 'https://me.example/cb?s=1');
  assert.equal(p.get('hub.secret'), 's3cret');
  assert.equal(p.get('hub.lease_seconds'), '86400');
  const q = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.topic': 'https://e.org/feed', 'hub.challenge': 'abc', 'hub.lease_seconds': '600' });
  assert.deepEqual(verifyIntent(q, { topic: 'https://e.org/feed' }), { challenge: 'abc', leaseSeconds: 600 });
  assert.equal(verifyIntent(q, { topic: 'https://other.org/feed' }), null);
  assert.equal(verifyIntent({ 'hub.mode': 'unsubscribe', 'hub.topic': 'https://e.org/feed', 'hub.challenge': 'x' }, { topic: 'https://e.org/feed' }), null);
});

test('WebSub: X-Hub-Signature HMAC (sha1 and sha256) verified, tampering rejected', () => {
  const body = Buffer.from('<feed xmlns="http://www.w3.org/2005/Atom"><title>pushed</title></feed>');
  const secret = 'topsecret';
  const sha1 = 'sha1=' + createHmac('sha1', secret).update(body).digest('hex');
  const sha256 = 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
  assert.equal(signBody(body, secret), sha256);
  assert.equal(verifySignature(body, sha1, secret), true);
  assert.equal(verifySignature(body, sha256, secret), true);
  assert.equal(verifySignature(body, sha256.toUpperCase().replace('SHA256', 'sha256'), secret), true);
  assert.equal(verifySignature(Buffer.concat([body, Buffer.from(' ')]), sha256, secret), false);
  assert.equal(verifySignature(body, sha256, 'wrong'), false);
  assert.equal(verifySignature(body, 'md5=abcd', secret), false);
  assert.equal(verifySignature(body, 'sha256=zz', secret), false);
  assert.equal(verifySignature(body, undefined, secret), false);
});
