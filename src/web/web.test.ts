import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parseDocument, DomUtils } from 'htmlparser2';
import type { Document, Element } from 'domhandler';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import { createWebApp } from './index.ts';
import { escapeHtml, escapeXml, html, markRanges, raw } from './html.ts';
import { negotiateEncoding, matchesIfNoneMatch } from './respond.ts';
import { cleanOutlet, groupQuotes, rankStories, relatedStories, TtlCache } from './data.ts';
import { daySpan, lede, sentences } from './format.ts';
import { bodyMarkup, cleanRole, distinctRoles } from './pages.ts';
import type { Article } from '../core/types.ts';
import type { StoryRecord } from '../store/types.ts';
import { FIXTURE_NOW, seedStore, type Fixture } from '../../test/helpers/web.ts';

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
  body: string;
}

let dir: string;
let store: Store;
let fx: Fixture;
let base: string;
let close: () => Promise<void>;
const logged: { line: string; fields?: Record<string, unknown> }[] = [];

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const enc = res.headers['content-encoding'];
        const plain = enc === 'br' ? brotliDecompressSync(rawBody) : enc === 'gzip' ? gunzipSync(rawBody) : rawBody;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: rawBody, body: plain.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function json(path: string): Promise<{ status: number; data: any; res: Res }> {
  const res = await get(path);
  assert.match(String(res.headers['content-type']), /^application\/json/, `${path} answers JSON`);
  return { status: res.status, data: JSON.parse(res.body), res };
}

function dom(s: string, xml = false): Document {
  return parseDocument(s, { xmlMode: xml });
}

function all(doc: Document | Element, sel: (e: Element) => boolean): Element[] {
  return DomUtils.findAll(sel, 'children' in doc ? doc.children : []);
}

const byTag = (name: string) => (e: Element) => e.name === name;
const byClass = (cls: string) => (e: Element) => (e.attribs.class ?? '').split(/\s+/).includes(cls);
const text = (e: Element) => DomUtils.textContent(e).replace(/\s+/g, ' ').trim();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'web-test-'));
  store = await openStore({ driver: 'sqlite', path: join(dir, 'web.db') });
  fx = await seedStore(store);
  const app = createWebApp({
    store,
    siteTitle: 'Test Digest',
    baseUrl: 'http://digest.test',
    timeZone: 'UTC',
    now: () => FIXTURE_NOW,
    log: (line, fields) => logged.push({ line, fields }),
  });
  const srv = await app.listen(0, '127.0.0.1');
  base = srv.url;
  close = srv.close;
});

