// Feeds out: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the latest articles (copies left out):
// the shared feeds (/feed.*) and a reader's own (/my/feed.*, same builders, another self link).
import type { Article } from '../core/types.ts';
import { outletName } from './data.ts';
import { excerpt, safeUrl } from './format.ts';
import { escapeXml, stripInvalidXml } from './html.ts';

export interface FeedContext {
  siteTitle: string;
  baseUrl: string;
  description?: string;
  /** The feed's own path without the extension (default '/feed'; a reader's own: '/my/feed'). */
  selfPath?: string;
  /** Query string of the feed's own URL ('?folder=News'), kept in its self link. */
  selfQuery?: string;
}

const selfOf = (ctx: FeedContext, ext: 'rss' | 'atom' | 'json') => `${ctx.baseUrl}${ctx.selfPath ?? '/feed'}.${ext}${ctx.selfQuery ?? ''}`;

function when(a: Article): Date {
  const d = new Date(a.published ?? a.fetchedAt);
  return Number.isNaN(d.getTime()) ? new Date(a.fetchedAt) : d;
}

function bodyHtml(a: Article): string {
  if (a.html.trim()) return a.html;
  return a.text
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => `<p>${escapeXml(p)}</p>`)
    .join('\n');
}

function link(a: Article): string {
  return safeUrl(a.canonicalUrl) ?? safeUrl(a.url) ?? '';
}

const x = escapeXml;

export function rss(ctx: FeedContext, articles: Article[]): string {
  const self = selfOf(ctx, 'rss');
  const updated = articles.length ? when(articles[0]) : new Date(0);
  const items = articles.map((a) => {
    const cats = a.section ? `\n      <category>${x(a.section)}</category>` : '';
    const creator = a.byline ? `\n      <dc:creator>${x(a.byline)}</dc:creator>` : '';
    const img =
      a.leadImage && safeUrl(a.leadImage.url) ? `\n      <media:content url="${x(a.leadImage.url)}" medium="image"/>` : '';
    return `    <item>
      <title>${x(a.title)}</title>
      <link>${x(link(a))}</link>
      <guid isPermaLink="true">${x(`${ctx.baseUrl}/articles/${a.id}`)}</guid>
      <pubDate>${when(a).toUTCString()}</pubDate>
      <source url="${x(self)}">${x(outletName(a))}</source>${creator}${cats}${img}
      <description>${x(excerpt(a.summary || a.text, 500))}</description>
      <content:encoded>${x(bodyHtml(a))}</content:encoded>
    </item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
    <title>${x(ctx.siteTitle)}</title>
    <link>${x(ctx.baseUrl + '/')}</link>
    <description>${x(ctx.description ?? `Latest articles on ${ctx.siteTitle}`)}</description>
    <language>en</language>
    <lastBuildDate>${updated.toUTCString()}</lastBuildDate>
    <generator>Occasional Digest</generator>
    <atom:link href="${x(self)}" rel="self" type="application/rss+xml"/>
${items.join('\n')}
  </channel>
</rss>
`;
}

export function atom(ctx: FeedContext, articles: Article[]): string {
  const self = selfOf(ctx, 'atom');
  const updated = articles.length ? when(articles[0]) : new Date(0);
  const entries = articles.map((a) => {
    const author = a.byline || outletName(a);
    const cat = a.section ? `\n    <category term="${x(a.section)}"/>` : '';
    return `  <entry>
    <id>${x(`${ctx.baseUrl}/articles/${a.id}`)}</id>
    <title type="text">${x(a.title)}</title>
    <link rel="alternate" type="text/html" href="${x(link(a))}"/>
    <link rel="related" type="text/html" href="${x(`${ctx.baseUrl}/articles/${a.id}`)}"/>
    <published>${when(a).toISOString()}</published>
    <updated>${when(a).toISOString()}</updated>
    <author><name>${x(author)}</name></author>${cat}
    <source><title>${x(outletName(a))}</title></source>
    <summary type="text">${x(excerpt(a.summary || a.text, 500))}</summary>
    <content type="html">${x(bodyHtml(a))}</content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <id>${x(ctx.baseUrl + '/')}</id>
  <title type="text">${x(ctx.siteTitle)}</title>
  <subtitle type="text">${x(ctx.description ?? `Latest articles on ${ctx.siteTitle}`)}</subtitle>
  <updated>${updated.toISOString()}</updated>
  <link rel="self" type="application/atom+xml" href="${x(self)}"/>
  <link rel="alternate" type="text/html" href="${x(ctx.baseUrl + '/')}"/>
  <author><name>${x(ctx.siteTitle)}</name></author>
  <generator>Occasional Digest</generator>
${entries.join('\n')}
</feed>
`;
}

export function jsonFeed(ctx: FeedContext, articles: Article[]): string {
  const clean = (s: string) => stripInvalidXml(s);
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: ctx.siteTitle,
    home_page_url: ctx.baseUrl + '/',
    feed_url: selfOf(ctx, 'json'),
    description: ctx.description ?? `Latest articles on ${ctx.siteTitle}`,
    language: 'en',
    items: articles.map((a) => {
      const item: Record<string, unknown> = {
        id: `${ctx.baseUrl}/articles/${a.id}`,
        url: link(a) || `${ctx.baseUrl}/articles/${a.id}`,
        title: clean(a.title),
        content_html: clean(bodyHtml(a)),
        summary: clean(excerpt(a.summary || a.text, 500)),
        date_published: when(a).toISOString(),
        authors: [{ name: clean(a.byline || outletName(a)) }],
        _source: { title: outletName(a) },
      };
      if (a.leadImage && safeUrl(a.leadImage.url)) item.image = a.leadImage.url;
      if (a.section) item.tags = [a.section];
      if (a.lang) item.language = a.lang;
      return item;
    }),
  };
  return JSON.stringify(feed, null, 1);
}
