// Pages that htmlparser2 (which builds no HTML5 tree) would mis-shape, and other robustness
// cases from issue 14: each is a real failure seen on old or odd pages, rebuilt as a small page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractArticle, cleanTitle } from './index.ts';

const para = (i: number): string =>
  `<p>Paragraph ${i} of the story says something long enough to count as prose, with commas, clauses, and a full stop at the end of it.</p>`;
const story = [1, 2, 3, 4].map(para).join('\n');
const nums = (t: string): number[] => [...t.matchAll(/Paragraph (\d)/g)].map((m) => Number(m[1]));

test('a page without <body> (content left inside <head>) still gives its article', () => {
  const html = `<html><head><title>No body tag</title><meta name="description" content="x">
    <div id="storyBody"><h1>No body tag</h1>${story}</div></html>`;
  const a = extractArticle(html, 'https://example.com/nobody');
  assert.deepEqual(nums(a.text), [1, 2, 3, 4]);
  assert.equal(a.method, 'dom');
});

test('a whole document pasted in a table cell does not end the page', () => {
  const ad = '<html><head><title>window</title></head><map name="w"></map><a href="/ad"><img src="/ad.gif"></a></body></html>';
  const html = `<!DOCTYPE html><html><head><title>Pasted ad</title></head><body>
    <table><tr><td>${ad}</td></tr></table>
    <table><tr><td class="story">${story}</td></tr></table></body></html>`;
  const a = extractArticle(html, 'https://example.com/pasted');
  assert.deepEqual(nums(a.text), [1, 2, 3, 4]);
});

test("document.write('<script></script>') inside a comment-guarded script does not leak code", () => {
  const script = `<script><!--\nif (partner == 'x') { document.write('<script src="/x.js"></script>'); }\nvar shown = 'never text';\n//--></script>`;
  const html = `<html><head><title>Script</title>${script}</head><body><article>${script}${story}</article></body></html>`;
  const a = extractArticle(html, 'https://example.com/script');
  assert.deepEqual(nums(a.text), [1, 2, 3, 4]);
  assert.ok(!/partner|never text|document\.write/.test(a.text), a.text.slice(0, 200));
});

test('<noembed> markup is not text', () => {
  const html = `<html><body><article><noembed><a href="/ad?x=1"><img src="/ad.gif"></a></noembed>${story}</article></body></html>`;
  const a = extractArticle(html, 'https://example.com/noembed');
  assert.ok(!a.text.includes('<a'), a.text.slice(0, 200));
  assert.deepEqual(nums(a.text), [1, 2, 3, 4]);
});

test('two <br> in a row separate paragraphs of an old table layout', () => {
  const html = `<html><body><table><tr><td><span class="txt">NEW YORK - The first paragraph of the old story, with a comma, and more words to count.</span><br><br>
    <span class="txt">The second paragraph of the old story, also long enough, with a comma, and a stop.</span><br> <br>
    The third paragraph is plain text in the cell, long enough, with commas, clauses and a stop.</td></tr></table></body></html>`;
  const a = extractArticle(html, 'https://example.com/brbr');
  assert.equal(a.text.split('\n\n').length, 3, a.text);
});

test('a gallery with more caption text than the story is not protected as the article', () => {
  const slides = Array.from({ length: 12 }, (_, i) => `<li><img src="/s${i}.jpg"><p>Slide ${i}: a long caption of a picture in the gallery, with a comma, describing people at an event.</p></li>`).join('');
  const html = `<html><body><article><div class="text-wrapper">${story}<div class="full-gallery"><ul>${slides}</ul></div></div></article></body></html>`;
  const a = extractArticle(html, 'https://example.com/gallery');
  assert.deepEqual(nums(a.text), [1, 2, 3, 4]);
  assert.ok(!a.text.includes('Slide '), 'no slide captions');
});

