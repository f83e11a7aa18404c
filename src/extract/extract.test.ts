import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { extractArticle, cleanTitle, isoDate, splitCaptionCredit } from './index.ts';

const FIX = new URL('./fixtures/', import.meta.url).pathname;
const tokens = (s: string): string[] => s.match(/[\p{L}\p{N}_]+/gu) ?? [];

/** Share of the truth's 4-token shingles found in the prediction (the benchmark's recall). */
function shingleRecall(pred: string, truth: string): number {
  const sh = (t: string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (let i = 0; i + 4 <= t.length; i++) {
      const k = t.slice(i, i + 4).join(' ');
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  const p = sh(tokens(pred));
  const t = sh(tokens(truth));
  let hit = 0;
  let all = 0;
  for (const [k, n] of t) {
    all += n;
    hit += Math.min(n, p.get(k) ?? 0);
  }
  return all ? hit / all : 1;
}

test('golden: scrapinghub dev pages match the human-made body exactly (token sequence)', () => {
  const truth = JSON.parse(readFileSync(FIX + 'dev/ground-truth.json', 'utf8')) as Record<string, { articleBody: string; url: string }>;
  const ids = readdirSync(FIX + 'dev').filter((f) => f.endsWith('.html.gz'));
  assert.equal(ids.length, 4);
  for (const f of ids) {
    const id = f.replace('.html.gz', '');
    const html = gunzipSync(readFileSync(FIX + 'dev/' + f)).toString('utf8');
    const a = extractArticle(html, truth[id].url);
    assert.deepEqual(tokens(a.text), tokens(truth[id].articleBody), `body of ${truth[id].url}`);
    assert.ok(a.html.length > a.text.length / 2, 'sanitised html present');
    assert.ok(a.title && a.title.length > 10, 'title found');
  }
});

test('golden: readability pages give the expected metadata and the expected text', () => {
  for (const name of ['gitlab-blog', 'tmz-1', 'wapo-2']) {
    const dir = FIX + 'readability/' + name + '/';
    const a = extractArticle(readFileSync(dir + 'source.html', 'utf8'), 'http://fakehost/test/page.html');
    const want = JSON.parse(readFileSync(dir + 'expected-metadata.json', 'utf8')) as Record<string, string | null>;
    const ws = (s: string | null | undefined): string | null => (s ? s.replace(/\s+/g, ' ').trim() : null);
    assert.equal(a.title, ws(want.title), `${name} title`);
    assert.equal(ws(a.byline), ws(want.byline), `${name} byline`);
    assert.equal(ws(a.description), ws(want.excerpt), `${name} excerpt`);
    assert.equal(a.siteName, want.siteName ?? null, `${name} siteName`);
    if (want.lang) assert.equal(a.lang, want.lang, `${name} lang`);
    if (want.publishedTime) assert.equal(a.published, isoDate(want.publishedTime), `${name} published`);
    const expected = readFileSync(dir + 'expected.txt', 'utf8');
    assert.ok(shingleRecall(a.text, expected) > 0.9, `${name} text recall ${shingleRecall(a.text, expected)}`);
  }
});

test('republished page: cruft, headline, byline and caption stay out; caption, credit, source kept as fields', () => {
  const html = readFileSync(FIX + 'own/republished.html', 'utf8');
  const a = extractArticle(html, 'https://occasionaldigest.example/2025/12/03/no-compromise/');
  const expected = JSON.parse(readFileSync(FIX + 'own/republished-article.expected.json', 'utf8')) as {
    cruft: string[];
    title: string;
    image_caption: { caption: string; credit: string };
  };
  for (const c of expected.cruft) {
    assert.ok(!a.text.includes(c), `text must not contain cruft "${c}"`);
    assert.ok(!a.html.includes(c), `html must not contain cruft "${c}"`);
  }
  assert.ok(!a.text.includes('Exit mobile'), 'no exit-mobile link');
  assert.ok(!a.text.includes('Leave a Reply') && !a.text.includes('Recent Posts'), 'no comments form or widgets');
  const q = (s: string): string => s.replace(/[‘’]/g, "'");
  assert.equal(q(a.title!), q(expected.title));
  assert.ok(!a.text.includes(expected.image_caption.caption.slice(0, 60).replace(/'/g, '’')), 'caption not in body');
  assert.equal(q(a.leadImage!.caption!), q(expected.image_caption.caption));
  assert.equal(a.leadImage!.credit, expected.image_caption.credit);
  assert.equal(a.originalUrl, 'https://www.aljazeera.com/news/2025/12/3/no-compromise-on-territory-after-ukraine-talks-with-us-russian-official');
  assert.equal(a.siteName, 'Occasional Digest');
  assert.equal(a.published, '2025-12-03T08:14:11.000Z');
  assert.equal(a.lang, 'en-US');
  // body: first and last paragraphs present, blocks separated by blank lines, no repeats
  const blocks = a.text.split('\n\n');
  assert.ok(blocks[0].startsWith('“No compromise” was reached'));
  assert.ok(blocks[blocks.length - 1].startsWith('Kyiv has said such concessions'));
  assert.equal(new Set(blocks).size, blocks.length);
  // exactly the story's paragraphs: the example text minus cruft, headline and caption line
  const source = readFileSync(FIX + 'own/republished-article.txt', 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const want = source.filter((l, i) => i !== 1 && !expected.cruft.some((c) => l.startsWith(c)) && !l.startsWith('Russian President Vladimir Putin, economic envoy'));
  assert.deepEqual(blocks, want);
});

const wrap = (head: string, body: string): string => `<!doctype html><html lang="en"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
const para = (i: number): string =>
  `<p>Paragraph ${i} of the story says something long enough to count as prose, with commas, clauses, and a full stop at the end of it.</p>`;

test('article split by ad and promo breaks keeps every part, in order', () => {
  const html = wrap(
    '<title>Split story - Example Times</title>',
    `<header class="site-header"><nav><a href="/">Home</a></nav></header>
     <div class="article-chunks">
       <div class="grid"><div class="body__inner">${para(1)}${para(2)}${para(3)}</div><div class="ad ad--rail"></div></div>
       <div class="grid"><div class="promo-box"><a href="/x">Subscribe for $1</a></div></div>
       <div class="grid"><div class="body__inner">${para(4)}${para(5)}</div></div>
       <div class="ad-slot">Advertisement</div>
       <div class="grid"><div class="body__inner">${para(6)}</div></div>
     </div>
     <section class="related"><h2>Related</h2><ul><li><a href="/r1">Other story one</a></li><li><a href="/r2">Other story two</a></li></ul></section>`,
  );
  const a = extractArticle(html, 'https://example.com/split');
  const nums = [...a.text.matchAll(/Paragraph (\d)/g)].map((m) => Number(m[1]));
  assert.deepEqual(nums, [1, 2, 3, 4, 5, 6]);
  assert.ok(!/Advertisement|Subscribe|Other story/.test(a.text));
});

test('figure captions and credits are not body text', () => {
  const html = wrap(
    '<meta property="og:image" content="https://example.com/img/lead.jpg">',
    `<article><h1>Caption test</h1>${para(1)}
     <figure><img src="/img/lead.jpg"><figcaption>The harbour at dawn. <span class="credit">Photo: Jane Roe/Agency</span></figcaption></figure>
     ${para(2)}<div class="image-caption">A second caption outside a figure</div>${para(3)}</article>`,
  );
  const a = extractArticle(html, 'https://example.com/cap');
  assert.ok(!a.text.includes('harbour') && !a.text.includes('Jane Roe') && !a.text.includes('second caption'));
  assert.equal(a.leadImage?.caption, 'The harbour at dawn.');
  assert.equal(a.leadImage?.credit, 'Jane Roe/Agency');
  assert.equal(a.text.split('\n\n').length, 3);
});

test('body only in JSON-LD articleBody is used when the DOM has little text', () => {
  const body = 'First paragraph of a story that only lives in structured data, long enough to matter.\n\nSecond paragraph follows, with more words about the same events and people involved.\n\nThird and last paragraph.';
  const html = wrap(
    `<script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'Data only', articleBody: body, author: [{ '@type': 'Person', name: 'A. Writer' }, { '@type': 'Person', name: 'B. Writer' }], datePublished: '2024-05-01T10:00:00+02:00' })}</script>`,
    '<div id="app"><p>Loading…</p></div>',
  );
  const a = extractArticle(html, 'https://example.com/ld');
  assert.equal(a.method, 'jsonld');
  assert.equal(a.text, body);
  assert.equal(a.byline, 'A. Writer, B. Writer');
  assert.equal(a.published, '2024-05-01T08:00:00.000Z');
  assert.equal(a.title, 'Data only');
});

test('body only in a script JSON blob is found', () => {
  const paras = ['<p>The council voted on Tuesday to rebuild the old bridge, after years of delays and rising costs.</p>', '<p>Work starts in spring, officials said, and should take two years, weather permitting.</p>', '<p>Residents welcomed the decision but asked for a temporary crossing during construction.</p>'];
  const state = { page: { story: { id: 7, bodyHtml: paras.join('') } } };
  const html = wrap('<title>Bridge</title>', `<div id="root"></div><script>window.__STATE__ = ${JSON.stringify(state)};</script>`);
  const a = extractArticle(html, 'https://example.com/blob');
  assert.equal(a.method, 'script-json');
  assert.equal(a.text.split('\n\n').length, 3);
  assert.ok(a.text.startsWith('The council voted'));
});

test('live blog keeps every entry; comments and related grids are dropped', () => {
  const entries = Array.from({ length: 8 }, (_, i) => `<div class="live-entry"><time datetime="2024-01-01T1${i}:00:00Z">1${i}:00</time><h3>Update ${i}</h3><p>Entry ${i}: the minister arrived, spoke to reporters, and left without taking questions from the press.</p></div>`).join('');
  const comments = Array.from({ length: 12 }, (_, i) => `<li class="comment"><div class="comment-author">user${i}</div><p>Comment ${i}: I completely disagree with this, and here is a long explanation of why, with many words.</p></li>`).join('');
  const related = Array.from({ length: 9 }, (_, i) => `<article class="card"><a href="/s${i}"><h3>Related headline number ${i}</h3></a><p>Teaser ${i}</p></article>`).join('');
  const html = wrap('<title>Live</title>', `<main><div class="liveblog">${entries}</div><section id="comments"><h2>12 comments</h2><ol class="commentlist">${comments}</ol></section><section class="more-stories">${related}</section></main>`);
  const a = extractArticle(html, 'https://example.com/live');
  for (let i = 0; i < 8; i++) assert.ok(a.text.includes(`Entry ${i}:`), `entry ${i}`);
  assert.ok(!a.text.includes('Comment '), 'no comments');
  assert.ok(!a.text.includes('Related headline') && !a.text.includes('Teaser'), 'no related grid');
});

test('per-site overrides: keep and drop selectors', () => {
  const html = wrap(
    '<title>Override</title>',
    `<div class="wrap"><div class="odd-body"><p>Short lead.</p><p>Second short line.</p><div class="sponsor-note">Sponsored by Acme, the best widgets.</div></div>
     <div class="story-long">${para(1)}${para(2)}${para(3)}</div></div>`,
  );
  const plain = extractArticle(html, 'https://example.com/o');
  assert.ok(plain.text.includes('Paragraph 1'));
  const kept = extractArticle(html, 'https://example.com/o', { keepSelectors: ['.odd-body'], dropSelectors: ['.sponsor-note'] });
  assert.equal(kept.text, 'Short lead.\n\nSecond short line.');
  assert.equal(kept.method, 'selector');
  const dropped = extractArticle(html, 'https://example.com/o', { dropSelectors: ['.story-long p:nth-child(2)'] });
  assert.ok(!dropped.text.includes('Paragraph 2') && dropped.text.includes('Paragraph 3'));
});

test('text blocks are never glued and never repeated', () => {
  const html = wrap(
    '<title>Glue</title>',
    `<article><div>${para(1)}<div>The alpha line has enough words in it.</div><div>The beta line has enough words in it too.</div><ul><li>first item of the list</li><li>second item of the list</li></ul>
     <table><tr><th>Name</th><th>Votes</th><th>Share</th></tr><tr><td>Smith</td><td>1200</td><td>40%</td></tr><tr><td>Jones</td><td>1800</td><td>60%</td></tr></table>${para(1)}${para(2)}</div></article>`,
  );
  const a = extractArticle(html, 'https://example.com/g');
  assert.ok(a.text.includes('in it.\n\nThe beta line'), 'div blocks separated by a blank line');
  assert.ok(a.text.includes('first item of the list\n\nsecond item'), 'list items are blocks');
  assert.deepEqual(tokens(a.text).slice(tokens(a.text).indexOf('Name'), tokens(a.text).indexOf('Name') + 9), ['Name', 'Votes', 'Share', 'Smith', '1200', '40', 'Jones', '1800', '60']);
  assert.equal(a.text.split('Paragraph 1').length - 1, 1, 'repeated block dropped');
});

test('title suffixes and dates', () => {
  assert.equal(cleanTitle('How to Build a Terrarium | eHow', ['How to Build a Terrarium'], null, 'https://www.ehow.com/x'), 'How to Build a Terrarium');
  assert.equal(cleanTitle('Talks stall | Russia-Ukraine war News', [], null, 'https://x.com/'), 'Talks stall | Russia-Ukraine war News');
  assert.equal(cleanTitle('No deal reached after long talks | Russia-Ukraine war News', [], null, 'https://x.com/'), 'No deal reached after long talks');
  assert.equal(cleanTitle('Quarterly results - Example News', [], 'Example News', 'https://example.org/'), 'Quarterly results');
  assert.equal(cleanTitle('Left - Right: a story', [], null, 'https://a.com/'), 'Left - Right: a story');
  assert.equal(isoDate('2021-11-01T10:52:50+0100'), '2021-11-01T09:52:50.000Z');
  assert.equal(isoDate('2017-11-03 03:01:00.000000'), '2017-11-03T03:01:00.000Z');
  assert.equal(isoDate('not a date'), null);
  assert.deepEqual(splitCaptionCredit('Putin meets envoys in Moscow [Kristina Kormilitsyna/Sputnik via AFP]'), { caption: 'Putin meets envoys in Moscow', credit: 'Kristina Kormilitsyna/Sputnik via AFP' });
});

test('a page with almost no prose still gives a non-empty body', () => {
  const html = wrap('<title>Tiny</title>', '<p><a href="javascript:void(0)">abc</a></p><p><a href="#">def</a></p><div>ghi</div><script>var x = "not text";</script>');
  const a = extractArticle(html, 'https://example.com/tiny');
  assert.deepEqual(tokens(a.text), ['abc', 'def', 'ghi']);
});
