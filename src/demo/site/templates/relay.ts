// The Daily Relay: a WordPress site that republishes other outlets' stories, cruft and all
// (the shape of ../shared/examples/republished-article.txt): "Site icon", the title with a
// " | <Section> News" suffix, "Recommended Stories list of 3 items end of list" copied from
// the source, the caption with its credit in brackets, "Source link", "Exit mobile version".
import type { DemoArticle } from '../model.ts';
import { esc, humanDate, isoIn } from '../common.ts';
import { authorSlug, imagePath, renderBody, url, wireLead, type SiteContext } from '../context.ts';

function chrome(ctx: SiteContext, title: string, head: string, main: string, bodyClass: string): string {
  const o = ctx.outlet;
  return `<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="https://gmpg.org/xfn/11">
<title>${esc(title)}</title>
<meta name="robots" content="index, follow, max-image-preview:large">
${head}
<link rel="alternate" type="application/rss+xml" title="The Daily Relay &raquo; Feed" href="${url(o.feedPath)}">
<link rel="stylesheet" id="relay-style-css" href="${url('/relay/wp-content/themes/newsup/style.css?ver=6.6.2')}" media="all">
<meta name="generator" content="WordPress 6.6.2">
<link rel="icon" href="${url('/relay/wp-content/uploads/2025/02/cropped-icon-32x32.svg')}" sizes="32x32">
</head>
<body class="${bodyClass}">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div id="page" class="site">
<header id="masthead" class="site-header">
<div class="site-branding"><a href="${url(o.home)}" class="custom-logo-link" rel="home"><img width="32" height="32" src="${url('/relay/wp-content/uploads/2025/02/cropped-icon-32x32.svg')}" class="site-icon" alt="Site icon"></a> <p class="site-title"><a href="${url(o.home)}" rel="home">The Daily Relay</a></p>
<p class="site-description">The Daily Relay - a story for you</p></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu"><li><a href="${url('/relay/category/world/')}">World</a></li><li><a href="${url('/relay/category/business/')}">Business</a></li><li><a href="${url('/relay/category/technology/')}">Technology</a></li><li><a href="${url('/relay/category/weather/')}">Weather</a></li><li><a href="${url('/relay/contact/')}">Contact</a></li></ul></nav>
</header>
<div id="content" class="site-content">
${main}
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>${ctx.articles.map((r) => `<li><a href="${url(r.path)}">${esc(r.title)}</a></li>`).join('')}</ul></section>
<section class="widget widget_categories"><h2 class="widget-title">Categories</h2><ul><li><a href="${url('/relay/category/world/')}">World</a></li><li><a href="${url('/relay/category/business/')}">Business</a></li><li><a href="${url('/relay/category/technology/')}">Technology</a></li></ul></section></aside>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">Copyright © 2026 The Daily Relay | Powered by WordPress. The Daily Relay is a fictional outlet in the Occasional Digest demo sample.</div></footer>
</div>
<a href="${url(o.home)}?amp=0" class="ampforwp-mobile-version-switcher">Exit mobile version</a>
<script src="${url('/relay/wp-includes/js/jquery/jquery.min.js?ver=3.7.1')}" id="jquery-core-js"></script>
</body>
</html>
`;
}