test('a rollover link keeps its text, its popup goes', () => {
  const html = `<html><body><article><p>A man admitted threatening Rep. <span class="rollover-people"><a class="rollover-people-link" href="/people/jane-roe">Jane Roe</a><span class="rollover-people-block"><span class="rollover-block"><a href="/p">Jane Roe</a> <a href="/more">MORE</a></span></span></span> (D-Nowhere), prosecutors said on Monday, in a long sentence.</p>${story}</article></body></html>`;
  const a = extractArticle(html, 'https://example.com/rollover');
  assert.ok(a.text.includes('threatening Rep. Jane Roe (D-Nowhere)'), a.text.slice(0, 200));
  assert.ok(!a.text.includes('MORE'));
});

test('author boxes, hidden hCard data and closing promo lines are not body text', () => {
  const html = `<html><head><meta property="og:site_name" content="Example Post"></head><body><article>
    <div class="entry-head"><span class="source-org vcard hidden"><span class="org fn">TheExamplePost</span></span></div>
    ${story}
    <p>Sign up for The Morning Example today to get the free daily newsletter delivered to your inbox.</p>
    <section class="author-section"><p class="author-section__blurb">Jane Roe is a reporter who writes about everything, and drinks too much tea, apparently.</p></section>
    </article></body></html>`;
  const a = extractArticle(html, 'https://example.com/promo');
  assert.deepEqual(nums(a.text), [1, 2, 3, 4]);
  assert.ok(!/TheExamplePost|Sign up|drinks too much tea/.test(a.text), a.text);
});

test('JSON-LD articleBody wins when the page text is some other box', () => {
  const body = 'It looks like the first paragraph of the real story is only in structured data, with many words about robots and jobs. Economists counted them across the country for seventeen years.\n\nA second paragraph of that story follows, with a study, economists, numbers and places. Wages fell where the machines arrived first.\n\nA third paragraph closes it, with a warning about the future and more robots coming online soon.';
  const html = `<html><head><script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'Robots', articleBody: body })}</script></head>
    <body><div id="app"></div><div class="row text small">All products and services featured are based solely on editorial selection. We may receive compensation for some links to products and services on this website, which is a long disclaimer. Quotes are delayed at least fifteen minutes. Market data is provided by a vendor, fund data by another vendor, and none of it is advice. Terms of use and privacy policy apply to every page of this website, its apps and its newsletters.</div></body></html>`;
  const a = extractArticle(html, 'https://example.com/ld2');
  assert.equal(a.method, 'jsonld');
  assert.equal(a.text, body);
});

test('titles: a domain-name part or a date part is not the title; a heading-confirmed last part wins', () => {
  assert.equal(cleanTitle('FOXNews.com - Wilma Churns Waves Into Cuba', [], null, 'https://bench.invalid/x'), 'Wilma Churns Waves Into Cuba');
  assert.equal(cleanTitle('Forbes.com: The Ford Revolution', [], null, 'https://bench.invalid/x'), 'The Ford Revolution');
  assert.equal(cleanTitle('CNN.com - Rita growing weaker, slower - Sep 25, 2005', [], null, 'https://bench.invalid/x'), 'Rita growing weaker, slower');
  assert.equal(cleanTitle('BBC NEWS | Asia-Pacific | Two cargo ships collide off Japan', ['Two cargo ships collide off Japan'], null, 'https://bench.invalid/x'), 'Two cargo ships collide off Japan');
  assert.equal(cleanTitle('Left - Right: a story', [], null, 'https://a.com/'), 'Left - Right: a story');
  assert.equal(cleanTitle('Node.js: a new release with faster startup', [], null, 'https://a.com/'), 'Node.js: a new release with faster startup');
});

test('JSON-LD articleBody holding entity-escaped HTML gives its paragraphs, not markup', () => {
  const paras = ['A series of reported sightings has sparked a nationwide hunt in the north of the country, officials said.', 'The predators, recorded extinct after the last one died in a zoo, are believed to be roaming the island once more.', 'A tour operator also offered a substantial bounty to anyone who can prove the animal has survived.'];
  const ldHtml = paras.map((p) => `&lt;p class="p1"&gt;${p}&lt;/p&gt;`).join(' ');
  const html = `<html><head><script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'Hunt', articleBody: ldHtml })}</script></head><body><div id="app"><p>Loading…</p></div></body></html>`;
  const a = extractArticle(html, 'https://example.com/ldhtml');
  assert.equal(a.method, 'jsonld');
  assert.equal(a.text, paras.join('\n\n'));
});
