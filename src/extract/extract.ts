// extractArticle: body text + sanitised HTML + metadata for one HTML page.
import { DomUtils } from 'htmlparser2';
import type { ExtractedArticle } from '../core/types.ts';
import { DigestError } from '../core/errors.ts';
import { sanitizeHtml } from './sanitize.ts';
import { parseHtml, stripCode, removeNode, type Element, walk, textOf, isEl, innerText } from './dom.ts';
import { extractMetadata, type PageMeta, decodeEntities } from './metadata.ts';
import { findBody, firstBody, collectBlocks, CREDIT_TAIL, TUNING, type Block, type BodyOptions } from './body.ts';

export type ExtractOptions = BodyOptions;

/** Largest page we try (characters); bigger input is cut (the head of a page holds the article). */
export const MAX_HTML_CHARS = 12_000_000;

const BOILERPLATE_BLOCK =
  /^(?:advertisement|advertising|ad|ads|sponsored( content)?|story continues below( advertisement)?|continue reading( below| the main story)?|article continues below( this ad)?|read more|read more:?|more:?|related( articles| stories| content| coverage| links| reading| posts)?:?|see also:?|share( this)?( article| story| post| page)?:?|share (on|via) .{1,20}|recommended( stories| for you| reading)?|source link|exit mobile version|site icon.*|list of \d+ items?(\s*end of list)?|end of list|skip to (main )?content|loading\.*|click here.*|sign up.{0,60}newsletter.{0,40}|subscribe( now| today)?( to .{1,60})?|follow us.{0,60}|tweet|email|print|comments?|leave a (comment|reply)|\d+ comments?|back to top|image|photo|video|close|menu|getty images|ap photo|reuters|afp|shutterstock|listen( to)?( this)? (article|story)( \d+ min(utes)?)?|(\d+ )?min(ute)? read|caption|expand|enlarge|toggle caption|hide caption|view gallery|view comments|download (the )?app.*|watch:?|listen:?|tags?:?|tagged( with)?:?|topics?:?|filed under:?|don.t miss:?|must read:?|you (may|might) also like.*|more from .{1,40}|(also|read|see) (also|more):?|leia (também|mais):?|veja (também|mais):?|lesen sie (auch|mehr):?|mehr zum thema:?|lire aussi:?|à lire aussi:?|ver también:?|lee también:?|leer más:?|read next:?|up next:?|trending( now)?:?|most popular:?|most read:?|latest( news)?:?|related topics:?|more on this( story)?:?|top stories:?|editor.s picks:?|in other news:?|next article:?|previous article:?|advertisement - scroll to continue|scroll to continue( with content)?|this (article|story) (is|was) (originally )?(published|posted) .{0,80}|updated|sharing is caring!?|(reading time|tempo de leitura|lesezeit|temps de lecture|tiempo de lectura)\s*:?\s*\d+\s*\p{L}*|\d+\s*(min|minute|minutes|minuto|minutos)\s*(read|de leitura|lesezeit|de lecture)|tell us what you think.{0,10})$/iu;

const DATE_WORDS = new Set(
  (
    'jan january janeiro enero janvier januar gennaio januari feb february fevereiro febrero février fevrier februar febbraio februari mar march março marco marzo mars märz marz maart apr april abril avril aprile may mai maio mayo maggio mei jun june junho junio juin juni giugno jul july julho julio juillet juli luglio aug august agosto août aout sep sept september setembro septiembre septembre settembre oct october outubro octubre octobre oktober ottobre nov november novembro noviembre novembre dec december dezembro diciembre décembre decembre dezember dicembre ' +
    'mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun sunday segunda terça terca quarta quinta sexta sábado sabado domingo feira lunes martes miércoles miercoles jueves viernes lundi mardi mercredi jeudi vendredi samedi dimanche montag dienstag mittwoch donnerstag freitag samstag sonntag ' +
    'de del às as a o em en le la el am um der den und and at on of the in updated update published posted modified last first atualizado atualizada publicado publicada actualizado actualizada publié publie mis à jour veröffentlicht aktualisiert stand gmt utc bst cet cest est edt cst cdt pst pdt mst mdt ist aest aedt et pt ct h hs hrs min am pm a.m p.m p m uhr heure heures hace ago hours hour minutes days day today yesterday st nd rd th'
  ).split(' '),
);

/** A short block that is only a date / time stamp ("sexta-feira, 22 de outubro de 2010 às 20:13"). */
export function isDateLine(t: string): boolean {
  if (t.length > 90) return false;
  if (!/\b(19|20)\d\d\b|\b\d{1,2}[:h]\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b/.test(t)) return false;
  const words = t.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);
  let unknown = 0;
  for (const w of words) if (!DATE_WORDS.has(w)) unknown++;
  return unknown === 0;
}