export function relayPage(a: DemoArticle, ctx: SiteContext): string {
  const orig = a.copyOf ? ctx.byPath.get(a.copyOf) : undefined;
  const img = a.image ? url(imagePath(a)) : null;
  const title = `${a.title} | ${a.section} News`;
  const head = `<link rel="canonical" href="${url(a.path)}">
<meta property="og:locale" content="en_US">
<meta property="og:type" content="article">
<meta property="og:title" content="${esc(title)}">
<meta property="og:url" content="${url(a.path)}">
<meta property="og:site_name" content="The Daily Relay">
<meta property="article:published_time" content="${isoIn(a.published, 0)}">
${img ? `<meta property="og:image" content="${img}">` : ''}
<meta name="author" content="relaydesk">`;
  const blocks = a.blocks.filter((b) => !b.startsWith('## ')).length;
  const mid = Math.max(3, Math.floor(blocks / 2));
  const recs = ctx.articles.filter((x) => x.path !== a.path).slice(0, 3);
  const body = renderBody(a, {
    lead: a.dateline ? esc(wireLead(a)) : '',
    para: (h) => `<p>${h}</p>`,
    heading: (h) => `<h2 class="wp-block-heading">${h}</h2>`,
    after: (i) =>
      i === 1
        ? `<div class="more-on"><h2>Recommended Stories</h2><span class="screen-reader-text">list of 3 items</span><ul>${recs.map((r) => `<li><a href="${url(r.path)}">${esc(r.title)}</a></li>`).join('')}</ul><span class="screen-reader-text">end of list</span></div>`
        : i === mid && a.image && img
          ? `<figure class="wp-block-image size-large"><img decoding="async" src="${img}" alt=""><figcaption class="wp-element-caption">${esc(a.image.caption)} [${esc(a.image.credit)}]</figcaption></figure>`
          : '',
  });
  const main = `<main id="primary" class="site-main">
<article id="post-${parseInt(a.path.length.toString() + a.published.slice(8, 10), 10)}" class="post type-post status-publish format-standard has-post-thumbnail hentry category-${a.section.toLowerCase().replace(/[^a-z]+/g, '-')}">
<header class="entry-header"><h1 class="entry-title">${esc(title)}</h1>
<div class="entry-meta"><span class="posted-on">Posted on <a href="${url(a.path)}" rel="bookmark"><time class="entry-date published" datetime="${isoIn(a.published, 0)}">${esc(humanDate(a.published, 'short', 0))}</time></a></span> <span class="byline"> by <span class="author vcard"><a class="url fn n" href="${url(`/relay/author/${authorSlug(a.authors[0] ?? "relaydesk")}/`)}">${esc(a.authors[0] ?? "relaydesk")}</a></span></span></div>
</header>
<div class="post-thumbnail">${img ? `<img width="800" height="450" src="${img}" class="attachment-post-thumbnail wp-post-image" alt="" decoding="async">` : ''}</div>
<div class="entry-content">
<p class="has-small-font-size">The Daily Relay - a story for you</p>
${body}
${orig ? `<p><a href="${url(orig.path)}" target="_blank" rel="noopener">Source link</a></p>` : ''}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li class="share-facebook"><a href="#">Facebook</a></li><li class="share-x"><a href="#">X</a></li><li class="share-telegram"><a href="#">Telegram</a></li><li class="share-jetpack-whatsapp"><a href="#">WhatsApp</a></li></ul></div>
<div class="jp-relatedposts"><h3>Related</h3></div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="${url(`/relay/category/${a.section.toLowerCase().replace(/[^a-z]+/g, '-')}/`)}" rel="category tag">${esc(a.section)}</a></span></footer>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation</h2><div class="nav-links">${recs.slice(0, 2).map((r, i) => `<div class="nav-${i ? 'next' : 'previous'}"><a href="${url(r.path)}" rel="${i ? 'next' : 'prev'}">${esc(r.title)}</a></div>`).join('')}</div></nav>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3><p class="must-log-in">You must be <a href="${url('/relay/wp-login.php')}">logged in</a> to post a comment.</p></div></div>
</main>`;
  return chrome(ctx, title, head, main, 'post-template-default single single-post single-format-standard');
}

export function relayHome(ctx: SiteContext): string {
  const main = `<main id="primary" class="site-main">${ctx.articles.map((a) => `<article class="post"><h2 class="entry-title"><a href="${url(a.path)}">${esc(a.title)}</a></h2><div class="entry-summary"><p>${esc(a.blocks[0]?.slice(0, 160) ?? '')} [&hellip;]</p></div></article>`).join('\n')}</main>`;
  return chrome(ctx, 'The Daily Relay - a story for you', '<meta property="og:site_name" content="The Daily Relay">', main, 'home blog');
}
