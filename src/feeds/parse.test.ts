import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseFeed, decodeFeedBytes } from './index.ts';
import { DigestError } from '../core/errors.ts';
import type { Feed } from '../core/types.ts';

const fx = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const parse = (name: string, opts: Parameters<typeof parseFeed>[1] = {}) => parseFeed(fx(name), opts);
const byTitle = (f: Feed, t: string) => {
  const it = f.items.find((i) => i.title === t);
  assert.ok(it, `item "${t}" present`);
  return it;
};

test('feed without title falls back to the site host; URLs with spaces are trimmed', () => {
  const f = parse('missing-feed-title.xml');
  assert.equal(f.link, 'https://news.example.org/');
  assert.equal(f.title, 'news.example.org');
  // without product fallbacks the title stays null (feedparser shape)
  assert.equal(parse('missing-feed-title.xml', { fallbacks: false }).title, null);
});

test('items with missing data: title from content, link from guid or enclosure, stable id, no date', () => {
  const f = parse('item-missing-data.xml');
  assert.equal(f.language, 'fr-FR');
  const [a, b, c, d] = f.items;
  assert.equal(a.title, 'The council approved the new budget on Tuesday after a long debate.');
  assert.equal(a.link, 'https://example.org/a/1'); // guid permalink
  assert.equal(b.id, 'no-url-guid');
  assert.equal(b.link, 'https://example.org/audio/2.mp3'); // enclosure URL
  assert.equal(c.title, 'https://example.org/a/3');
  assert.match(d.id ?? '', /^urn:digest:[0-9a-f]{20}$/);
  assert.equal(d.published, null);
  // the generated id is stable across parses and differs between items
  assert.equal(parse('item-missing-data.xml').items[3].id, d.id);
  assert.notEqual(c.id, d.id);
});

test('Atom: entry id used as link, rel=replies ignored, xml:lang inherited', () => {
  const f = parse('atom-entry-id-as-link.xml');
  assert.equal(f.language, 'de');
  assert.equal(f.items[0].link, 'https://example.org/posts/42');
  assert.equal(f.items[0].updated, '2024-03-01T09:00:00Z');
  assert.equal(f.items[0].published, '2024-03-01T09:00:00Z'); // product fallback from updated
  assert.equal(f.items[1].link, 'https://example.org/posts/43');
});

test('whitespace in titles collapsed; relative site, item, enclosure and content URLs resolved', () => {
  const f = parse('whitespace-relative-urls.xml', { url: 'https://example.org/blog/feed.xml' });
  assert.equal(f.title, 'Spaced title');
  assert.equal(f.link, 'https://example.org/blog/');
  const it = f.items[0];
  assert.equal(it.title, 'Item with spaces');
  assert.equal(it.link, 'https://example.org/blog/post-1');
  assert.equal(it.enclosures[0].url, 'https://example.org/blog/media/a.mp3');
  assert.equal(it.summary, '<img src="https://example.org/blog/img/a.png" /> <a href="https://example.org/about">about</a>');
});

test('entities: HTML named, numeric, double-encoded, invalid, CDATA, inner HTML', () => {
  const f = parse('entities.xml');
  assert.equal(f.title, 'Café & Bar – News…');
  assert.equal(f.items[0].title, 'Numeric “quotes” and — dashes');
  assert.equal(f.items[1].title, 'Double &amp; encoded'); // HTML text: displays as "&"
  assert.equal(f.items[2].title, 'Invalid \uFFFD and &bogus; refs');
  assert.equal(f.items[3].title, 'CDATA <with> & raw');
  assert.equal(f.items[4].title, '<b>Inner</b> HTML');
  assert.equal(f.items[4].author, 'Jane <i>Doe</i>');
  assert.equal(f.items[5].title, 'Nbsp and ’curly’');
});

test('encodings: ISO-8859-1, windows-1252, KOI8-R label, wrong prolog, control chars, UTF-16 BOM', () => {
  assert.equal(parse('enc-iso-8859-1.xml').title, 'Café crème à Zürich');
  assert.equal(parse('enc-windows-1252.xml').title, '“Smart” quotes – €5');
  assert.equal(parse('enc-koi8-r.xml').title, 'Новости дня');
  assert.equal(parse('enc-wrong-prolog-utf8.xml').title, 'Café “résumé” ✓');
  assert.equal(parse('enc-control-chars.xml').title, 'Badcontrolcharshere');
  assert.equal(parse('enc-utf16-bom.xml').title, 'UTF-16 ünïcödé');
  assert.equal(parse('enc-no-declaration-latin1.xml').title, 'Déjà vu');
  assert.equal(parse('atom-iso-charset.xml').items[0].title, 'Entrée');
});

