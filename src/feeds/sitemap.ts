// News sitemaps and sitemap indexes as a source: <sitemapindex> → child sitemap URLs;
// <urlset> → FeedItems from <loc>, <news:news> (title, publication_date, keywords),
// <lastmod> and <image:image>.

import type { FeedItem } from '../core/types.ts';
import { DigestError } from '../core/errors.ts';
import { decodeFeedBytes } from './decode.ts';
import { parseXml, textOf, type XElement } from './xml.ts';
import { parseDate } from './dates.ts';
import { resolveUrl } from './url.ts';

export type SitemapResult = { kind: 'index'; sitemaps: string[] } | { kind: 'urlset'; items: FeedItem[] };

export interface ParseSitemapOptions {
  url?: string;
  headers?: Record<string, string>;
  /** Keep at most this many items, newest first (default 5000). */
  limit?: number;
}

function child(el: XElement, local: string): XElement | null {
  for (const c of el.children) if (c.kind === 'el' && c.local === local) return c;
  return null;
}
function childText(el: XElement, local: string): string | null {
  const c = child(el, local);
  if (!c) return null;
  const t = textOf(c).trim();
  return t || null;
}

/** Parse a sitemap or sitemap index. Throws DigestError('parse') for anything else. */
export function parseSitemap(body: Buffer | string, opts: ParseSitemapOptions = {}): SitemapResult {
  const ct = Object.entries(opts.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const { text } = decodeFeedBytes(body, ct);
  const root = parseXml(text).root;
  const base = opts.url ?? null;
  if (!root) throw new DigestError('parse', 'empty document: not a sitemap', { subject: opts.url });
  if (root.local === 'sitemapindex') {
    const sitemaps: string[] = [];
    for (const c of root.children) {
      if (c.kind !== 'el' || c.local !== 'sitemap') continue;
      const loc = childText(c, 'loc');
      if (loc) sitemaps.push(resolveUrl(loc, base));
    }
    return { kind: 'index', sitemaps: [...new Set(sitemaps)] };
  }
  if (root.local !== 'urlset') throw new DigestError('parse', `a <${root.qname}> document, not a sitemap`, { subject: opts.url });
  const items: FeedItem[] = [];
  const seen = new Set<string>();
  for (const u of root.children) {
    if (u.kind !== 'el' || u.local !== 'url') continue;
    const loc = childText(u, 'loc');
    if (!loc) continue;
    const link = resolveUrl(loc, base);
    if (seen.has(link)) continue;
    seen.add(link);
    const news = child(u, 'news');
    let title: string | null = null;
    let published: string | null = null;
    const categories: string[] = [];
    let author: string | null = null;
    if (news) {
      title = childText(news, 'title');
      published = parseDate(childText(news, 'publication_date'));
      const kw = childText(news, 'keywords');
      if (kw) for (const k of kw.split(',')) if (k.trim()) categories.push(k.trim());
      const pub = child(news, 'publication');
      if (pub) author = childText(pub, 'name');
    }
    const updated = parseDate(childText(u, 'lastmod'));
    const img = child(u, 'image');
    const item: FeedItem = {
      id: link, title, link, summary: null, content: null, author, published, updated, enclosures: [], categories,
    };
    const imgLoc = img ? childText(img, 'loc') : null;
    if (imgLoc) item.image = resolveUrl(imgLoc, base);
    items.push(item);
  }
  const when = (i: FeedItem) => Date.parse(i.published ?? i.updated ?? '') || 0;
  items.sort((a, b) => when(b) - when(a));
  return { kind: 'urlset', items: items.slice(0, opts.limit ?? 5000) };
}
