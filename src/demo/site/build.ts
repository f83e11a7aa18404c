// Builds the whole demo site in memory: every page, feed, image and asset as a resource
// whose body still holds {{BASE}} placeholders (the server substitutes its own origin).
import { loadArticles, OUTLET_IDS, type DemoArticle, type OutletId } from './model.ts';
import { esc } from './common.ts';
import { imagePath, url, type OutletInfo, type SiteContext, type Validators } from './context.ts';
import { renderSvg } from './images.ts';
import { atom, jsonFeed, newsSitemap, rdf, rss2, rss2Media, rss2Wordpress } from './feeds.ts';
import { harbourHome, harbourPage } from './templates/harbour.ts';
import { northgateHome, northgatePage } from './templates/northgate.ts';
import { valemontHome, valemontPage } from './templates/valemont.ts';
import { meridianHome, meridianPage } from './templates/meridian.ts';
import { lanternHome, lanternPage } from './templates/lantern.ts';
import { relayHome, relayPage } from './templates/relay.ts';

export interface Resource {
  path: string;
  /** Media type without parameters. */
  type: string;
  /** Charset the body is encoded in when served (text types only). */
  charset: 'utf-8' | 'windows-1252' | null;
  /** Body with {{BASE}} placeholders. */
  body: string;
  /** ISO instant used for Last-Modified. */
  modified: string;
  validators: Validators;
  /** What the resource is, for the manifest and tests. */
  role: 'page' | 'feed' | 'home' | 'image' | 'asset' | 'sitemap' | 'opml' | 'index' | 'robots';
  outlet: OutletId | null;
}

export const OUTLETS: Record<OutletId, OutletInfo> = {
  harbour: {
    id: 'harbour', name: 'The Harbour Ledger', tagline: 'Kingsport’s newspaper since 1871',
    home: '/harbour/', feedPath: '/harbour/rss.xml', feedFormat: 'rss2', feedType: 'application/rss+xml',
    charset: 'utf-8', offsetMin: 0, feedValidators: 'both', lang: 'en-GB',
  },
  northgate: {
    id: 'northgate', name: 'Northgate Wire', tagline: 'Independent news on politics, technology and the economy',
    home: '/northgate/', feedPath: '/northgate/feed.atom', feedFormat: 'atom', feedType: 'application/atom+xml',
    charset: 'utf-8', offsetMin: 0, feedValidators: 'weak-etag', lang: 'en',
  },
  valemont: {
    id: 'valemont', name: 'The Valemont Courier', tagline: 'Daily news of Saint-Clair and the Valemont region',
    home: '/valemont/', feedPath: '/valemont/index.rdf', feedFormat: 'rdf', feedType: 'application/rdf+xml',
    charset: 'windows-1252', offsetMin: 60, feedValidators: 'last-modified', lang: 'en',
  },
  meridian: {
    id: 'meridian', name: 'Meridian Daily', tagline: 'World news, explained',
    home: '/meridian/', feedPath: '/meridian/feed.json', feedFormat: 'jsonfeed', feedType: 'application/feed+json',
    charset: 'utf-8', offsetMin: 0, feedValidators: 'none', lang: 'en',
  },
  lantern: {
    id: 'lantern', name: 'The Lantern Post', tagline: 'News, sport and life, with the lights on',
    home: '/lantern/', feedPath: '/lantern/feed/rss2/', feedFormat: 'rss2-media', feedType: 'application/rss+xml',
    charset: 'utf-8', offsetMin: 0, feedValidators: 'both', lang: 'en',
  },
  relay: {
    id: 'relay', name: 'The Daily Relay', tagline: 'The Daily Relay - a story for you',
    home: '/relay/', feedPath: '/relay/feed/', feedFormat: 'rss2-wp', feedType: 'application/rss+xml',
    charset: 'utf-8', offsetMin: 0, feedValidators: 'both', lang: 'en-US',
  },
};

const PAGE: Record<OutletId, (a: DemoArticle, ctx: SiteContext) => string> = {
  harbour: harbourPage, northgate: northgatePage, valemont: valemontPage,
  meridian: meridianPage, lantern: lanternPage, relay: relayPage,
};
const HOME: Record<OutletId, (ctx: SiteContext) => string> = {
  harbour: harbourHome, northgate: northgateHome, valemont: valemontHome,
  meridian: meridianHome, lantern: lanternHome, relay: relayHome,
};
const FEED = { rss2, atom, rdf, jsonfeed: jsonFeed, 'rss2-media': rss2Media, 'rss2-wp': rss2Wordpress };