test('decode: HTTP charset beats the prolog; BOM beats both; bad labels are skipped', () => {
  const latin = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="utf-8"?><rss><channel><title>'), Buffer.from('£', 'latin1'), Buffer.from('</title></channel></rss>')]);
  assert.equal(parseFeed(latin, { headers: { 'Content-Type': 'text/xml; charset=ISO-8859-1' } }).title, '£');
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<rss><channel><title>é</title></channel></rss>')]);
  assert.equal(decodeFeedBytes(bom, 'text/xml; charset=windows-1252').encoding, 'utf-8');
  assert.equal(parseFeed(bom, { headers: { 'content-type': 'text/xml; charset=windows-1252' } }).title, 'é');
  const bogus = Buffer.from('<?xml version="1.0" encoding="x-no-such-charset"?><rss><channel><title>ok ü</title></channel></rss>');
  assert.equal(parseFeed(bogus).title, 'ok ü');
});

test('dates in feeds: named zones, localised names, Unix time, Drupal style, IANA zones, invalid → null', () => {
  const f = parse('dates.xml');
  const p = (t: string) => byTitle(f, t).published;
  assert.equal(p('est'), '2003-06-10T09:00:00Z');
  assert.equal(p('pst'), '2002-10-02T16:00:00Z');
  assert.equal(p('edt'), '2010-09-06T18:30:00Z');
  assert.equal(p('german'), '2018-03-14T11:00:00Z');
  assert.equal(p('french'), '2018-02-15T08:30:00Z');
  assert.equal(p('unix'), '2017-12-22T15:09:00Z');
  assert.equal(p('drupal'), '2017-12-22T15:09:00Z');
  assert.equal(p('iana'), '2018-01-20T09:00:00Z');
  assert.equal(p('invalid'), null);
  assert.equal(p('bad offset'), '2003-06-10T04:00:00Z');
  assert.equal(byTitle(f, 'w3cdtf').updated, '2003-12-31T18:14:55.123Z');
});

test('authors: RSS forms, managingEditor, dc:creator, itunes, googleplay, Atom name/email', () => {
  const f = parse('authors.xml');
  assert.equal(f.author, 'Ed Itor');
  assert.deepEqual(f.items.map((i) => i.author), ['Jane Doe', 'John Smith', 'Pod Caster', 'Play Author', 'only@example.org']);
  const a = parse('authors-atom.xml');
  assert.equal(a.author, 'feed@example.org');
  assert.equal(a.items[0].author, 'First Author');
  // entries without an author inherit the feed's (product fallback), not in the raw shape
  const inherit = '<feed xmlns="http://www.w3.org/2005/Atom"><author><name>Feed Author</name></author><entry><id>1</id><title>t</title></entry></feed>';
  assert.equal(parseFeed(inherit).items[0].author, 'Feed Author');
  assert.equal(parseFeed(inherit, { fallbacks: false }).items[0].author, null);
});

test('media: group description/thumbnail/category, enclosure duplicates/empty/bad length, itunes', () => {
  const f = parse('media.xml');
  assert.equal(f.image, 'https://example.org/show.jpg');
  const g = byTitle(f, 'group');
  assert.equal(g.summary, 'Group description');
  assert.deepEqual(g.categories, ['News']);
  assert.equal(g.image, 'https://example.org/thumb.jpg');
  const e = byTitle(f, 'enclosures');
  assert.deepEqual(e.enclosures, [
    { url: 'https://example.org/a.mp3', type: 'audio/mpeg', length: 100 },
    { url: 'https://example.org/b.mp3', type: 'audio/mpeg', length: null },
  ]);
  assert.equal(e.summary, 'iTunes summary text');
  assert.deepEqual(e.categories, ['Technology', 'Podcasting']);
  assert.equal(byTitle(f, 'image').image, 'https://example.org/photo.jpg');
});

test('duplicate guids are disambiguated by link', () => {
  const ids = parse('duplicate-guids.xml').items.map((i) => i.id);
  assert.equal(ids[0], 'same');
  assert.equal(new Set(ids).size, 3);
  assert.ok(ids.every((i) => i?.startsWith('same')));
});

test('Atom text constructs: text, escaped html, xhtml div unwrapped, xhtml without div, xml:base', () => {
  const f = parse('atom-types.xml', { url: 'https://example.org/feed.atom' });
  assert.equal(f.title, 'A &lt;b&gt; feed');
  const [a, b] = f.items;
  assert.equal(a.title, 'Plain <tag>');
  assert.equal(a.summary, '<p>Escaped <a href="https://example.org/blog/p/1">link</a></p>');
  assert.equal(a.content, '<p>XHTML <b>bold</b> <img src="https://example.org/blog/i/1.png" /></p>');
  assert.equal(b.content, '<p>Para <a href="https://example.org/other/x">x</a></p>');
});

test('Atom 0.3 base64 content is decoded', () => {
  const f = parse('atom03-base64.xml');
  assert.equal(f.items[0].content, '<p>Hello <b>world</b></p>');
  assert.equal(f.items[0].published, '2004-01-01T12:00:00Z');
});

