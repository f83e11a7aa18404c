// Page metadata: JSON-LD (NewsArticle and kin, @graph), OpenGraph, Twitter cards, meta tags,
// microdata, <time> and visible text. Pure functions over a parsed document.
import type { LeadImage } from '../core/types.ts';
import { type Document, type Element, walk, innerText, normSpace, absUrl, classId, textOf, isEl } from './dom.ts';

export const ARTICLE_TYPES =
  /^(Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle|BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference)$/;
const STRONG_ARTICLE = /(Article|Posting|Report)$/;

export interface PageMeta {
  title: string | null;
  /** The document <title> as written. */
  docTitle: string | null;
  byline: string | null;
  published: string | null;
  modified: string | null;
  leadImage: LeadImage | null;
  siteName: string | null;
  section: string | null;
  lang: string | null;
  canonicalUrl: string | null;
  description: string | null;
  originalUrl: string | null;
  /** articleBody from JSON-LD (or null). */
  jsonLdBody: string | null;
  /** Texts to drop from the body when they appear as their own block (headline, byline...). */
  headlines: string[];
  bylineTexts: string[];
  /** Short texts of the page's own chrome (header, footer, nav outside the article): taglines, site lines. */
  chromeTexts: string[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

function isObj(v: Json | undefined): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function types(o: Obj): string[] {
  const t = o['@type'];
  if (typeof t === 'string') return [t.replace(/^https?:\/\/schema\.org\//, '')];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string').map((x) => x.replace(/^https?:\/\/schema\.org\//, ''));
  return [];
}

function str(v: Json | undefined): string | null {
  if (typeof v === 'string') return normSpace(decodeEntities(v)) || null;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    for (const x of v) {
      const s = str(x);
      if (s) return s;
    }
  }
  if (isObj(v)) {
    return str(v.name) ?? str(v['@value']) ?? null;
  }
  return null;
}

const ENT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', '#39': "'" };
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!Number.isFinite(cp) || cp > 0x10ffff || cp <= 0 || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(cp);
    }
    const v = ENT[e.toLowerCase()];
    return v ?? m;
  });
}

function parseJson(text: string): Json | undefined {
  const t = text.replace(/^\s*(<!--|<!\[CDATA\[)/, '').replace(/(-->|\]\]>)\s*$/, '').trim();
  if (!t) return undefined;
  try {
    return JSON.parse(t) as Json;
  } catch {
    try {
      // Common breakage: raw control characters (newlines) inside strings, trailing commas.
      return JSON.parse(t.replace(/[\u0000-\u001f]+/g, ' ').replace(/,\s*([}\]])/g, '$1')) as Json;
    } catch {
      return undefined;
    }
  }
}

/** Flatten JSON-LD: arrays, @graph, and nested mainEntity / itemListElement objects. */
function flattenLd(v: Json | undefined, out: Obj[], depth = 0): void {
  if (depth > 6 || v == null) return;
  if (Array.isArray(v)) {
    for (const x of v) flattenLd(x, out, depth + 1);
    return;
  }
  if (!isObj(v)) return;
  if (v['@type'] !== undefined) out.push(v);
  if (v['@graph'] !== undefined) flattenLd(v['@graph'], out, depth + 1);
  if (isObj(v.mainEntity) || Array.isArray(v.mainEntity)) flattenLd(v.mainEntity, out, depth + 1);
}

function personNames(v: Json | undefined): string[] {
  const out: string[] = [];
  const add = (x: Json | undefined): void => {
    if (typeof x === 'string') {
      const s = normSpace(decodeEntities(x));
      if (s && !/^https?:\/\//.test(s)) out.push(s);
    } else if (Array.isArray(x)) x.forEach(add);
    else if (isObj(x)) {
      const n = str(x.name);
      if (n) out.push(n);
    }
  };
  add(v);
  return [...new Set(out)];
}

function imageOf(v: Json | undefined): { url: string; caption: string | null; credit: string | null } | null {
  if (typeof v === 'string') return v.trim() ? { url: v.trim(), caption: null, credit: null } : null;
  if (Array.isArray(v)) {
    for (const x of v) {
      const r = imageOf(x);
      if (r) return r;
    }
    return null;
  }
  if (isObj(v)) {
    const url = typeof v.url === 'string' ? v.url : typeof v.contentUrl === 'string' ? v.contentUrl : typeof v['@id'] === 'string' && /^https?:/.test(v['@id'] as string) ? (v['@id'] as string) : null;
    if (!url) return null;
    const credit = str(v.creditText) ?? str(v.copyrightHolder) ?? (personNames(v.author)[0] || null);
    return { url, caption: str(v.caption) ?? str(v.description), credit };
  }
  return null;
}

/** Normalise a date string to ISO 8601 with zone; null when it cannot be read. */
export function isoDate(s: string | null | undefined): string | null {
  if (!s) return null;
  let t = s.trim();
  if (!t) return null;
  if (/^\d{10}(\d{3})?$/.test(t)) {
    const n = Number(t);
    const d = new Date(t.length === 10 ? n * 1000 : n);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  // "2017-11-03 03:01:00.000000" -> ISO; "+0100" -> "+01:00"; missing zone -> UTC.
  t = t.replace(/^(\d{4}-\d\d-\d\d) (\d)/, '$1T$2');
  t = t.replace(/(\.\d{3})\d+/, '$1');
  t = t.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(t)) t += 'Z';
  if (/^\d{4}-\d\d-\d\d$/.test(t)) t += 'T00:00:00Z';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return null;
  const y = d.getUTCFullYear();
  if (y < 1990 || y > 2100) return null;
  return d.toISOString();
}

function sameHost(a: string, b: string): boolean {
  try {
    const ha = new URL(a).hostname.replace(/^(www|m|amp)\./, '');
    const hb = new URL(b).hostname.replace(/^(www|m|amp)\./, '');
    return ha === hb;
  } catch {
    return true;
  }
}

const TITLE_SEP = / [|\-–—\\/>»·] /;

/** Drop a " | Site" / " - Section" suffix (or "Site | " prefix) when the page confirms it. */
/** A short trailing title part that names a section: the page's section, or "<Topic> News". */
export function isSectionLabel(part: string, section: string | null): boolean {
  const p = part.trim();
  if (!p || p.split(/\s+/).length > 5) return false;
  if (section && p.toLowerCase() === section.toLowerCase()) return true;
  return /^[\p{Lu}\d][\p{L}\d'’\- ]* (News|news|Nachrichten|Noticias|Notícias|Actualités)$/u.test(p);
}

/** "CNN.com", "FOXNews.com", "news.bbc.co.uk": a title part that is a domain name names the site. */
const DOMAIN_PART = /^(?:[\p{L}\p{N}-]{2,}\.)+(?:com|net|org|info|biz|co|uk|us|ca|au|nz|ie|in|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|ru|br|mx|ar|jp|cn|kr|za|sg|hk|tv)$/iu;
const DATE_PART = /^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,? )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}$/i;

