// Tests of the demo sample and its server: every feed served and parseable, every item
// link a 200 article page, cache validators, charsets, compression, and the special pages
// the demo relies on (republished copies, wire copy, JSON-LD-only body, bot check).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { parseFeed } from 'feedsmith';
import { XMLValidator } from 'fast-xml-parser'; // feedsmith's own XML parser
import { Parser } from 'htmlparser2';
import { startDemoServer, describeDemoSample, type DemoServer } from './index.ts';

let server: DemoServer;
const feedItems = new Map<string, Array<{ link: string; title: string; content: string }>>();

before(async () => {
  server = await startDemoServer();
});
after(async () => {
  await server.close();
});

/** GET without automatic decompression or redirects, to see exactly what the server sends. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function charsetOf(contentType: string): string {
  return /charset=([^;\s]+)/i.exec(contentType)?.[1]?.toLowerCase() ?? 'utf-8';
}

/** Collects the text of elements in an HTML page, outside script/style, for content checks. */
function visibleText(html: string): string {
  let skip = 0;
  let text = '';
  const p = new Parser({
    onopentag: (n) => { if (n === 'script' || n === 'style' || n === 'noscript') skip++; },
    onclosetag: (n) => { if (n === 'script' || n === 'style' || n === 'noscript') skip--; },
    ontext: (t) => { if (!skip) text += t; },
  }, { decodeEntities: true });
  p.write(html);
  p.end();
  return text.replace(/\s+/g, ' ');
}

test('serves at least six feeds covering RSS 2.0, RSS 1.0, Atom 1.0 and JSON Feed 1.1, all parseable', async () => {
  assert.ok(server.feeds.length >= 6, `only ${server.feeds.length} feeds`);
  const formats = new Set<string>();
  for (const f of server.feeds) {
    assert.ok(f.startsWith(server.url + '/'), `feed ${f} not on the server's origin`);
    const res = await fetch(f);
    assert.equal(res.status, 200, f);
    const ct = res.headers.get('content-type') ?? '';
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = new TextDecoder(charsetOf(ct)).decode(bytes);
    assert.ok(!text.includes('{{BASE}}'), `${f} still has placeholders`);
    if (ct.includes('json')) {
      const j = JSON.parse(text) as { version: string; items: unknown[] };
      assert.equal(j.version, 'https://jsonfeed.org/version/1.1');
    } else {
      assert.match(ct, /xml/, `${f}: ${ct}`);
      const valid = XMLValidator.validate(text);
      assert.equal(valid, true, `${f} is not well-formed XML: ${JSON.stringify(valid)}`);
    }
    const parsed = parseFeed(text);
    formats.add(parsed.format);
    const feed = parsed.feed as { items?: Array<Record<string, unknown>>; entries?: Array<Record<string, unknown>> };
    const items = (feed.items ?? feed.entries ?? []).map((it) => {
      const links = it.links as Array<{ href?: string; rel?: string }> | undefined;
      const link = (it.link as string | undefined) ?? (it.url as string | undefined) ?? links?.find((l) => !l.rel || l.rel === 'alternate')?.href ?? '';
      const content =
        ((it.content as { encoded?: string } | undefined)?.encoded as string | undefined) ??
        (it.content_html as string | undefined) ??
        '';
      return { link, title: String(it.title ?? ''), content };
    });
    assert.ok(items.length >= 3, `${f} has ${items.length} items`);
    for (const it of items) assert.ok(it.link.startsWith(server.url + '/'), `${f}: item link ${it.link} not absolute to the server`);
    feedItems.set(f, items);
  }
  for (const fmt of ['rss', 'rdf', 'atom', 'json']) assert.ok(formats.has(fmt), `no ${fmt} feed among ${[...formats]}`);
});

