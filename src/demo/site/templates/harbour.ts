// The Harbour Ledger: a broadsheet's site. Semantic HTML5, JSON-LD NewsArticle, dateline in
// the first paragraph, pull quote, comments under some stories.
import type { DemoArticle } from '../model.ts';
import { esc, humanDate, isoIn } from '../common.ts';
import { authorSlug, imagePath, jsonLd, related, renderBody, url, wireLead, type SiteContext } from '../context.ts';

const NAV = ['News', 'World', 'Business', 'Sport', 'Opinion', 'Culture', 'Weather'];

function chrome(ctx: SiteContext, title: string, head: string, main: string): string {
  const o = ctx.outlet;
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="stylesheet" href="${url('/harbour/assets/ledger.css')}">
<link rel="alternate" type="application/rss+xml" title="${esc(o.name)} – Latest" href="${url(o.feedPath)}">
<link rel="icon" href="${url('/harbour/assets/favicon.svg')}">
${head}
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());gtag('config','HL-000000');</script>
</head>
<body class="hl">
<a class="skip" href="#main">Skip to main content</a>
<div class="hl-topbar"><span>${esc(humanDate('2026-11-27T06:00:00Z', 'weekday'))}</span> <a href="${url('/harbour/subscribe/')}">Subscribe</a> <a href="${url('/harbour/login/')}">Sign in</a></div>
<header class="hl-masthead">
<a class="hl-logo" href="${url(o.home)}">${esc(o.name)}</a>
<p class="hl-tagline">${esc(o.tagline)}</p>
<nav class="hl-nav" aria-label="Sections"><ul>${NAV.map((n) => `<li><a href="${url(`/harbour/news/${n.toLowerCase()}/`)}">${n}</a></li>`).join('')}</ul></nav>
</header>
<main id="main">
${main}
</main>
<footer class="hl-footer">
<nav aria-label="Footer"><a href="${url('/harbour/about/')}">About us</a> · <a href="${url('/harbour/contact/')}">Contact</a> · <a href="${url('/harbour/corrections/')}">Corrections</a> · <a href="${url('/harbour/terms/')}">Terms</a> · <a href="${url('/harbour/privacy/')}">Privacy</a> · <a href="${url(o.feedPath)}">RSS</a></nav>
<p>© 2026 The Harbour Ledger Ltd, 14 Quayside Row, Kingsport. Registered in Aldermark No. 0481123.</p>
<p class="hl-demo-note">The Harbour Ledger is a fictional outlet in the Occasional Digest demo sample.</p>
</footer>
</body>
</html>
`;
}

export function harbourPage(a: DemoArticle, ctx: SiteContext): string {
  const o = ctx.outlet;
  const img = a.image ? url(imagePath(a)) : null;
  const ld = jsonLd({
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    mainEntityOfPage: { '@type': 'WebPage', '@id': url(a.path) },
    headline: a.title,
    description: a.dek ?? undefined,
    image: img ? [img] : undefined,
    datePublished: isoIn(a.published, o.offsetMin),
    dateModified: isoIn(a.updated ?? a.published, o.offsetMin),
    articleSection: a.section,
    keywords: a.tags.join(', '),
    author: a.wire
      ? [{ '@type': 'Organization', name: a.authors[0] }]
      : a.authors.map((n) => ({ '@type': 'Person', name: n, url: url(`/harbour/profile/${authorSlug(n)}/`) })),
    publisher: { '@type': 'Organization', name: o.name, logo: { '@type': 'ImageObject', url: url('/harbour/assets/favicon.svg') } },
    isAccessibleForFree: true,
  });
  const head = `<meta name="description" content="${esc(a.dek ?? '')}">
<link rel="canonical" href="${url(a.path)}">
<meta property="og:type" content="article">
<meta property="og:title" content="${esc(a.title)}">
${ld}`;
  const byline = a.wire
    ? `<span class="hl-author">${esc(a.authors[0])}</span>`
    : a.authors.map((n) => `<a rel="author" class="hl-author" href="${url(`/harbour/profile/${authorSlug(n)}/`)}">${esc(n)}</a>`).join(' and ');
  const body = renderBody(a, {
    lead: a.dateline ? `<span class="hl-dateline">${esc(wireLead(a).trim())}</span> ` : '',
    para: (h) => `<p>${h}</p>`,
    heading: (h) => `<h2 class="hl-subhead">${h}</h2>`,
    pull: (t) => `<blockquote class="hl-pullquote"><p>${esc(t)}</p></blockquote>`,
    pullAfter: 2,
    after: (i) => (i === 4 ? `<aside class="hl-inline-promo"><a href="${url('/harbour/newsletters/')}">Sign up for The Ledger Briefing, our morning email →</a></aside>` : ''),
  });
  const rel = related(a, ctx, 4);
  const comments = a.comments.length
    ? `<section class="hl-comments" id="comments">
