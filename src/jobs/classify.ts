// What a fetched document is, for adding a source (digest add, the web): a feed, a news sitemap, an HTML page, or other.
import type { FetchedDocument } from '../core/types.ts';
import { parseFeed } from '../feeds/index.ts';
import { isSitemap } from './sourcedoc.ts';

export type DocumentKind =
  | { kind: 'feed'; title: string | null; siteUrl: string | null }
  | { kind: 'sitemap'; title: null; siteUrl: string | null }
  | { kind: 'html' | 'other'; title: null; siteUrl: null };

export function classifyDocument(doc: FetchedDocument): DocumentKind {
  if (isSitemap(doc)) return { kind: 'sitemap', title: null, siteUrl: new URL('/', doc.url).href };
  const ct = (doc.headers['content-type'] ?? '').toLowerCase();
  const head = doc.body.subarray(0, 2048).toString('latin1').toLowerCase();
  const htmlish = ct.includes('text/html') || /<!doctype html|<html[\s>]/.test(head);
  try {
    const feed = parseFeed(doc.body, { url: doc.url, headers: doc.headers });
    // An HTML page can parse as an empty "feed"; only a document with a feed's shape counts.
    if (!htmlish || feed.items.length > 0) return { kind: 'feed', title: feed.title, siteUrl: feed.link };
  } catch {
    // not a feed
  }
  return htmlish ? { kind: 'html', title: null, siteUrl: null } : { kind: 'other', title: null, siteUrl: null };
}