test('every item link resolves to a 200 HTML article page; at least 45 distinct pages', async () => {
  assert.ok(feedItems.size >= 6, 'feeds test must run first');
  const pages = new Set<string>();
  for (const items of feedItems.values()) {
    for (const it of items) {
      const res = await fetch(it.link, { redirect: 'follow' });
      assert.equal(res.status, 200, it.link);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/, it.link);
      const html = new TextDecoder(charsetOf(res.headers.get('content-type') ?? '')).decode(await res.arrayBuffer());
      assert.match(html, /^<!DOCTYPE html/i, it.link);
      assert.ok(!html.includes('{{BASE}}'), `${it.link} still has placeholders`);
      pages.add(new URL(res.url).pathname);
    }
  }
  assert.ok(pages.size >= 45, `only ${pages.size} article pages`);
  assert.deepEqual([...pages].sort(), describeDemoSample().articles.map((a) => a.path).sort());
  assert.deepEqual(server.pages.map((p) => new URL(p).pathname).sort(), [...pages].sort());
});

test('article pages look like news pages: headline, byline, date, image with caption and credit, paragraphs', async () => {
  const sample = describeDemoSample();
  for (const a of sample.articles) {
    if (a.special) continue;
    const res = await fetch(server.url + a.path);
    const html = new TextDecoder(charsetOf(res.headers.get('content-type') ?? '')).decode(await res.arrayBuffer());
    assert.match(html, /<h1[^>]*>/, a.path);
    assert.ok((html.match(/<p[ >]/g) ?? []).length >= 6, `${a.path}: too few paragraphs`);
    assert.match(html, /<footer|id="footer"|class="Footer"/, a.path);
    const text = visibleText(html);
    assert.ok(text.includes(a.authors[0]), `${a.path}: byline ${a.authors[0]} missing`);
    assert.match(html, /<img [^>]*src="http:\/\/127\.0\.0\.1:\d+\/[^"]+\.svg"/, `${a.path}: no lead image`);
  }
});

test('a feed with ETag and Last-Modified answers a conditional GET with 304', async () => {
  const feed = server.feeds.find((f) => f.includes('/harbour/'))!;
  const first = await rawGet(feed);
  assert.equal(first.status, 200);
  const etag = first.headers.etag as string;
  const lm = first.headers['last-modified'] as string;
  assert.ok(etag && lm, 'validators missing');
  const byEtag = await rawGet(feed, { 'If-None-Match': etag });
  assert.equal(byEtag.status, 304);
  assert.equal(byEtag.body.length, 0);
  const byDate = await rawGet(feed, { 'If-Modified-Since': lm });
  assert.equal(byDate.status, 304);
  const stale = await rawGet(feed, { 'If-None-Match': '"something-else"' });
  assert.equal(stale.status, 200);
  const older = await rawGet(feed, { 'If-Modified-Since': new Date(Date.parse(lm) - 86_400_000).toUTCString() });
  assert.equal(older.status, 200);
  // A gzip response carries its own tag, and that tag also validates.
  const gz = await rawGet(feed, { 'Accept-Encoding': 'gzip' });
  assert.equal((await rawGet(feed, { 'If-None-Match': gz.headers.etag as string, 'Accept-Encoding': 'gzip' })).status, 304);
});

test('feeds differ in their validators the way real servers do', async () => {
  const get = (part: string) => rawGet(server.feeds.find((f) => f.includes(part))!);
  const atom = await get('/northgate/');
  assert.match(atom.headers.etag as string, /^W\/"/);
  assert.equal(atom.headers['last-modified'], undefined);
  assert.equal((await rawGet(server.feeds.find((f) => f.includes('/northgate/'))!, { 'If-None-Match': atom.headers.etag as string })).status, 304);
  const rdf = await get('/valemont/');
  assert.equal(rdf.headers.etag, undefined);
  assert.ok(rdf.headers['last-modified']);
  const json = await get('/meridian/');
  assert.equal(json.headers.etag, undefined);
  assert.equal(json.headers['last-modified'], undefined);
});

test('the non-UTF-8 feed is windows-1252, says so in the header and the prolog, and decodes to accented names', async () => {
  const sample = describeDemoSample();
  const o = sample.outlets.find((x) => x.charset !== 'utf-8')!;
  const res = await rawGet(server.url + o.feed);
  const ct = res.headers['content-type'] as string;
  assert.match(ct, /charset=windows-1252/i);
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(res.body), 'bytes must not be valid UTF-8');
  const text = new TextDecoder('windows-1252').decode(res.body);
  assert.match(text, /^<\?xml version="1.0" encoding="windows-1252"\?>/);
  assert.match(text, /Hélène Marchand/);
  assert.match(text, /Rémi Castaño/);
  assert.ok(res.body.includes(Buffer.from([0xe9])), 'expected the single byte 0xE9 for é');
  // Curly apostrophes use windows-1252's own range (0x80-0x9F), where it differs from ISO-8859-1.
  assert.ok(res.body.includes(Buffer.from([0x92])), 'expected the byte 0x92 for ’');
  // Its article pages are windows-1252 too, and say so in a meta http-equiv.
  const page = sample.articles.find((a) => a.outlet === o.id)!;
  const pr = await rawGet(server.url + page.path);
  assert.match(pr.headers['content-type'] as string, /charset=windows-1252/i);
  assert.match(pr.body.toString('latin1'), /<meta http-equiv="Content-Type" content="text\/html; charset=windows-1252" \/>/);
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(pr.body));
});