<h2>Comments (${a.comments.length})</h2>
<p class="hl-comments-note">Comments are moderated. Read our <a href="${url('/harbour/community/')}">community standards</a>.</p>
<ol>${a.comments.map((c, i) => `<li class="hl-comment"><p class="hl-comment-author">${esc(c.name)} <time>${i + 1}h ago</time></p><p>${esc(c.text)}</p><a href="#" class="hl-reply">Reply</a> <a href="#" class="hl-report">Report</a></li>`).join('\n')}</ol>
</section>`
    : '';
  const main = `<article class="hl-story">
<header class="hl-story-header">
<p class="hl-kicker"><a href="${url(`/harbour/news/${a.section.toLowerCase()}/`)}">${esc(a.section)}</a></p>
<h1 class="hl-headline">${esc(a.title)}</h1>
${a.dek ? `<p class="hl-standfirst">${esc(a.dek)}</p>` : ''}
<div class="hl-byline">By ${byline}${a.role ? `, <span class="hl-role">${esc(a.role)}</span>` : ''}</div>
<p class="hl-dates"><time datetime="${isoIn(a.published, o.offsetMin)}">${esc(humanDate(a.published, 'dayfirst', o.offsetMin))}</time>${a.updated ? ` · Updated <time datetime="${isoIn(a.updated, o.offsetMin)}">${esc(humanDate(a.updated, 'dayfirst', o.offsetMin))}</time>` : ''}</p>
<ul class="hl-share" aria-label="Share this story"><li><a href="#">Share on Facebook</a></li><li><a href="#">Share on X</a></li><li><a href="#">Email</a></li><li><button type="button">Copy link</button></li></ul>
</header>
${a.image && img ? `<figure class="hl-lead-image"><img src="${img}" alt="${esc(a.image.alt)}" width="800" height="450"><figcaption>${esc(a.image.caption)} <span class="hl-credit">Photograph: ${esc(a.image.credit)}</span></figcaption></figure>` : ''}
<div class="hl-story-body">
${body}
</div>
<p class="hl-tags">Topics: ${a.tags.map((t) => `<a href="${url(`/harbour/topic/${authorSlug(t)}/`)}">${esc(t)}</a>`).join(', ')}</p>
<ul class="hl-share hl-share-bottom"><li><a href="#">Share on Facebook</a></li><li><a href="#">Share on X</a></li><li><a href="#">Email</a></li></ul>
</article>
<aside class="hl-related">
<h2>Related stories</h2>
<ul>${rel.map((r) => `<li><a href="${url(r.path)}">${esc(r.title)}</a> <time>${esc(humanDate(r.published, 'short', o.offsetMin))}</time></li>`).join('')}</ul>
</aside>
<section class="hl-newsletter"><h2>The Ledger Briefing</h2><p>The day's essential news from Kingsport and the world, in your inbox at 7am.</p><form action="#"><label>Email address <input type="email" name="email"></label><button>Sign up</button></form></section>
${comments}`;
  return chrome(ctx, `${a.title} | ${a.section} | The Harbour Ledger`, head, main);
}

export function harbourHome(ctx: SiteContext): string {
  const o = ctx.outlet;
  const main = `<h1 class="hl-front">Latest news</h1>
<ol class="hl-front-list">${ctx.articles.map((a) => `<li><a href="${url(a.path)}">${esc(a.title)}</a> <p>${esc(a.dek ?? '')}</p> <time datetime="${isoIn(a.published, o.offsetMin)}">${esc(humanDate(a.published, 'dayfirst', o.offsetMin))}</time></li>`).join('\n')}</ol>`;
  return chrome(ctx, `${o.name} | ${o.tagline}`, '<meta name="description" content="News from Kingsport, Aldermark and the world.">', main);
}
