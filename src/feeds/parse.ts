// parseFeed: bytes or text of RSS 0.9x/1.0/2.0, Atom 0.3/1.0, CDF or JSON Feed → the one
// normalised Feed shape (src/core/types.ts). Behaviour follows Python feedparser, the
// reference: content modes (text/html/xhtml/base64), xml:base and document-URL resolution,
// relative URLs inside content HTML, summary/description precedence, guid-as-link, etc.

import { createHash } from 'node:crypto';
import type { Enclosure, Feed, FeedItem } from '../core/types.ts';
import { DigestError } from '../core/errors.ts';
import { decodeFeedBytes } from './decode.ts';
import { parseXml, attr, textOf, escapeXmlText, escapeXmlAttr, type XElement, type XNode } from './xml.ts';
import { normalizeHtml, looksLikeHtml, translateCp1252 } from './html.ts';
import { resolveUrl, joinBase, isHttpUrl } from './url.ts';
import { parseDate } from './dates.ts';
import { parseJsonFeed } from './json.ts';

export interface ParseFeedOptions {
  /** Document URL (base for relative URLs). */
  url?: string;
  /** HTTP response headers (Content-Type charset, Content-Location, Content-Language). */
  headers?: Record<string, string>;
  /** Fill missing titles/links/ids and disambiguate duplicate ids (default true). */
  fallbacks?: boolean;
}

const NS: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  'http://backend.userland.com/rss': '',
  'http://backend.userland.com/rss2': '',
  'http://blogs.law.harvard.edu/tech/rss': '',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://purl.org/atom/ns#': '',
  'http://www.w3.org/2005/atom': '',
  'http://purl.org/rss/1.0/modules/rss091#': '',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://example.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.w3.org/xml/1998/namespace': 'xml',
  'http://rssnamespace.org/feedburner/ext/1.0': 'feedburner',
  'http://www.google.com/schemas/play-podcasts/1.0': 'googleplay',
  'http://purl.org/rss/1.0/modules/slash/': 'slash',
  'http://wellformedweb.org/commentapi/': 'wfw',
  'http://purl.org/syndication/thread/1.0': 'thr',
  'http://purl.org/rss/1.0/modules/syndication/': 'sy',
  'http://webns.net/mvcb/': 'admin',
  'http://purl.org/rss/1.0/modules/image/': 'image',
  'http://purl.org/rss/1.0/modules/link/': 'l',
  'http://purl.org/rss/1.0/modules/taxonomy/': 'taxo',
  'http://www.w3.org/2000/svg': 'svg',
  'http://www.w3.org/1998/math/mathml': 'mathml',
  'http://www.w3.org/1999/xlink': 'xlink',
  'http://www.georss.org/georss': 'georss',
});
const ATOM10 = 'http://www.w3.org/2005/atom';

type Version = 'atom10' | 'atom03' | 'atom' | 'rss' | 'rss10' | 'rss090' | 'cdf';

function keyOf(el: XElement): string {
  const ns = el.ns.toLowerCase();
  let p: string;
  if (ns in NS) p = NS[ns];
  else p = el.prefix ? el.prefix.toLowerCase() : '';
  return p ? `${p}:${el.local}` : el.local;
}

function mapType(t: string): string {
  const x = t.trim().toLowerCase();
  if (x === 'text' || x === 'plain') return 'text/plain';
  if (x === 'html') return 'text/html';
  if (x === 'xhtml') return 'application/xhtml+xml';
  return x;
}
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

function isXmlType(t: string): boolean {
  return t.endsWith('xml');
}

function serializeChildren(nodes: XNode[], out: string[]): void {
  for (const c of nodes) {
    if (c.kind === 'text') {
      out.push(escapeXmlText(c.value));
      continue;
    }
    // feedparser drops element prefixes inside XHTML content (svg:svg → svg)
    const name = c.rawLocal;
    let attrs = '';
    for (const a of c.attrs) {
      if (a.qname === 'xmlns' || a.prefix === 'xmlns') continue;
      attrs += ` ${a.qname}="${escapeXmlAttr(a.value)}"`;
    }
    if (c.children.length === 0 && VOID.has(c.local)) {
      out.push(`<${name}${attrs} />`);
      continue;
    }
    out.push(`<${name}${attrs}>`);
    serializeChildren(c.children, out);
    out.push(`</${name}>`);
  }
}