after(async () => {
  await close?.();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('html helper', () => {
  test('escapes interpolations, keeps SafeHtml and flattens arrays', () => {
    const evil = '<img src=x onerror="alert(1)">&\'';
    assert.equal(html`<p title="${evil}">${evil}</p>`.value, '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;</p>');
    assert.equal(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value, '<ul><li>a&lt;</li><li>b</li></ul>');
    assert.equal(html`${null}${undefined}${false}${0}${raw('<b>ok</b>')}`.value, '0<b>ok</b>');
    assert.equal(escapeHtml('"x"'), '&quot;x&quot;');
  });

  test('escapeXml drops characters XML 1.0 forbids', () => {
    assert.equal(escapeXml('a\u0000b\u0008c\u000Bd\uFFFEe\uD800f & <g>'), 'abcdef &amp; &lt;g&gt;');
    assert.equal(escapeXml('emoji 😀 ok'), 'emoji 😀 ok', 'surrogate pairs stay');
  });

  test('markRanges escapes plain text and marks the given ranges, whatever they are', () => {
    assert.equal(markRanges('a b c', [[2, 3]]).value, 'a <mark>b</mark> c');
    assert.equal(markRanges('<script>x</script> & y', [[1, 7], [21, 22]]).value, '&lt;<mark>script</mark>&gt;x&lt;/script&gt; &amp; <mark>y</mark>');
    assert.equal(markRanges('abcdef', [[3, 5], [0, 2], [1, 4], [9, 12], [4, 2]]).value, '<mark>ab</mark><mark>cd</mark><mark>e</mark>f');
    assert.equal(markRanges('', [[0, 3]]).value, '');
  });

  test('Accept-Encoding negotiation honours q-values', () => {
    assert.equal(negotiateEncoding('gzip, deflate, br'), 'br');
    assert.equal(negotiateEncoding('gzip'), 'gzip');
    assert.equal(negotiateEncoding('br;q=0, gzip;q=0.5'), 'gzip');
    assert.equal(negotiateEncoding('br;q=0.4, gzip;q=0.8'), 'gzip');
    assert.equal(negotiateEncoding('identity'), 'identity');
    assert.equal(negotiateEncoding('*'), 'br');
    assert.equal(negotiateEncoding('*;q=0'), 'identity');
    assert.equal(negotiateEncoding(undefined), 'identity');
    assert.ok(matchesIfNoneMatch('"a", W/"b"', '"b"'));
    assert.ok(!matchesIfNoneMatch('"a"', '"b"'));
  });
});

describe('text for readers', () => {
  test('sentences split after full stops and closing quotes, not after abbreviations or initials', () => {
    assert.deepEqual(sentences('Gov. Sarah Palin met U.S. troops. “They are on the side of war,” he said. 2025 was hot! Why?'), [
      'Gov. Sarah Palin met U.S. troops.',
      '“They are on the side of war,” he said.',
      '2025 was hot!',
      'Why?',
    ]);
    assert.deepEqual(sentences(''), []);
  });

  test('lede keeps whole sentences within the limit, and cuts only a first sentence that is too long', () => {
    const t = 'The storm has passed. Thirty engineers are restoring power to the coast tonight. Roads reopen tomorrow.';
    assert.equal(lede(t, 60, 2), 'The storm has passed.');
    assert.equal(lede(t, 90, 2), 'The storm has passed. Thirty engineers are restoring power to the coast tonight.');
    assert.equal(lede(t, 200, 1), 'The storm has passed.');
    assert.equal(lede('A very long first sentence that goes on and on well past the limit.', 30), 'A very long first sentence…');
  });

  test('daySpan names the days a story covers, once', () => {
    assert.equal(daySpan('2025-03-03T19:00:00Z', '2025-03-05T09:00:00Z', 'UTC'), '3–5 March 2025');
    assert.equal(daySpan('2025-02-27T19:00:00Z', '2025-03-02T09:00:00Z', 'UTC'), '27 February – 2 March 2025');
    assert.equal(daySpan('2024-12-31T19:00:00Z', '2025-01-02T09:00:00Z', 'UTC'), '31 December 2024 – 2 January 2025');
    assert.equal(daySpan('2025-03-05T08:00:00Z', '2025-03-05T23:30:00Z', 'UTC'), '5 March 2025');
    assert.equal(daySpan('2025-03-05T23:30:00Z', '2025-03-06T00:30:00Z', 'Europe/Berlin'), '6 March 2025', 'days of the zone');
  });

  test('roles lose the speaker\'s own name; a person\'s roles are listed once', () => {
    assert.equal(cleanRole('senior presidential aide Yevgeny', 'Yevgeny Marov'), 'senior presidential aide');
    assert.equal(cleanRole('Valdorian Foreign Minister', 'Marta Senkiv'), 'Valdorian Foreign Minister');
    assert.equal(cleanRole('Marov', 'Yevgeny Marov'), '');
    assert.equal(cleanRole(null, 'X'), '');
    assert.deepEqual(
      distinctRoles(['senior presidential aide', 'Presidential aide', 'senior presidential aide Yevgeny', 'Senior presidential aide', 'spokesman'], 'Yevgeny Marov'),
      ['senior presidential aide', 'spokesman'],
    );
  });

  test('outlet names lose a feed title tail, never the name itself', () => {
    assert.equal(cleanOutlet('The Valemont Courier - Latest news'), 'The Valemont Courier');
    assert.equal(cleanOutlet('Ledger | Top Stories'), 'Ledger');
    assert.equal(cleanOutlet('Hacker News: Front Page'), 'Hacker News');
    assert.equal(cleanOutlet('BBC News - Home'), 'BBC News');
    assert.equal(cleanOutlet('Post – RSS feed'), 'Post');
    for (const keep of ['Sky News', 'News', 'Reuters - World News', 'The Latest', 'Top Stories Weekly']) assert.equal(cleanOutlet(keep), keep);
  });

  test('stored article HTML: the site\'s <main> becomes a <div>, headings move below the page h1 in rank order', () => {
    assert.equal(
      bodyMarkup('<main><h1 title="x">A</h1><p>t</p><h4>B</h4><h3>C</h3></main>'),
      '<div><h2 title="x">A</h2><p>t</p><h4>B</h4><h3>C</h3></div>',
    );
    assert.equal(bodyMarkup('<h2>A</h2><p>mainland <b>header</b></p>'), '<h2>A</h2><p>mainland <b>header</b></p>');
    assert.equal(bodyMarkup('<h5>only</h5>'), '<h2>only</h2>');
  });
});

describe('story ranking', () => {
  const now = new Date('2025-03-05T12:00:00Z');
  const story = (id: number, sourceCount: number, articleCount: number, firstH: number, lastH: number): StoryRecord => ({
    id,
    title: `s${id}`,
    summary: null,
    firstSeen: new Date(now.getTime() - firstH * 3600_000).toISOString(),
    lastUpdated: new Date(now.getTime() - lastH * 3600_000).toISOString(),
    articleCount,
    sourceCount,
    score: 0,
    mergedInto: null,
  });
  test('outlets count, recency decays, velocity breaks near-ties; the stored order is only a tie-break', () => {
    const stale = story(1, 6, 8, 90, 72); // big but three days old
    const fresh = story(2, 3, 3, 4, 1);
    const single = story(3, 1, 1, 1, 1);
    assert.deepEqual(rankStories([stale, single, fresh], now).map((s) => s.id), [2, 3, 1]);
    const slow = story(4, 3, 3, 48, 2);
    const fast = story(5, 3, 3, 3, 2);
    assert.deepEqual(rankStories([slow, fast], now).map((s) => s.id), [5, 4]);
    const twinA = story(6, 2, 2, 5, 3);
    const twinB = story(7, 2, 2, 5, 3);
    assert.deepEqual(rankStories([twinA, twinB], now).map((s) => s.id), [6, 7]);
    assert.deepEqual(rankStories([twinB, twinA], now).map((s) => s.id), [7, 6]);
  });
});

describe('quote grouping', () => {
  const art = (id: number, outlet: string, published: string) =>
    ({ id, title: `a${id}`, url: `https://o${id}.example/`, siteName: outlet, sourceTitle: outlet, published, fetchedAt: published }) as Article;
  const q = (id: number, articleId: number, quote: string, speaker: string | null, personId: number | null) => ({
    id, articleId, storyId: 1, quote, start: 0, end: quote.length, speaker, speakerRole: null, personId, kind: 'direct' as const, stance: null, cue: 'said',
  });
  test('a long quote is one group under the speaker most articles give; short ones stay per speaker', async () => {
    const arts = [art(1, 'Alpha', '2025-01-01T10:00:00Z'), art(2, 'Beta', '2025-01-01T09:00:00Z'), art(3, 'Gamma', '2025-01-01T11:00:00Z')];
    const long = 'I have lived here fifty years and never heard the wind like that';
    const groups = await groupQuotes(store, [
      q(1, 1, long + ',', 'Moira Galbraith', 7),
      q(2, 2, long + '.', 'The Weather Service', null),
      q(3, 3, long, 'Moira Galbraith', 7),
      q(4, 1, 'a mess', 'Donald Trump', 8),
      q(5, 2, 'a mess', 'Someone Else', null),
    ], arts);
    assert.equal(groups.length, 3);
    assert.equal(groups[0].speaker, 'Moira Galbraith');
    assert.equal(groups[0].personId, 7);
    assert.deepEqual(groups[0].carriers.map((c) => c.article.siteName), ['Beta', 'Alpha', 'Gamma'], 'earliest first');
    assert.deepEqual(groups.slice(1).map((g) => g.speaker), ['Donald Trump', 'Someone Else']);
  });
});

describe('caches and budgets', () => {
  test('TtlCache expires entries and keeps at most max', () => {
    let t = 0;
    const c = new TtlCache<string, number>(100, 2, () => t);
    c.set('a', 1);
    c.set('b', 2);
    assert.equal(c.get('a'), 1);
    c.set('c', 3);
    assert.equal(c.get('a'), undefined, 'oldest dropped at max');
    t = 101;
    assert.equal(c.get('b'), undefined, 'expired');
  });

  test('related stories stop querying when the budget is spent, and are cached', async () => {
    assert.deepEqual(await relatedStories(store, ['US envoys meet Putin in Moscow over the peace plan'], fx.stories.envoys, 4, { budgetMs: -1 }), []);
    const cache = new TtlCache<string, any>(60_000);
    const got = await relatedStories(store, ['US envoys meet Putin in Moscow over the peace plan'], fx.stories.envoys, 4, { cache, budgetMs: 60_000 });
    assert.deepEqual(got.map((s) => s.title), ['Europe drafts its own peace plan']);
    const slow = new Proxy(store, { get: (t, p, r) => (p === 'search' ? () => assert.fail('cached: no search') : Reflect.get(t, p, r)) });
    assert.deepEqual(await relatedStories(slow, ['US envoys meet Putin in Moscow over the peace plan'], fx.stories.envoys, 4, { cache }), got);
  });
});

describe('recommended stories from shared entities', () => {
  let rdir: string;
  let rs: Store;
  const ids: number[] = [];
  const words = ['amber', 'basalt', 'cobalt', 'dune', 'ember', 'fjord', 'granite', 'harbour', 'iris', 'juniper', 'kelp', 'lichen'];
  before(async () => {
    rdir = mkdtempSync(join(tmpdir(), 'web-related-'));
    rs = await openStore({ driver: 'sqlite', path: join(rdir, 'r.db') });
    const src = await rs.addSource({ url: 'https://r.example/feed' });
    for (let i = 0; i < words.length; i++) {
      const st = await rs.createStory({ title: `The ${words[i]} report`, firstSeen: '2025-03-01T00:00:00Z', lastUpdated: '2025-03-01T00:00:00Z' });
      ids.push(st.id);
      for (let j = 0; j < 2; j++) {
        const { article } = await rs.upsertArticle({
          sourceId: src.id, url: `https://r.example/${i}/${j}`, canonicalUrl: null, guid: `${i}-${j}`, title: `The ${words[i]} report, part ${j}`,
          byline: null, published: `2025-03-01T0${j}:00:00Z`, publishedIsFallback: false, fetchedAt: '2025-03-01T02:00:00Z',
          text: `All about ${words[i]}.`, html: `<p>All about ${words[i]}.</p>`, summary: null, leadImage: null, siteName: null, section: null,
          lang: 'en', extractedFrom: 'page', extractionMethod: 'dom', extractionError: null,
        });
        await rs.setStory(article.id, st.id);
        // Every story names the country and the city; stories 0 and 1 share a storm and a
        // town, story 2 names only the storm; story 0 names many people once.
        const ents: { name: string; type: 'PER' | 'LOC' | 'ORG'; count: number }[] = [
          { name: 'Aldermark', type: 'LOC', count: 3 },
          { name: 'Kingsport', type: 'LOC', count: 2 },
        ];
        if (i <= 2) ents.push({ name: 'Storm Isolde', type: 'PER', count: 2 });
        if (i <= 1) ents.push({ name: 'Brackenhaven', type: 'LOC', count: 1 });
        if (i === 0 && j === 0) for (let k = 0; k < 10; k++) ents.push({ name: `Person ${words[k]}`, type: 'PER', count: 1 });
        await rs.replaceArticleEntities(article.id, ents);
      }
    }
  });
  after(async () => {
    await rs?.close();
    if (rdir) rmSync(rdir, { recursive: true, force: true });
  });

  test('two specific shared names recommend a story; one, or only names every story carries, do not', async () => {
    const titles = async (i: number) => (await relatedStories(rs, [`The ${words[i]} report`], ids[i], 4, { budgetMs: 60_000 })).map((s) => s.title);
    assert.deepEqual(await titles(0), ['The basalt report']);
    assert.deepEqual(await titles(1), ['The amber report']);
    assert.deepEqual(await titles(2), [], 'the storm alone is not enough');
    assert.deepEqual(await titles(7), [], 'the country and the city are in every story');
  });

  test('the work is bounded: one story listing, at most 8 entity listings, at most 10 searches', async () => {
    const calls: Record<string, number> = {};
    const counted = new Proxy(rs, {
      get: (t, p, r) => {
        const v = Reflect.get(t, p, r);
        return typeof v === 'function'
          ? (...a: unknown[]) => {
              calls[String(p)] = (calls[String(p)] ?? 0) + 1;
              return v.apply(t, a);
            }
          : v;
      },
    });
    const got = await relatedStories(counted, ['The amber report', 'Amber basalt cobalt dune ember fjord granite'], ids[0], 4, { budgetMs: 60_000 });
    assert.deepEqual(got.map((s) => s.title), ['The basalt report']);
    assert.equal(calls.listStories, 1);
    assert.equal(calls.entitiesForStory, 1);
    assert.equal(calls.listEntity, 8, 'the eight most mentioned of its 14 entities');
    assert.ok(calls.search <= 10, `${calls.search} searches`);
  });
});

describe('pages', () => {
  test('home: top stories, then latest articles newest first grouped by day, copies left out', async () => {
    const res = await get('/');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/);
    const d = dom(res.body);
    const h1 = all(d, byTag('h1'));
    assert.equal(h1.length, 1, 'one h1');
    const top = all(d, byClass('top-stories'))[0];
    assert.ok(top, 'top stories section present when the store has stories');
    const storyTitles = all(top, byClass('story-title')).map(text);
    assert.deepEqual(storyTitles, ['US envoys meet Putin in Moscow over the peace plan', 'Heatwave hits southern farms', 'Europe drafts its own peace plan']);
    assert.ok(!storyTitles.includes('Putin meets US delegation'), 'merged story not listed');

    const latest = all(d, byClass('latest'))[0];
    const days = all(latest, byClass('day')).map(text);
    assert.deepEqual(days.slice(0, 2), ['Today', 'Yesterday']);
    assert.ok(days.includes('Monday 3 March 2025'), `days: ${days}`);
    const titles = all(latest, byClass('item-title')).map(text);
    assert.equal(titles[0], 'Harbour bridge reopens after eight months of repairs');
    assert.equal(titles[1], 'Why <script> tags & "quotes" still break news feeds');
    assert.ok(!titles.some((t) => t.endsWith('| Meridian Daily')), 'the copy is folded away');
    // each item names its source and time
    const first = all(latest, byClass('item'))[0];
    assert.match(text(first), /Valley Observer · 13:00/);
    assert.ok(all(first, byTag('time'))[0].attribs.datetime.startsWith('2025-03-05T13:00'));
    // escaping: the literal markup from the title never appears as a tag
    assert.ok(!res.body.includes('<script>'), 'no script tag in the page');
    assert.ok(res.body.includes('Why &lt;script&gt; tags &amp; &quot;quotes&quot;'));
  });

  test('home: layout is accessible (lang, skip link, landmarks, labelled search, feed autodiscovery)', async () => {
    const res = await get('/');
    const d = dom(res.body);
    assert.equal(all(d, byTag('html'))[0].attribs.lang, 'en');
    const skip = all(d, byClass('skip-link'))[0];
    assert.equal(skip.attribs.href, '#main');
    assert.equal(all(d, (e) => e.attribs.id === 'main')[0].name, 'main');
    assert.ok(all(d, byTag('header')).length && all(d, byTag('nav')).length && all(d, byTag('footer')).length);
    const input = all(d, (e) => e.attribs.id === 'site-search')[0];
    assert.ok(all(d, (e) => e.name === 'label' && e.attribs.for === input.attribs.id).length === 1);
    const alts = all(d, (e) => e.name === 'link' && e.attribs.rel === 'alternate').map((e) => [e.attribs.type, e.attribs.href]);
    assert.deepEqual(alts, [
      ['application/rss+xml', 'http://digest.test/feed.rss'],
      ['application/atom+xml', 'http://digest.test/feed.atom'],
      ['application/feed+json', 'http://digest.test/feed.json'],
    ]);
  });

  test('every page has one h1, headings that never skip a level, and alt text on images', async () => {
    const paths = ['/', `/articles/${fx.articles.envoysHarbour}`, `/stories/${fx.stories.envoys}`, `/people/${fx.people.ushakov}`, '/sections/World', '/sources', '/search?q=peace', '/nowhere'];
    for (const p of paths) {
      const d = dom((await get(p)).body);
      const levels = all(d, (e) => /^h[1-6]$/.test(e.name)).map((e) => Number(e.name[1]));
      assert.equal(levels.filter((l) => l === 1).length, 1, `${p}: one h1`);
      assert.equal(levels[0], 1, `${p}: h1 first`);
      for (let i = 1; i < levels.length; i++) assert.ok(levels[i] <= levels[i - 1] + 1, `${p}: heading order ${levels}`);
      for (const img of all(d, byTag('img'))) assert.ok('alt' in img.attribs, `${p}: img has alt`);
    }
  });

  test('quotes on an article page are anchored, and story pages link to those anchors', async () => {
    const st = dom((await get(`/stories/${fx.stories.envoys}`)).body);
    const quote = all(st, byClass('quote')).find((e) => text(e).includes('not found a compromise'))!;
    const link = all(quote, (e) => e.name === 'a' && /^\/articles\/\d+#q\d+:~:text=/.test(e.attribs.href ?? '') && text(e) === 'Northgate Wire')[0];
    assert.ok(link, 'story quote links to the passage');
    // The text directive finds the words in the body; the fragment before it is the fallback.
    assert.equal(link.attribs.href.split(':~:text=')[1], 'So%20far%2C%20we%20have,compromise%20on%20the%20territory');
    const [path, anchor] = link.attribs.href.split(':~:')[0].split('#');
    const art = dom((await get(path)).body);
    const target = all(art, (e) => e.attribs.id === anchor)[0];
    assert.ok(target, 'anchor exists on the article page');
    assert.match(text(target), /not found a compromise/);
    const inText = all(target, byClass('in-text'))[0];
    assert.equal(inText.attribs.href, `#${anchor}:~:text=So%20far%2C%20we%20have,compromise%20on%20the%20territory`);
    assert.match(text(all(art, byClass('article-body'))[0]), /So far, we have not found a compromise on the territory/, 'the words are in the body');
  });

  test('home pages with a cursor; a broken cursor is a 400 page', async () => {
    const d = dom((await get('/')).body);
    const next = all(d, (e) => e.name === 'a' && e.attribs.rel === 'next');
    // 18 articles minus one copy fit on one page of 40: no next link
    assert.equal(next.length, 0);
    const bad = await get('/?cursor=nonsense');
    assert.equal(bad.status, 400);
    assert.match(bad.body, /not valid/);
  });

  test('home and section pages page through articles with a cursor', async () => {
    const app = createWebApp({ store, timeZone: 'UTC', now: () => FIXTURE_NOW, pageSize: 5 });
    const srv = await app.listen(0, '127.0.0.1');
    const saved = base;
    base = srv.url;
    try {
      const titles: string[] = [];
      let path: string | null = '/';
      let pages = 0;
      while (path) {
        const d = dom((await get(path)).body);
        titles.push(...all(all(d, byClass('latest'))[0], byClass('item-title')).map(text));
        const next = all(d, (e) => e.name === 'a' && e.attribs.rel === 'next')[0];
        path = next ? next.attribs.href.replace(/&amp;/g, '&') : null;
        pages++;
      }
      assert.equal(pages, 4);
      assert.equal(titles.length, 17);
      assert.equal(new Set(titles).size, 17, 'no repeats');
      const sec = dom((await get('/sections/Local')).body);
      const more = all(sec, (e) => e.name === 'a' && e.attribs.rel === 'next')[0];
      assert.match(more.attribs.href, /^\/sections\/Local\?cursor=/);
      assert.equal(all(dom((await get(more.attribs.href)).body), byClass('item-title')).length, 2);
    } finally {
      base = saved;
      await srv.close();
    }
  });

  test('article: title, byline, date, lead image with caption and credit, body, Read at link, also in, who said what, more from', async () => {
    const res = await get(`/articles/${fx.articles.envoysHarbour}`);
    assert.equal(res.status, 200);
    const d = dom(res.body);
    assert.equal(text(all(d, byTag('h1'))[0]), 'US envoys meet Putin in Moscow over Ukraine peace plan');
    assert.match(text(all(d, byClass('article-header'))[0]), /By Mara Ellison and Tomas Berg · 4 March 2025, 17:00/);
    const fig = all(d, byClass('lead-image'))[0];
    const img = all(fig, byTag('img'))[0];
    assert.equal(img.attribs.src, 'https://images.example/kremlin-talks.svg');
    assert.equal(img.attribs.alt, 'A line of dark cars outside a red brick wall at dusk');
    assert.match(text(fig), /The US delegation arrives at the Kremlin on Tuesday evening\. Photo: Harbour Ledger/);
    const body = text(all(d, byClass('article-body'))[0]);
    assert.match(body, /nearly five hours of talks/);
    const readAt = all(d, byClass('read-at'))[0];
    const a = all(readAt, byTag('a'))[0];
    assert.equal(a.attribs.href, 'https://harbourledger.example/world/2025/03/04/envoys-putin-moscow-talks');
    assert.match(text(a), /^Read at Harbour Ledger/);
    const also = all(d, byClass('also-in'))[0];
    assert.ok(also, 'also in section');
    assert.match(text(also), /Meridian Daily/);
    const wsw = all(d, byClass('who-said-what'))[0];
    assert.ok(wsw);
    assert.match(text(wsw), /So far, we have not found a compromise on the territory/);
    assert.match(text(wsw), /Yury Ushakov, top Kremlin aide/);
    assert.ok(all(wsw, (e) => e.name === 'a' && e.attribs.href === `/people/${fx.people.ushakov}`).length > 0);
    assert.match(text(wsw), /Russia claims: its forces had seized the eastern city of Pokrovsk/);
    assert.match(text(wsw), /Kyiv disputes it/);
    const more = all(d, byClass('more-from'))[0];
    assert.match(text(more), /More from Harbour Ledger/);
    assert.match(text(more), /Reservoir levels rise/);
    assert.ok(!text(more).includes('US envoys meet Putin in Moscow over Ukraine peace plan'), 'not itself');
    assert.match(text(all(d, byClass('in-story'))[0]), /US envoys meet Putin in Moscow over the peace plan/);
  });

  test('a claim on an article page shows the denial made in another article of the story', async () => {
    const d = dom((await get(`/articles/${fx.articles.pokrovsk}`)).body);
    const claims = all(d, byClass('claim'));
    assert.equal(claims.length, 1);
    assert.match(text(claims[0]), /Russia’s defence ministry claims: its troops had taken full control of Pokrovsk/);
    assert.match(text(claims[0]), /Kyiv disputes it: the development in Pokrovsk.*\(Harbour Ledger\)/);
    const story = dom((await get(`/stories/${fx.stories.envoys}`)).body);
    assert.equal(all(story, byClass('claim')).length, 2);
    // a claim no one disputes says so
    const bridgeClaims = all(dom((await get(`/articles/${fx.articles.bridge}`)).body), byClass('claim'));
    assert.equal(bridgeClaims.length, 0);
  });

  test('a copy names its original; feed-only articles say so; markup in title and byline is escaped', async () => {
    const copy = dom((await get(`/articles/${fx.articles.envoysCopy}`)).body);
    const note = text(all(copy, byClass('copy-note'))[0]);
    assert.equal(note, 'This is a republished copy of the original at Harbour Ledger, published 4 March 2025, 17:00.', 'the title is not repeated');
    const back = all(all(copy, byClass('copy-note'))[0], byTag('a'))[0];
    assert.equal(back.attribs.href, `/articles/${fx.articles.envoysHarbour}`);
    const feedOnly = (await get(`/articles/${fx.articles.feedOnly}`)).body;
    assert.match(feedOnly, /Shown from the feed's own content/);
    assert.match(feedOnly, /no article body found on the page/);
    const mk = await get(`/articles/${fx.articles.markup}`);
    assert.ok(!mk.body.includes('<script>'));
    assert.ok(!mk.body.includes('<b>Nguyen'));
    assert.match(mk.body, /<title>Why &lt;script&gt; tags &amp; &quot;quotes&quot; still break news feeds · Test Digest<\/title>/);
    assert.equal(text(all(dom(mk.body), byTag('h1'))[0]), 'Why <script> tags & "quotes" still break news feeds');
  });

  test('unknown and malformed article ids are 404 pages', async () => {
    for (const p of ['/articles/999999', '/articles/abc', '/articles/0', '/nowhere']) {
      const r = await get(p);
      assert.equal(r.status, 404, p);
      assert.match(r.body, /<h1>Not found<\/h1>/);
      assert.match(String(r.headers['content-type']), /text\/html/);
    }
  });

  test('story: coverage by outlet, copies folded, timeline, quotes once with their outlets, claims, recommended', async () => {
    const res = await get(`/stories/${fx.stories.envoys}`);
    assert.equal(res.status, 200);
    const d = dom(res.body);
    assert.equal(text(all(d, byTag('h1'))[0]), 'US envoys meet Putin in Moscow over the peace plan');
    const cov = all(d, byClass('coverage'))[0];
    const outlets = all(cov, byClass('outlet-block')).map((e) => text(all(e, byTag('h3'))[0]));
    assert.deepEqual(outlets, ['Northgate Wire', 'Harbour Ledger', 'Valley Observer']);
    const fold = all(cov, byTag('details'));
    assert.equal(fold.length, 1);
    assert.match(text(fold[0]), /Also carried by 1 outlet Meridian Daily/);
    const tl = all(d, byClass('timeline'))[0];
    const timeline = all(tl, byClass('timeline-entry'));
    assert.equal(timeline.length, 5, 'timeline holds every article, the copy too');
    assert.match(text(timeline[0]), /^\d\d:\d\d Northgate Wire: Russia claims capture of Pokrovsk/, 'time of day under its day');
    assert.deepEqual(all(tl, byTag('h3')).map(text), ['Monday 3 March 2025', 'Yesterday', 'Today'], 'each day named once');
    // The summary's sentences come from different articles: one list item each.
    assert.deepEqual(all(all(d, byClass('story-summary'))[0], byTag('li')).map(text), [
      'US envoys met Vladimir Putin in Moscow for five hours of talks on a plan to end the war in Ukraine.',
      'The Kremlin said no compromise was found on territory.',
      'Europe rejected Putin’s charge that it was on the side of war.',
    ]);
    assert.match(text(all(d, byClass('meta'))[0]), /^4 outlets · 5 articles · 3–5 March 2025 · updated 6 h ago$/);
    const wsw = all(d, byClass('who-said-what'))[0];
    const quotes = all(wsw, byClass('quote')).map(text);
    assert.match(quotes[0], /not found a compromise/, 'the quote most outlets carry comes first');
    const nc = quotes.filter((q) => q.includes('not found a compromise'));
    assert.equal(nc.length, 1, 'the same quote in two outlets is shown once');
    assert.match(nc[0], /Harbour Ledger, Northgate Wire/);
    assert.ok(quotes.some((q) => /a mess/.test(q) && /Donald Trump/.test(q)));
    assert.match(text(wsw), /Kyiv disputes it/);
  });

  test('recommended stories are related by content, never unrelated ones', async () => {
    const st = dom((await get(`/stories/${fx.stories.envoys}`)).body);
    const rec = all(st, byClass('recommended'))[0];
    assert.ok(rec, 'story page recommends');
    const titles = all(rec, byClass('story-title')).map(text);
    assert.deepEqual(titles, ['Europe drafts its own peace plan']);
    const art = dom((await get(`/articles/${fx.articles.envoysValley}`)).body);
    const recA = all(all(art, byClass('recommended'))[0], byClass('story-title')).map(text);
    assert.ok(recA.includes('Europe drafts its own peace plan'));
    assert.ok(!recA.includes('US envoys meet Putin in Moscow over the peace plan'), 'not its own story');
    const heat = dom((await get(`/stories/${fx.stories.heatwave}`)).body);
    assert.equal(all(heat, byClass('recommended')).length, 0, 'nothing related to the heatwave');
  });

  test('a merged story id redirects 301 to the live story (page and API)', async () => {
    const r = await get(`/stories/${fx.stories.merged}`);
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, `/stories/${fx.stories.envoys}`);
    const a = await get(`/api/stories/${fx.stories.merged}`);
    assert.equal(a.status, 301);
    assert.equal(a.headers.location, `/api/stories/${fx.stories.envoys}`);
    assert.equal((await get('/stories/999999')).status, 404);
  });

  test('person page lists their quotes across stories', async () => {
    const r = await get(`/people/${fx.people.ushakov}`);
    assert.equal(r.status, 200);
    const d = dom(r.body);
    assert.equal(text(all(d, byTag('h1'))[0]), 'Yury Ushakov');
    assert.match(r.body, /top Kremlin aide/);
    const qs = all(d, byClass('quote'));
    assert.equal(qs.length, 1, 'the quote carried twice is one entry');
    assert.match(text(qs[0]), /Harbour Ledger, Northgate Wire/);
    assert.ok(!text(qs[0]).includes('Yury Ushakov'), 'their own page does not repeat their name under each quote');
    assert.equal(text(all(d, byClass('meta'))[0]), 'Described as a top Kremlin aide', 'a role inside a longer one is listed once');
    assert.equal((await get('/people/424242')).status, 404);
  });

  test('sections list their articles; an unknown section is 404', async () => {
    const r = await get('/sections/Local');
    assert.equal(r.status, 200);
    const titles = all(dom(r.body), byClass('item-title')).map(text);
    assert.equal(titles.length, 7);
    assert.equal(titles[0], 'Harbour bridge reopens after eight months of repairs');
    assert.equal((await get('/sections/Nope')).status, 404);
    const home = (await get('/')).body;
    assert.match(home, /href="\/sections\/World"/);
  });

  test('sources page shows health: status, last fetch, next due, article count, last error with its kind and hint', async () => {
    const r = await get('/sources');
    assert.equal(r.status, 200);
    const d = dom(r.body);
    const cards = all(d, byClass('source-card'));
    assert.equal(cards.length, 5);
    const broken = cards.find((c) => text(c).includes('Coastal Courier'))!;
    assert.match(text(broken), /Failing \(503\)/);
    assert.match(text(broken), /Last error \(http\): HTTP 503 Service Unavailable/);
    assert.match(text(broken), /What to do: the server answered with an error status/);
    assert.match(text(broken), /3 failures in a row/);
    const harbour = cards.find((c) => text(c).includes('Harbour Ledger'))!;
    assert.match(text(harbour), /OK \(200\)/);
    assert.match(text(harbour), /Last fetch\s*24 min ago/);
    assert.match(text(harbour), /Next due\s*in 36 min/);
    assert.match(text(harbour), /Articles\s*5/);
    assert.match(text(all(d, byClass('page-header'))[0]), /5 sources · 1 with problems/);
  });

  test('a source page shows its fetch history and latest articles', async () => {
    const r = await get(`/sources/${fx.sources.broken}`);
    assert.equal(r.status, 200);
    const d = dom(r.body);
    assert.equal(text(all(d, byTag('h1'))[0]), 'Coastal Courier');
    const log = all(all(d, byClass('fetch-log'))[0], byTag('li')).map(text);
    assert.equal(log.length, 4);
    assert.match(log[0], /^http 503 · 5 March 2025, 14:42 · 420 ms HTTP 503 Service Unavailable/);
    assert.match(log[3], /^OK 200 · 5 March 2025, 06:42/);
    const h = dom((await get(`/sources/${fx.sources.harbour}`)).body);
    assert.match(text(all(h, byClass('fetch-log'))[0]), /OK 200 .* 3 new/);
    assert.equal(all(h, byClass('item')).length, 5);
    assert.equal((await get('/sources/777')).status, 404);
    const art = dom((await get(`/articles/${fx.articles.bridge}`)).body);
    assert.equal(all(all(art, byClass('kicker'))[0], byTag('a'))[0].attribs.href, `/sources/${fx.sources.valley}`);
  });

  test('search: highlighted snippets, escaped titles, paging and bad page numbers', async () => {
    const r = await get('/search?q=heatwave');
    assert.equal(r.status, 200);
    const d = dom(r.body);
    const items = all(d, byClass('item'));
    assert.equal(items.length, 2);
    assert.ok(all(items[0], byTag('mark')).length > 0, 'matches are marked');
    assert.match(text(all(d, byClass('page-header'))[0]), /2 articles/);
    assert.equal(all(d, (e) => e.attribs.id === 'site-search')[0].attribs.value, 'heatwave');

    const s = await get('/search?q=script');
    assert.ok(!s.body.includes('<script>'), 'markup in a hit is escaped');
    assert.match(s.body, /&lt;/);

    const evil = await get('/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    assert.equal(evil.status, 200);
    assert.ok(!evil.body.includes('<script>alert'), 'query echoed escaped');

    assert.equal((await get('/search?q=heatwave&page=abc')).status, 400);
    const p2 = await get('/search?q=heatwave&page=2');
    assert.equal(p2.status, 200);
    assert.match(p2.body, /No more results/);
    const empty = await get('/search');
    assert.equal(empty.status, 200);
  });

  test('search pages through many results', async () => {
    const app = createWebApp({ store, timeZone: 'UTC', now: () => FIXTURE_NOW, searchPageSize: 3 });
    const srv = await app.listen(0, '127.0.0.1');
    const saved = base;
    base = srv.url;
    try {
      const first = dom((await get('/search?q=said')).body);
      const total = Number(/(\d+) articles/.exec(text(all(first, byClass('page-header'))[0]))![1]);
      assert.ok(total > 6, `total ${total}`);
      const ids: string[] = [];
      let path: string | null = '/search?q=said';
      let n = 0;
      while (path) {
        const d = dom((await get(path)).body);
        const items = all(d, byClass('item'));
        assert.ok(items.length <= 3);
        for (const it of items) {
          ids.push(all(it, byClass('item-title'))[0].attribs.href);
          assert.ok(all(it, byTag('mark')).length > 0, 'every hit shows its match');
        }
        n++;
        const next = all(d, (e) => e.name === 'a' && e.attribs.rel === 'next')[0];
        path = next ? next.attribs.href.replace(/&amp;/g, '&') : null;
        if (n > 1) assert.match(text(all(d, byClass('pager'))[0]), new RegExp(`Page ${n} of ${Math.ceil(total / 3)}`));
      }
      assert.equal(n, Math.ceil(total / 3));
      assert.equal(ids.length, total);
      assert.equal(new Set(ids).size, total, 'no hit twice');
    } finally {
      base = saved;
      await srv.close();
    }
  });
});

describe('feeds out', () => {
  test('RSS 2.0 is well-formed XML with items newest first and escaped text', async () => {
    const r = await get('/feed.rss');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^application\/rss\+xml/);
    const d = dom(r.body, true);
    const rss = all(d, byTag('rss'))[0];
    assert.equal(rss.attribs.version, '2.0');
    const items = all(d, byTag('item'));
    assert.equal(items.length, 17, 'every article but the copy');
    const title = (e: Element) => DomUtils.textContent(all(e, byTag('title'))[0]);
    assert.equal(title(items[0]), 'Harbour bridge reopens after eight months of repairs');
    // htmlparser2 in xmlMode keeps entities as written: the raw XML must carry them escaped
    assert.match(r.body, /<title>Why &lt;script&gt; tags &amp; &quot;quotes&quot; still break news feeds<\/title>/);
    for (const it of items) {
      assert.match(DomUtils.textContent(all(it, byTag('pubDate'))[0]), /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      assert.match(DomUtils.textContent(all(it, byTag('link'))[0]), /^https:\/\//);
    }
    assertWellFormed(r.body);
  });

  test('Atom 1.0 is well-formed with ids, updated and self link', async () => {
    const r = await get('/feed.atom');
    assert.match(String(r.headers['content-type']), /^application\/atom\+xml/);
    const d = dom(r.body, true);
    const feed = all(d, byTag('feed'))[0];
    assert.equal(feed.attribs.xmlns, 'http://www.w3.org/2005/Atom');
    const entries = all(d, byTag('entry'));
    assert.equal(entries.length, 17);
    for (const e of entries) {
      assert.match(DomUtils.textContent(all(e, byTag('id'))[0]), /^http:\/\/digest\.test\/articles\/\d+$/);
      assert.ok(!Number.isNaN(Date.parse(DomUtils.textContent(all(e, byTag('updated'))[0]))));
    }
    assert.ok(all(feed, (e) => e.name === 'link' && e.attribs.rel === 'self' && e.attribs.href === 'http://digest.test/feed.atom').length === 1);
    assertWellFormed(r.body);
  });

  test('JSON Feed 1.1', async () => {
    const r = await get('/feed.json');
    assert.match(String(r.headers['content-type']), /^application\/feed\+json/);
    const f = JSON.parse(r.body);
    assert.equal(f.version, 'https://jsonfeed.org/version/1.1');
    assert.equal(f.feed_url, 'http://digest.test/feed.json');
    assert.equal(f.items.length, 17);
    for (const it of f.items) {
      assert.equal(typeof it.id, 'string');
      assert.ok(it.content_html || it.content_text);
      assert.ok(!Number.isNaN(Date.parse(it.date_published)));
    }
    assert.ok(f.items.some((it: any) => it.title === 'Why <script> tags & "quotes" still break news feeds'));
  });
});

/** Strict well-formedness: balanced tags, quoted attributes, only the five XML entities or numeric ones. */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    if (m[6]) assert.fail(`stray < at ${m.index}: ${body.slice(m.index, m.index + 40)}`);
    const chunk = m[5] ?? m[3] ?? '';
    for (const ent of chunk.matchAll(/&([^;\s]*);?/g)) {
      assert.match(ent[0], /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/, `bad entity ${ent[0]}`);
    }
    if (m[5] !== undefined) continue;
    if (m[1]) assert.equal(stack.pop(), m[2], 'closing tag matches');
    else if (!m[4]) stack.push(m[2]);
  }
  assert.deepEqual(stack, [], 'all elements closed');
}

describe('JSON API', () => {
  test('GET /api/articles newest first with a cursor', async () => {
    const { status, data } = await json('/api/articles?limit=5');
    assert.equal(status, 200);
    assert.equal(data.items.length, 5);
    for (const it of data.items) {
      for (const k of ['id', 'title', 'url', 'source', 'published', 'byline', 'text']) assert.ok(k in it, `item has ${k}`);
    }
    assert.equal(data.items[0].title, 'Harbour bridge reopens after eight months of repairs');
    assert.equal(data.items[0].source, 'Valley Observer');
    assert.equal(typeof data.next, 'string');
    const seen = new Set<number>(data.items.map((i: any) => i.id));
    let next = data.next;
    let prev = data.items[data.items.length - 1].published;
    while (next) {
      const p = await json(`/api/articles?limit=5&cursor=${encodeURIComponent(next)}`);
      for (const it of p.data.items) {
        assert.ok(!seen.has(it.id), 'no repeats across pages');
        assert.ok(it.published <= prev, 'newest first');
        prev = it.published;
        seen.add(it.id);
      }
      next = p.data.next;
    }
    assert.equal(seen.size, 18, 'all articles, copies included');
  });

  test('bad parameters are 400 with a message; unknown ids 404; non-GET 405', async () => {
    for (const q of ['limit=0', 'limit=abc', 'limit=101', 'cursor=garbage']) {
      const { status, data } = await json(`/api/articles?${q}`);
      assert.equal(status, 400, q);
      assert.equal(data.error.status, 400);
      assert.equal(typeof data.error.message, 'string');
    }
    assert.equal((await json('/api/articles/abc')).status, 400);
    assert.equal((await json('/api/articles/99999')).status, 404);
    assert.equal((await json('/api/stories/99999')).status, 404);
    assert.equal((await json('/api/people/99999')).status, 404);
    assert.equal((await json('/api/nothing')).status, 404);
    const post = await get('/api/articles', {}, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });

  test('GET /api/articles/:id gives the full article', async () => {
    const { status, data } = await json(`/api/articles/${fx.articles.envoysHarbour}`);
    assert.equal(status, 200);
    assert.equal(data.id, fx.articles.envoysHarbour);
    assert.equal(data.leadImage.credit, 'Photo: Harbour Ledger');
    assert.match(data.html, /^<p>/);
    assert.equal(data.storyId, fx.stories.envoys);
  });

  test('GET /api/sources includes health and counts', async () => {
    const { data } = await json('/api/sources');
    assert.equal(data.items.length, 5);
    const broken = data.items.find((s: any) => s.title === 'Coastal Courier');
    assert.equal(broken.lastErrorKind, 'http');
    assert.equal(broken.lastStatus, 503);
    assert.match(broken.errorHint, /error status/);
    assert.equal(data.items.find((s: any) => s.title === 'Harbour Ledger').articleCount, 5);
  });

  test('GET /api/stories, /api/stories/:id and its quotes, /api/people/:id', async () => {
    const list = await json('/api/stories');
    assert.deepEqual(list.data.items.map((s: any) => s.id), [fx.stories.envoys, fx.stories.heatwave, fx.stories.counter]);
    const paged = await json('/api/stories?limit=2');
    assert.equal(paged.data.items.length, 2);
    const rest = await json(`/api/stories?limit=2&cursor=${encodeURIComponent(paged.data.next)}`);
    assert.deepEqual(rest.data.items.map((s: any) => s.id), [fx.stories.counter]);
    assert.equal(rest.data.next, null);
    const one = await json(`/api/stories/${fx.stories.envoys}`);
    assert.equal(one.data.title, 'US envoys meet Putin in Moscow over the peace plan');
    assert.equal(one.data.articles.length, 5);
    assert.deepEqual(one.data.outlets.sort(), ['Harbour Ledger', 'Meridian Daily', 'Northgate Wire', 'Valley Observer']);
    const q = await json(`/api/stories/${fx.stories.envoys}/quotes`);
    assert.equal(q.data.items.length, 9);
    const claim = q.data.items.find((x: any) => x.stance === 'claim' && x.speaker === 'Russia');
    assert.equal(claim.speaker, 'Russia');
    assert.equal(claim.outlet, 'Harbour Ledger');
    const p = await json(`/api/people/${fx.people.ushakov}`);
    assert.equal(p.data.name, 'Yury Ushakov');
    assert.equal(p.data.quotes.length, 2);
    assert.deepEqual(p.data.roles.sort(), ['a top Kremlin aide', 'top Kremlin aide']);
  });

  test('/healthz', async () => {
    const { status, data, res } = await json('/healthz');
    assert.equal(status, 200);
    assert.equal(data.status, 'ok');
    assert.equal(data.articles, 18);
    assert.equal(res.headers['cache-control'], 'no-store');
  });
});

describe('HTTP behaviour', () => {
  test('security headers and Cache-Control on pages, API and feeds', async () => {
    for (const p of ['/', '/api/articles', '/feed.rss', '/nowhere', '/static/site.css']) {
      const r = await get(p);
      const csp = String(r.headers['content-security-policy']);
      assert.match(csp, /default-src 'none'/, p);
      assert.match(csp, /script-src 'self';/, 'only first-party scripts (the keyboard script)');
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      if (/^text\/html/.test(String(r.headers['content-type']))) assert.doesNotMatch(r.body, /<script/, 'anonymous pages load no script');
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      assert.ok(r.headers['referrer-policy']);
      assert.equal(r.headers['x-frame-options'], 'DENY');
      assert.ok(r.headers['cache-control'], `${p} has Cache-Control`);
    }
    assert.equal((await get('/feed.rss')).headers['cache-control'], 'public, max-age=300');
  });

  test('strong ETag and If-None-Match → 304, also per encoding', async () => {
    const r = await get('/');
    const tag = String(r.headers.etag);
    assert.match(tag, /^"[^"]+"$/, 'strong tag');
    const again = await get('/', { 'If-None-Match': tag });
    assert.equal(again.status, 304);
    assert.equal(again.raw.length, 0);
    assert.equal((await get('/', { 'If-None-Match': '"other"' })).status, 200);
    const br = await get('/', { 'Accept-Encoding': 'br' });
    assert.notEqual(br.headers.etag, tag, 'compressed representation has its own tag');
    assert.equal((await get('/', { 'Accept-Encoding': 'br', 'If-None-Match': String(br.headers.etag) })).status, 304);
    const api = await get('/api/articles');
    assert.equal((await get('/api/articles', { 'If-None-Match': String(api.headers.etag) })).status, 304);
  });

  test('gzip and br negotiated; same content either way', async () => {
    const plain = await get('/feed.atom');
    assert.equal(plain.headers['content-encoding'], undefined);
    const gz = await get('/feed.atom', { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.body, plain.body);
    assert.ok(gz.raw.length < plain.raw.length / 2);
    const br = await get('/feed.atom', { 'Accept-Encoding': 'gzip, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.body, plain.body);
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.equal(Number(br.headers['content-length']), br.raw.length);
  });

  test('HEAD has headers and no body; the stylesheet is cacheable when versioned', async () => {
    const h = await get('/', {}, 'HEAD');
    assert.equal(h.status, 200);
    assert.equal(h.raw.length, 0);
    assert.ok(Number(h.headers['content-length']) > 1000);
    const home = (await get('/')).body;
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(home)![1];
    const css = await get(href);
    assert.equal(css.status, 200);
    assert.match(String(css.headers['content-type']), /^text\/css/);
    assert.match(String(css.headers['cache-control']), /immutable/);
    assert.match(css.body, /prefers-color-scheme: dark/);
  });

  test('requests are logged with method, path, status and ms', async () => {
    await get('/articles/31337');
    const entry = logged.find((l) => l.fields?.path === '/articles/31337');
    assert.ok(entry, 'logged');
    assert.equal(entry!.fields!.method, 'GET');
    assert.equal(entry!.fields!.status, 404);
    assert.equal(typeof entry!.fields!.ms, 'number');
    assert.match(entry!.line, /^GET \/articles\/31337 404 \d+ms$/);
  });

  test('a store failure is a logged 500 without details leaking', async () => {
    const failing = new Proxy(store, {
      get(target, prop, recv) {
        if (prop === 'listArticles') return async () => { throw new Error('disk on fire /secret/path'); };
        return Reflect.get(target, prop, recv);
      },
    });
    const lines: string[] = [];
    const app = createWebApp({ store: failing, log: (l) => lines.push(l) });
    const srv = await app.listen(0, '127.0.0.1');
    try {
      const saved = base;
      base = srv.url;
      const r = await get('/');
      const a = await get('/api/articles');
      base = saved;
      assert.equal(r.status, 500);
      assert.ok(!r.body.includes('/secret/path'));
      assert.equal(a.status, 500);
      assert.equal(JSON.parse(a.body).error.message, 'internal error');
      assert.ok(lines.some((l) => l.includes('disk on fire')));
    } finally {
      await srv.close();
    }
  });
});

describe('lead image', () => {
  test('is not shown twice when the body already carries it', async () => {
    const { article } = await store.upsertArticle({
      sourceId: fx.sources.valley,
      url: 'https://valleyobserver.example/photo-in-body',
      canonicalUrl: null,
      guid: 'photo-in-body',
      title: 'Photo essay: the harbour at dawn',
      byline: null,
      published: '2025-02-01T08:00:00Z',
      publishedIsFallback: false,
      fetchedAt: '2025-02-01T08:00:00Z',
      text: 'The harbour at dawn.',
      html: '<figure><img src="https://images.example/dawn.jpg?w=1200&amp;q=80" alt="Boats at dawn"><figcaption>Dawn.</figcaption></figure><p>The harbour at dawn.</p>',
      summary: null,
      leadImage: { url: 'https://images.example/dawn.jpg?w=1200&q=80', caption: 'Dawn.', credit: null },
      siteName: null,
      section: null,
      lang: 'en',
      extractedFrom: 'page',
      extractionMethod: 'dom',
      extractionError: null,
    });
    // (runs last: the extra article would change the counts other tests check)
    const d = dom((await get(`/articles/${article.id}`)).body);
    assert.equal(all(d, byClass('lead-image')).length, 0);
    assert.equal(all(all(d, byClass('article-body'))[0], byTag('img')).length, 1);
    const other = dom((await get(`/articles/${fx.articles.envoysHarbour}`)).body);
    assert.equal(all(other, byClass('lead-image')).length, 1, 'shown when the body lacks it');
  });

  test('many statements: quoted words first, reported speech and the overflow folded', async () => {
    const { article } = await store.upsertArticle({
      sourceId: fx.sources.northgate,
      url: 'https://northgatewire.example/briefing',
      canonicalUrl: null,
      guid: 'briefing',
      title: 'Ministers brief on the budget',
      byline: null,
      published: '2025-02-02T08:00:00Z',
      publishedIsFallback: false,
      fetchedAt: '2025-02-02T08:00:00Z',
      text: 'Briefing.',
      html: '<p>Briefing.</p>',
      summary: null,
      leadImage: null,
      siteName: null,
      section: null,
      lang: 'en',
      extractedFrom: 'page',
      extractionMethod: 'dom',
      extractionError: null,
    });
    const quotes = Array.from({ length: 14 }, (_, i) => ({
      quote: i < 3 ? `the budget line ${i} would be reviewed` : `We will fund item number ${i}`,
      start: i * 10,
      end: i * 10 + 5,
      speaker: `Minister ${String.fromCharCode(65 + i)}`,
      speakerRole: null,
      personId: null,
      kind: (i < 3 ? 'indirect' : 'direct') as 'indirect' | 'direct',
      stance: null,
      cue: 'said',
    }));
    await store.replaceArticleQuotes(article.id, quotes);
    const d = dom((await get(`/articles/${article.id}`)).body);
    const wsw = all(d, byClass('who-said-what'))[0];
    const top = all(wsw, (e) => e.name === 'ul' && byClass('quotes')(e) && e.parent?.type === 'tag' && (e.parent as Element).name === 'section')[0];
    assert.equal(all(top, byClass('quote')).length, 10);
    assert.ok(all(top, byClass('quote')).every((q) => !text(q).includes('budget line')), 'reported speech not in the first ten');
    const more = all(wsw, byClass('more-quotes'))[0];
    assert.match(text(all(more, byTag('summary'))[0]), /^4 more statements$/);
    assert.equal(all(more, byClass('quote')).length, 4);

    // One talkative speaker: two statements unfolded, the rest folded; a mixed quote (a
    // paraphrase with quoted words) gets no quotation marks of ours around it.
    const many = Array.from({ length: 5 }, (_, i) => ({
      quote: i === 4 ? 'the talks were “serious and businesslike”' : `${i === 3 ? 'KINGSPORT — ' : ''}We said thing number ${i} at the briefing`,
      start: 200 + i * 10,
      end: 205 + i * 10,
      speaker: 'Minister Z',
      speakerRole: 'finance minister',
      personId: null,
      kind: (i === 4 ? 'mixed' : 'direct') as 'mixed' | 'direct',
      stance: null,
      cue: 'said',
    }));
    await store.replaceArticleQuotes(article.id, [...quotes.slice(0, 4), ...many]);
    const d2 = dom((await get(`/articles/${article.id}`)).body);
    const wsw2 = all(d2, byClass('who-said-what'))[0];
    const top2 = all(wsw2, (e) => e.name === 'ul' && byClass('quotes')(e) && e.parent?.type === 'tag' && (e.parent as Element).name === 'section')[0];
    const shown = all(top2, byClass('quote')).map(text);
    assert.equal(shown.filter((q) => q.includes('Minister Z')).length, 2, 'at most two per speaker unfolded');
    assert.ok(shown.some((q) => q.includes('Minister D')), 'other speakers keep their place');
    const folded = all(all(wsw2, byClass('more-quotes'))[0], byClass('quote')).map(text);
    assert.equal(folded.filter((q) => q.includes('Minister Z')).length, 3);
    const mixed = [...shown, ...folded].find((q) => q.includes('businesslike'))!;
    assert.match(mixed, /^the talks were “serious and businesslike”/);
    const direct = [...shown, ...folded].find((q) => q.includes('thing number 0'))!;
    assert.match(direct, /^“We said thing number 0 at the briefing”/);
    const dated = [...shown, ...folded].find((q) => q.includes('thing number 3'))!;
    assert.match(dated, /^“We said thing number 3 at the briefing”/, 'a dateline caught in the quote is left out');
  });
});

describe('starting up (digest demo while it ingests its sample)', () => {
  test('pages, feeds and the API answer 503 with the message until startingUp returns nothing; /healthz and /static answer throughout', async () => {
    let message: string | undefined = 'The demo is ingesting its sample of news sources (2 of 6 sources done).';
    const app = createWebApp({ store, siteTitle: 'Test Digest', baseUrl: 'http://digest.test', startingUp: () => message });
    const srv = await app.listen(0, '127.0.0.1');
    try {
      const home = await fetch(`${srv.url}/`);
      assert.equal(home.status, 503);
      assert.equal(home.headers.get('retry-after'), '1');
      assert.equal(home.headers.get('cache-control'), 'no-store');
      assert.match(await home.text(), /ingesting its sample of news sources \(2 of 6 sources done\)/);
      const apiRes = await fetch(`${srv.url}/api/articles`);
      assert.equal(apiRes.status, 503);
      assert.equal(((await apiRes.json()) as { error: { message: string } }).error.message, message);
      for (const p of ['/feed.rss', `/articles/${fx.articles.bridge}`, '/search?q=talks']) assert.equal((await fetch(srv.url + p)).status, 503, p);
      const health = await fetch(`${srv.url}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { articles: number }).articles, await store.countArticles());
      assert.equal((await fetch(`${srv.url}/static/site.css`)).status, 200);
      message = undefined;
      const ready = await fetch(`${srv.url}/`);
      assert.equal(ready.status, 200);
      assert.match(await ready.text(), /Test Digest/);
      assert.equal((await fetch(`${srv.url}/api/articles`)).status, 200);
    } finally {
      await srv.close();
    }
  });
});
