// Meridian Daily: an international news site built on a JavaScript framework. JSON-LD
// NewsArticle (with articleBody) plus OpenGraph, hashed class names, a __NEXT_DATA__ blob;
// one page ships its body only in JSON-LD (the app shell renders it client-side).
import type { DemoArticle } from '../model.ts';
import { esc, humanDate, isoIn, shortHash } from '../common.ts';
import { bodyText, imagePath, jsonLd, related, renderBody, url, wireLead, type SiteContext } from '../context.ts';

const cls = (name: string): string => `css-${shortHash('m' + name, 6)}`;

function chrome(ctx: SiteContext, title: string, head: string, main: string, data: unknown): string {
  const o = ctx.outlet;
  return `<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/><title>${esc(title)}</title>
${head}
<link rel="alternate" type="application/feed+json" title="Meridian Daily" href="${url(o.feedPath)}"/>
<link rel="stylesheet" href="${url('/meridian/_next/static/css/app.css')}"/>
<script src="${url('/meridian/_next/static/chunks/main.js')}" defer=""></script>
</head><body><div id="__next">
<header class="${cls('header')}"><div class="${cls('bar')}"><a href="${url(o.home)}" class="${cls('logo')}"><svg viewBox="0 0 120 20" width="120" height="20" aria-label="Meridian Daily"><text x="0" y="16">MERIDIAN</text></svg></a>
<nav class="${cls('nav')}"><a href="${url('/meridian/world')}">World</a><a href="${url('/meridian/politics')}">Politics</a><a href="${url('/meridian/economy')}">Economy</a><a href="${url('/meridian/science')}">Science</a><a href="${url('/meridian/culture')}">Culture</a><a href="${url('/meridian/video')}">Video</a></nav>
<button class="${cls('search')}" aria-label="Search"></button></div></header>
<main class="${cls('main')}">${main}</main>
<footer class="${cls('footer')}"><div><a href="${url('/meridian/about')}">About Meridian</a><a href="${url('/meridian/standards')}">Editorial standards</a><a href="${url('/meridian/privacy')}">Privacy</a><a href="${url('/meridian/cookies')}">Cookie settings</a></div><p>© 2026 Meridian Daily. Meridian Daily is a fictional outlet in the Occasional Digest demo sample.</p></footer>
</div>
<script id="__NEXT_DATA__" type="application/json">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
</body></html>
`;
}

export function meridianPage(a: DemoArticle, ctx: SiteContext): string {
  const o = ctx.outlet;
  const img = a.image ? url(imagePath(a)) : null;
  const shell = a.special === 'jsonld-only';
  const ld = jsonLd({
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    url: url(a.path),
    headline: a.title,
    alternativeHeadline: a.dek ?? undefined,
    description: a.dek ?? undefined,
    image: img ? { '@type': 'ImageObject', url: img, width: 800, height: 450, caption: a.image!.caption, creditText: a.image!.credit } : undefined,
    datePublished: isoIn(a.published, 0, true),
    dateModified: isoIn(a.updated ?? a.published, 0, true),
    author: a.authors.map((n) => (a.wire ? { '@type': 'Organization', name: n } : { '@type': 'Person', name: n, jobTitle: a.role ?? undefined })),
    publisher: { '@type': 'NewsMediaOrganization', name: 'Meridian Daily', url: url(o.home) },
    articleSection: a.section,
    keywords: a.tags,
    inLanguage: 'en',
    articleBody: bodyText(a),
  });
  const head = `<meta name="description" content="${esc(a.dek ?? '')}"/>
<link rel="canonical" href="${url(a.path)}"/>
<meta property="og:title" content="${esc(a.title)}"/><meta property="og:description" content="${esc(a.dek ?? '')}"/><meta property="og:type" content="article"/><meta property="og:site_name" content="Meridian Daily"/><meta property="og:url" content="${url(a.path)}"/>${img ? `<meta property="og:image" content="${img}"/>` : ''}
${ld}`;
  const body = renderBody(a, {
    lead: a.dateline ? esc(wireLead(a)) : '',
    para: (h) => `<p class="${cls('p')}">${h}</p>`,
    heading: (h) => `<h2 class="${cls('h2')}">${h}</h2>`,
    pull: (t) => `<figure class="${cls('quote')}"><blockquote><p>${esc(t)}</p></blockquote></figure>`,
    pullAfter: 2,
    after: (i) => (i === 3 ? `<div class="${cls('ad')}" data-testid="ad-slot"><p>ADVERTISEMENT</p></div>` : ''),
  });
  const rel = related(a, ctx, 3);
  const main = `<article class="${cls('article')}" data-testid="article">
<div class="${cls('section')}"><a href="${url(`/meridian/${a.section.toLowerCase()}`)}">${esc(a.section)}</a></div>
<h1 class="${cls('headline')}" data-testid="headline">${esc(a.title)}</h1>
${a.dek ? `<p class="${cls('dek')}">${esc(a.dek)}</p>` : ''}
<div class="${cls('meta')}"><span class="${cls('by')}">By ${esc(a.authors.join(' and '))}</span>${a.role ? `<span class="${cls('role')}">${esc(a.role)}</span>` : ''}<time dateTime="${isoIn(a.published, 0, true)}">${esc(humanDate(a.published, 'long', 0))} GMT</time></div>
<div class="${cls('share')}" role="group" aria-label="Share"><button>Facebook</button><button>X</button><button>LinkedIn</button><button>Copy link</button></div>
${a.image && img && !shell ? `<figure class="${cls('figure')}"><picture><img src="${img}" alt="${esc(a.image.alt)}" loading="eager" width="800" height="450"/></picture><figcaption class="${cls('caption')}"><span>${esc(a.image.caption)}</span> <span class="${cls('credit')}">${esc(a.image.credit)}</span></figcaption></figure>` : ''}
${shell ? `<div class="${cls('body')}" data-testid="article-body" data-hydrate="true"><div class="${cls('skeleton')}" aria-busy="true"><span></span><span></span><span></span></div><noscript>Please enable JavaScript to read this article.</noscript></div>` : `<section class="${cls('body')}" data-testid="article-body">\n${body}\n</section>`}
</article>
<aside class="${cls('newsletter')}"><h2>Meridian Briefing</h2><p>The world's news, explained, every evening.</p><a href="${url('/meridian/newsletters')}">Sign up</a></aside>
<section class="${cls('related')}" data-testid="related"><h2>Related</h2><ul>${rel.map((r) => `<li><a href="${url(r.path)}">${esc(r.title)}</a></li>`).join('')}</ul></section>`;
  const data = {
    props: { pageProps: { articleId: shortHash(a.path), section: a.section, headline: a.title, hydrate: shell } },
    page: '/[section]/[slug]',
    buildId: 'mD7x2',
  };
  return chrome(ctx, `${a.title} | Meridian Daily`, head, main, data);
}

export function meridianHome(ctx: SiteContext): string {
  const main = `<h1 class="${cls('front')}">Top stories</h1><ul class="${cls('list')}">${ctx.articles.map((a) => `<li><a href="${url(a.path)}">${esc(a.title)}</a><p>${esc(a.dek ?? '')}</p></li>`).join('')}</ul>`;
  return chrome(ctx, 'Meridian Daily – World news, explained', '<meta name="description" content="World news, explained."/><meta property="og:site_name" content="Meridian Daily"/>', main, { page: '/' });
}