function onlyDivs(el: XElement): boolean {
  for (const c of el.children) {
    if (c.kind === 'el') {
      if (c.local !== 'div') return false;
      if (!onlyDivs(c)) return false;
    }
  }
  return true;
}

function unwrapDiv(s: string): string {
  const m = /^<div(?:\s[^>]*)?>([\s\S]*)<\/div>$/.exec(s);
  if (!m) return s;
  // only when the first <div> encloses everything
  const inner = m[1];
  let depth = 0;
  const re = /<(\/?)div\b[^>]*?(\/?)>/g;
  let t: RegExpExecArray | null;
  while ((t = re.exec(inner))) {
    if (t[2]) continue;
    depth += t[1] ? -1 : 1;
    if (depth < 0) return s;
  }
  return inner;
}

function base64Decode(s: string): string | null {
  const t = s.replace(/\s+/g, '');
  if (!t || t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(t, 'base64'));
  } catch {
    return null;
  }
}

interface Ctx {
  base: string | null;
  lang: string | null;
}

interface ItemState {
  item: FeedItem;
  hasSummary: boolean;
  hasContent: boolean;
  linkFromElement: boolean;
  authorRank: number;
  itunesSummary: string | null;
  mediaDescription: string | null;
  media: string | null;
}

function emptyItem(): FeedItem {
  return {
    id: null, title: null, link: null, summary: null, content: null, author: null, published: null, updated: null,
    enclosures: [], categories: [],
  };
}

/** Display name from "mail@x (Name)", "Name <mail@x>", "Name (mail@x)". */
export function authorName(s: string): string {
  const v = s.trim();
  let m = /^([^\s()<>]+@[^\s()<>]+)\s*\((.+)\)$/.exec(v);
  if (m) return m[2].trim();
  m = /^(.+?)\s*\(\s*[^\s()]+@[^\s()]+\s*\)$/.exec(v);
  if (m) return m[1].trim();
  m = /^(.+?)\s*<\s*[^\s<>]+@[^\s<>]+\s*>$/.exec(v);
  if (m) return m[1].replace(/^"|"$/g, '').trim();
  m = /^mailto:(.+)$/i.exec(v);
  if (m) return m[1];
  return v;
}

class Walker {
  feed: Feed = { title: null, link: null, description: null, language: null, author: null, items: [] };
  version: Version;
  utf8: boolean;
  feedAuthorRank = 99;
  feedDescRank = 99;
  feedTitleSet = false;
  feedLinkSet = false;
  langSetByElement = false;

  constructor(version: Version, utf8: boolean) {
    this.version = version;
    this.utf8 = utf8;
  }

  get atom(): boolean {
    return this.version.startsWith('atom');
  }

