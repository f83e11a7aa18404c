// Northgate Wire: a digital-native site. OpenGraph and Twitter cards only (no JSON-LD),
// div soup with component classes, lazy-loaded lead image, ads between paragraphs.
import type { DemoArticle } from '../model.ts';
import { esc, humanDate, isoIn } from '../common.ts';
import { imagePath, related, renderBody, url, wireLead, type SiteContext } from '../context.ts';

const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==';

function chrome(ctx: SiteContext, title: string, head: string, main: string): string {
  const o = ctx.outlet;
  const trending = ctx.articles.slice(0, 5);
  return `<!doctype html>
<html lang="en" class="no-js">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">
<title>${esc(title)}</title>
${head}
<link rel="alternate" type="application/atom+xml" href="${url(o.feedPath)}" title="Northgate Wire">
<link rel="preload" href="${url('/northgate/static/app.css')}" as="style"><link rel="stylesheet" href="${url('/northgate/static/app.css')}">
<script>document.documentElement.className='js';window.__NGW={env:"prod",ads:true,consent:null};</script>
<script async src="${url('/northgate/static/app.js')}"></script>
</head>
<body>
<div id="consent-banner" class="Consent" role="dialog" aria-label="Cookie consent"><p>We and our partners use cookies to personalise ads and measure traffic.</p><button>Accept all</button><button>Manage choices</button></div>
<div class="Header"><div class="Header__inner"><a class="Header__logo" href="${url(o.home)}" aria-label="Northgate Wire home"><span class="Logo">NORTHGATE<b>WIRE</b></span></a>
<nav class="Header__nav"><a href="${url('/northgate/latest')}">Latest</a><a href="${url('/northgate/politics')}">Politics</a><a href="${url('/northgate/world')}">World</a><a href="${url('/northgate/business')}">Business</a><a href="${url('/northgate/tech')}">Tech</a><a href="${url('/northgate/climate')}">Climate</a><a href="${url('/northgate/sport')}">Sport</a></nav>
<a class="Header__cta" href="${url('/northgate/membership')}">Become a member</a></div></div>
<div class="Page">
<div class="Page__main">
${main}
</div>
<div class="Page__rail">
<div class="AdSlot AdSlot--rail" data-ad-unit="rail-1"><span class="AdSlot__label">Advertisement</span></div>
<div class="Trending"><h3 class="Trending__title">Trending now</h3><ol>${trending.map((t) => `<li><a href="${url(t.path)}">${esc(t.title)}</a></li>`).join('')}</ol></div>
</div>
</div>
<div class="Footer"><div class="Footer__cols"><div><b>Northgate Wire</b><p>${esc(o.tagline)}</p></div><div><a href="${url('/northgate/about')}">About</a><a href="${url('/northgate/careers')}">Careers</a><a href="${url('/northgate/ethics')}">Ethics policy</a><a href="${url('/northgate/tips')}">Send us a tip</a></div><div><a href="${url(o.feedPath)}">Atom feed</a><a href="${url('/northgate/sitemap-news.xml')}">News sitemap</a></div></div>
<p class="Footer__legal">© 2026 Northgate Media Group. All rights reserved. Northgate Wire is a fictional outlet in the Occasional Digest demo sample.</p></div>
</body>
</html>
`;
}

