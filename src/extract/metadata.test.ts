// Metadata rules on small pages written for these tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractMetadata } from './metadata.ts';
import { parseHtml } from './dom.ts';

const meta = (head: string, body = ''): ReturnType<typeof extractMetadata> =>
  extractMetadata(parseHtml(`<!doctype html><html lang="en"><head>${head}</head><body>${body}</body></html>`), 'https://news.example/a/b');

test('document title: en and em dashes separate a site part like | and -', () => {
  assert.equal(meta('<title>Harbour fees rise for the third year – Quay Notes</title>').title, 'Harbour fees rise for the third year');
  assert.equal(meta('<title>Harbour fees rise again this spring — Quay Notes</title>').title, 'Harbour fees rise again this spring');
  // too short once cut: keep the whole title
  assert.equal(meta('<title>Fees rise – Quay Notes</title>').title, 'Fees rise – Quay Notes');
});

test('byline from og:article:author when nothing better is there', () => {
  assert.equal(meta('<meta property="og:article:author" content="Quay Notes Desk">').byline, 'Quay Notes Desk');
});

test('visible bylines: teaser sentences and avatar initials from author widgets are skipped', () => {
  const body = `<ul class="follow-authors"><li><div class="author">Mia Holt Why the ferry timetable changed and what it means for you</div></li></ul>
<div class="comments"><span class="author">J J</span><span class="author">s sam</span></div>
<article><h1>Ferry timetable changes</h1><div class="byline">ODA LIND</div><p>Text.</p></article>`;
  assert.equal(meta('<title>Ferry timetable changes</title>', body).byline, 'ODA LIND');
});

test('published date: JSON-LD, then meta, then <time>, ISO 8601 with zone', () => {
  const ld = `<script type="application/ld+json">{"@type":"NewsArticle","headline":"X","datePublished":"2026-03-02T09:00:00+01:00"}</script>`;
  assert.equal(meta(ld + '<meta property="article:published_time" content="2020-01-01T00:00:00Z">').published, '2026-03-02T08:00:00.000Z');
  assert.equal(meta('<meta name="date" content="2026-03-02 10:15:00">').published, '2026-03-02T10:15:00.000Z');
  assert.equal(meta('', '<article><time datetime="2026-03-02T07:30:00-05:00">2 March</time></article>').published, '2026-03-02T12:30:00.000Z');
});

test('stripCode removes comments, scripts and styles the way the tokenizer reads them, keeping JSON-LD', async () => {
  const { stripCode } = await import('./dom.ts');
  assert.equal(stripCode('<p>Ev<!-- x -->en so</p>'), '<p>Even so</p>');
  assert.equal(stripCode('<p>a</p><script>document.write("<!--")</script><p>b</p><!-- <script> --><p>c</p>'), '<p>a</p><p>b</p><p>c</p>');
  const ld = '<script type="application/ld+json">{"@type":"NewsArticle"}</script>';
  assert.equal(stripCode(`<style>p{}</style>${ld}<script src="x.js"></script>`), ld);
});

test('stripCode is linear on unclosed openers', async () => {
  const { stripCode } = await import('./dom.ts');
  const junk = '<style'.repeat(100_000) + '<script '.repeat(100_000) + '<script>'.repeat(100_000) + '<p>x</p>';
  const t0 = performance.now();
  assert.equal(stripCode(junk), junk);
  assert.equal(stripCode('<p>a</p><!-- never closed <p>b</p>'), '<p>a</p><!-- never closed <p>b</p>');
  assert.ok(performance.now() - t0 < 1000);
});

test('visible dates: written-out and numeric dates with times and zones', async () => {
  const { parseVisibleDate } = await import('./metadata.ts');
  assert.equal(parseVisibleDate('Published 2 March 2026, 11:30 GMT', 'en'), '2026-03-02T11:30:00.000Z');
  assert.equal(parseVisibleDate('March 2, 2026 at 6:01 pm EST', 'en-US'), '2026-03-02T23:01:00.000Z');
  assert.equal(parseVisibleDate('By Rémi Ortal – 24/11/2026 06h50', 'fr'), '2026-11-24T06:50:00.000Z');
  assert.equal(parseVisibleDate('11/03/2026', 'en-US'), '2026-11-03T00:00:00.000Z');
  assert.equal(parseVisibleDate('sexta-feira, 22 de outubro de 2010 às 20:13', 'pt-BR'), '2010-10-22T20:13:00.000Z');
  assert.equal(parseVisibleDate('Share on Facebook', 'en'), null);
  assert.equal(parseVisibleDate('31/31/2026', 'en'), null);
});

test('published falls back to a date in the visible byline or date line', () => {
  const m = meta('<title>Ferry</title>', '<article><h1>Ferry</h1><p class="signature">By Rémi Ortal – 24/11/2026 06h50 (updated 24/11/2026 10h30)</p><p>Text of the story.</p></article>');
  assert.equal(m.published, '2026-11-24T06:50:00.000Z');
});
