// The page shell every HTML page shares: landmarks, skip link, header with search,
// feed autodiscovery links and footer.
import { html, type SafeHtml } from './html.ts';

export interface LayoutOptions {
  siteTitle: string;
  /** Page title; the site title is appended. */
  title: string | null;
  /** Absolute base URL, without a trailing slash. */
  baseUrl: string;
  /** Path of this page (for the canonical link). */
  path: string;
  cssHref: string;
  description?: string | null;
  /** Search query to keep in the search box. */
  query?: string;
  /** Which nav item is current. */
  current?: 'home' | 'sources' | 'search' | 'account' | 'admin' | 'login' | 'rules' | 'my' | 'unread' | 'starred' | 'my-sources' | null;
  /** Who is signed in (null: nobody), and the CSRF token for the sign-out form. */
  viewer?: { name: string; admin: boolean } | null;
  csrf?: string;
  noindex?: boolean;
  lang?: string;
}

/** The keyboard script's address (versioned like the style sheet; set by the web app). */
export const script = { href: '/static/keys.js' };

function accountNav(o: LayoutOptions): SafeHtml {
  if (!o.viewer) {
    const next = o.path && o.path !== '/' && o.path !== '/login' ? `?next=${encodeURIComponent(o.path)}` : '';
    return html`<div class="account-nav"><a href="/login${next}"${o.current === 'login' ? html` aria-current="page"` : ''}>Sign in</a></div>`;
  }
  return html`<div class="account-nav">
<a href="/account"${o.current === 'account' ? html` aria-current="page"` : ''}><span class="visually-hidden">Account: </span>${o.viewer.name}</a> <a href="/my/rules"${o.current === 'rules' ? html` aria-current="page"` : ''}>Rules</a>${o.viewer.admin ? html` <a href="/admin/users"${o.current === 'admin' ? html` aria-current="page"` : ''}>Users</a> <a href="/admin/briefs">Digests</a>` : ''}
<form class="inline-form" method="post" action="/logout"><input type="hidden" name="csrf" value="${o.csrf ?? ''}"><button type="submit" class="link-button">Sign out</button></form>
</div>`;
}

export function layout(o: LayoutOptions, body: SafeHtml): SafeHtml {
  const full = o.title ? `${o.title} · ${o.siteTitle}` : o.siteTitle;
  const cur = (k: LayoutOptions['current']) => (o.current === k ? html` aria-current="page"` : '');
  return html`<!doctype html>
<html lang="${o.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${full}</title>
${o.description ? html`<meta name="description" content="${o.description}">\n` : ''}${o.noindex ? html`<meta name="robots" content="noindex">\n` : ''}<meta name="color-scheme" content="light dark">
<link rel="stylesheet" href="${o.cssHref}">
<link rel="icon" href="/static/icon.svg" type="image/svg+xml">
${o.viewer ? html`<script src="${script.href}" defer></script>\n` : ''}
<link rel="canonical" href="${o.baseUrl + o.path}">
<link rel="alternate" type="application/rss+xml" title="${o.siteTitle} (RSS)" href="${o.baseUrl}/feed.rss">
<link rel="alternate" type="application/atom+xml" title="${o.siteTitle} (Atom)" href="${o.baseUrl}/feed.atom">
<link rel="alternate" type="application/feed+json" title="${o.siteTitle} (JSON Feed)" href="${o.baseUrl}/feed.json">
${o.viewer && (o.path === '/my' || o.path.startsWith('/my/')) ? html`<link rel="alternate" type="application/rss+xml" title="${o.siteTitle}: mine (RSS)" href="${o.baseUrl}/my/feed.rss">
<link rel="alternate" type="application/atom+xml" title="${o.siteTitle}: mine (Atom)" href="${o.baseUrl}/my/feed.atom">
<link rel="alternate" type="application/feed+json" title="${o.siteTitle}: mine (JSON Feed)" href="${o.baseUrl}/my/feed.json">
` : ''}</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<div class="wrap header-inner">
<a class="brand" href="/">${o.siteTitle}</a>
<nav class="site-nav" aria-label="Main">
<ul>
<li><a href="/"${cur('home')}>Latest</a></li>
<li><a href="/sources"${cur('sources')}>Sources</a></li>
${o.viewer ? html`<li><a href="/my"${o.current === 'my' || o.current === 'unread' || o.current === 'starred' || o.current === 'my-sources' ? html` aria-current="page"` : ''}>Mine</a></li>` : ''}
</ul>
</nav>
${accountNav(o)}
<form class="search-form" role="search" action="/search" method="get">
<label for="site-search" class="visually-hidden">Search articles</label>
<input id="site-search" type="search" name="q" value="${o.query ?? ''}" placeholder="Search articles" autocomplete="off">
<button type="submit">Search</button>
</form>
</div>
</header>
<main id="main" class="wrap" tabindex="-1">
${body}
</main>
<footer class="site-footer">
<div class="wrap">
<p>${o.siteTitle} · Follow by <a href="/feed.rss">RSS</a>, <a href="/feed.atom">Atom</a> or <a href="/feed.json">JSON Feed</a> · <a href="/sources">Source health</a></p>
</div>
</footer>
</body>
</html>
`;
}