test('format detection: RSS 1.0 RDF, JSON Feed 1 and 1.1 with leading whitespace', () => {
  const r = parse('rdf.xml');
  assert.equal(r.title, 'RDF feed');
  assert.equal(r.items[0].link, 'https://example.org/1');
  assert.deepEqual(r.items[0].categories, ['Tech']);
  const j = parse('jsonfeed-1.json');
  assert.equal(j.title, 'JSON 1');
  assert.equal(j.items[0].enclosures[0].url, 'https://example.org/audio/1.mp3');
  assert.equal(j.items[1].id, '2');
  assert.equal(j.items[1].link, 'https://other.example.com/x');
  assert.equal(j.items[1].published, null);
  assert.equal(j.items[1].author, 'Legacy Author');
  const j11 = parse('jsonfeed-1.1.json');
  assert.equal(j11.author, 'A One, B Two');
  assert.ok((j11.items[0].title ?? '').length <= 500);
  assert.equal(j11.items[0].updated, '2021-05-31T22:00:00Z');
});

test('not a feed: typed parse errors', () => {
  for (const name of ['invalid.json', 'html-page.html']) {
    assert.throws(() => parse(name), (e: unknown) => e instanceof DigestError && e.kind === 'parse');
  }
  assert.throws(() => parseFeed(''), (e: unknown) => e instanceof DigestError && e.kind === 'parse');
  assert.throws(() => parseFeed('{"hello": 1}'), (e: unknown) => e instanceof DigestError && e.kind === 'parse');
});

test('extras: ttl, skipHours, hub and self', () => {
  const f = parseFeed(
    `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>x</title><link>https://e.org/</link>
     <atom:link rel="hub" href="https://hub.example.org/"/><atom:link rel="self" href="https://e.org/rss"/>
     <ttl>30</ttl><skipHours><hour>0</hour><hour>23</hour><hour>1</hour></skipHours></channel></rss>`,
  );
  assert.equal(f.link, 'https://e.org/');
  assert.equal(f.ttl, 30);
  assert.deepEqual(f.skipHours, [0, 1, 23]);
  assert.equal(f.hub, 'https://hub.example.org/');
  assert.equal(f.self, 'https://e.org/rss');
});

// A few of feedparser's own test files (BSD licence, see fixtures/feedparser/LICENSE.feedparser).
test('feedparser reference files', () => {
  const fp = (n: string, opts: Parameters<typeof parseFeed>[1] = {}) => parseFeed(fx(`feedparser/${n}`), { ...opts, fallbacks: false });
  assert.equal(fp('wellformed_atom10_entry_content_base64_2.xml').items[0].content, '<p>History of the &lt;blink&gt; tag</p>');
  assert.equal(
    fp('wellformed_base_http_item_description_base_docuri.xml', { url: 'http://127.0.0.1:8097/tests/wellformed/base/x.xml' }).items[0].summary,
    '<a href="http://127.0.0.1:8097/relative/uri">click here</a>',
  );
  assert.equal(fp('wellformed_atom_relative_uri_inherit_2.xml').title, '<div>Example <a href="http://example.com/test/test.html">test</a></div>');
  assert.equal(
    fp('encoding_http_text_xml_charset_overrides_encoding_2.xml', { headers: { 'Content-type': 'text/xml; charset=windows-1252' } }).items[0].summary,
    'This is a \u00a3\u201ctest.\u201d',
  );
  assert.equal(fp('encoding_euc-kr.xml').title, '\ub144');
  assert.equal(fp('wellformed_rss_item_guid_isPermaLink_conflict_link.xml').items[0].link, 'http://link.example.com/');
  assert.equal(fp('wellformed_amp_amp15.xml').items[0].title, '<b>&amp;</b>');
  assert.equal(fp('wellformed_atom10_entry_content_div_escaped_markup.xml').items[0].content, 'Example <b>Atom</b>');
  assert.equal(fp('wellformed_namespace_rss2.0NSwithModulesNoDefNS.xml').items[0].title, 'Test Item - - RSS2.0 w/ NS no default NS');
  assert.equal(fp('wellformed_rss_entity_in_doctype.xml').items[0].id, 'tag:example.com,2006-05-04:/blog/');
});

test('decode: an HTML page whose <meta charset> comes after the first 1024 bytes', () => {
  const head = Buffer.from(`<!DOCTYPE html><html><head><!-- ${'x'.repeat(2000)} --><meta charset="windows-1252"><title>`);
  const page = Buffer.concat([head, Buffer.from('Caf\xe9 \x93quoted\x94', 'latin1'), Buffer.from('</title></head></html>')]);
  const d = decodeFeedBytes(page);
  assert.equal(d.encoding, 'windows-1252');
  assert.match(d.text, /Café “quoted”/);
});
