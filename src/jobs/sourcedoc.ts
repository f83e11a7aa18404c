// A source's document as a Feed: RSS/Atom/JSON feeds directly, news sitemaps through
// their <url> entries (a sitemap index is followed to its newest child sitemaps).
import type { Feed, FetchedDocument } from '../core/types.ts';
import { DigestError } from '../core/errors.ts';
import { parseFeed, parseSitemap } from '../feeds/index.ts';

/** True when the document is a sitemap or a sitemap index. */
export function isSitemap(doc: Pick<FetchedDocument, 'body'>): boolean {
  const head = doc.body.subarray(0, 4096).toString('latin1');
  return /<(?:[\w-]+:)?(?:urlset|sitemapindex)[\s>]/.test(head);
}

/** Children of a sitemap index taken per pass (the last listed are usually the newest). */
const MAX_CHILD_SITEMAPS = 3;

export async function feedFromDocument(doc: FetchedDocument, fetch: (url: string) => Promise<FetchedDocument>): Promise<Feed> {
  if (!isSitemap(doc)) return parseFeed(doc.body, { url: doc.url, headers: doc.headers });
  const sm = parseSitemap(doc.body, { url: doc.url, headers: doc.headers });
  const feed: Feed = { title: null, link: new URL('/', doc.url).href, description: null, language: null, author: null, items: [] };
  if (sm.kind === 'urlset') {
    feed.items = sm.items;
    return feed;
  }
  const children = sm.sitemaps.slice(-MAX_CHILD_SITEMAPS).reverse();
  if (!children.length) throw new DigestError('parse', 'the sitemap index lists no sitemaps', { subject: doc.url });
  for (const url of children) {
    const child = await fetch(url);
    const c = parseSitemap(child.body, { url: child.url, headers: child.headers });
    if (c.kind === 'urlset') feed.items.push(...c.items);
  }
  feed.items.sort((a, b) => Date.parse(b.published ?? b.updated ?? '0') - Date.parse(a.published ?? a.updated ?? '0') || 0);
  return feed;
}
