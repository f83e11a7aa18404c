// JSON Feed 1.0 / 1.1 → Feed.

import type { Feed, FeedItem } from '../core/types.ts';
import { DigestError } from '../core/errors.ts';
import { parseDate } from './dates.ts';
import { resolveUrl } from './url.ts';

type J = Record<string, unknown>;

function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function authorOf(o: J): string | null {
  const list = Array.isArray(o.authors) ? o.authors : o.author ? [o.author] : [];
  const names: string[] = [];
  for (const a of list) {
    if (a && typeof a === 'object') {
      const n = str((a as J).name) ?? str((a as J).url);
      if (n) names.push(n);
    } else if (typeof a === 'string' && a.trim()) names.push(a.trim());
  }
  return names.length ? names.join(', ') : null;
}

export function parseJsonFeed(text: string, base: string | null, subject?: string): Feed {
  let data: unknown;
  try {
    data = JSON.parse(text.trim());
  } catch (e) {
    throw new DigestError('parse', `invalid JSON: ${(e as Error).message}`, { subject, cause: e });
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new DigestError('parse', 'JSON document is not a JSON Feed', { subject });
  const o = data as J;
  const version = str(o.version) ?? '';
  if (!/jsonfeed\.org\/version\//.test(version) && !Array.isArray(o.items)) {
    throw new DigestError('parse', 'JSON document is not a JSON Feed (no version or items)', { subject });
  }
  const feedBase = str(o.feed_url) ? resolveUrl(str(o.feed_url) as string, base) : base;
  const abs = (u: string | null) => (u ? resolveUrl(u, feedBase) : null);
  const items: FeedItem[] = [];
  for (const raw of Array.isArray(o.items) ? o.items : []) {
    if (!raw || typeof raw !== 'object') continue;
    const i = raw as J;
    const tags = Array.isArray(i.tags) ? i.tags.filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => t.trim()) : [];
    const enclosures = (Array.isArray(i.attachments) ? i.attachments : [])
      .filter((a): a is J => !!a && typeof a === 'object' && !!str((a as J).url))
      .map((a) => ({
        url: abs(str(a.url)) as string,
        type: str(a.mime_type),
        length: typeof a.size_in_bytes === 'number' && Number.isFinite(a.size_in_bytes) ? a.size_in_bytes : null,
      }));
    const contentHtml = typeof i.content_html === 'string' ? i.content_html : null;
    const contentText = typeof i.content_text === 'string' ? i.content_text : null;
    const item: FeedItem = {
      id: str(i.id),
      title: str(i.title),
      link: abs(str(i.url)) ?? abs(str(i.external_url)),
      summary: str(i.summary),
      content: contentHtml ?? contentText,
      author: authorOf(i) ?? authorOf(o),
      published: parseDate(str(i.date_published)),
      updated: parseDate(str(i.date_modified)),
      enclosures,
      categories: tags,
    };
    const img = abs(str(i.image)) ?? abs(str(i.banner_image));
    if (img) item.image = img;
    items.push(item);
  }
  const feed: Feed = {
    title: str(o.title),
    link: abs(str(o.home_page_url)),
    description: str(o.description),
    language: str(o.language),
    author: authorOf(o),
    items,
  };
  const image = abs(str(o.icon)) ?? abs(str(o.favicon));
  if (image) feed.image = image;
  const hubs = Array.isArray(o.hubs) ? o.hubs : [];
  for (const h of hubs) if (h && typeof h === 'object' && str((h as J).url)) feed.hub ??= str((h as J).url);
  if (str(o.feed_url)) feed.self = feedBase;
  return feed;
}