  finish(s: string): string {
    let out = s;
    if (this.utf8 && /[\u0080-\u00FF]/.test(out) && !/[^\u0000-\u00FF]/.test(out)) {
      try {
        out = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(out, 'latin1'));
      } catch {
        /* not double-encoded */
      }
    }
    return translateCp1252(out);
  }

  /** Value of a text construct (title, summary, content, …) following its type/mode. */
  content(el: XElement, defType: string, ctx: Ctx): string {
    let type = mapType(attr(el, 'type') ?? defType);
    const mode = (attr(el, 'mode') ?? '').toLowerCase();
    const b64 = mode === 'base64' || !(type.startsWith('text/') || type.endsWith('+xml') || type.endsWith('/xml'));
    let out: string;
    const hasEl = el.children.some((c) => c.kind === 'el');
    if (isXmlType(type) || (hasEl && !onlyDivs(el))) {
      if (!isXmlType(type)) type = 'application/xhtml+xml';
      const parts: string[] = [];
      serializeChildren(el.children, parts);
      out = parts.join('');
    } else {
      out = textOf(el);
    }
    out = out.trim();
    if (b64 && out) {
      const d = base64Decode(out);
      if (d !== null) out = d;
    }
    if (this.version === 'atom10' && type === 'application/xhtml+xml') out = unwrapDiv(out).trim();
    if (!this.atom && type === 'text/plain' && looksLikeHtml(out)) type = 'text/html';
    if (HTML_TYPES.has(type) && /[<&]/.test(out)) out = normalizeHtml(out, ctx.base);
    return this.finish(out);
  }

  text(el: XElement): string {
    return this.finish(textOf(el).trim());
  }

  walk(el: XElement, ctx0: Ctx, st: ItemState | null, skip: boolean): void {
    for (const c of el.children) if (c.kind === 'el') this.visit(c, ctx0, st, skip);
  }

  visit(el: XElement, parent: Ctx, st: ItemState | null, skip: boolean): void {
    const xb = attr(el, 'xml:base');
    const xl = attr(el, 'xml:lang');
    const ctx: Ctx = {
      base: xb !== null ? joinBase(parent.base, xb) : parent.base,
      lang: xl !== null ? xl.trim().replace(/_/g, '-') || null : parent.lang,
    };
    const k = keyOf(el);
    switch (k) {
      case 'rss':
      case 'rdf:rdf':
      case 'channel':
      case 'feed': {
        if (k === 'channel' || k === 'feed') {
          const href = attr(el, 'href');
          if (href && !this.feed.link) this.feed.link = resolveUrl(href, ctx.base);
        }
        this.walk(el, ctx, st, skip);
        return;
      }
      case 'item':
      case 'entry': {
        if (st) return this.walk(el, ctx, st, skip); // nested: tolerate
        const s: ItemState = {
          item: emptyItem(), hasSummary: false, hasContent: false, linkFromElement: false, authorRank: 99, itunesSummary: null,
          mediaDescription: null, media: null,
        };
        const href = attr(el, 'href');
        if (href) s.item.link = resolveUrl(href, ctx.base);
        const lastmod = attr(el, 'lastmod');
        if (lastmod) s.item.updated = parseDate(lastmod);
        this.walk(el, ctx, s, false);
        if (s.item.summary === null && s.itunesSummary !== null) s.item.summary = s.itunesSummary;
        if (s.item.summary === null && s.mediaDescription !== null) s.item.summary = s.mediaDescription;
        if (s.media) s.item.image = s.media;
        this.feed.items.push(s.item);
        return;
      }
      case 'image':
      case 'textinput':
      case 'source': {
        if (k === 'image' && !st) {
          for (const c of el.children) if (c.kind === 'el' && c.local === 'url') this.feed.image ??= resolveUrl(textOf(c), ctx.base);
        }
        return; // their title/link/description belong to them, not to the feed or item
      }
    }
    if (skip) return;
    if (st) this.itemElement(k, el, ctx, st);
    else this.feedElement(k, el, ctx);
  }

  person(el: XElement): string | null {
    let name: string | null = null;
    let email: string | null = null;
    let hasChild = false;
    for (const c of el.children) {
      if (c.kind !== 'el') continue;
      hasChild = true;
      if (c.local === 'name') name = this.text(c);
      else if (c.local === 'email') email = this.text(c);
    }
    if (!hasChild) {
      const t = this.text(el);
      return t ? authorName(t) : null;
    }
    return name || email || null;
  }

  link(el: XElement, ctx: Ctx): { rel: string; href: string | null; type: string; length: string | null; title: string | null } {
    const rel = (attr(el, 'rel') ?? 'alternate').trim().toLowerCase();
    const href0 = attr(el, 'href') ?? attr(el, 'url') ?? attr(el, 'uri');
    const type = mapType(attr(el, 'type') ?? (rel === 'self' ? 'application/atom+xml' : 'text/html'));
    return { rel, href: href0 !== null ? resolveUrl(href0, ctx.base) : null, type, length: attr(el, 'length'), title: attr(el, 'title') };
  }

  feedElement(k: string, el: XElement, ctx: Ctx): void {
    const f = this.feed;
    switch (k) {
      case 'title':
      case 'dc:title':
        f.title = this.content(el, 'text/plain', ctx);
        this.feedTitleSet = true;
        return;
      case 'link':
      case 'atom:link': {
        const l = this.link(el, ctx);
        if (l.href !== null) {
          if (l.rel === 'alternate' && HTML_TYPES.has(l.type)) f.link = l.href;
          else if (l.rel === 'hub') f.hub ??= l.href;
          else if (l.rel === 'self') f.self ??= l.href;
        } else {
          const t = this.text(el);
          f.link = resolveUrl(t, ctx.base);
        }
        return;
      }
      case 'description':
      case 'dc:description':
        this.setFeedDesc(this.content(el, 'text/html', ctx), 1);
        return;
      case 'subtitle':
      case 'tagline':
        this.setFeedDesc(this.content(el, 'text/plain', ctx), 1);
        return;
      case 'abstract':
        this.setFeedDesc(this.content(el, 'text/plain', ctx), 2);
        return;
      case 'info':
        return;
      case 'itunes:subtitle':
      case 'itunes:summary':
      case 'googleplay:description':
        this.setFeedDesc(this.content(el, 'text/plain', ctx), 3);
        return;
      case 'language':
      case 'dc:language': {
        const v = this.text(el);
        f.language = v || f.language;
        this.langSetByElement = true;
        return;
      }
      case 'author':
      case 'dc:author':
      case 'dc:creator':
        this.setFeedAuthor(this.person(el), 1);
        return;
      case 'itunes:author':
      case 'googleplay:author':
        this.setFeedAuthor(this.person(el), 2);
        return;
      case 'managingeditor':
        this.setFeedAuthor(this.person(el), 3);
        return;
      case 'webmaster':
        this.setFeedAuthor(this.person(el), 4);
        return;
      case 'itunes:owner': {
        for (const c of el.children) if (c.kind === 'el' && c.local === 'name') this.setFeedAuthor(this.text(c), 5);
        return;
      }
      case 'ttl': {
        const n = parseInt(this.text(el), 10);
        if (Number.isFinite(n) && n >= 0) f.ttl = n;
        return;
      }
      case 'skiphours': {
        const hours: number[] = [];
        for (const c of el.children) {
          if (c.kind === 'el' && c.local === 'hour') {
            const h = parseInt(textOf(c), 10);
            if (h >= 0 && h <= 24) hours.push(h % 24);
          }
        }
        f.skipHours = [...new Set(hours)].sort((a, b) => a - b);
        return;
      }
      case 'itunes:image': {
        const h = attr(el, 'href') ?? this.text(el);
        if (h) f.image ??= resolveUrl(h, ctx.base);
        return;
      }
      case 'logo':
      case 'icon':
        f.image ??= resolveUrl(this.text(el), ctx.base);
        return;
      case 'rdf:rdf':
        return;
    }
  }

  setFeedDesc(v: string, rank: number): void {
    if (rank <= this.feedDescRank) {
      if (rank < this.feedDescRank || this.feed.description === null) this.feed.description = v;
      this.feedDescRank = rank;
    }
  }

  setFeedAuthor(v: string | null, rank: number): void {
    if (!v) return;
    if (rank < this.feedAuthorRank) {
      this.feed.author = v;
      this.feedAuthorRank = rank;
    }
  }

  setItemAuthor(st: ItemState, v: string | null, rank: number): void {
    if (!v) return;
    if (rank < st.authorRank) {
      st.item.author = v;
      st.authorRank = rank;
    }
  }

  addEnclosure(st: ItemState, url: string | null, type: string | null, length: string | null): void {
    if (!url || !url.trim()) return;
    const u = url.trim();
    if (st.item.enclosures.some((e) => e.url === u)) return;
    const n = length !== null && /^\s*\d+\s*$/.test(length) ? parseInt(length, 10) : null;
    const enc: Enclosure = { url: u, type: type && type.trim() ? type.trim() : null, length: n };
    st.item.enclosures.push(enc);
  }

  itemElement(k: string, el: XElement, ctx: Ctx, st: ItemState): void {
    const it = st.item;
    switch (k) {
      case 'title':
      case 'dc:title':
        it.title = this.content(el, 'text/plain', ctx);
        return;
      case 'link':
      case 'atom:link': {
        const l = this.link(el, ctx);
        if (l.href !== null) {
          if (l.rel === 'alternate' && HTML_TYPES.has(l.type)) {
            it.link = l.href;
            st.linkFromElement = true;
          } else if (l.rel === 'enclosure') this.addEnclosure(st, l.href, attr(el, 'type'), l.length);
        } else {
          it.link = resolveUrl(this.text(el), ctx.base);
          st.linkFromElement = true;
        }
        return;
      }
      case 'guid': {
        const v = this.text(el);
        const isPermaLink = (attr(el, 'ispermalink') ?? 'true').trim().toLowerCase() === 'true';
        it.id = isPermaLink && /^[/.]/.test(v) ? resolveUrl(v, ctx.base) : v;
        if (isPermaLink && !st.linkFromElement && it.link === null) it.link = it.id;
        return;
      }
      case 'id': {
        const v = this.text(el);
        it.id = /^[/.]/.test(v) ? resolveUrl(v, ctx.base) : v;
        return;
      }
      case 'description':
      case 'dc:description':
      case 'summary': {
        const def = k === 'summary' ? 'text/plain' : 'text/html';
        if (st.hasSummary && !st.hasContent) {
          it.content = this.content(el, 'text/plain', ctx);
          st.hasContent = true;
        } else {
          it.summary = this.content(el, def, ctx);
          st.hasSummary = true;
        }
        return;
      }
      case 'abstract':
        if (it.summary === null) it.summary = this.content(el, 'text/plain', ctx);
        return;
      case 'itunes:summary':
      case 'googleplay:description':
        st.itunesSummary ??= this.content(el, 'text/plain', ctx);
        return;
      case 'media:description':
        st.mediaDescription ??= this.content(el, 'text/plain', ctx);
        return;
      case 'content':
      case 'content:encoded':
      case 'body':
      case 'xhtml:body':
      case 'fullitem': {
        const def = k === 'content' ? 'text/plain' : k === 'body' || k === 'xhtml:body' ? 'application/xhtml+xml' : 'text/html';
        if (k === 'content' && attr(el, 'src') !== null && el.children.length === 0) {
          if (it.link === null) it.link = resolveUrl(attr(el, 'src') as string, ctx.base);
          return;
        }
        const v = this.content(el, def, ctx);
        if (!st.hasContent || it.content === null) it.content = v;
        st.hasContent = true;
        // feedparser copies text/HTML content to the summary when there is none yet
        const t = mapType(attr(el, 'type') ?? def);
        if (it.summary === null && (t === 'text/plain' || HTML_TYPES.has(t))) it.summary = v;
        return;
      }
      case 'author':
      case 'dc:author':
      case 'dc:creator':
        this.setItemAuthor(st, this.person(el), 1);
        return;
      case 'itunes:author':
      case 'googleplay:author':
        this.setItemAuthor(st, this.person(el), 2);
        return;
      case 'contributor':
        return;
      case 'pubdate':
      case 'published':
      case 'issued':
      case 'dcterms:issued':
        it.published = parseDate(this.text(el)) ?? it.published;
        return;
      case 'updated':
      case 'modified':
      case 'dc:date':
      case 'dcterms:modified':
        it.updated = parseDate(this.text(el)) ?? it.updated;
        return;
      case 'category':
      case 'dc:subject':
      case 'media:category': {
        const term = attr(el, 'term');
        const v = term !== null && k === 'category' ? term.trim() : this.text(el);
        if (v) it.categories.push(this.finish(v));
        return;
      }
      case 'itunes:category': {
        const v = attr(el, 'text');
        if (v && v.trim()) it.categories.push(v.trim());
        for (const c of el.children) if (c.kind === 'el') this.itemElement(keyOf(c), c, ctx, st);
        return;
      }
      case 'tags':
      case 'itunes:keywords': {
        for (const t of this.text(el).split(',')) if (t.trim()) it.categories.push(t.trim());
        return;
      }
      case 'enclosure':
        {
          const u = attr(el, 'url') ?? attr(el, 'href');
          this.addEnclosure(st, u && u.trim() ? resolveUrl(u, ctx.base) : null, attr(el, 'type'), attr(el, 'length'));
        }
        return;
      case 'media:group':
        this.walk(el, ctx, st, false);
        return;
      case 'media:content': {
        const url = attr(el, 'url');
        const medium = (attr(el, 'medium') ?? '').toLowerCase();
        const type = (attr(el, 'type') ?? '').toLowerCase();
        if (url && !st.media && (medium === 'image' || type.startsWith('image/'))) st.media = resolveUrl(url, ctx.base);
        for (const c of el.children) {
          if (c.kind !== 'el') continue;
          const ck = keyOf(c);
          if (ck === 'media:thumbnail' || ck === 'media:description' || ck === 'media:category') this.itemElement(ck, c, ctx, st);
        }
        return;
      }
      case 'media:thumbnail': {
        const url = attr(el, 'url');
        if (url && !st.media) st.media = resolveUrl(url, ctx.base);
        return;
      }
      case 'itunes:image': {
        const h = attr(el, 'href');
        if (h && !st.media) st.media = resolveUrl(h, ctx.base);
        return;
      }
      case 'feedburner:origlink':
        return;
    }
  }
}