const STYLE: Record<OutletId, [string, string]> = {
  harbour: ['/harbour/assets/ledger.css', 'body{font-family:Georgia,serif;max-width:720px;margin:auto;padding:0 12px;color:#1a1a1a}.hl-logo{font-size:2rem;font-weight:bold;color:#0b2545;text-decoration:none}.hl-nav ul{display:flex;flex-wrap:wrap;gap:12px;list-style:none;padding:0}.hl-pullquote{font-size:1.3rem;border-left:4px solid #0b2545;padding-left:12px}img{max-width:100%;height:auto}.hl-credit{color:#666;font-size:.8rem}.hl-share{display:flex;gap:8px;list-style:none;padding:0}'],
  northgate: ['/northgate/static/app.css', 'body{font-family:Helvetica,Arial,sans-serif;margin:0}.Header{background:#111;color:#fff;padding:10px}.Header a{color:#fff;margin-right:10px}.Page{display:flex;flex-wrap:wrap;max-width:1100px;margin:auto}.Page__main{flex:1 1 600px;padding:12px}.Page__rail{flex:0 1 300px;padding:12px}.AdSlot{background:#f3f3f3;min-height:90px;text-align:center;font-size:11px;color:#888}img{max-width:100%}.PullQuote{font-size:1.4rem;font-weight:bold}.Consent{position:fixed;bottom:0;background:#fff;border:1px solid #ccc;padding:8px}'],
  valemont: ['/valemont/css/courier.css', 'body{font-family:Verdana,sans-serif;font-size:12px;background:#eee}#wrapper{width:980px;margin:auto;background:#fff}#menu{background:#7a1f1f;color:#fff;padding:4px}#menu a{color:#fff}.titre{font-family:Georgia,serif;color:#7a1f1f}.legende{font-size:11px;color:#555}.exergue{font-size:16px;font-style:italic;margin:10px 30px;color:#7a1f1f}img{max-width:100%}'],
  meridian: ['/meridian/_next/static/css/app.css', 'body{font-family:system-ui,sans-serif;margin:0;color:#111}main{max-width:760px;margin:auto;padding:16px}header{border-bottom:3px solid #c8102e;padding:8px 16px}nav a{margin-right:12px}img{max-width:100%;height:auto}figure blockquote{font-size:1.4rem;border-left:4px solid #c8102e;margin:16px 0;padding-left:12px}'],
  lantern: ['/lantern/wp-content/themes/lantern/style.css', 'body{font-family:Arial,sans-serif;margin:0}.top-strip{background:#e36b2c;color:#fff;padding:6px}.site-header{background:#222;color:#fff;padding:10px}.site-header a{color:#fff}.wrap{display:flex;flex-wrap:wrap;max-width:1000px;margin:auto}.content{flex:1 1 600px;padding:10px}.rail{flex:0 1 280px;padding:10px}img{max-width:100%}.pull{font-size:1.5rem;color:#e36b2c}.cookie-notice{position:fixed;bottom:0;width:100%;background:#333;color:#fff;padding:6px}'],
  relay: ['/relay/wp-content/themes/newsup/style.css?ver=6.6.2', 'body{font-family:sans-serif;margin:0}.site-header{background:#1e73be;color:#fff;padding:10px}.site-header a{color:#fff}.site-content{display:flex;flex-wrap:wrap;max-width:1100px;margin:auto}.site-main{flex:1 1 600px;padding:10px}.widget-area{flex:0 1 300px;padding:10px}.screen-reader-text{position:absolute;left:-9999px}img{max-width:100%}'],
};