test('gzip when asked, identity otherwise', async () => {
  const page = server.pages[0];
  const plain = await rawGet(page);
  assert.equal(plain.headers['content-encoding'], undefined);
  const gz = await rawGet(page, { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.ok(gz.body.length < plain.body.length);
  assert.deepEqual(gunzipSync(gz.body), plain.body);
  const none = await rawGet(page, { 'Accept-Encoding': 'gzip;q=0, identity' });
  assert.equal(none.headers['content-encoding'], undefined);
});

test('unknown paths are 404, a path missing its trailing slash redirects', async () => {
  assert.equal((await rawGet(server.url + '/nope/nothing-here')).status, 404);
  const a = describeDemoSample().articles.find((x) => x.path.endsWith('/'))!;
  const r = await rawGet(server.url + a.path.slice(0, -1));
  assert.equal(r.status, 301);
  assert.equal(r.headers.location, server.url + a.path);
});

test('republished copies carry the republisher cruft and link to their original', async () => {
  const sample = describeDemoSample();
  const copies = sample.articles.filter((a) => a.copyOf && !a.wire);
  assert.ok(copies.length >= 2, `only ${copies.length} republished copies`);
  for (const c of copies) {
    const html = await (await fetch(server.url + c.path)).text();
    const text = visibleText(html);
    for (const cruft of ['Recommended Stories', 'list of 3 items', 'end of list', 'Source link', 'Exit mobile version', 'a story for you']) {
      assert.ok(text.includes(cruft), `${c.path}: no "${cruft}"`);
    }
    assert.match(html, /alt="Site icon"/);
    assert.match(html, new RegExp(`<h1[^>]*>[^<]+ \\| [^<]+ News</h1>`), `${c.path}: title lacks the " | Section News" suffix`);
    const src = new RegExp(`<a href="${server.url}${c.copyOf!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>Source link</a>`);
    assert.match(html, src, `${c.path}: Source link does not point at ${c.copyOf}`);
    const orig = visibleText(await (await fetch(server.url + c.copyOf!)).text());
    // The copy's body is the original's: the original's quotes appear in it.
    const quotes = [...orig.matchAll(/“([^”]{20,})”/g)].map((m) => m[1]);
    const carried = quotes.filter((q) => text.includes(q));
    assert.ok(quotes.length >= 3 && carried.length >= quotes.length - 2, `${c.path}: body differs from the original (${carried.length}/${quotes.length} quotes)`);
  }
});

test('a wire story is carried by two outlets under the agency byline', async () => {
  const sample = describeDemoSample();
  const wire = sample.articles.filter((a) => a.wire);
  const outlets = new Set(wire.map((a) => a.outlet));
  assert.ok(outlets.size >= 2, `wire story carried by ${[...outlets]}`);
  for (const a of wire) {
    assert.deepEqual(a.authors, ['Continental Press Agency']);
    const text = visibleText(await (await fetch(server.url + a.path)).text());
    assert.match(text, /\(CPA\)/);
  }
});

test('the JSON-LD-only page has its body only in JSON-LD; the bot-check page has none, but its feed item has the full text', async () => {
  const sample = describeDemoSample();
  const shell = sample.articles.find((a) => a.special === 'jsonld-only')!;
  const html = await (await fetch(server.url + shell.path)).text();
  const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)!;
  const body = (JSON.parse(ld[1]) as { articleBody: string }).articleBody;
  assert.ok(body.length > 800, 'articleBody too short');
  const firstSentence = body.split('\n\n')[1].slice(0, 60);
  assert.ok(!visibleText(html).includes(firstSentence), 'the body must not be in the visible HTML');

  const bot = sample.articles.find((a) => a.special === 'bot-check')!;
  const botHtml = await (await fetch(server.url + bot.path)).text();
  assert.match(botHtml, /Checking your browser/);
  assert.ok(!visibleText(botHtml).includes(bot.title.slice(0, 30)));
  const items = [...feedItems.values()].flat();
  const item = items.find((i) => new URL(i.link).pathname === bot.path);
  assert.ok(item, 'bot-check page is in a feed');
  assert.ok(visibleText(item.content).length > 800, 'feed item for the bot-check page lacks full content');
});

test('stories are covered by several outlets over several days', () => {
  const sample = describeDemoSample();
  const stories = new Map<string, { outlets: Set<string>; days: Set<string> }>();
  for (const a of sample.articles) {
    if (!a.story) continue;
    const s = stories.get(a.story) ?? { outlets: new Set(), days: new Set() };
    s.outlets.add(a.outlet);
    s.days.add(a.published.slice(0, 10));
    stories.set(a.story, s);
  }
  assert.ok(stories.size >= 7, `${stories.size} stories`);
  const big = [...stories.values()].filter((s) => s.outlets.size >= 3 && s.days.size >= 2);
  assert.ok(big.length >= 5, `${big.length} stories with 3+ outlets over 2+ days`);
  for (const a of sample.articles) {
    const t = Date.parse(a.published);
    assert.ok(t >= Date.parse('2026-11-20T00:00:00Z') && t < Date.parse('2026-11-28T00:00:00Z'), `${a.path} dated ${a.published}`);
  }
});

test('robots.txt allows article pages and the OPML lists every feed', async () => {
  const robots = await (await fetch(server.url + '/robots.txt')).text();
  assert.match(robots, /User-agent: \*/);
  const opml = await (await fetch(server.opml)).text();
  assert.equal(XMLValidator.validate(opml), true);
  for (const f of server.feeds) assert.ok(opml.includes(`xmlUrl="${f}"`), `${f} not in OPML`);
});

test("'per-outlet' hosts: each outlet on its own loopback address, links across outlets follow", async () => {
  const multi = await startDemoServer({ hosts: 'per-outlet' });
  try {
    const hosts = new Set(multi.feeds.map((f) => new URL(f).host));
    assert.equal(hosts.size, multi.feeds.length, 'one host per feed');
    for (const f of multi.feeds) {
      const res = await fetch(f);
      assert.equal(res.status, 200, f);
      const text = await res.text();
      const links = [...text.matchAll(/https?:\/\/127\.0\.0\.\d+:\d+\/[^"<\s]*/g)].map((m) => m[0]);
      assert.ok(links.length > 3);
      // Every URL in a feed points at the host of the outlet it names.
      for (const l of links) {
        const u = new URL(l.replace(/&amp;/g, '&'));
        const outlet = u.pathname.split('/')[1];
        const feedOfOutlet = multi.feeds.find((x) => new URL(x).pathname.startsWith(`/${outlet}/`));
        if (feedOfOutlet) assert.equal(u.host, new URL(feedOfOutlet).host, l);
      }
    }
    const copy = describeDemoSample().articles.find((a) => a.copyOf && !a.wire)!;
    const page = multi.pages.find((p) => p.endsWith(copy.path))!;
    const html = await (await fetch(page)).text();
    const src = /<a href="([^"]+)"[^>]*>Source link<\/a>/.exec(html)![1];
    assert.notEqual(new URL(src).host, new URL(page).host);
    assert.equal((await fetch(src)).status, 200);
    assert.equal(multi.pages.length, 48);
  } finally {
    await multi.close();
  }
});
