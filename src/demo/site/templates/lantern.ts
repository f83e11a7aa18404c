// The Lantern Post: a popular paper/magazine. schema.org microdata instead of JSON-LD, a few
// OpenGraph tags, straight quotes from its CMS, comments, a "Most read" rail. One article
// page answers with a bot check instead of the story (the feed carries the full text).
import type { DemoArticle } from '../model.ts';
import { esc, humanDate, isoIn, straightQuotes } from '../common.ts';
import { imagePath, related, renderBody, url, wireLead, type SiteContext } from '../context.ts';

function chrome(ctx: SiteContext, title: string, head: string, main: string): string {
  const o = ctx.outlet;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
${head}
<link rel="alternate" type="application/rss+xml" href="${url(o.feedPath)}" title="The Lantern Post">
<link rel="stylesheet" href="${url('/lantern/wp-content/themes/lantern/style.css')}">
</head>
<body class="single">
<div class="top-strip">BREAKING: Follow our live coverage of Storm Isolde <a href="${url('/lantern/')}">→</a></div>
<header class="site-header"><div class="brand"><a href="${url(o.home)}">The Lantern Post</a><span>${esc(o.tagline)}</span></div>
<nav class="main-nav"><ul><li><a href="${url('/lantern/news/')}">News</a></li><li><a href="${url('/lantern/money/')}">Money</a></li><li><a href="${url('/lantern/sport/')}">Sport</a></li><li><a href="${url('/lantern/tech/')}">Tech</a></li><li><a href="${url('/lantern/life/')}">Life</a></li><li><a href="${url('/lantern/food/')}">Food</a></li><li><a href="${url('/lantern/travel/')}">Travel</a></li></ul></nav></header>
<div class="wrap">
${main}
<aside class="rail"><section class="most-read"><h3>Most read</h3><ol>${ctx.articles.slice(0, 6).map((m) => `<li><a href="${url(m.path)}">${esc(straightQuotes(m.title))}</a></li>`).join('')}</ol></section>
<section class="promo"><a href="${url('/lantern/puzzles/')}">Play today's Lantern crossword</a></section></aside>
</div>
<footer class="site-footer"><p><a href="${url('/lantern/about/')}">About</a> | <a href="${url('/lantern/advertise/')}">Advertise</a> | <a href="${url('/lantern/complaints/')}">Complaints</a> | <a href="${url('/lantern/privacy/')}">Privacy &amp; cookies</a></p><p>© Lantern Post Publishing 2026. The Lantern Post is a fictional outlet in the Occasional Digest demo sample.</p></footer>
<div class="cookie-notice">This site uses cookies. By continuing to browse you agree to our use of cookies. <a href="#">OK</a></div>
</body>
</html>
`;
}

/** What the page serves instead of the story: a bot check. */
export function lanternBotCheck(): string {
  return `<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8"><meta name="robots" content="noindex,nofollow"><title>Just a moment...</title>
<meta http-equiv="refresh" content="30">
<style>body{font-family:system-ui,sans-serif;text-align:center;padding-top:12vh;color:#333}.spinner{width:40px;height:40px;border:4px solid #ddd;border-top-color:#e36b2c;border-radius:50%;margin:20px auto;animation:s 1s linear infinite}@keyframes s{to{transform:rotate(360deg)}}</style></head>
<body><noscript><p>Please enable JavaScript and cookies to continue.</p></noscript>
<h1>Checking your browser before accessing the site.</h1>
<p>This process is automatic. Your browser will redirect to your requested content shortly.</p>
<div class="spinner"></div>
<p>Please allow up to 5 seconds…</p>
<form id="challenge-form" action="?__chk=1" method="POST"><input type="hidden" name="r" value="7f3a9c0e2b"><input type="hidden" name="jschl_vc" value="c1f0a6"></form>
<script>setTimeout(function(){document.getElementById('challenge-form').submit()},5000);</script>
<p class="ray">Request ID: 8c2f1e7a9b4d · Performance &amp; security by ShieldGate</p>
</body></html>
`;
}

export function lanternPage(a: DemoArticle, ctx: SiteContext): string {
  if (a.special === 'bot-check') return lanternBotCheck();
  const o = ctx.outlet;
  const img = a.image ? url(imagePath(a)) : null;
  const title = straightQuotes(a.title);
  const head = `<meta name="description" content="${esc(straightQuotes(a.dek ?? ''))}">
<meta property="og:title" content="${esc(title)}">
<meta property="og:site_name" content="The Lantern Post">
${img ? `<meta property="og:image" content="${img}">` : ''}
<link rel="canonical" href="${url(a.path)}">`;
  const body = renderBody(a, {
    lead: a.dateline ? esc(wireLead(a, '-')) : '',
    para: (h) => `<p>${straightQuotes(h)}</p>`,
    heading: (h) => `<h3>${straightQuotes(h)}</h3>`,
    pull: (t) => `<aside class="pull"><p>${esc(straightQuotes(t))}</p></aside>`,
    pullAfter: 2,
    after: (i) => (i === 2 ? `<div class="in-article-ad"><span>Advertisement - story continues below</span></div>` : ''),
  });
  const rel = related(a, ctx, 3);
  const main = `<main class="content">
<article itemscope itemtype="https://schema.org/NewsArticle">
<meta itemprop="mainEntityOfPage" content="${url(a.path)}">
<p class="cat"><a href="${url(`/lantern/${a.section.toLowerCase()}/`)}">${esc(a.section)}</a></p>
<h1 itemprop="headline">${esc(title)}</h1>
${a.dek ? `<h2 class="sub" itemprop="description">${esc(straightQuotes(a.dek))}</h2>` : ''}
<div class="meta">By <span itemprop="author" itemscope itemtype="https://schema.org/${a.wire ? 'Organization' : 'Person'}"><span itemprop="name">${esc(a.authors.join(' and '))}</span></span>${a.role ? `, ${esc(a.role)}` : ''} | <time itemprop="datePublished" datetime="${isoIn(a.published, o.offsetMin)}">${esc(humanDate(a.published, 'long', o.offsetMin))}</time>${a.updated ? ` | Updated <time itemprop="dateModified" datetime="${isoIn(a.updated, o.offsetMin)}">${esc(humanDate(a.updated, 'long', o.offsetMin))}</time>` : ''}</div>
<div class="share"><a href="#" class="fb">Share</a> <a href="#" class="x">Tweet</a> <a href="#" class="wa">WhatsApp</a> <a href="#" class="mail">Email</a> <span class="count">${(a.published.charCodeAt(15) % 9) + 1}2 shares</span></div>
${a.image && img ? `<figure itemprop="image" itemscope itemtype="https://schema.org/ImageObject"><img itemprop="url" src="${img}" alt="${esc(a.image.alt)}"><figcaption><span itemprop="caption">${esc(straightQuotes(a.image.caption))}</span> <cite itemprop="creditText">Credit: ${esc(a.image.credit)}</cite></figcaption></figure>` : ''}
<div class="entry" itemprop="articleBody">
${body}
</div>
<div class="share share-bottom"><a href="#" class="fb">Share on Facebook</a> <a href="#" class="x">Share on X</a></div>
</article>
<section class="read-next"><h3>Read next</h3><ul>${rel.map((r) => `<li><a href="${url(r.path)}">${esc(straightQuotes(r.title))}</a></li>`).join('')}</ul></section>
<section class="nl-box"><h3>Get the Lantern Lunchtime</h3><p>The best of the Post, every day at noon.</p><form><input type="email" placeholder="Email"><button>Sign me up</button></form></section>
${a.comments.length ? `<section id="comments" class="comments"><h3>${a.comments.length} comments</h3>${a.comments.map((c) => `<div class="comment"><b>${esc(c.name)}</b><p>${esc(straightQuotes(c.text))}</p><span class="votes">▲ ${c.text.length % 40}</span></div>`).join('\n')}<p class="comments-closed">Comments are now closed.</p></section>` : ''}
</main>`;
  return chrome(ctx, `${title} | The Lantern Post`, head, main);
}

export function lanternHome(ctx: SiteContext): string {
  const o = ctx.outlet;
  const main = `<main class="content"><h1>Today's news</h1>${ctx.articles.map((a) => `<div class="teaser"><a href="${url(a.path)}">${esc(straightQuotes(a.title))}</a> <span>${esc(humanDate(a.published, 'long', o.offsetMin))}</span></div>`).join('\n')}</main>`;
  return chrome(ctx, 'The Lantern Post | News, sport and life', `<meta name="description" content="${esc(o.tagline)}">`, main);
}
