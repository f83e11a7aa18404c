// Feed discovery for adding a source: the URL itself when it is a feed or news sitemap,
// else every feed its page links (<link rel="alternate">), else the first common path
// that answers with one. Used by `digest add` (first choice) and the web (the choice shown).
import type { Fetcher } from '../fetch/client.ts';
import { DigestError } from '../core/errors.ts';
import { decodeHtml } from '../core/charset.ts';
import { discoverFeeds, COMMON_FEED_PATHS } from '../feeds/index.ts';
import { classifyDocument } from './classify.ts';

export interface FeedChoice {
  url: string;
  kind: 'feed' | 'sitemap';
  title: string | null;
  siteUrl: string | null;
}

/** Linked feeds looked at on one page. */
const MAX_LINKED = 8;

export async function findFeeds(fetcher: Fetcher, url: string): Promise<FeedChoice[]> {
  const first = await fetcher.fetch(url, { kind: 'feed' });
  const c = classifyDocument(first);
  if (c.kind === 'feed' || c.kind === 'sitemap') return [{ url: first.url, kind: c.kind, title: c.title, siteUrl: c.siteUrl }];
  const tried = new Set<string>([first.url]);
  const found: FeedChoice[] = [];
  const look = async (cand: string): Promise<FeedChoice | null> => {
    if (tried.has(cand)) return null;
    tried.add(cand);
    try {
      const doc = await fetcher.fetch(cand, { kind: 'feed' });
      const k = classifyDocument(doc);
      if ((k.kind === 'feed' || k.kind === 'sitemap') && !found.some((f) => f.url === doc.url)) return { url: doc.url, kind: k.kind, title: k.title, siteUrl: k.siteUrl ?? first.url };
    } catch {
      // not a feed, or not reachable: the next candidate
    }
    return null;
  };
  if (c.kind === 'html') {
    for (const cand of discoverFeeds(decodeHtml(first.body, first.headers['content-type']), first.url).slice(0, MAX_LINKED)) {
      const f = await look(cand);
      if (f) found.push(f);
    }
  }
  if (found.length) return found;
  const origin = new URL(first.url).origin;
  for (const p of COMMON_FEED_PATHS) {
    const f = await look(new URL(p, origin).href);
    if (f) return [f];
  }
  throw new DigestError('parse', `no feed found at ${url} (tried the page's <link rel="alternate"> and ${COMMON_FEED_PATHS.length} common paths); give the feed URL itself`, {
    subject: url,
  });
}