const DATELINE_ONLY =
  /^(?:(?:published|updated|posted|last updated|first published|modified)(?: on| at)?:?\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s*)?(?:\d{1,2}[./ -])?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*\d{1,2}(?:st|nd|rd|th)?,?\s*\d{4}(?:,?\s*(?:at\s*)?\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?\s*(?:[a-z]{2,4})?)?\.?$/i;

function norm(s: string): string {
  return s
    .toLowerCase()
    .replace(/[‘’'`´"“”«»]/g, '')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

function looksBinary(s: string): boolean {
  const n = Math.min(s.length, 4096);
  if (n === 0) return false;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c < 9 || (c > 13 && c < 32)) || c === 0xfffd) bad++;
  }
  return bad / n > 0.1;
}

/** Word tokens of a block, lower-cased, joined by single spaces (punctuation and quote marks ignored). */
function tokenKey(s: string): string {
  return (s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
}

/** "The Daily Relay - a story for you", "Site Name | tagline": a short line naming the site. */
function isSiteLine(t: string, site: string | null): boolean {
  if (!site || t.length > 100) return false;
  const k = tokenKey(t);
  const s = tokenKey(site);
  if (!s || !k.startsWith(s)) return false;
  if (k === s) return true;
  const rest = t.slice(t.toLowerCase().indexOf(site.toLowerCase().slice(-1), Math.max(0, site.length - 1)) + 1);
  return /^\s*[-–—|:·•»]/.test(rest) && !/[.!?]["”’]?$/.test(t.trim()) && k.split(' ').length <= 14;
}

/** A dateline on its own line: "KINGSPORT", "SAINT-CLAIR, Aldermark —". */
function isPlaceDateline(t: string): boolean {
  const x = t.trim().replace(/\s*[-–—:]+$/, '');
  if (!x || x.length > 40 || /\p{Ll}/u.test(x.split(',')[0])) return false;
  if (!/^[\p{Lu}][\p{Lu}\s.'’-]+(?:,\s*[\p{L}\s.'’-]{2,25})?(?:\s*\([\p{Lu}]{2,6}\))?$/u.test(x)) return false;
  return x.split(/\s+/).length <= 5;
}

/**
 * Drop repeats: a block whose words all appear, in order, inside another block (a pull quote
 * that repeats a sentence of the text, a teaser of the next paragraph) or an earlier copy.
 */
function dropRepeats(blocks: Block[]): Block[] {
  if (blocks.length < 2) return blocks;
  const keys = blocks.map((b) => ' ' + tokenKey(b.text) + ' ');
  // All keys in one string; a key (which starts and ends with a space) can only match inside one block.
  const starts: number[] = [];
  let all = '';
  for (const k of keys) {
    starts.push(all.length);
    all += k + '\u0001';
  }
  const blockAt = (pos: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const first = new Map<string, number>();
  const drop = new Set<number>();
  for (let i = 0; i < blocks.length; i++) {
    const ki = keys[i];
    if (blocks[i].heading || ki.length < 12) continue;
    const words = ki.split(' ').length - 2;
    if (words < 5) continue;
    const f = first.get(ki);
    if (f !== undefined) {
      drop.add(i);
      continue;
    }
    first.set(ki, i);
    // pull quotes are short: only those (or quote-marked blocks) are looked for inside longer blocks
    if (!((words >= 10 && ki.length < 320) || isQuoteLike(blocks[i].el))) continue;
    for (let pos = all.indexOf(ki); pos >= 0; pos = all.indexOf(ki, pos + 1)) {
      const j = blockAt(pos);
      if (j !== i && keys[j].length > ki.length && !drop.has(j)) {
        drop.add(i);
        break;
      }
    }
  }
  if (!drop.size) return blocks;
  const out: Block[] = [];
  blocks.forEach((b, i) => {
    if (drop.has(i)) {
      if (b.el) removeNode(b.el);
    } else out.push(b);
  });
  return out;
}

/** The previous (-1) or next (1) element sibling. */
function siblingEl(el: Element, dir: -1 | 1): Element | null {
  let n = dir < 0 ? el.prev : el.next;
  while (n && !isEl(n)) n = dir < 0 ? n.prev : n.next;
  return n && isEl(n) ? n : null;
}

const QUOTE_CI = /quote|pull|exergue|highlight|callout|citation/i;
/** A block from a blockquote, aside or figure, or a box whose class says quote ("PullQuote", "exergue"). */
function isQuoteLike(el: Element | null): boolean {
  let e: Element | null = el;
  for (let i = 0; i < 3 && e; i++) {
    if (e.name === 'blockquote' || e.name === 'q' || e.name === 'aside' || e.name === 'figure') return true;
    if (QUOTE_CI.test(e.attribs.class || '')) return true;
    e = e.parent && isEl(e.parent) ? e.parent : null;
  }
  return false;
}

const BYLINE_LINE = /^(?:by|von|par|por|door|di|af|av)\s+[\p{Lu}][^.!?]{1,80}$/iu;

/** Drop headline, byline, dateline and chrome blocks; remove repeated blocks. */
function filterBlocks(blocks: Block[], meta: PageMeta): Block[] {
  const heads = new Set(meta.headlines.map(norm));
  const bylineNorms = new Set(meta.bylineTexts.map(norm));
  if (meta.byline) for (const b of meta.byline.split(/,\s*/)) bylineNorms.add(norm(b));
  const chrome = new Set(meta.chromeTexts.map(norm));
  const desc = meta.description ? norm(meta.description) : null;
  const descKey = meta.description ? tokenKey(meta.description) : null;
  const isByline = (t: string, k: string): boolean =>
    t.length < 120 && (bylineNorms.has(k) || BYLINE_LINE.test(t) || bylineNorms.has(norm(t.replace(/^(by|von|par|por|door|di)\s+/i, ''))));
  const isDate = (t: string): boolean => t.length < 90 && (DATELINE_ONLY.test(t.trim()) || isDateLine(t));
  // The standfirst: the description repeated above the byline / date line.
  // (or, in the DOM, the description right under the headline or right above the byline).
  let bylineAt = -1;
  for (let i = 0; i < Math.min(8, blocks.length) && bylineAt < 0; i++) {
    const t = blocks[i].text;
    if (isByline(t, norm(t)) || isDate(t)) bylineAt = i;
  }
  const deks = new Set<number>();
  if (descKey) {
    for (let i = 0; i < Math.min(3, blocks.length - 1); i++) {
      const b = blocks[i];
      if (b.heading || tokenKey(b.text) !== descKey) continue;
      if (i < bylineAt) deks.add(i);
      else if (b.el) {
        const prev = siblingEl(b.el, -1);
        const next = siblingEl(b.el, 1);
        if ((prev && prev.name === 'h1') || (next && isByline(innerText(next), norm(innerText(next))))) deks.add(i);
      }
    }
  }
  const seen = new Set<string>();
  const out: Block[] = [];
  const n = blocks.length;
  blocks.forEach((b, i) => {
    const t = b.text;
    const k = norm(t);
    const nearStart = i < 8;
    const nearEdge = nearStart || i >= n - 4;
    let drop = false;
    if (!k) drop = true;
    else if (seen.has(k) && (k.length >= 12 || BOILERPLATE_BLOCK.test(t.trim()))) drop = true;
    else if (heads.has(k) && (nearStart || b.heading)) drop = true;
    else if (BOILERPLATE_BLOCK.test(t.trim()) && t.length < 120) drop = true;
    else if (nearEdge && t.length < 160 && chrome.has(k)) drop = true;
    else if (nearEdge && isSiteLine(t, meta.siteName)) drop = true;
    else if (nearEdge && (isByline(t, k) || isDate(t))) drop = true;
    else if (deks.has(i)) drop = true;
    else if (t.length < TUNING.creditCaption && !b.heading && CREDIT_TAIL.test(t)) drop = true;
    else if (i < 3 && !b.heading && i < n - 1 && isPlaceDateline(t)) drop = true;
    else if (b.linkLen > 0 && isLinkBlock(b, i >= n - 6)) drop = true;
    else if (nearStart && desc && k === desc && b.tag !== 'p' && b.tag !== 'div') drop = true;
    else if (nearStart && t.length < 400 && isDek(b.el) && (k === desc || i <= 1)) drop = true;
    else if (i >= n - 4 && t.length < 400 && CONTRIB.test(t)) drop = true;
    else if (i >= n - 3 && t.length < 200 && !b.heading && TUNING.promoTail && PROMO_TAIL.test(t)) drop = true;
    if (drop) {
      if (b.el) removeNode(b.el);
      return;
    }
    seen.add(k);
    out.push(b);
  });
  return dropRepeats(out);
}

/** A short closing line that sells something: "Sign up for ...", "Get X delivered ...", "Follow us on ...". */
const PROMO_TAIL =
  /(?:^|[.!?]\s+)(?:sign up|subscribe|download (?:the|our)|click here|send (?:us )?your|follow us|get .{0,40}delivered|keep up to date)|not responsible for the content of external|^featured image/i;

const CONTRIB = /(contributed|contributing) (reporting|to this (report|story|article))|^with (additional )?reporting (from|by)\b|^\(?(reporting|writing|editing|additional reporting|compiled|edited) by\b|^(this (story|article) (was|has been) (updated|corrected))/i;

const DEK_CI = /summary|(?:^|[-_\s])(?:dek|abstract|lead|lede|intro-?text)(?:[-_\s]|$)|standfirst|subtitle|strapline|sub-?headline|tagline/i;
function isDek(el: Element | null): boolean {
  let e: Element | null = el;
  for (let i = 0; i < 2 && e; i++) {
    const ci = (e.attribs.class || '') + ' ' + (e.attribs.id || '');
    if (DEK_CI.test(ci) && !/body|content|text/i.test(ci)) return true;
    e = e.parent && isEl(e.parent) ? e.parent : null;
  }
  return false;
}

function isLinkBlock(b: Block, nearEnd: boolean): boolean {
  const t = b.text;
  const len = t.replace(/\s/g, '').length;
  const ld = b.linkLen / Math.max(1, len);
  const words = t.split(/\s+/).length;
  if (ld >= 0.9 && (b.tag !== 'li' && b.tag !== 'p' && !b.heading)) return true;
  if (ld >= 0.9 && nearEnd) return true;
  if (ld >= 0.8 && words <= 20 && (b.tag === 'p' || b.tag === 'div')) return true;
  return false;
}

function textFromPlain(s: string): string {
  const t = decodeEntities(s).replace(/\r\n?/g, '\n');
  return t
    .split(/\n\s*\n|\n/)
    .map((x) => x.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n\n');
}

/** Paragraph text of an HTML string: its p/h2-h6/li/blockquote blocks, else all of its text. */
function htmlParagraphs(v: string): string {
  const d = parseHtml(v);
  const parts: string[] = [];
  walk(d, (e) => {
    if (e.name === 'p' || /^h[2-6]$/.test(e.name) || e.name === 'li' || e.name === 'blockquote') {
      const t = textOf(e).replace(/\s+/g, ' ').trim();
      if (t) parts.push(t);
      return false;
    }
  });
  return parts.length ? parts.join('\n\n') : textOf(d);
}

/** JSON-LD articleBody as text; some sites put (entity-escaped) HTML in it. */
function ldBodyText(s: string): string {
  const t = decodeEntities(s);
  return /<\/?(?:p|div|br|span|a|em|strong|h[2-6])\b[^<>]*>/i.test(t) ? textFromPlain(htmlParagraphs(t)) : textFromPlain(s);
}

/** Find the longest article-like text in script JSON blobs (Next.js data, initial state...). */
function scriptBlobText(html: string): string | null {
  let best: string | null = null;
  const re = /<script\b[^>]*>([\s\S]*?)<\/script>/gi;
  let m: RegExpExecArray | null;
  let guard = 0;
  while ((m = re.exec(html)) && guard++ < 500) {
    const body = m[1];
    if (body.length < 200) continue;
    const strRe = /"(?:articleBody|body|content|text|html|bodyHtml|content_html|story|description)"\s*:\s*"((?:[^"\\]|\\.){200,})"/g;
    let sm: RegExpExecArray | null;
    while ((sm = strRe.exec(body))) {
      let v: string;
      try {
        v = JSON.parse('"' + sm[1] + '"') as string;
      } catch {
        continue;
      }
      let text = v;
      if (/<(p|div|br)\b/i.test(v)) text = htmlParagraphs(v);
      text = textFromPlain(text);
      if (!best || text.length > best.length) best = text;
    }
  }
  return best;
}

export function extractArticle(html: string, url: string, opts: ExtractOptions = {}): ExtractedArticle {
  if (typeof html !== 'string') throw new DigestError('extract', 'page is not text', { subject: url });
  if (looksBinary(html)) throw new DigestError('extract', 'page is binary, not HTML', { subject: url });
  if (html.length > MAX_HTML_CHARS) html = html.slice(0, MAX_HTML_CHARS);
  const page = stripCode(html);
  let doc;
  try {
    doc = parseHtml(page);
  } catch (e) {
    throw new DigestError('extract', `cannot parse HTML: ${(e as Error).message}`, { subject: url, cause: e });
  }
  const meta = extractMetadata(doc, url);

  let res = findBody(doc, opts, true);
  let blocks = filterBlocks(res.blocks, meta);
  let text = blocks.map((b) => b.text).join('\n\n');
  let method = opts.keepSelectors?.length ? 'selector' : 'dom';
  if (text.length < 500 && !opts.keepSelectors?.length) {
    const doc2 = parseHtml(page);
    const res2 = findBody(doc2, opts, false);
    const blocks2 = filterBlocks(res2.blocks, meta);
    const text2 = blocks2.map((b) => b.text).join('\n\n');
    if (text2.length > text.length * 1.3 + 50) {
      res = res2;
      blocks = blocks2;
      text = text2;
    }
  }
  // roots dropped whole by the block filter (a standfirst kept as a sibling root) are gone
  const roots = res.roots.filter((r) => r.parent);
  for (const r of roots) slimAttributes(r);
  let bodyHtml = roots.map((r) => DomUtils.getOuterHTML(r)).join('\n');

  // Text that only lives in JSON-LD or a script blob.
  const ld = meta.jsonLdBody ? ldBodyText(meta.jsonLdBody) : null;
  if (ld && ld.length > 80 && (text.length < ld.length * 0.6 || (ld.length > 400 && wordShare(ld, text) < TUNING.jsonLdShare))) {
    text = ld;
    bodyHtml = ld
      .split('\n\n')
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('\n');
    method = 'jsonld';
  } else if (text.length < 500) {
    const blob = scriptBlobText(html);
    if (blob && blob.length > Math.max(150, text.length * 1.5)) {
      text = blob;
      bodyHtml = blob
        .split('\n\n')
        .map((p) => `<p>${escapeHtml(p)}</p>`)
        .join('\n');
      method = 'script-json';
    }
  }

  if (!text.trim()) {
    // Last resort: every visible block of the page, so no page comes out empty.
    const doc3 = parseHtml(page);
    const body = firstBody(doc3);
    const seen = new Set<string>();
    const all = collectBlocks([body]).filter((b) => {
      if (seen.has(b.text)) return false;
      seen.add(b.text);
      return true;
    });
    text = all.map((b) => b.text).join('\n\n');
    bodyHtml = all.map((b) => `<p>${escapeHtml(b.text)}</p>`).join('\n');
    method = 'page-text';
  }

  let clean: string;
  try {
    clean = sanitizeHtml(bodyHtml, url);
  } catch {
    clean = text
      .split('\n\n')
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('\n');
  }

  return {
    title: meta.title,
    byline: meta.byline,
    published: meta.published,
    modified: meta.modified,
    text,
    html: clean,
    leadImage: meta.leadImage,
    siteName: meta.siteName,
    section: meta.section,
    lang: meta.lang,
    canonicalUrl: meta.canonicalUrl,
    description: meta.description ?? firstParagraph(blocks, text),
    originalUrl: meta.originalUrl,
    method,
  };
}

/** Share of the distinct words of `a` that occur in `b` (does the page text hold the JSON-LD body?). */
function wordShare(a: string, b: string): number {
  const wa = new Set(tokenKey(a).split(' ').filter((w) => w.length > 3));
  if (!wa.size) return 1;
  const wb = new Set(tokenKey(b).split(' '));
  let n = 0;
  for (const w of wa) if (wb.has(w)) n++;
  return n / wa.size;
}

/** Fallback description: the first paragraph of the body. */
function firstParagraph(blocks: Block[], text: string): string | null {
  const p = blocks.find((b) => b.tag === 'p' && b.text.length > 0) ?? blocks.find((b) => !b.heading);
  const t = p ? p.text : text.split('\n\n')[0];
  return t ? t.replace(/\s+/g, ' ').trim() || null : null;
}

const KEEP_DATA = new Set(['data-src', 'data-lazy-src', 'data-original', 'data-lazy', 'data-hi-res-src', 'data-url', 'data-srcset', 'data-lazy-srcset']);
/**
 * Drop attributes the sanitiser would drop anyway (class, id, style, aria-*, data-* except lazy
 * image sources, handlers...) so the HTML handed to it is smaller and parses faster.
 */
function slimAttributes(root: Element): void {
  const slim = (e: Element): void => {
    const a = e.attribs;
    for (const k in a) {
      if (k === 'class' || k === 'id' || k === 'style' || k === 'role' || k === 'tabindex' || k.startsWith('aria-') || k.startsWith('on') || k.startsWith('item') || (k.startsWith('data-') && !KEEP_DATA.has(k))) delete a[k];
    }
  };
  slim(root);
  walk(root, (e) => slim(e));
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export type { Element };
export { isEl };
