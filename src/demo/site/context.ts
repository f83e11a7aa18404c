// What an outlet template gets to render one page: the outlet, its articles, and URL helpers.
import type { DemoArticle, OutletId } from './model.ts';
import { BASE, inline, isHeading, shortHash } from './common.ts';

export type FeedFormat = 'rss2' | 'rdf' | 'atom' | 'jsonfeed' | 'rss2-media' | 'rss2-wp';
export type Validators = 'both' | 'etag' | 'weak-etag' | 'last-modified' | 'none';

export interface OutletInfo {
  id: OutletId;
  name: string;
  tagline: string;
  /** Path of the outlet's front page ("/harbour/"). */
  home: string;
  feedPath: string;
  feedFormat: FeedFormat;
  feedType: string;
  charset: 'utf-8' | 'windows-1252';
  /** UTC offset (minutes) the outlet writes its local times in. */
  offsetMin: number;
  /** Cache validators the outlet's feed is served with. */
  feedValidators: Validators;
  lang: string;
}

export interface SiteContext {
  outlet: OutletInfo;
  /** This outlet's articles, newest first. */
  articles: DemoArticle[];
  /** Every article of the sample by path. */
  byPath: Map<string, DemoArticle>;
  outlets: Record<OutletId, OutletInfo>;
}

export const url = (path: string): string => BASE + path;

export function imagePath(a: DemoArticle): string {
  const name = a.slug.replace(/\/$/, '').split('/').pop() ?? 'image';
  return `/${a.outlet}/media/${shortHash(a.path, 6)}-${name}.svg`;
}

export const authorSlug = (name: string): string =>
  name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** Other articles of the outlet to list as related: same story first, then newest. */
export function related(a: DemoArticle, ctx: SiteContext, n = 3): DemoArticle[] {
  const others = ctx.articles.filter((x) => x.path !== a.path);
  const same = others.filter((x) => a.story && x.story === a.story);
  const rest = others.filter((x) => !same.includes(x));
  return [...same, ...rest].slice(0, n);
}

export interface BodyOptions {
  para: (html: string, i: number) => string;
  heading: (html: string) => string;
  /** Markup of the pull quote, placed after paragraph `pullAfter`. */
  pull?: (text: string) => string;
  pullAfter?: number;
  /** Extra markup after paragraph i (ads, inline promos); return '' for none. */
  after?: (i: number) => string;
  /** Prefix of the first paragraph (dateline). */
  lead?: string;
}

/** The body blocks as markup, with dateline, pull quote and in-body extras placed. */
export function renderBody(a: DemoArticle, o: BodyOptions): string {
  const out: string[] = [];
  let pi = 0;
  a.blocks.forEach((b) => {
    if (isHeading(b)) {
      out.push(o.heading(inline(b.slice(3))));
      return;
    }
    const html = pi === 0 && o.lead ? o.lead + inline(b) : inline(b);
    out.push(o.para(html, pi));
    if (a.pull && o.pull && pi === (o.pullAfter ?? 2)) out.push(o.pull(a.pull));
    const extra = o.after?.(pi);
    if (extra) out.push(extra);
    pi++;
  });
  return out.join('\n');
}

/** Dateline as wire copy writes it: "SAINT-CLAIR, Aldermark (CPA) — ". */
export function wireLead(a: DemoArticle, dash = '\u2014'): string {
  if (!a.dateline) return '';
  return a.wire ? `${a.dateline} (CPA) ${dash} ` : `${a.dateline} ${dash} `;
}

/** Text of the body as one string (JSON-LD articleBody, feed content). */
export function bodyText(a: DemoArticle): string {
  return a.blocks
    .filter((b) => !isHeading(b))
    .map((b, i) => (i === 0 && a.dateline ? wireLead(a) : '') + b.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1'))
    .join('\n\n');
}

/** Body as simple HTML (feed content). */
export function bodyHtml(a: DemoArticle): string {
  return renderBody(a, {
    para: (h) => `<p>${h}</p>`,
    heading: (h) => `<h2>${h}</h2>`,
    lead: wireLead(a),
  });
}

export function jsonLd(obj: unknown): string {
  return `<script type="application/ld+json">${JSON.stringify(obj, null, 1).replace(/</g, '\\u003c')}</script>`;
}
