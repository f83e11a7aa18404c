// A feed's items into the store: for each new item, fetch and extract its page (or fall back
// to the feed's own content) and store the article, pending analysis. Used by a fetch pass
// (ingest.ts) and by content a WebSub hub pushes (websub.ts).
import type { ExtractedArticle, Feed, FeedItem, NewArticle, Source } from '../core/types.ts';
import { DigestError, toDigestError } from '../core/errors.ts';
import type { PipelineDeps, SourceResult } from './deps.ts';

function articleFromParts(
  source: Source,
  item: FeedItem,
  url: string,
  ext: ExtractedArticle | null,
  fallback: { html: string; text: string } | null,
  extractionError: string | null,
  now: Date,
): NewArticle {
  const published = ext?.published ?? item.published ?? item.updated ?? null;
  // The feed's title is usually the cleanest, unless it carries a site or section suffix
  // that the extractor took off ("… | Technology News").
  const feedTitle = item.title?.replace(/\s+/g, ' ').trim() || null;
  const pageTitle = ext?.title?.trim() || null;
  const title =
    (feedTitle && pageTitle && feedTitle !== pageTitle && feedTitle.startsWith(pageTitle) && pageTitle.length >= feedTitle.length / 2 ? pageTitle : feedTitle) ||
    pageTitle ||
    (fallback?.text ?? ext?.text ?? '').slice(0, 80) ||
    url;
  return {
    sourceId: source.id,
    url,
    canonicalUrl: ext?.canonicalUrl ?? null,
    guid: item.id,
    title,
    byline: ext?.byline ?? item.author ?? null,
    published: published ?? now.toISOString(),
    publishedIsFallback: !published,
    fetchedAt: now.toISOString(),
    text: ext ? ext.text : (fallback?.text ?? ''),
    html: ext ? ext.html : (fallback?.html ?? ''),
    summary: ext?.description ?? null,
    leadImage: ext?.leadImage ?? (item.image ? { url: item.image, caption: null, credit: null } : null),
    siteName: ext?.siteName ?? source.title ?? null,
    section: ext?.section ?? item.categories[0] ?? null,
    lang: ext?.lang ?? null,
    extractedFrom: ext ? 'page' : 'feed',
    extractionMethod: ext?.method ?? null,
    extractionError,
    originalUrl: ext?.originalUrl ?? null,
  };
}

async function ingestItem(deps: PipelineDeps, source: Source, feed: Feed, item: FeedItem, now: Date): Promise<'new' | 'skip'> {
  const url = item.link ?? (item.id && /^https?:\/\//.test(item.id) ? item.id : null);
  if (!url) return 'skip';
  if (await deps.store.hasArticle(source.id, item.id, url)) return 'skip';
  let ext: ExtractedArticle | null = null;
  let extractionError: string | null = null;
  let finalUrl = url;
  try {
    const page = await deps.fetch(url, { kind: 'page' });
    finalUrl = page.url;
    const got = await deps.extract(page);
    if (!got.text.trim()) throw new DigestError('extract', 'the page has no article text', { subject: url });
    ext = got;
  } catch (e) {
    const err = toDigestError(e, 'extract', url);
    extractionError = err.describe();
    deps.log.debug('page not extracted, using feed content', { source: source.url, url, error: err.kind });
  }
  const feedHtml = item.content ?? item.summary ?? '';
  const fallback = ext ? null : deps.fromFeedContent(feedHtml, finalUrl);
  const rec = articleFromParts(source, item, finalUrl, ext, fallback, extractionError, now);
  if (!rec.siteName) rec.siteName = feed.title;
  const { article, created } = await deps.store.upsertArticle(rec);
  if (deps.analyse) await deps.analyse(article, ext);
  return created ? 'new' : 'skip';
}

/** Stores the feed's new items (up to maxItemsPerSource), counting them on `result`. */
export async function ingestItems(
  deps: PipelineDeps,
  source: Source,
  feed: Feed,
  now: Date,
  result: Pick<SourceResult, 'newArticles' | 'itemErrors' | 'deferred'>,
  started = Date.now(),
): Promise<void> {
  const items = feed.items.slice(0, deps.maxItemsPerSource ?? 100);
  const budget = deps.sourceBudgetMs ?? 300_000;
  for (const [i, item] of items.entries()) {
    if (Date.now() - started > budget) {
      // Slow pages must not hold the pass: the rest waits for the next one (and since the
      // source is then incomplete, its validators are not saved).
      result.deferred = items.length - i;
      deps.log.warn('source over its time budget; remaining items deferred', { source: source.url, deferred: result.deferred });
      break;
    }
    try {
      const r = await ingestItem(deps, source, feed, item, now);
      if (r === 'new') result.newArticles++;
    } catch (e) {
      result.itemErrors++;
      deps.log.warn('item failed', { source: source.url, item: item.link ?? item.id, error: toDigestError(e, 'extract').message });
    }
  }
}