function logoSvg(text: string, color: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="360" height="60" viewBox="0 0 360 60"><rect width="360" height="60" fill="${color}"/><text x="12" y="40" font-family="Georgia,serif" font-size="28" fill="#fff">${esc(text)}</text></svg>\n`;
}

export interface BuiltSite {
  resources: Map<string, Resource>;
  articles: DemoArticle[];
  outlets: Record<OutletId, OutletInfo>;
}

let built: BuiltSite | null = null;

/** The demo site (built once, then cached). */
export function buildSite(): BuiltSite {
  if (built) return built;
  const articles = loadArticles();
  const byPath = new Map(articles.map((a) => [a.path, a]));
  const resources = new Map<string, Resource>();
  const STATIC_DATE = '2026-11-20T09:00:00Z';
  const add = (r: Omit<Resource, 'charset' | 'validators' | 'modified'> & Partial<Resource>): void => {
    const textual = /^(text\/|application\/(.*\+)?(xml|json)|image\/svg\+xml|application\/javascript)/.test(r.type);
    resources.set(r.path, {
      charset: textual ? 'utf-8' : null,
      validators: 'both',
      modified: STATIC_DATE,
      ...r,
    });
  };
  for (const id of OUTLET_IDS) {
    const outlet = OUTLETS[id];
    const own = articles
      .filter((a) => a.outlet === id)
      .sort((x, y) => Date.parse(y.published) - Date.parse(x.published));
    const ctx: SiteContext = { outlet, articles: own, byPath, outlets: OUTLETS };
    const newest = own.reduce((m, a) => ((a.updated ?? a.published) > m ? (a.updated ?? a.published) : m), STATIC_DATE);
    for (const a of own) {
      add({ path: a.path, type: 'text/html', charset: outlet.charset, body: PAGE[id](a, ctx), modified: a.updated ?? a.published, role: 'page', outlet: id });
      if (a.image) add({ path: imagePath(a), type: 'image/svg+xml', body: renderSvg(a.image.kind, a.path, a.image.alt), modified: a.published, role: 'image', outlet: id });
    }
    add({ path: outlet.home, type: 'text/html', charset: outlet.charset, body: HOME[id](ctx), modified: newest, role: 'home', outlet: id });
    add({
      path: outlet.feedPath,
      type: outlet.feedType,
      charset: outlet.charset,
      body: FEED[outlet.feedFormat](ctx),
      modified: newest,
      validators: outlet.feedValidators,
      role: 'feed',
      outlet: id,
    });
    const [cssPath, css] = STYLE[id];
    add({ path: cssPath.replace(/\?.*$/, ''), type: 'text/css', body: css, role: 'asset', outlet: id });
    if (id === 'northgate') add({ path: '/northgate/sitemap-news.xml', type: 'application/xml', body: newsSitemap(ctx), modified: newest, role: 'sitemap', outlet: id });
  }
  // Small assets the pages reference.
  const svg = (path: string, body: string, outlet: OutletId): void => add({ path, type: 'image/svg+xml', body, role: 'asset', outlet });
  svg('/harbour/assets/favicon.svg', logoSvg('HL', '#0b2545').replace('width="360"', 'width="60"'), 'harbour');
  svg('/valemont/images/logo.svg', logoSvg('The Valemont Courier', '#7a1f1f'), 'valemont');
  svg('/valemont/images/pub-garage.svg', logoSvg('Garage Moreau', '#335'), 'valemont');
  svg('/northgate/static/icon.svg', logoSvg('NW', '#111'), 'northgate');
  svg('/meridian/icon-512.svg', logoSvg('M', '#c8102e'), 'meridian');
  svg('/meridian/favicon.svg', logoSvg('M', '#c8102e'), 'meridian');
  svg('/lantern/wp-content/themes/lantern/logo.svg', logoSvg('The Lantern Post', '#e36b2c'), 'lantern');
  svg('/relay/wp-content/uploads/2025/02/cropped-icon-32x32.svg', logoSvg('R', '#1e73be'), 'relay');
  for (const [path, outlet] of [
    ['/northgate/static/app.js', 'northgate'],
    ['/valemont/js/jquery.min.js', 'valemont'],
    ['/meridian/_next/static/chunks/main.js', 'meridian'],
    ['/relay/wp-includes/js/jquery/jquery.min.js', 'relay'],
  ] as const) {
    add({ path, type: 'application/javascript', body: '/* demo placeholder: the sample pages need no script */\n', role: 'asset', outlet });
  }
  const feeds = OUTLET_IDS.map((id) => OUTLETS[id]);
  add({
    path: '/demo.opml',
    type: 'text/x-opml',
    role: 'opml',
    outlet: null,
    body: `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
<head><title>Occasional Digest demo sources</title><dateCreated>Fri, 27 Nov 2026 12:00:00 GMT</dateCreated></head>
<body>
<outline text="News">
${feeds.filter((o) => o.id !== 'relay').map((o) => `<outline type="rss" text="${esc(o.name)}" title="${esc(o.name)}" xmlUrl="${url(o.feedPath)}" htmlUrl="${url(o.home)}"/>`).join('\n')}
</outline>
<outline text="Aggregators">
<outline type="rss" text="The Daily Relay" title="The Daily Relay" xmlUrl="${url(OUTLETS.relay.feedPath)}" htmlUrl="${url(OUTLETS.relay.home)}"/>
</outline>
</body>
</opml>
`,
  });
  add({
    path: '/robots.txt',
    type: 'text/plain',
    role: 'robots',
    outlet: null,
    body: `User-agent: *\nDisallow: /relay/wp-admin/\nDisallow: /lantern/search/\nAllow: /\n\nSitemap: ${url('/northgate/sitemap-news.xml')}\n`,
  });
  add({
    path: '/',
    type: 'text/html',
    role: 'index',
    outlet: null,
    body: `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Occasional Digest demo sources</title>
${feeds.map((o) => `<link rel="alternate" type="${o.feedType}" title="${esc(o.name)}" href="${url(o.feedPath)}">`).join('\n')}
</head><body><h1>Occasional Digest demo sources</h1>
<p>Six fictional outlets with original content written for the Occasional Digest demo (MIT licence). All of it is invented: the people, places, companies and events do not exist.</p>
<ul>${feeds.map((o) => `<li><a href="${url(o.home)}">${esc(o.name)}</a> — <a href="${url(o.feedPath)}">feed</a></li>`).join('\n')}</ul>
<p><a href="${url('/demo.opml')}">All feeds as OPML</a></p></body></html>
`,
  });
  built = { resources, articles, outlets: OUTLETS };
  return built;
}