function detectVersion(root: XElement): Version | null {
  const ns = root.ns.toLowerCase();
  const local = root.local;
  if (local === 'feed') {
    if (ns === ATOM10) return 'atom10';
    const v = attr(root, 'version');
    if (ns === 'http://purl.org/atom/ns#' || v === '0.3') return 'atom03';
    return 'atom';
  }
  if (local === 'rss') return 'rss';
  if (local === 'rdf') {
    for (const c of root.children) if (c.kind === 'el' && c.ns === 'http://my.netscape.com/rdf/simple/0.9/') return 'rss090';
    return 'rss10';
  }
  if (local === 'channel') return root.prefix === '' && root.rawLocal === 'CHANNEL' ? 'cdf' : 'rss';
  return null;
}

function headerMap(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (h) for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = String(v);
  return out;
}

function firstNonSpace(body: Buffer | string): string {
  if (typeof body === 'string') return body.trimStart().replace(/^\uFEFF/, '').charAt(0);
  let i = 0;
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) i = 3;
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x09 || body[i] === 0x0a || body[i] === 0x0d)) i++;
  return i < body.length ? String.fromCharCode(body[i]) : '';
}

/** Parse a feed document. Throws DigestError('parse') when it is not a feed. */
export function parseFeed(body: Buffer | string, opts: ParseFeedOptions = {}): Feed {
  const headers = headerMap(opts.headers);
  let base: string | null = opts.url ?? null;
  const loc = headers['content-location'];
  if (loc) base = joinBase(base, loc) ?? base;
  let feed: Feed;
  const contentType = headers['content-type'] ?? null;
  if (firstNonSpace(body) === '{' || /json/i.test(contentType ?? '')) {
    const { text } = decodeFeedBytes(body, contentType);
    if (text.trimStart().startsWith('{')) {
      feed = parseJsonFeed(text, base, opts.url);
      return opts.fallbacks === false ? feed : applyFallbacks(feed);
    }
  }
  const { text, encoding } = decodeFeedBytes(body, contentType);
  const doc = parseXml(text);
  const root = doc.root;
  if (!root) throw new DigestError('parse', 'no XML element found: the document is not a feed', { subject: opts.url });
  const version = detectVersion(root);
  if (!version) {
    const what = root.local === 'html' ? 'an HTML page' : `a <${root.qname}> document`;
    throw new DigestError('parse', `${what}, not a feed (RSS, Atom or JSON Feed)`, { subject: opts.url });
  }
  const w = new Walker(version, encoding === 'utf-8');
  w.visit(root, { base, lang: null }, null, false);
  // language: <language>, else the root's xml:lang, else Content-Language
  if (!w.langSetByElement || !w.feed.language) {
    const xl = attr(root, 'xml:lang');
    const fromXml = xl ? xl.trim().replace(/_/g, '-') : null;
    let lang = fromXml;
    if (!lang && !w.atom) {
      // RSS: xml:lang on the channel
      for (const c of root.children) {
        if (c.kind === 'el' && c.local === 'channel') {
          const l = attr(c, 'xml:lang');
          if (l) lang = l.trim().replace(/_/g, '-');
        }
      }
    }
    w.feed.language = w.feed.language || lang || headers['content-language']?.split(',')[0].trim() || null;
  }
  feed = w.feed;
  return opts.fallbacks === false ? feed : applyFallbacks(feed);
}

