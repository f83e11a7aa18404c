// Site chrome and repeats on pages shaped like the outlets of the demo sample (and like
// ../shared/examples/republished-article.txt). The pages are written here (own text, this
// project's licence); each has the story's paragraphs plus the chrome its kind of site carries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { extractArticle } from './index.ts';
import { parseHtml, innerText } from './dom.ts';

const FIX = new URL('./fixtures/', import.meta.url).pathname;

const STORY = [
  'The ferry service between Portwick and the Lumen Islands resumed on Monday after a three-week suspension caused by a dispute over harbour fees.',
  '“We are not going back to the old timetable. We are going forward with a better one,” the ferry company’s director, Ines Marlow, said at the quay.',
  'The company said two boats would run every morning and one every evening until the spring, when a third vessel returns from repairs.',
  'Islanders had complained that the suspension cut them off from the hospital and the secondary school on the mainland.',
  'The harbour authority said the new fee agreement would last five years and would be reviewed after two.',
  'Passenger numbers fell by a third during the dispute, according to figures published by the regional transport office.',
];
const PULL = 'We are not going back to the old timetable. We are going forward with a better one.';
const TITLE = 'Ferry service to the Lumen Islands resumes after fee dispute';
const DEK = 'Boats run again after the harbour authority and the operator agree a five-year deal.';
const ps = (xs: string[]): string => xs.map((p) => `<p>${p}</p>`).join('\n');
const blocks = (text: string): string[] => text.split('\n\n');
const words = (s: string): string => (s.match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
/** The sanitised HTML says what the text says: nothing dropped from one stays in the other. */
const sameWords = (a: { text: string; html: string }): void => assert.equal(words(innerText(parseHtml(a.html))), words(a.text));

test('republisher: the "<site> - a story for you" line and the example\'s cruft stay out of text and html', () => {
  const site = 'The Coastline Relay';
  const html = `<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8">
<title>${TITLE} | Regional News</title>
<meta property="og:title" content="${TITLE} | Regional News"><meta property="og:site_name" content="${site}">
<meta property="article:published_time" content="2026-03-02T10:15:00+00:00">
<meta property="og:image" content="https://relay.example/wp-content/uploads/2026/03/ferry-quay.jpg">
<meta name="author" content="relaydesk"></head>
<body class="single single-post"><a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div id="page" class="site"><header id="masthead" class="site-header">
<div class="site-branding"><a href="/" rel="home"><img src="/icon.svg" class="site-icon" alt="Site icon"></a> <p class="site-title"><a href="/">${site}</a></p>
<p class="site-description">${site} - a story for you</p></div>
<nav class="main-navigation"><ul><li><a href="/world/">World</a></li><li><a href="/business/">Business</a></li></ul></nav></header>
<div id="content" class="site-content"><main id="primary" class="site-main">
<article class="post type-post hentry category-regional"><header class="entry-header"><h1 class="entry-title">${TITLE} | Regional News</h1>
<div class="entry-meta"><span class="posted-on">Posted on <a href="/p"><time class="entry-date published" datetime="2026-03-02T10:15:00+00:00">March 2, 2026</time></a></span> <span class="byline"> by <span class="author vcard"><a class="url fn n" href="/author/relaydesk/">relaydesk</a></span></span></div></header>
<div class="post-thumbnail"><img src="https://relay.example/wp-content/uploads/2026/03/ferry-quay.jpg" class="wp-post-image" alt=""></div>
<div class="entry-content">
<p class="has-small-font-size">${site} - a story for you</p>
${ps(STORY.slice(0, 2))}
<div class="more-on"><h2>Recommended Stories</h2><span class="screen-reader-text">list of 3 items</span><ul><li><a href="/a">Bridge tolls rise again</a></li><li><a href="/b">Island school gets new roof</a></li><li><a href="/c">Storm warning for the coast</a></li></ul><span class="screen-reader-text">end of list</span></div>
${ps(STORY.slice(2, 4))}
<figure class="wp-block-image size-large"><img src="https://relay.example/wp-content/uploads/2026/03/ferry-quay.jpg" alt=""><figcaption class="wp-element-caption">The morning ferry leaves the quay at Portwick on March 2, 2026 [Tomas Brandt/Harbour Photo Agency]</figcaption></figure>
${ps(STORY.slice(4))}
<p><a href="https://ledger.example/news/ferry-resumes" target="_blank" rel="noopener">Source link</a></p>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li><a href="#">Facebook</a></li><li><a href="#">X</a></li><li><a href="#">WhatsApp</a></li></ul></div>
<div class="jp-relatedposts"><h3>Related</h3></div>
</div><footer class="entry-footer"><span class="cat-links">Posted in <a href="/regional/">Regional</a></span></footer></article>
<div id="comments" class="comments-area"><div id="respond"><h3 id="reply-title">Leave a Reply</h3><p class="must-log-in">You must be <a href="/login">logged in</a> to post a comment.</p></div></div>
</main><aside id="secondary" class="widget-area"><section class="widget"><h2 class="widget-title">Recent Posts</h2><ul><li><a href="/x">Another story</a></li></ul></section></aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">Copyright © 2026 ${site} | Powered by WordPress</div></footer></div>
<a href="/?amp=0" class="ampforwp-mobile-version-switcher">Exit mobile version</a></body></html>`;
  const a = extractArticle(html, 'https://relay.example/2026/03/02/ferry-resumes/');
  assert.deepEqual(blocks(a.text), STORY);
  sameWords(a);
  const cruft = JSON.parse(readFileSync(FIX + 'own/republished-article.expected.json', 'utf8')).cruft as string[];
  const ours = [...cruft.map((c) => c.replace('Occasional Digest', site)), 'a story for you', 'Share this', 'Leave a Reply', 'Recent Posts', 'Posted in', 'relaydesk', 'Tomas Brandt'];
  for (const c of ours) {
    assert.ok(!a.text.includes(c), `text has "${c}"`);
    assert.ok(!a.html.includes(c), `html has "${c}"`);
  }
  assert.equal(a.title, TITLE);
  assert.equal(a.originalUrl, 'https://ledger.example/news/ferry-resumes');
  assert.equal(a.leadImage?.caption, 'The morning ferry leaves the quay at Portwick on March 2, 2026');
  assert.equal(a.leadImage?.credit, 'Tomas Brandt/Harbour Photo Agency');
});

test('a site line in the body is dropped even when the header does not repeat it', () => {
  const html = `<html lang="en"><head><meta property="og:site_name" content="Harbour Notes"><title>${TITLE}</title></head><body>
<article><h1>${TITLE}</h1><div class="entry-content"><p>Harbour Notes – a story for you</p>${ps(STORY)}<p>Harbour Notes</p></div></article></body></html>`;
  const a = extractArticle(html, 'https://notes.example/ferry');
  assert.deepEqual(blocks(a.text), STORY);
  sameWords(a);
});

test('broadsheet: pull quote, standfirst, byline, dates, share bars, promo, newsletter, related and comments are dropped', () => {
  const html = `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>${TITLE} | News | The Quay Ledger</title>
<meta name="description" content="${DEK}">
<script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: TITLE, description: DEK, image: ['https://ledger.example/media/ferry.svg'], datePublished: '2026-03-02T09:00:00+01:00', author: [{ '@type': 'Person', name: 'Ada Quill' }, { '@type': 'Person', name: 'Ben Stroud' }], publisher: { '@type': 'Organization', name: 'The Quay Ledger' } })}</script></head>
<body><div class="topbar"><a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a></div>
<header class="masthead"><a class="logo" href="/">The Quay Ledger</a><p class="tagline">Independent news since 1881</p><nav><ul><li><a href="/news/">News</a></li></ul></nav></header>
<main id="main"><article class="story"><header class="story-header"><p class="kicker"><a href="/news/">News</a></p><h1 class="headline">${TITLE}</h1>
<p class="standfirst">${DEK}</p><div class="story-byline">By <a rel="author" href="/p/ada">Ada Quill</a> and <a rel="author" href="/p/ben">Ben Stroud</a></div>
<p class="dates"><time datetime="2026-03-02T09:00:00+01:00">Mon 2 Mar 2026 09.00 CET</time></p>
<ul class="share" aria-label="Share this story"><li><a href="#">Share on Facebook</a></li><li><a href="#">Email</a></li></ul></header>
<figure class="lead-image"><img src="https://ledger.example/media/ferry.svg" alt="A ferry at the quay"><figcaption>The ferry at Portwick quay. <span class="credit">Photograph: Lena Vos/The Quay Ledger</span></figcaption></figure>
<div class="story-body">
${ps(STORY.slice(0, 1))}
<blockquote class="pullquote"><p>“${PULL}”</p></blockquote>
${ps(STORY.slice(1, 4))}
<aside class="inline-promo"><a href="/newsletters/">Sign up for The Morning Quay, our daily email →</a></aside>
${ps(STORY.slice(4))}
</div><p class="topics">Topics: <a href="/t/ferries">Ferries</a>, <a href="/t/islands">Islands</a></p></article>
<aside class="related-stories"><h2>Related stories</h2><ul><li><a href="/r1">Island school reopens</a></li></ul></aside>
<section class="briefing"><h2>The Morning Quay</h2><p>The day's essential news in your inbox at 7am.</p><form action="#"><label>Email address <input type="email" name="email"></label><button>Sign up</button></form></section>
<section class="comments" id="comments"><h2>Comments (2)</h2><ol><li class="comment"><p>Harriet</p><p>About time too, the islands have waited long enough for this.</p></li></ol></section></main>
<footer class="site-footer"><p>© 2026 The Quay Ledger Ltd.</p></footer></body></html>`;
  const a = extractArticle(html, 'https://ledger.example/news/2026/03/02/ferry/');
  assert.deepEqual(blocks(a.text), STORY);
  sameWords(a);
  assert.equal(a.byline, 'Ada Quill, Ben Stroud');
  assert.equal(a.description, DEK);
  assert.equal(a.leadImage?.caption, 'The ferry at Portwick quay.');
  assert.equal(a.leadImage?.credit, 'Lena Vos/The Quay Ledger', '"Photograph:" is a label, not part of the credit');
});

test('div soup: standalone dateline, pull quote box, ad slots, read-more, newsletter and lazy lead image with its caption', () => {
  const para = (p: string): string => `<div class="TextBlock"><p class="TextBlock__p">${p}</p></div>`;
  const html = `<!doctype html><html lang="en"><head><title>${TITLE} - Gate Wire</title>
<meta name="description" content="${DEK}"><meta property="og:site_name" content="Gate Wire"><meta property="og:title" content="${TITLE}">
<meta property="og:image" content="https://gate.example/media/c10985-ferry.svg"><meta property="og:image:alt" content="A ferry">
<meta property="article:published_time" content="2026-03-02T11:30:00Z"><meta name="author" content="Ola Berg"></head><body>
<div id="consent" class="Consent" role="dialog"><p>We and our partners use cookies.</p><button>Accept</button></div>
<div class="Header"><a class="Header__logo" href="/">GATE WIRE</a><nav class="Header__nav"><a href="/latest">Latest</a></nav></div>
<div class="Page"><div class="Page__main"><div class="ArticlePage"><div class="Breadcrumbs"><a href="/">Home</a> / <a href="/world">World</a></div>
<div class="ArticleHeader"><h1 class="ArticleHeader__title">${TITLE}</h1><p class="ArticleHeader__dek">${DEK}</p>
<div class="ArticleHeader__meta"><div class="Byline">By <span class="Byline__name">Ola Berg</span></div><div class="Timestamp">Published <span>2 March 2026, 11:30 GMT</span></div></div>
<div class="ShareBar"><a href="#">Share</a><a href="#">Post</a><a href="#">Save</a></div></div>
<div class="LeadMedia"><div class="LeadMedia__img"><img class="lazyload" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="https://gate.example/media/c10985-ferry.svg" alt="A ferry"><noscript><img src="https://gate.example/media/c10985-ferry.svg" alt="A ferry"></noscript></div>
<div class="LeadMedia__caption"><span class="Caption">Passengers board the first ferry in three weeks</span> <span class="Credit">(Lena Vos/Gate Wire)</span></div></div>
<div class="ArticleBody"><span class="Dateline">PORTWICK</span>
${para(STORY[0])}<div class="AdSlot" data-ad-unit="inline-1"><span class="AdSlot__label">Advertisement</span></div>${para(STORY[1])}${para(STORY[2])}
<div class="PullQuote"><svg viewBox="0 0 10 10"><text>“</text></svg><p>“${PULL}”</p></div>${para(STORY[3])}${para(STORY[4])}
<div class="ReadMore"><span>Read more:</span> <a href="/r">Island school reopens after storm repairs</a></div>${para(STORY[5])}</div>
<div class="Newsletter"><h3>The Morning Wire</h3><p>Five stories to start your day.</p><input type="email" placeholder="you@example.com"><button>Subscribe</button></div>
<div class="MoreFrom"><h3>More from Gate Wire</h3><a class="MoreFrom__card" href="/m1"><span>World</span><span>Talks resume</span></a></div></div></div>
<div class="Page__rail"><div class="Trending"><h3>Trending now</h3><ol><li><a href="/t1">A story</a></li></ol></div></div></div></body></html>`;
  const a = extractArticle(html, 'https://gate.example/articles/ferry-resumes');
  assert.deepEqual(blocks(a.text), STORY);
  sameWords(a);
  assert.equal(a.leadImage?.caption, 'Passengers board the first ferry in three weeks');
  assert.equal(a.leadImage?.credit, 'Lena Vos/Gate Wire');
  assert.equal(a.leadImage?.alt, 'A ferry');
});

test('old table layout: caption with "(Photo: X)" in one paragraph, no og:image, exergue quote, chapo and signature', () => {
  const html = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252" />
<title>${TITLE} - The Isle Courier</title><meta name="description" content="${DEK}" /><meta name="author" content="Rémi Ortal" />
<meta name="date" content="2026-03-02T08:00:00+01:00" /></head><body><div id="wrapper">
<div id="header"><a href="/"><img src="/images/logo.svg" alt="The Isle Courier" width="360" height="60" border="0" /></a><div id="meteo">Portwick: 9&deg;C, showers</div></div>
<div id="menu"><a href="/">Home</a> | <a href="/region.html">Region</a></div>
<table id="layout" width="100%"><tr><td id="left" valign="top" width="180"><div class="bloc"><b>Services</b><br /><a href="/tides.html">Tide tables</a></div>
<div class="bloc pub">Advertising<br /><a href="/ads.html"><img src="/images/pub-garage.svg" alt="Garage" width="160" height="120" /></a></div></td>
<td id="contenu" valign="top"><div class="fil">You are here: <a href="/">Home</a> &gt; <a href="/region.html">Region</a></div>
<div class="article"><h1 class="titre">${TITLE}</h1><p class="chapo"><b>${DEK}</b></p>
<p class="signature">By Rémi Ortal and Lise Caron &ndash; 02/03/2026 08h00</p>
<div class="photo"><img src="/media/ferry-quay.jpg" alt="The quay" width="480" height="270" /><p class="legende">The first boat of the morning at the Portwick quay (Photo: Marc Idris)</p></div>
<div class="texte">${ps(STORY.slice(0, 1))}<div class="exergue">&laquo;&nbsp;${PULL}&nbsp;&raquo;</div>${ps(STORY.slice(1))}</div>
<p class="outils"><a href="javascript:window.print()">Print</a> | <a href="#">Send to a friend</a> | <a href="#">Share on Facebook</a></p></div>
<div id="reactions"><h3>Reactions (1)</h3><div class="reaction"><p class="auteur">Jean wrote:</p><p>Finally some good news for the islands this winter.</p></div></div></td>
<td id="right" valign="top" width="220"><div class="bloc lettre"><b>The Courier by e-mail</b><p>Receive the headlines every day at 6 a.m.</p><form action="#" method="post"><input type="text" name="courriel" size="18" /><input type="submit" value="OK" /></form></div></td></tr></table>
<div id="footer">&copy; 2026 The Isle Courier &ndash; <a href="/contact.html">Contact</a></div></div></body></html>`;
  const a = extractArticle(html, 'https://courier.example/news/2026-03-02/ferry.html');
  assert.deepEqual(blocks(a.text), STORY);
  sameWords(a);
  assert.equal(a.leadImage?.url, 'https://courier.example/media/ferry-quay.jpg');
  assert.equal(a.leadImage?.caption, 'The first boat of the morning at the Portwick quay');
  assert.equal(a.leadImage?.credit, 'Marc Idris');
  assert.equal(a.byline, 'Rémi Ortal');
});

test('microdata magazine and hashed-class app: pull asides, byline with role, sign-up box without a telling class', () => {
  const micro = `<!DOCTYPE html><html lang="en"><head><title>${TITLE} | The Lamp</title><meta name="description" content="${DEK}"><meta property="og:site_name" content="The Lamp"></head><body>
<header class="site-header"><div class="brand"><a href="/">The Lamp</a><span>Bright news every day</span></div></header>
<div class="wrap"><main class="content"><article itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">${TITLE}</h1>
<h2 class="sub" itemprop="description">${DEK}</h2>
<div class="meta">By <span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Jo Penn</span></span>, Transport correspondent | <time itemprop="datePublished" datetime="2026-03-02T07:30:00+00:00">2 March 2026</time></div>
<div class="share"><a href="#">Share</a> <a href="#">Tweet</a> <span class="count">42 shares</span></div>
<div class="entry" itemprop="articleBody">${ps(STORY.slice(0, 2))}<aside class="pull"><p>"${PULL}"</p></aside><div class="in-article-ad"><span>Advertisement - story continues below</span></div>${ps(STORY.slice(2))}</div></article>
<section class="read-next"><h3>Read next</h3><ul><li><a href="/n1">Island school reopens</a></li></ul></section>
<section class="nl-box"><h3>Get the Lamp at Lunchtime</h3><p>The best of the Lamp, every day at noon.</p><form><input type="email" placeholder="Email"><button>Sign me up</button></form></section>
<section id="comments" class="comments"><h3>2 comments</h3><div class="comment"><b>Sam</b><p>Good news at last for everyone who lives out there.</p></div></section></main>
<aside class="rail"><section class="most-read"><h3>Most read</h3><ol><li><a href="/m">A story</a></li></ol></section></aside></div></body></html>`;
  const a = extractArticle(micro, 'https://lamp.example/news/ferry/');
  assert.deepEqual(blocks(a.text), STORY);
  sameWords(a);
  assert.equal(a.byline, 'Jo Penn');
  const c = (n: string): string => `css-${n}`;
  const app = `<!DOCTYPE html><html lang="en"><head><title>${TITLE} | Meridian Post</title><meta name="description" content="${DEK}"/><meta property="og:site_name" content="Meridian Post"/></head><body><div id="__next">
<header class="${c('1a2b3c')}"><nav><a href="/world">World</a></nav></header><main class="${c('9f8e7d')}">
<article class="${c('aa11bb')}"><div class="${c('cc22dd')}"><a href="/world">World</a></div><h1 class="${c('ee33ff')}">${TITLE}</h1><p class="${c('a1b2c3')}">${DEK}</p>
<div class="${c('d4e5f6')}"><span class="${c('0a0b0c')}">By Nadia Vell</span><span class="${c('1d1e1f')}">Islands correspondent</span><time dateTime="2026-03-02T08:40:00Z">2 March 2026 08:40 GMT</time></div>
<div class="${c('777888')}" role="group" aria-label="Share"><button>Facebook</button><button>Copy link</button></div>
<section class="${c('bd0d1e')}" data-testid="article-body">${STORY.slice(0, 2).map((p) => `<p class="${c('p0p0p0')}">${p}</p>`).join('')}
<figure class="${c('q1q2q3')}"><blockquote><p>“${PULL}”</p></blockquote></figure>
<div class="${c('ad0ad0')}" data-testid="ad-slot"><p>ADVERTISEMENT</p></div>${STORY.slice(2).map((p) => `<p class="${c('p0p0p0')}">${p}</p>`).join('')}</section></article>
<aside class="${c('n1n2n3')}"><h2>Meridian Briefing</h2><p>The world's news, explained, every evening.</p><a href="/newsletters">Sign up</a></aside>
<section class="${c('r1r2r3')}" data-testid="related"><h2>Related</h2><ul><li><a href="/x">Another story</a></li></ul></section></main></div></body></html>`;
  const b = extractArticle(app, 'https://meridian.example/world/ferry');
  assert.deepEqual(blocks(b.text), STORY);
  sameWords(b);
});

test('repeats: a pull quote repeating a body sentence goes, a heading quoting the text and distinct short lines stay', () => {
  const html = `<html><head><title>Repeats</title></head><body><article><h1>Repeats</h1>
<h2>“Going forward with a better one”</h2>
${ps(STORY.slice(0, 3))}<blockquote><p>${PULL}</p></blockquote>
<p>Short line one.</p><p>Short line one!</p>${ps(STORY.slice(3))}</article></body></html>`;
  const a = extractArticle(html, 'https://example.org/r');
  const bs = blocks(a.text);
  assert.equal(bs.filter((b) => b.includes('old timetable')).length, 1, 'the sentence appears once');
  assert.ok(bs.includes('“Going forward with a better one”'), 'a subheading that quotes the text is kept');
  for (const p of STORY) assert.ok(bs.includes(p), p.slice(0, 30));
});

test('captions: lazy images without figure or class, credits in the caption paragraph, "Photograph:" labels', () => {
  const html = `<html lang="en"><head><title>${TITLE}</title><meta property="og:image" content="https://cdn.example/img/quay-1200x630.jpg"></head><body>
<article><h1>${TITLE}</h1>
<div><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="https://cdn.example/img/quay.jpg"></div>
<p>The morning boat at Portwick. (Photo: Marc Idris/Isle Agency)</p>
${ps(STORY.slice(0, 3))}
<p><img data-lazy-src="https://cdn.example/img/deck.jpg"></p><p>Passengers on deck. Photograph: Lena Vos</p>
${ps(STORY.slice(3, 5))}
<p>Islanders queue for the first crossing [Jon Ek/Harbour Photo]</p>
${ps(STORY.slice(5))}</article></body></html>`;
  const a = extractArticle(html, 'https://isle.example/ferry');
  assert.deepEqual(blocks(a.text), STORY);
  sameWords(a);
  assert.ok(!/Marc Idris|Lena Vos|Jon Ek|graph:/.test(a.html), 'no captions or credits in the html');
  assert.equal(a.leadImage?.url, 'https://cdn.example/img/quay-1200x630.jpg');
  assert.equal(a.leadImage?.caption, 'The morning boat at Portwick.');
  assert.equal(a.leadImage?.credit, 'Marc Idris/Isle Agency');
});

test('credit labels are stripped as whole words', async () => {
  const { splitCaptionCredit } = await import('./index.ts');
  assert.deepEqual(splitCaptionCredit('Cranes at the port. Photograph: Ravi Dosh/The Ledger'), { caption: 'Cranes at the port', credit: 'Ravi Dosh/The Ledger' });
  assert.deepEqual(splitCaptionCredit('The new hall (Photo: Ravi Dosh)'), { caption: 'The new hall', credit: 'Ravi Dosh' });
  assert.deepEqual(splitCaptionCredit('The new hall (opened in 1907)'), { caption: 'The new hall (opened in 1907)', credit: null });
  assert.deepEqual(splitCaptionCredit('A laptop [Pellar Technologies]'), { caption: 'A laptop', credit: 'Pellar Technologies' });
  assert.deepEqual(splitCaptionCredit('Photographs by Ann Lee'), { caption: null, credit: 'Ann Lee' });
});

test('nested chrome boxes around a huge text stay linear (bounded text reads)', () => {
  const html = '<html><body>' + '<div class="meta"><header><span class="author">x</span>'.repeat(400) + 'word '.repeat(300_000) + '</body></html>';
  const t0 = performance.now();
  const a = extractArticle(html, 'https://example.org/big');
  assert.ok(a.text.length > 1_000_000);
  assert.ok(performance.now() - t0 < 8000, `took ${Math.round(performance.now() - t0)} ms`);
});
