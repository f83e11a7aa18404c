// Feed discovery for sites without a known feed URL: <link rel="alternate"> in the page,
// plus the common paths a caller may probe, and a cheap "is this a feed?" sniff.

import { Parser } from 'htmlparser2';
import { resolveUrl } from './url.ts';

export const FEED_TYPES = [
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/json',
  'application/rdf+xml',
  'application/xml',
  'text/xml',
];

/** Paths to try (relative to the site root) when a page names no feed. */
export const COMMON_FEED_PATHS = [
  '/feed',
  '/feed/',
  '/rss',
  '/rss.xml',
  '/atom.xml',
  '/index.xml',
  '/feed.xml',
  '/feed.json',
  '/feed.atom',
  '/feed.rss',
  '/rss/',
  '/atom',
  '/index.rss',
  '/index.atom',
  '/?feed=rss2',
  '/blog/feed',
  '/blog/rss.xml',
  '/news/rss.xml',
  '/sitemap.xml',
  '/news-sitemap.xml',
];

/**
 * Feed URLs a page declares with <link rel="alternate" type="…rss/atom/json…" href>, in
 * document order, absolute (resolved against <base href> or the page URL), without duplicates.
 * RSS/Atom/JSON types come first; plain XML types only when nothing better is declared.
 */
export function discoverFeeds(html: string, pageUrl: string): string[] {
  let base = pageUrl;
  const strong: string[] = [];
  const weak: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, a) {
        if (name === 'base' && a.href) base = resolveUrl(a.href, pageUrl);
        if ((name !== 'link' && name !== 'a') || !a.href) return;
        const rels = (a.rel ?? '').toLowerCase().split(/\s+/);
        if (!rels.includes('alternate') && !(name === 'link' && rels.includes('feed'))) return;
        const type = (a.type ?? '').toLowerCase().split(';')[0].trim();
        if (name === 'a' && !type) return;
        if (rels.includes('stylesheet')) return;
        const url = resolveUrl(a.href, base);
        if (!/^https?:/i.test(url)) return;
        if (/rss|atom|feed\+json|rdf/.test(type) || (rels.includes('feed') && !type)) strong.push(url);
        else if (type === 'application/json' || type === 'application/xml' || type === 'text/xml') weak.push(url);
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  const out = strong.length ? strong : weak;
  return [...new Set(out)];
}

/** Absolute URLs of COMMON_FEED_PATHS on the site of `pageUrl`. */
export function commonFeedUrls(pageUrl: string): string[] {
  try {
    const origin = new URL(pageUrl).origin;
    return COMMON_FEED_PATHS.map((p) => origin + p);
  } catch {
    return [];
  }
}

/** Cheap check that a response body is a feed (RSS/RDF/Atom/JSON Feed), not an HTML page. */
export function looksLikeFeed(body: Buffer | string, contentType?: string | null): boolean {
  const head = (typeof body === 'string' ? body.slice(0, 4096) : body.subarray(0, 4096).toString('latin1'))
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart();
  const ct = (contentType ?? '').toLowerCase();
  if (head.startsWith('{')) return /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\//.test(head) || (/json/.test(ct) && /"items"\s*:/.test(head));
  // skip prolog, comments, doctype, processing instructions
  const s = head.replace(/^(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>|\s+)*/i, '');
  const m = /^<([A-Za-z_][\w.:-]*)/.exec(s);
  if (!m) return false;
  const local = m[1].split(':').pop()!.toLowerCase();
  if (local === 'html') return false;
  return local === 'rss' || local === 'feed' || local === 'rdf' || local === 'channel' || local === 'urlset' || local === 'sitemapindex';
}