function stripTags(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A title made from content text: first sentence-ish, at most ~100 characters. */
export function titleFromText(html: string): string | null {
  const t = stripTags(html);
  if (!t) return null;
  if (t.length <= 100) return t;
  const cut = t.slice(0, 100);
  const sp = cut.lastIndexOf(' ');
  return (sp > 40 ? cut.slice(0, sp) : cut).replace(/[\s,;:.-]+$/, '') + '…';
}

export function stableId(link: string | null, title: string | null): string {
  return 'urn:digest:' + createHash('sha1').update(`${link ?? ''}\n${title ?? ''}`).digest('hex').slice(0, 20);
}

function cleanTitle(t: string | null): string | null {
  if (t === null) return null;
  const c = t.replace(/\s+/g, ' ').trim();
  if (!c) return null;
  return c.length > 500 ? c.slice(0, 499).replace(/\s+\S*$/, '') + '…' : c;
}

/**
 * Product fallbacks (not part of the feedparser-compatible shape): whitespace-collapsed and
 * bounded titles; feed title from the site host; item title from its text, else its link;
 * link from a URL guid or the first enclosure; published from updated; the feed's author
 * for items without one; a stable id from
 * link + title when there is none; duplicate ids with different links disambiguated.
 */
export function applyFallbacks(feed: Feed): Feed {
  feed.title = cleanTitle(feed.title);
  if (!feed.title && feed.link) {
    try {
      feed.title = new URL(feed.link).hostname;
    } catch {
      /* keep null */
    }
  }
  const seen = new Map<string, FeedItem>();
  for (const it of feed.items) {
    if (!it.link) {
      if (isHttpUrl(it.id)) it.link = it.id;
      else if (it.enclosures[0] && isHttpUrl(it.enclosures[0].url)) it.link = it.enclosures[0].url;
    }
    it.title = cleanTitle(it.title);
    if (!it.published && it.updated) it.published = it.updated;
    if (!it.author && feed.author) it.author = feed.author; // Atom: entries inherit the feed author
    if (!it.title) {
      const t = titleFromText(it.summary ?? it.content ?? '');
      if (t) it.title = t;
      else if (it.link) it.title = it.link;
    }
    if (!it.id) it.id = stableId(it.link, it.title);
    const prev = seen.get(it.id);
    if (prev) {
      if ((prev.link ?? '') !== (it.link ?? '')) it.id = `${it.id}#${createHash('sha1').update(it.link ?? it.title ?? '').digest('hex').slice(0, 8)}`;
    }
    seen.set(it.id, it);
  }
  return feed;
}