export function cleanTitle(title: string, headings: string[], siteName: string | null, url: string, section: string | null = null): string {
  let t = normSpace(title);
  // "Forbes.com: The Ford Revolution", "FOXNews.com - Wilma Churns Waves Into Cuba - Science News"
  const dom = t.match(/^(\S+?)(?::| [|\-–—·»:]) +(?=\S)/);
  if (dom && DOMAIN_PART.test(dom[1]) && t.length - dom[0].length >= 8) return cleanTitle(t.slice(dom[0].length), headings, siteName, url, section);
  // "... - Sep 25, 2005": a trailing date part
  const dt = t.match(/ [|\-–—·] ([^|\-–—·]+)$/);
  if (dt && DATE_PART.test(dt[1].trim())) t = t.slice(0, dt.index).trim();
  if (!TITLE_SEP.test(t)) return t;
  const norm = (s: string): string => s.toLowerCase().replace(/[\s'"‘’“”]+/g, ' ').trim();
  const hs = new Set(headings.map(norm));
  {
    const seps0 = [...t.matchAll(/ [|] /g)];
    const last0 = seps0[seps0.length - 1];
    if (last0) {
      const head0 = t.slice(0, last0.index);
      if (isSectionLabel(t.slice(last0.index! + 3), section) && head0.split(' ').length >= 3) return head0.trim();
    }
  }
  if (hs.has(norm(t))) return t;
  let host = '';
  try {
    host = new URL(url).hostname.replace(/^www\./, '').split('.')[0].toLowerCase();
  } catch {
    /* ignore */
  }
  const site = siteName ? norm(siteName) : '';
  const isSite = (s: string): boolean => {
    const n = norm(s);
    const compact = n.replace(/[^\p{L}\p{N}]+/gu, '');
    if (DOMAIN_PART.test(s.trim())) return true;
    return (!!site && (n === site || compact === site.replace(/[^\p{L}\p{N}]+/gu, ''))) || (!!host && compact === host.replace(/[^a-z0-9]/g, ''));
  };
  // Try every split point: a prefix confirmed by a heading wins.
  const seps = [...t.matchAll(/ [|\-–—\\/>»·] /g)];
  for (let i = seps.length - 1; i >= 0; i--) {
    const head = t.slice(0, seps[i].index);
    if (hs.has(norm(head))) return head.trim();
  }
  for (let i = 0; i < seps.length; i++) {
    const tail = t.slice(seps[i].index! + seps[i][0].length);
    if (hs.has(norm(tail)) && isSite(t.slice(0, seps[i].index))) return tail.trim();
  }
  {
    // "BBC NEWS | Asia-Pacific | Two cargo ships collide": the last part is the page's heading
    const lastSep = seps[seps.length - 1];
    const tail = t.slice(lastSep.index! + lastSep[0].length);
    if (hs.has(norm(tail)) && tail.split(' ').length >= 3 && /[|»>]/.test(lastSep[0])) return tail.trim();
  }
  // Otherwise only drop parts that name the site or a section ("... | Russia-Ukraine war News").
  const last = seps[seps.length - 1];
  const tail = t.slice(last.index! + last[0].length);
  if (isSite(tail) && /[|\-–—·»]/.test(last[0])) return t.slice(0, last.index).trim();
  if (isSectionLabel(tail, section) && /[|]/.test(last[0]) && t.slice(0, last.index).split(' ').length >= 3) return t.slice(0, last.index).trim();
  const first = seps[0];
  const headPart = t.slice(0, first.index);
  if (isSite(headPart) && /[|\-–—·»:]/.test(first[0])) return t.slice(first.index! + first[0].length).trim();
  return t;
}

const CREDIT_LABEL =
  /^\s*(?:(?:photo(?:graph|graphy)?s?|images?|pictures?|credits?|fotos?|illustrations?|graphics?|video)(?:\s+(?:by|credit|courtesy(?:\s+of)?))?\s*[:\-–—]\s*|(?:photo(?:graph|graphy)?s?|images?|pictures?|illustrations?|fotos?)\s+(?:by|courtesy(?:\s+of)?)\s+)/i;

/** "Photograph: Jane Roe" -> "Jane Roe"; "(Photo: X)" -> "X". */
export function stripCreditLabel(s: string): string {
  let t = normSpace(s);
  if (/^[[(].*[\])]$/.test(t)) t = t.slice(1, -1).trim();
  return t.replace(CREDIT_LABEL, '').trim();
}

export function splitCaptionCredit(text: string): { caption: string | null; credit: string | null } {
  let t = normSpace(text);
  if (!t) return { caption: null, credit: null };
  let m = t.match(/^(.*?)\s*[[(]([^[\]()]{2,120})[\])]\s*$/);
  // "[Name/Agency]" at the end is a credit; "(...)" only when it names one.
  if (m && (/\]\s*$/.test(t) || /\/|photo|image|getty|reuters|ap\b|afp|credit|courtesy|©/i.test(m[2]))) {
    return { caption: m[1].trim() || null, credit: stripCreditLabel(m[2]) };
  }
  m = t.match(/^(.*?)[\s.]*\b(?:photo(?:graph)?|image|picture|credit|foto)s?\s*(?:by|:)\s*([^.]{2,120})\.?$/i);
  if (m) return { caption: m[1].trim() || null, credit: m[2].trim() };
  m = t.match(/^(.*?)\s*(©\s*[^.]{2,120})$/);
  if (m) return { caption: m[1].trim() || null, credit: m[2].trim() };
  t = t.trim();
  return { caption: t, credit: null };
}

interface Collected {
  metas: Map<string, string[]>;
  ld: Obj[];
  links: Element[];
  anchors: Element[];
  times: Element[];
  itemprops: Element[];
  figures: Element[];
  headings: Element[];
  bylineEls: Element[];
  titleEl: Element | null;
  htmlEl: Element | null;
  ldScripts: Element[];
  chromeTexts: string[];
  imgs: Element[];
  dateEls: Element[];
  chromeBoxes: number;
}

function collect(doc: Document): Collected {
  const c: Collected = { metas: new Map(), ld: [], links: [], anchors: [], times: [], itemprops: [], figures: [], headings: [], bylineEls: [], titleEl: null, htmlEl: null, ldScripts: [], chromeTexts: [], imgs: [], dateEls: [], chromeBoxes: 0 };
  walk(doc, (el) => {
    switch (el.name) {
      case 'html':
        if (!c.htmlEl) c.htmlEl = el;
        break;
      case 'title':
        if (!c.titleEl && !hasSvgParent(el)) c.titleEl = el;
        return false;
      case 'meta': {
        const content = el.attribs.content;
        if (content == null) break;
        const keys = [el.attribs.property, el.attribs.name, el.attribs.itemprop, el.attribs['http-equiv']];
        for (const k of keys) {
          if (!k) continue;
          for (const kk of k.split(/\s+/)) {
            if (!kk) continue;
            const key = kk.toLowerCase().replace(/\./g, ':');
            const arr = c.metas.get(key);
            if (arr) arr.push(content);
            else c.metas.set(key, [content]);
          }
        }
        break;
      }
      case 'link':
        c.links.push(el);
        break;
      case 'script':
        if ((el.attribs.type || '').toLowerCase().includes('ld+json')) c.ldScripts.push(el);
        return false;
      case 'style':
        return false;
      case 'a':
        c.anchors.push(el);
        break;
      case 'time':
        c.times.push(el);
        break;
      case 'figure':
        c.figures.push(el);
        break;
      case 'img':
        if (c.imgs.length < 400) c.imgs.push(el);
        break;
      case 'header':
      case 'footer':
        if (c.chromeBoxes++ < 20 && !hasAncestorNamed(el, ARTICLE_BOXES)) collectChromeTexts(el, c.chromeTexts);
        break;
      case 'h1':
      case 'h2':
        c.headings.push(el);
        break;
    }
    if (el.attribs.itemprop) c.itemprops.push(el);
    const ci = classId(el);
    if (el.attribs.rel === 'author' || (ci && /byline|author|writtenby|p-author/i.test(ci)) || (el.attribs.itemprop || '').includes('author')) c.bylineEls.push(el);
    if (ci && c.dateEls.length < 40 && DATE_CI.test(ci) && !/update|modif|access|retriev|comment|repl/i.test(ci)) c.dateEls.push(el);
  });
  for (const s of c.ldScripts) flattenLd(parseJson(textOf(s)), c.ld);
  return c;
}

const DATE_CI = /(?:^|[-_\s])(?:dates?|times?|timestamp|datetime|published|publish-?date|pubdate|posted(?:-on)?|post-?date|dateline|byline|signature|meta|entry-?meta|post-?meta|article-?meta)(?:[-_\s]|$)/i;
const ARTICLE_BOXES = new Set(['article', 'main']);
function hasAncestorNamed(el: Element, names: Set<string>): boolean {
  let p = el.parent;
  while (p) {
    if (isEl(p) && names.has(p.name)) return true;
    p = p.parent;
  }
  return false;
}

/** Short texts of a page-chrome box (site header/footer): its tagline, site line, legal line. */
function collectChromeTexts(box: Element, out: string[]): void {
  if (out.length > 200) return;
  walk(box, (e) => {
    if (e.name === 'p' || e.name === 'span' || e.name === 'div' || e.name === 'h1' || e.name === 'h2' || e.name === 'h3' || e.name === 'h4' || e.name === 'h5' || e.name === 'h6' || e.name === 'strong' || e.name === 'b') {
      if (textLonger(e, 400)) return;
      const t = innerText(e);
      if (t.length >= 8 && t.length <= 160) out.push(t);
      if (t.length <= 160) return false;
    }
  });
}

const NAME_LINKS = new Set(['and', 'by', 'und', 'et', 'y', 'e', 'de', 'da', 'do', 'dos', 'van', 'von', 'der', 'den', 'di', 'du', 'la', 'le', 'of', 'the', 'with', 'avec', 'con', 'par', 'por', 'written', 'edited', 'reporting', 'mit']);
/** Whether a visible byline reads like names ("By Jo Doe and Al Roe"), not a teaser sentence. */
function nameLike(t: string): boolean {
  const words = t.split(/\s+/).filter(Boolean);
  if (words.length > 14 || !words.some((w) => /\p{L}{2}/u.test(w))) return false;
  if (words.length > 1 && /^\p{L}$/u.test(words[0])) return false; // avatar initials ("J J", "S Sky")
  if (/\p{Ll}/u.test(t) && !words.some((w) => /^\p{Lu}/u.test(w))) return false; // names are capitalised
  let lower = 0;
  for (const w of words) if (/^\p{Ll}/u.test(w) && !NAME_LINKS.has(w.toLowerCase())) lower++;
  return lower <= 2;
}

function hasSvgParent(el: Element): boolean {
  let p = el.parent;
  while (p) {
    if (isEl(p) && p.name === 'svg') return true;
    p = p.parent;
  }
  return false;
}

function textSimilarity(a: string, b: string): number {
  const ta = a.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const tb = b.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (!ta.length || !tb.length) return 0;
  const sa = new Set(ta);
  const uniqB = tb.filter((t) => !sa.has(t));
  const distB = uniqB.join(' ').length / tb.join(' ').length;
  return 1 - distB;
}

/** Readability's rule for the document title: drop the last " | part" (separators | - – — \ / > ») when what remains is long enough. */
function titleFromDocTitle(orig: string, headings: string[]): string {
  let cur = orig;
  const wc = (s: string): number => s.split(/\s+/).filter(Boolean).length;
  let hier = false;
  if (/\s[|\-–—\\/>»]\s/.test(cur)) {
    hier = /\s[\\/>»]\s/.test(cur);
    const all = [...orig.matchAll(/\s[|\-–—\\/>»]\s/g)];
    cur = orig.substring(0, all[all.length - 1].index);
    if (wc(cur) < 3) cur = orig.replace(/^[^|\-–—\\/>»]*[|\-–—\\/>»]/, '');
  } else if (cur.includes(': ')) {
    if (!headings.some((h) => h === cur.trim())) {
      cur = orig.substring(orig.lastIndexOf(':') + 1);
      if (wc(cur) < 3) cur = orig.substring(orig.indexOf(':') + 1);
      else if (wc(orig.substring(0, orig.indexOf(':'))) > 5) cur = orig;
    }
  }
  cur = normSpace(cur);
  const n = wc(cur);
  if (n <= 4 && (!hier || n !== wc(orig.replace(/[|\-–—\\/>»]+/g, '')) - 1)) cur = orig;
  return normSpace(cur);
}

export function extractMetadata(doc: Document, url: string): PageMeta {
  const c = collect(doc);
  // Text fields: the last tag of a name wins (as in Readability); images: the first.
  const meta = (...keys: string[]): string | null => {
    for (const k0 of keys) {
      const v = c.metas.get(k0.replace(/\./g, ':'));
      if (v) for (let i = v.length - 1; i >= 0; i--) if (v[i].trim()) return normSpace(decodeEntities(v[i]));
    }
    return null;
  };
  const metaFirst = (...keys: string[]): string | null => {
    for (const k0 of keys) {
      const v = c.metas.get(k0.replace(/\./g, ':'));
      if (v) for (const x of v) if (x.trim()) return x.trim();
    }
    return null;
  };
  const headingTexts = c.headings.map((h) => innerText(h)).filter(Boolean);

  // JSON-LD: prefer the article-like object with the most fields we need.
  const arts = c.ld.filter((o) => types(o).some((t) => ARTICLE_TYPES.test(t)));
  arts.sort((a, b) => rank(b) - rank(a));
  const art = arts[0] ?? null;
  function rank(o: Obj): number {
    const ts = types(o);
    let r = ts.some((t) => STRONG_ARTICLE.test(t)) ? 10 : 0;
    if (o.headline) r += 3;
    if (o.articleBody) r += 3;
    if (o.datePublished) r += 2;
    if (o.author) r += 1;
    return r;
  }
  const orgs = c.ld.filter((o) => types(o).some((t) => /Organization|WebSite|NewsMediaOrganization/.test(t)));

  // Title.
  const docTitle = c.titleEl ? innerText(c.titleEl) : null;
  let ldTitle: string | null = null;
  if (art) {
    const name = str(art.name);
    const headline = str(art.headline);
    if (name && headline && name !== headline) {
      const t = titleFromDocTitle(docTitle ?? '', headingTexts);
      ldTitle = textSimilarity(headline, t) > 0.75 && !(textSimilarity(name, t) > 0.75) ? headline : name;
    } else ldTitle = headline ?? name;
  }
  const micro = (prop: string): Element | null => c.itemprops.find((e) => e.attribs.itemprop.split(/\s+/).includes(prop)) ?? null;
  const microVal = (prop: string): string | null => {
    const e = micro(prop);
    if (!e) return null;
    const v = e.attribs.content ?? e.attribs.datetime ?? (e.name === 'meta' ? null : innerText(e));
    return v ? normSpace(v) : null;
  };
  let rawTitle =
    ldTitle ||
    meta('dc.title', 'dc:title', 'dcterm:title', 'dcterms.title', 'og:title', 'weibo:article:title', 'weibo:webpage:title', 'title', 'twitter:title', 'parsely-title') ||
    microVal('headline');
  if (!rawTitle && docTitle) rawTitle = titleFromDocTitle(docTitle, headingTexts);
  if (!rawTitle && headingTexts.length) rawTitle = headingTexts[0];

  // Site name.
  let siteName: string | null = meta('og:site_name', 'application-name', 'al:android:app_name', 'al:ios:app_name');
  if (!siteName && art) siteName = str(isObj(art.publisher) ? art.publisher.name : art.publisher);
  if (!siteName && art && isObj(art.isPartOf)) siteName = str(art.isPartOf.name);
  if (!siteName) siteName = orgs.map((o) => str(o.name)).find(Boolean) ?? null;
  if (art && isObj(art.publisher) && str(art.publisher.name)) siteName = str(art.publisher.name) ?? siteName;

  const sectionEarly = art ? str(art.articleSection) : null;
  const title = rawTitle ? cleanTitle(rawTitle, headingTexts, siteName, url, sectionEarly ?? meta('article:section')) : null;

  // Byline(s).
  let bylines: string[] = art ? personNames(art.author) : [];
  if (!bylines.length && art) bylines = personNames(art.creator);
  const articleAuthor = meta('article:author');
  if (!bylines.length) {
    const m = meta('dc.creator', 'dc:creator', 'dcterm:creator', 'dcterms.creator', 'author', 'parsely-author', 'sailthru.author', 'byl', 'og:article:author') ?? (articleAuthor && !/^https?:/.test(articleAuthor) ? articleAuthor : null);
    if (m) bylines = [m];
  }
  const bylineTexts: string[] = [];
  for (const e of c.bylineEls) {
    if (textLonger(e, 1000)) continue;
    const t = innerText(e);
    if (t && t.length < 100 && !/[|]/.test(t) && t.split(' ').length <= 12) bylineTexts.push(t);
  }
  if (!bylines.length) {
    const a = micro('author');
    if (a) {
      const n = c.itemprops.find((e) => e.attribs.itemprop === 'name' && isInside(e, a));
      const v = n ? (n.attribs.content ?? innerText(n)) : (a.attribs.content ?? innerText(a));
      if (v && v.length < 100) bylines = [normSpace(v)];
    }
  }
  if (!bylines.length) {
    const t = bylineTexts.find((x) => x.length > 2 && !/^https?:/.test(x) && nameLike(x));
    if (t) bylines = [t];
  }
  const byline = bylines.length ? bylines.join(', ') : null;

  // Dates.
  const published =
    isoDate(art ? str(art.datePublished) : null) ??
    isoDate(meta('article:published_time', 'og:published_time', 'parsely-pub-date', 'datepublished', 'pubdate', 'publishdate', 'publish-date', 'dc.date.issued', 'dc.date', 'dcterms.created', 'date', 'sailthru.date', 'article.published', 'published_time', 'cxenseparse:recs:publishtime')) ??
    isoDate(microVal('datePublished')) ??
    isoDate(firstTime(c.times, /publish|posted/i) ?? firstTime(c.times, null)) ??
    (art ? isoDate(str(art.dateCreated)) : null) ??
    visibleDate([...c.times, ...c.dateEls], c.htmlEl?.attribs.lang ?? null);
  const modified =
    isoDate(art ? str(art.dateModified) : null) ??
    isoDate(meta('article:modified_time', 'og:updated_time', 'dateModified', 'datemodified', 'last-modified', 'dcterms.modified')) ??
    isoDate(microVal('dateModified')) ??
    isoDate(firstTime(c.times, /modif|updated/i));

  // Section.
  const section =
    (art ? str(art.articleSection) : null) ??
    meta('article:section', 'section', 'parsely-section', 'sailthru.section', 'og:section', 'category') ??
    microVal('articleSection');

  // Language.
  let lang: string | null = c.htmlEl?.attribs.lang?.trim() || c.htmlEl?.attribs['xml:lang']?.trim() || null;
  if (!lang) lang = meta('content-language', 'language', 'dc.language') ?? (art ? str(art.inLanguage) : null);
  if (!lang) {
    const loc = meta('og:locale');
    if (loc) lang = loc.replace('_', '-');
  }

  // Canonical / original.
  let canonicalUrl: string | null = null;
  for (const l of c.links) {
    const rel = (l.attribs.rel || '').toLowerCase().split(/\s+/);
    if (rel.includes('canonical')) {
      canonicalUrl = absUrl(l.attribs.href, url);
      if (canonicalUrl) break;
    }
  }
  if (!canonicalUrl) canonicalUrl = absUrl(meta('og:url'), url) ?? (art ? absUrl(str(art.url) ?? (isObj(art.mainEntityOfPage) ? str(art.mainEntityOfPage['@id']) : str(art.mainEntityOfPage)), url) : null);
  let originalUrl: string | null = null;
  for (const a of c.anchors) {
    const href = absUrl(a.attribs.href, url);
    if (!href || sameHost(href, url) || !/^https?:/.test(href)) continue;
    const t = innerText(a);
    if (/^(source( link)?|original( article| story| post)?|read (the )?(original|full)( article| story)?( here| at .*)?|view original|via .{2,40})\s*:?\s*$/i.test(t)) {
      originalUrl = href;
      break;
    }
    const p = a.parent && isEl(a.parent) ? innerText(a.parent) : '';
    if (p.length < 300 && /(originally (published|appeared|posted)|first (published|appeared)|republished (from|with)|this (article|story) (was )?(originally|first)|^source\s*:)/i.test(p)) {
      originalUrl = href;
      break;
    }
  }
  if (!originalUrl && canonicalUrl && !sameHost(canonicalUrl, url)) originalUrl = canonicalUrl;

  // Description.
  const description =
    (art ? str(art.description) : null) ??
    meta('dc.description', 'dc:description', 'dcterm:description', 'dcterms.description', 'og:description', 'weibo:article:description', 'weibo:webpage:description', 'description', 'twitter:description');

  // Lead image: og/Twitter/JSON-LD/microdata, else the first content image that has a caption.
  let leadImage: LeadImage | null = null;
  const ldImg = art ? imageOf(art.image) ?? imageOf(art.thumbnailUrl) : null;
  const ogImg = metaFirst('og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src');
  let imgUrl = absUrl(ogImg, url) ?? (ldImg ? absUrl(ldImg.url, url) : null) ?? absUrl(microVal('image'), url);
  let imgEl: Element | null = null;
  let capEl: Element | null = null;
  if (imgUrl) {
    const fig = findFigure(c.figures, imgUrl);
    if (fig) {
      imgEl = firstImg(fig);
      capEl = figCaption(fig);
    } else {
      imgEl = findImg(c.imgs, imgUrl);
      if (imgEl) capEl = captionNear(imgEl, true);
      if (!capEl) {
        const f = c.figures.find((x) => hasImg(x) && figCaption(x));
        if (f) {
          imgEl = firstImg(f);
          capEl = figCaption(f);
        }
      }
    }
  } else {
    for (const im of c.imgs) {
      const src = imgSrc(im);
      if (!src || /^data:/.test(src)) continue;
      const cap = captionNear(im, false);
      if (cap) {
        imgUrl = absUrl(src, url);
        imgEl = im;
        capEl = cap;
        break;
      }
    }
  }
  if (imgUrl) {
    leadImage = { url: imgUrl, caption: null, credit: null, alt: meta('og:image:alt', 'twitter:image:alt') };
    if (ldImg && absUrl(ldImg.url, url) === imgUrl) {
      leadImage.caption = ldImg.caption;
      leadImage.credit = ldImg.credit ? stripCreditLabel(ldImg.credit) : null;
    }
    if (capEl) {
      const creditEl = findCredit(capEl);
      if (creditEl) {
        const credit = innerText(creditEl);
        const all = innerText(capEl);
        const rest = normSpace(all.replace(credit, ''));
        leadImage.caption = leadImage.caption ?? (rest || null);
        leadImage.credit = leadImage.credit ?? (stripCreditLabel(credit) || null);
      } else {
        const sc = splitCaptionCredit(innerText(capEl));
        leadImage.caption = leadImage.caption ?? sc.caption;
        leadImage.credit = leadImage.credit ?? sc.credit;
      }
    }
    if (!leadImage.alt && imgEl?.attribs.alt) leadImage.alt = normSpace(imgEl.attribs.alt) || null;
  }

  const jsonLdBody = arts.map((o) => (typeof o.articleBody === 'string' ? o.articleBody : typeof o.text === 'string' && STRONG_ARTICLE.test(types(o).join(' ')) ? o.text : null)).find((x): x is string => !!x && x.trim().length > 0) ?? null;

  const headlines = [...new Set([title, rawTitle, ldTitle, art ? str(art.headline) : null, meta('og:title', 'twitter:title'), ...c.headings.filter((h) => h.name === 'h1').map((h) => innerText(h))].filter((x): x is string => !!x))];

  return {
    title,
    docTitle,
    byline,
    published,
    modified,
    leadImage,
    siteName,
    section,
    lang,
    canonicalUrl,
    description,
    originalUrl,
    jsonLdBody,
    headlines,
    bylineTexts,
    chromeTexts: c.chromeTexts,
  };
}

function isInside(e: Element, anc: Element): boolean {
  let p = e.parent;
  let n = 0;
  while (p && n++ < 30) {
    if (p === anc) return true;
    p = p.parent;
  }
  return false;
}

const MONTHS: Record<string, number> = {};
[
  'jan january janvier januar enero janeiro gennaio',
  'feb february fevrier février februar febrero fevereiro febbraio',
  'mar march mars märz marz marzo março marco',
  'apr april avril abril aprile',
  'may mai mayo maio maggio',
  'jun june juin juni junio junho giugno',
  'jul july juillet juli julio julho luglio',
  'aug august aout août agosto',
  'sep sept september septembre septiembre setembro settembre',
  'oct october octobre oktober octubre outubro ottobre',
  'nov november novembre noviembre novembro',
  'dec december decembre décembre dezember diciembre dezembro dicembre',
].forEach((names, i) => names.split(' ').forEach((n) => (MONTHS[n] = i + 1)));
const ZONES: Record<string, number> = { gmt: 0, utc: 0, z: 0, wet: 0, bst: 60, ist: 60, cet: 60, cest: 120, eet: 120, eest: 180, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420, aest: 600, aedt: 660 };
const MONTH_RE = '([a-zà-ü]{3,9})\\.?';
const TIME_RE = '(?:[,\\s]+(?:at|à|um|a las|às|-|–|—)?\\s*(\\d{1,2})[:h.](\\d{2})\\s*(am|pm|a\\.m\\.|p\\.m\\.)?\\s*([a-z]{1,4}\\b)?)?';
const DATE_MDY = new RegExp(`\\b${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+((?:19|20)\\d\\d)${TIME_RE}`, 'i');
const DATE_DMY = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th|er)?\\.?\\s+(?:de\\s+)?${MONTH_RE}\\s+(?:de\\s+)?((?:19|20)\\d\\d)${TIME_RE}`, 'i');
const DATE_NUM = new RegExp(`\\b(\\d{1,2})[./](\\d{1,2})[./]((?:19|20)\\d\\d)${TIME_RE}`, 'i');

/**
 * A publication date written out in visible text ("2 March 2026, 11:30 GMT", "March 2, 2026 at
 * 6:01 am", "02/03/2026 06h50"). No zone written: UTC. Numeric dates are day first unless the
 * page is en-US (or the numbers say otherwise).
 */
export function parseVisibleDate(text: string, lang: string | null): string | null {
  const t = text.replace(/\s+/g, ' ');
  let y;
  let mo;
  let d;
  let rest: (string | undefined)[];
  let m = DATE_MDY.exec(t);
  if (m && MONTHS[m[1].toLowerCase()]) {
    mo = MONTHS[m[1].toLowerCase()];
    d = +m[2];
    y = +m[3];
    rest = m.slice(4);
  } else if ((m = DATE_DMY.exec(t)) && MONTHS[m[2].toLowerCase()]) {
    d = +m[1];
    mo = MONTHS[m[2].toLowerCase()];
    y = +m[3];
    rest = m.slice(4);
  } else if ((m = DATE_NUM.exec(t))) {
    const a = +m[1];
    const b = +m[2];
    const us = /^en-us$/i.test(lang ?? '');
    if (a > 12 || (!us && b <= 12)) [d, mo] = [a, b];
    else [mo, d] = [a, b];
    y = +m[3];
    rest = m.slice(4);
  } else return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  let h = rest[0] !== undefined ? +rest[0] : 0;
  const min = rest[1] !== undefined ? +rest[1] : 0;
  const ampm = (rest[2] ?? '').toLowerCase().replace(/\./g, '');
  if (ampm === 'pm' && h < 12) h += 12;
  if (ampm === 'am' && h === 12) h = 0;
  if (h > 23 || min > 59) return null;
  const zone = rest[3] ? ZONES[rest[3].toLowerCase()] : undefined;
  const ms = Date.UTC(y, mo - 1, d, h, min) - (zone ?? 0) * 60_000;
  const dt = new Date(ms);
  if (dt.getUTCFullYear() < 1990 || dt.getUTCFullYear() > 2100) return null;
  return dt.toISOString();
}

function visibleDate(els: Element[], lang: string | null): string | null {
  for (const e of els) {
    if (textLonger(e, 600)) continue;
    const t = innerText(e);
    if (!t || t.length > 160 || /^\W*(updated|modified|last (edited|modified|updated)|aktualisiert|actualizado|atualizado|mis à jour)/i.test(t) || /retrieved|accessed/i.test(t)) continue;
    const iso = parseVisibleDate(t, lang);
    if (iso) return iso;
  }
  return null;
}

function firstTime(times: Element[], re: RegExp | null): string | null {
  for (const t of times) {
    if (re && !re.test(classId(t) + ' ' + (t.attribs.itemprop || '') + ' ' + (t.parent && isEl(t.parent) ? classId(t.parent) : ''))) continue;
    const v = t.attribs.datetime;
    if (v && /\d{4}-\d\d-\d\d/.test(v)) return v;
  }
  return null;
}

function hasImg(f: Element): boolean {
  return firstImg(f) !== null;
}

function firstImg(f: Element): Element | null {
  let found: Element | null = null;
  walk(f, (e) => {
    if (found) return false;
    if (e.name === 'img') found = e;
  });
  return found;
}

function figCaption(f: Element): Element | null {
  let found: Element | null = null;
  walk(f, (e) => {
    if (found) return false;
    if (e.name === 'figcaption' || CAPTION_CI.test(classId(e))) found = e;
  });
  return found;
}

function findCredit(cap: Element): Element | null {
  let found: Element | null = null;
  walk(cap, (e) => {
    if (found) return false;
    if (/credit|copyright|source|photographer|attribution/i.test(classId(e))) found = e;
  });
  return found;
}

/** A photo credit at the end of a short text: "(Photo: X)", "Photograph: X", "[X/Agency]". */
export const CREDIT_TAIL =
  /(?:\((?:photo(?:graph)?s?|images?|pictures?|fotos?|credit|illustration)\s*(?:by|:)[^()]{2,100}\)|\b(?:photo(?:graph)?s?|images?|pictures?|fotos?|photo credit|credit)\s*:\s*[^.:]{2,100}|\[[^[\]]{2,100}\/[^[\]]{2,60}\])\s*\.?$/i;

const CAPTION_CI = /caption|legend|l[ée]gende|bildunterschrift|pie-?de-?foto|didascalia|image-?text|photo-?text/i;

/** Whether the raw text under node is longer than limit (stops counting early). */
function textLonger(node: Element, limit: number): boolean {
  let n = 0;
  const stack: Element[] = [node];
  while (stack.length) {
    const e = stack.pop()!;
    for (const c of e.children) {
      if (c.type === 'text') {
        n += (c as unknown as { data: string }).data.length;
        if (n > limit) return true;
      } else if (isEl(c)) stack.push(c);
    }
  }
  return false;
}

function imgSrc(e: Element): string | null {
  const a = e.attribs;
  const s = a['data-src'] || a['data-lazy-src'] || a['data-original'] || a.src || (a.srcset || a['data-srcset'] || '').trim().split(/\s+/)[0];
  return s && s.trim() ? s.trim() : null;
}

/** The <img> whose src (or lazy-load attributes) names the lead image file. */
function findImg(imgs: Element[], imgUrl: string): Element | null {
  const key = fileKey(imgUrl);
  if (!key) return null;
  for (const e of imgs) {
    const srcs = [e.attribs.src, e.attribs['data-src'], e.attribs['data-lazy-src'], e.attribs['data-original'], e.attribs.srcset, e.attribs['data-srcset']].filter(Boolean).join(' ');
    if (srcs && srcs.toLowerCase().includes(key)) return e;
  }
  return null;
}

/**
 * The caption of an image that is not in a <figure>: a caption-class box (or <figcaption>) in
 * the image's small wrapper, or (when `loose`) the short plain text element right after it.
 */
export function captionNear(img: Element, loose: boolean): Element | null {
  let child: Element = img;
  for (let level = 0; level < 4; level++) {
    const box = child.parent;
    if (!box || !isEl(box)) return null;
    const stop = box.name === 'body' || box.name === 'article' || box.name === 'main' || textLonger(box, 1500) || innerText(box).length > 600;
    if (!stop) {
      let found: Element | null = null;
      walk(box, (e) => {
        if (found) return false;
        if (e === child) return false;
        if (e.name === 'figcaption' || (CAPTION_CI.test(classId(e)) && innerText(e).length > 0)) {
          found = e;
          return false;
        }
      });
      if (found) return found;
    }
    if (loose && !innerText(child)) {
      // the element right after the image's wrapper, when it is a short text ending with a photo credit
      let n = child.next;
      while (n && !isEl(n) && !(n.type === 'text' && (n as unknown as { data: string }).data.trim())) n = n.next;
      if (n && isEl(n) && /^(p|div|span|small|em|i)$/.test(n.name)) {
        const t = innerText(n);
        if (t.length > 0 && t.length < 300 && CREDIT_TAIL.test(t)) return n;
      }
    }
    if (stop) return null;
    child = box;
  }
  return null;
}

function fileKey(u: string): string {
  try {
    const p = new URL(u).pathname;
    const f = p.split('/').pop() || p;
    return f.replace(/\.(jpe?g|png|webp|gif|avif)$/i, '').replace(/[-_]\d+x\d+$/, '').toLowerCase();
  } catch {
    return u;
  }
}

function findFigure(figs: Element[], imgUrl: string): Element | null {
  const key = fileKey(imgUrl);
  if (!key) return null;
  for (const f of figs) {
    let hit = false;
    walk(f, (e) => {
      if (hit) return false;
      if (e.name === 'img' || e.name === 'source') {
        const srcs = [e.attribs.src, e.attribs['data-src'], e.attribs.srcset, e.attribs['data-srcset']].filter(Boolean).join(' ');
        if (srcs && srcs.toLowerCase().includes(key)) hit = true;
      }
    });
    if (hit && figCaption(f)) return f;
  }
  return null;
}
