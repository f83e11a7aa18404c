// Feed writers for the demo outlets: RSS 2.0 (plain, with Media RSS, WordPress-style),
// RSS 1.0 (RDF), Atom 1.0, JSON Feed 1.1, and a Google News sitemap.
import type { DemoArticle } from './model.ts';
import { esc, isoIn, rfc822, shortHash, straightQuotes } from './common.ts';
import { bodyHtml, imagePath, url, type SiteContext } from './context.ts';

const cdata = (s: string): string => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

function newest(ctx: SiteContext): string {
  return ctx.articles.reduce((m, a) => (a.updated ?? a.published) > m ? (a.updated ?? a.published) : m, '1970-01-01T00:00:00Z');
}

/** RSS 2.0 as a broadsheet's CMS writes it: summaries only, dc:creator, non-permalink guids. */
export function rss2(ctx: SiteContext): string {
  const o = ctx.outlet;
  const items = ctx.articles.map((a) => `  <item>
   <title>${esc(a.title)}</title>
   <link>${url(a.path)}</link>
   <description>${esc(a.dek ?? a.blocks[0] ?? '')}</description>
   <dc:creator>${esc(a.authors.join(' and '))}</dc:creator>
   <category>${esc(a.section)}</category>
${a.tags.map((t) => `   <category domain="${url('/harbour/topic/')}">${esc(t)}</category>`).join('\n')}
   <pubDate>${rfc822(a.published, o.offsetMin)}</pubDate>
   <guid isPermaLink="false">harbour-${shortHash(a.path, 10)}</guid>
  </item>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
 <channel>
  <title>The Harbour Ledger – Latest news</title>
  <link>${url(o.home)}</link>
  <description>${esc(o.tagline)}</description>
  <language>en-gb</language>
  <copyright>© 2026 The Harbour Ledger Ltd</copyright>
  <lastBuildDate>${rfc822(newest(ctx), o.offsetMin)}</lastBuildDate>
  <ttl>15</ttl>
  <image><url>${url('/harbour/assets/favicon.svg')}</url><title>The Harbour Ledger – Latest news</title><link>${url(o.home)}</link></image>
  <atom:link href="${url(o.feedPath)}" rel="self" type="application/rss+xml"/>
${items.join('\n')}
 </channel>
</rss>
`;
}

/** RSS 2.0 with Media RSS, full content and tracking parameters on links. */
export function rss2Media(ctx: SiteContext): string {
  const o = ctx.outlet;
  const items = ctx.articles.map((a) => {
    const img = a.image ? url(imagePath(a)) : null;
    const html = straightQuotes(bodyHtml(a));
    return `<item>
<title>${esc(straightQuotes(a.title))}</title>
<link>${url(a.path)}?utm_source=rss&amp;utm_medium=feed&amp;utm_campaign=${esc(a.section.toLowerCase())}</link>
<guid isPermaLink="true">${url(a.path)}</guid>
<author>newsdesk@lanternpost.example (${esc(a.authors.join(' and '))})</author>
<category>${esc(a.section)}</category>
<pubDate>${rfc822(a.published, o.offsetMin)}</pubDate>
<description>${esc(straightQuotes(a.dek ?? ''))}</description>
<content:encoded>${cdata(html)}</content:encoded>
${img ? `<media:content url="${img}" medium="image" type="image/svg+xml" width="800" height="450"><media:description type="plain">${esc(straightQuotes(a.image!.caption))}</media:description><media:credit role="photographer">${esc(a.image!.credit)}</media:credit></media:content>\n<media:thumbnail url="${img}" width="800" height="450"/>` : ''}
</item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" version="2.0">
<channel>
<title>The Lantern Post</title>
<link>${url(o.home)}</link>
<description>${esc(o.tagline)}</description>
<language>en</language>
<pubDate>${rfc822(newest(ctx), o.offsetMin)}</pubDate>
<atom:link href="${url(o.feedPath)}" rel="self" type="application/rss+xml"/>
<image><url>${url('/lantern/wp-content/themes/lantern/logo.svg')}</url><title>The Lantern Post</title><link>${url(o.home)}</link></image>
${items.join('\n')}
</channel>
</rss>
`;
}

/** RSS 2.0 as WordPress writes it (the republisher). */
export function rss2Wordpress(ctx: SiteContext): string {
  const o = ctx.outlet;
  const items = ctx.articles.map((a, i) => {
    const orig = a.copyOf ? ctx.byPath.get(a.copyOf) : undefined;
    const html =
      bodyHtml(a) +
      (orig ? `\n<p><a href="${url(orig.path)}" target="_blank" rel="noopener">Source link</a></p>` : '') +
      `\n<p>The post <a href="${url(a.path)}">${esc(a.title)} | ${esc(a.section)} News</a> appeared first on <a href="${url(o.home)}">The Daily Relay</a>.</p>`;
    const excerpt = (a.blocks[0] ?? '').replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').split(/\s+/).slice(0, 40).join(' ');
    return `		<item>
		<title>${esc(a.title)} | ${esc(a.section)} News</title>
		<link>${url(a.path)}</link>
		<comments>${url(a.path)}#respond</comments>
		<dc:creator>${cdata('relaydesk')}</dc:creator>
		<pubDate>${rfc822(a.published, 0).replace('GMT', '+0000')}</pubDate>
		<category>${cdata(a.section)}</category>
		<guid isPermaLink="false">${url(`/relay/?p=${4100 + ctx.articles.length - i}`)}</guid>
		<description>${cdata(`${esc(excerpt)} [&#8230;]`)}</description>
		<content:encoded>${cdata(html)}</content:encoded>
		<wfw:commentRss>${url(a.path)}feed/</wfw:commentRss>
		<slash:comments>0</slash:comments>
		</item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>The Daily Relay</title>
	<atom:link href="${url(o.feedPath)}" rel="self" type="application/rss+xml" />
	<link>${url(o.home)}</link>
	<description>The Daily Relay - a story for you</description>
	<lastBuildDate>${rfc822(newest(ctx), 0).replace('GMT', '+0000')}</lastBuildDate>
	<language>en-US</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<sy:updateFrequency>1</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.6.2</generator>
${items.join('\n')}
	</channel>
</rss>
`;
}

/** RSS 1.0 (RDF) with Dublin Core, as an old regional CMS writes it. */
export function rdf(ctx: SiteContext): string {
  const o = ctx.outlet;
  return `<?xml version="1.0" encoding="windows-1252"?>
<rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel rdf:about="${url(o.home)}">
<title>The Valemont Courier - Latest news</title>
<link>${url(o.home)}</link>
<description>${esc(o.tagline)}</description>
<dc:language>en</dc:language>
<dc:publisher>Éditions du Courrier de Valemont</dc:publisher>
<dc:date>${isoIn(newest(ctx), o.offsetMin)}</dc:date>
<items>
<rdf:Seq>
${ctx.articles.map((a) => `<rdf:li rdf:resource="${url(a.path)}"/>`).join('\n')}
</rdf:Seq>
</items>
</channel>
${ctx.articles
  .map(
    (a) => `<item rdf:about="${url(a.path)}">
<title>${esc(a.title)}</title>
<link>${url(a.path)}</link>
<description>${esc(a.dek ?? a.blocks[0] ?? '')}</description>
<dc:creator>${esc(a.authors.join(', '))}</dc:creator>
<dc:date>${isoIn(a.published, o.offsetMin)}</dc:date>
<dc:subject>${esc(a.section)}</dc:subject>
</item>`,
  )
  .join('\n')}
</rdf:RDF>
`;
}

/** Atom 1.0 with summaries, tag: ids and an image enclosure link. */
export function atom(ctx: SiteContext): string {
  const o = ctx.outlet;
  const entries = ctx.articles.map((a) => {
    const img = a.image ? url(imagePath(a)) : null;
    return ` <entry>
  <title type="html">${esc(esc(a.title))}</title>
  <link rel="alternate" type="text/html" href="${url(a.path)}"/>
  <id>tag:northgatewire.example,2026:${a.slug.split('-').pop()}</id>
  <published>${isoIn(a.published, 0, true)}</published>
  <updated>${isoIn(a.updated ?? a.published, 0, true)}</updated>
${a.authors.map((n) => `  <author><name>${esc(n)}</name></author>`).join('\n')}
  <category term="${esc(a.section.toLowerCase())}" label="${esc(a.section)}"/>
${a.tags.map((t) => `  <category term="${esc(t)}"/>`).join('\n')}
  <summary type="html">${esc(`<p>${esc(a.dek ?? a.blocks[0] ?? '')}</p>`)}</summary>
${img ? `  <link rel="enclosure" type="image/svg+xml" href="${img}"/>` : ''}
 </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
 <title>Northgate Wire</title>
 <subtitle>${esc(o.tagline)}</subtitle>
 <link rel="alternate" type="text/html" href="${url(o.home)}"/>
 <link rel="self" type="application/atom+xml" href="${url(o.feedPath)}"/>
 <id>tag:northgatewire.example,2024:feed</id>
 <updated>${isoIn(newest(ctx), 0, true)}</updated>
 <icon>${url('/northgate/static/icon.svg')}</icon>
 <rights>© 2026 Northgate Media Group</rights>
 <generator uri="https://northgatewire.example/" version="4.2">Northgate Publisher</generator>
${entries.join('\n')}
</feed>
`;
}

/** JSON Feed 1.1 with full content_html (the app-shell site relies on it). */
export function jsonFeed(ctx: SiteContext): string {
  const o = ctx.outlet;
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: 'Meridian Daily',
    home_page_url: url(o.home),
    feed_url: url(o.feedPath),
    description: o.tagline,
    icon: url('/meridian/icon-512.svg'),
    favicon: url('/meridian/favicon.svg'),
    language: 'en',
    authors: [{ name: 'Meridian Daily', url: url(o.home) }],
    items: ctx.articles.map((a) => ({
      id: `meridian:${shortHash(a.path, 12)}`,
      url: url(a.path),
      title: a.title,
      content_html: bodyHtml(a),
      summary: a.dek ?? undefined,
      image: a.image ? url(imagePath(a)) : undefined,
      date_published: isoIn(a.published, 0, true),
      date_modified: a.updated ? isoIn(a.updated, 0, true) : undefined,
      authors: a.authors.map((name) => ({ name })),
      tags: [a.section, ...a.tags],
      language: 'en',
    })),
  };
  return JSON.stringify(feed, null, 2) + '\n';
}

/** Google News sitemap of an outlet (an extra source kind). */
export function newsSitemap(ctx: SiteContext): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
${ctx.articles
  .map(
    (a: DemoArticle) => `<url>
<loc>${url(a.path)}</loc>
<lastmod>${isoIn(a.updated ?? a.published, 0, true)}</lastmod>
<news:news><news:publication><news:name>${esc(ctx.outlet.name)}</news:name><news:language>en</news:language></news:publication><news:publication_date>${isoIn(a.published, 0, true)}</news:publication_date><news:title>${esc(a.title)}</news:title><news:keywords>${esc(a.tags.join(', '))}</news:keywords></news:news>
${a.image ? `<image:image><image:loc>${url(imagePath(a))}</image:loc></image:image>` : ''}
</url>`,
  )
  .join('\n')}
</urlset>
`;
}