export function northgatePage(a: DemoArticle, ctx: SiteContext): string {
  const o = ctx.outlet;
  const img = a.image ? url(imagePath(a)) : null;
  const desc = a.dek ?? a.blocks[0]?.slice(0, 180) ?? '';
  const head = `<meta name="description" content="${esc(desc)}">
<link rel="canonical" href="${url(a.path)}">
<meta property="og:site_name" content="Northgate Wire">
<meta property="og:type" content="article">
<meta property="og:url" content="${url(a.path)}">
<meta property="og:title" content="${esc(a.title)}">
<meta property="og:description" content="${esc(desc)}">
${img ? `<meta property="og:image" content="${img}">\n<meta property="og:image:alt" content="${esc(a.image!.alt)}">` : ''}
<meta property="article:published_time" content="${isoIn(a.published, 0, true)}">
${a.updated ? `<meta property="article:modified_time" content="${isoIn(a.updated, 0, true)}">` : ''}
<meta property="article:section" content="${esc(a.section)}">
${a.tags.map((t) => `<meta property="article:tag" content="${esc(t)}">`).join('\n')}
<meta name="author" content="${esc(a.authors.join(', '))}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:site" content="@northgatewire">
<meta name="twitter:title" content="${esc(a.title)}">`;
  const body = renderBody(a, {
    lead: a.wire ? esc(wireLead(a)) : '',
    para: (h) => `<div class="TextBlock" data-component="text-block"><p class="TextBlock__p">${h}</p></div>`,
    heading: (h) => `<div class="TextBlock TextBlock--heading"><h2>${h}</h2></div>`,
    pull: (t) => `<div class="PullQuote" data-component="pull-quote"><svg class="PullQuote__mark" viewBox="0 0 10 10" aria-hidden="true"><text y="9">“</text></svg><p>${esc(t)}</p></div>`,
    pullAfter: 3,
    after: (i) =>
      i === 1
        ? `<div class="AdSlot AdSlot--inline" data-ad-unit="inline-1"><span class="AdSlot__label">Advertisement</span><div id="ad-inline-1"></div></div>`
        : i === 5
          ? `<div class="ReadMore" data-component="read-more"><span>Read more:</span> <a href="${url(related(a, ctx, 1)[0]?.path ?? o.home)}">${esc(related(a, ctx, 1)[0]?.title ?? 'Latest news')}</a></div>`
          : '',
  });
  const more = related(a, ctx, 3);
  const main = `<div class="ArticlePage" data-article-id="${esc(a.slug.split('-').pop() ?? '')}">
<div class="Breadcrumbs"><a href="${url(o.home)}">Home</a> / <a href="${url(`/northgate/${a.section.toLowerCase()}`)}">${esc(a.section)}</a></div>
<div class="ArticleHeader">
<h1 class="ArticleHeader__title">${esc(a.title)}</h1>
${a.dek ? `<p class="ArticleHeader__dek">${esc(a.dek)}</p>` : ''}
<div class="ArticleHeader__meta"><div class="Byline">By ${a.authors.map((n) => `<span class="Byline__name">${esc(n)}</span>`).join(', ')}${a.role ? ` <span class="Byline__role">${esc(a.role)}</span>` : ''}</div>
<div class="Timestamp">${a.updated ? `Updated <span data-ts="${isoIn(a.updated, 0, true)}">${esc(humanDate(a.updated, 'long', o.offsetMin))} GMT</span> · ` : ''}Published <span data-ts="${isoIn(a.published, 0, true)}">${esc(humanDate(a.published, 'long', o.offsetMin))} GMT</span></div></div>
<div class="ShareBar"><a class="ShareBar__btn" href="#">Share</a><a class="ShareBar__btn" href="#">Post</a><a class="ShareBar__btn" href="#">WhatsApp</a><a class="ShareBar__btn" href="#">Save</a></div>
</div>
${a.image && img ? `<div class="LeadMedia"><div class="LeadMedia__img"><img class="lazyload" src="${PIXEL}" data-src="${img}" alt="${esc(a.image.alt)}"><noscript><img src="${img}" alt="${esc(a.image.alt)}"></noscript></div><div class="LeadMedia__caption"><span class="Caption">${esc(a.image.caption)}</span> <span class="Credit">(${esc(a.image.credit)})</span></div></div>` : ''}
<div class="ArticleBody">
${a.dateline && !a.wire ? `<span class="Dateline">${esc(a.dateline)}</span>` : ''}
${body}
</div>
<div class="Newsletter"><h3>The Morning Wire</h3><p>Five stories to start your day. Free, every weekday.</p><input type="email" placeholder="you@example.com"><button>Subscribe</button></div>
<div class="MoreFrom"><h3>More from Northgate Wire</h3>${more.map((m) => `<a class="MoreFrom__card" href="${url(m.path)}"><span class="MoreFrom__section">${esc(m.section)}</span><span class="MoreFrom__title">${esc(m.title)}</span></a>`).join('')}</div>
</div>`;
  return chrome(ctx, `${a.title} - Northgate Wire`, head, main);
}

export function northgateHome(ctx: SiteContext): string {
  const o = ctx.outlet;
  const main = `<h1 class="Front__title">Latest</h1>
<div class="Front">${ctx.articles.map((a) => `<a class="Card" href="${url(a.path)}"><span class="Card__section">${esc(a.section)}</span><span class="Card__title">${esc(a.title)}</span><span class="Card__time">${esc(humanDate(a.published, 'long', o.offsetMin))}</span></a>`).join('\n')}</div>`;
  return chrome(ctx, 'Northgate Wire - News, politics and technology', `<meta property="og:site_name" content="Northgate Wire"><meta name="description" content="${esc(o.tagline)}">`, main);
}
