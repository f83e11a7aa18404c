// Finding the article body: clean the page of chrome, score paragraph containers (after
// Readability's method), pick the best container plus its article siblings, then clean inside
// it and turn it into text blocks.
import { selectAll } from 'css-select';
import {
  type Document,
  Element,
  type AnyNode,
  type ParentNode,
  isEl,
  walk,
  removeNode,
  classId,
  innerText,
  normSpace,
  textUpTo,
  hasVisibleText,
  MAX_DEPTH,
} from './dom.ts';
import { CREDIT_TAIL } from './metadata.ts';
export { CREDIT_TAIL };

/**
 * The numeric choices of the method, in one place so bench/extraction-folds.mjs can measure them
 * with cross-validation by site (tune on some sites, score on others). The values here are the
 * shipped ones; nothing in the product changes them.
 */
export const TUNING = {
  /** A box holding more than this share of the page's paragraph text is never dropped by class. */
  protectShare: 0.4,
  /** A sibling of the top candidate joins it when its score reaches this share of the top score. */
  siblingShare: 0.5,
  /** A plain <p> sibling joins it when longer than this (characters) with little link text. */
  siblingParagraph: 80,
  /** Two <br> in a row separate paragraphs (1) or are one line break (0). */
  brParagraphs: 1,
  /** A block ending in a photo credit is a caption when shorter than this. */
  creditCaption: 300,
  /** The JSON-LD articleBody replaces the DOM text when the DOM text holds less than this share of its words. */
  jsonLdShare: 0.3,
  /** Drop a short closing "Sign up for ..." / "Follow us ..." line (1) or keep it (0). */
  promoTail: 1,
  /** A box of paragraphs with a "paragraph/text/body" class survives a negative class word below this link share. */
  paragraphBoxLinks: 0.3,
};

export interface BodyOptions {
  keepSelectors?: string[];
  dropSelectors?: string[];
}

export interface Block {
  text: string;
  tag: string;
  /** Element the block came from when the block is all of it (so it can be removed from the HTML). */
  el: Element | null;
  linkLen: number;
  heading: boolean;
}

export interface BodyResult {
  /** Containers the text came from (cleaned in place). */
  roots: Element[];
  blocks: Block[];
}

// Never content.
const DROP_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'video', 'audio',
  'source', 'track', 'button', 'input', 'select', 'textarea', 'option', 'optgroup', 'link', 'meta', 'head', 'dialog',
  'map', 'nav', 'aside', 'footer', 'figcaption', 'figure', 'menu', 'frame', 'frameset', 'title', 'base', 'label',
  'amp-ad', 'amp-embed', 'amp-analytics', 'amp-sidebar', 'amp-social-share', 'amp-consent', 'amp-geo', 'amp-list',
  'amp-carousel', 'amp-iframe', 'amp-img', 'amp-video', 'amp-youtube', 'amp-twitter', 'amp-instagram', 'amp-facebook',
  'picture', 'img', 'hr', 'wbr', 'area', 'col', 'colgroup', 'caption', 'del', 's', 'strike', 'time', 'small-ad', 'ins', 'noembed',
]);

export const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'li', 'main',
  'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th', 'ul',
  'body', 'html', 'listing', 'plaintext', 'xmp', 'caption', 'legend', 'option', 'frameset', 'amp-story', 'br',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

// Class/id words that mark chrome almost everywhere.
const STRONG_NEG =
  /(?:^|[-_\s])(?:comments?|comment-?list|commentlist|disqus|share|sharing|sharebar|share-?tools|social(?:-?media)?|related|relatedposts|recommend(?:ed|ations)?|newsletter|subscri(?:be|ption)|promo|advert(?:isement|s)?|ads?|adslot|ad-?container|ad-?wrapper|ad-?unit|dfp|gpt-ad|sponsor(?:ed)?|outbrain|taboola|zergnet|breadcrumbs?|byline|bylines|author-?(?:bio|info|box|card|details|section|data|profile|about|blurb|desc|description)|about-?(?:the-?)?author|date-?time|popup|modal|cookie|consent|paywall|signup|more-?stories|read-?more|readmore|most-?(?:popular|read|viewed)|popular|trending|sidebar|widget|toolbar|caption|captions|credit|credits|print-?only|sr-only|screen-?reader-?text|visually-?hidden|visuallyhidden|hidden|hide|nocontent|skip-?link|tags|tag-?list|taglist|keywords|topics|dateline|timestamp|publish-?date|post-?date|entry-?meta|post-?meta|article-?meta|meta|inline-?(?:related|promo)|embed-?related|see-?also|nextarticle|next-?article|prev-?next|pagination|pager|rating|reactions|masthead|site-?header|site-?footer|footer|navbar|nav|menu|banner|dek|standfirst|strapline|kicker|notification-?bar|subscribe-?box|author-?bio|bio|contributors?|gallery|galleries|carousel|slideshow)(?:[-_\s]|$)/i;
/** An inline element with one of these class words is machine-only text (hCard data, screen-reader labels) or an author box / time stamp. */
// ("hidden" as a whole class, not "hidden-xs": that one is only hidden on small screens)
const HIDDEN_CI = /(?:^|\s)(?:hidden|hide|invisible|offscreen)(?:\s|$)|(?:^|[-_\s])(?:author-?(?:bio|info|box|card|details|section|data|profile|about|blurb|desc|description)|about-?(?:the-?)?author|date-?time)(?:[-_\s]|$)/i;
const TOOLTIP = /tooltip|popover|rollover|hover-?card|flyout|popup/i;
const CAPTIONISH = /caption|image-?credit|photo-?credit|sr-only|screen-?reader|visually-?hidden|l[ée]gende|bildunterschrift|didascalia|pie-?de-?foto/i;
const WEAK_NEG =
  /-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote/i;
const WEAK_OK = /and|article|body|column|content|main|mathjax|shadow/i;
const NEGATIVE_W =
  /-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget/i;
const POSITIVE_W = /article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story/i;
const ROLE_DROP = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'menu', 'menubar', 'search', 'dialog', 'alert', 'alertdialog', 'tooltip', 'toolbar']);
const CONTENT_CI = /(?:^|[-_\s])(?:article-?(?:body|content|text)|story-?(?:body|content|text)|entry-?content|post-?(?:body|content|text)|body-?text|article__body|articlebody|content-?body|main-?content|rich-?text|field-?body|text-?content)(?:[-_\s]|$)/i;

interface Stats {
  text: number;
  link: number;
  commas: number;
  p: number;
  /** Text inside <p> elements. */
  pt: number;
  /** Of that, text of <p> elements inside list items (gallery captions, teaser lists). */
  lpt: number;
  /** Descendant counts used by conditional cleaning. */
  li: number;
  input: number;
  heads: number;
  bq: number;
  /** Has a block-level descendant. */
  block: boolean;
  /** Holds an embedded post (tweet, Instagram...). */
  embed: boolean;
}

function weightOf(el: Element): number {
  let w = 0;
  const c = el.attribs.class;
  if (c) {
    if (NEGATIVE_W.test(c)) w -= 25;
    if (POSITIVE_W.test(c)) w += 25;
  }
  const id = el.attribs.id;
  if (id) {
    if (NEGATIVE_W.test(id)) w -= 25;
    if (POSITIVE_W.test(id)) w += 25;
  }
  return w;
}

function isHidden(el: Element): boolean {
  const a = el.attribs;
  if ('hidden' in a) return true;
  if (a['aria-hidden'] === 'true' && !CONTENT_CI.test(classId(el))) return true;
  const st = a.style;
  if (st && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(st)) return true;
  return false;
}

const COMMA_RE = /[\u002C\u060C\uFE50\uFE10\uFE11\u2E41\u2E34\u2E32\uFF0C]/g;

/** Post-order statistics for every element under root (text length, link text length, commas). */
function computeStats(root: ParentNode): Map<Element, Stats> {
  const stats = new Map<Element, Stats>();
  const rec = (node: ParentNode, depth: number, inLink: boolean): Stats => {
    const s: Stats = { text: 0, link: 0, commas: 0, p: 0, pt: 0, lpt: 0, li: 0, input: 0, heads: 0, bq: 0, block: false, embed: false };
    if (depth > MAX_DEPTH) return s;
    for (const c of node.children) {
      if (c.type === 'text') {
        const d = c.data;
        let n = 0;
        // count non-space characters quickly
        for (let i = 0; i < d.length; i++) {
          const ch = d.charCodeAt(i);
          if (ch > 32 && ch !== 160) n++;
        }
        s.text += n;
        if (inLink) s.link += n;
        if (d.indexOf(',') >= 0 || d.indexOf('，') >= 0 || d.indexOf('،') >= 0) s.commas += (d.match(COMMA_RE) || []).length;
      } else if (c.type === 'script' || c.type === 'style') {
        // code, not text: never counted (and often the bulk of a page's characters)
        continue;
      } else if (isEl(c)) {
        const isLink = c.name === 'a' && !!c.attribs.href;
        const cs = rec(c, depth + 1, inLink || isLink);
        s.text += cs.text;
        s.link += isLink && !inLink && (c.attribs.href || '').startsWith('#') ? Math.round(cs.link * 0.3) : cs.link;
        s.commas += cs.commas;
        const n = c.name;
        s.p += cs.p + (n === 'p' ? 1 : 0);
        s.pt += n === 'p' ? cs.text : cs.pt;
        s.lpt += n === 'li' ? cs.pt : cs.lpt;
        s.li += cs.li + (n === 'li' ? 1 : 0);
        s.input += cs.input + (n === 'input' ? 1 : 0);
        s.heads += cs.heads + (HEADINGS.has(n) ? 1 : 0);
        s.bq += cs.bq + (n === 'blockquote' ? 1 : 0);
        if (cs.block || BLOCK_TAGS.has(n)) s.block = true;
        if (cs.embed || (n === 'blockquote' && EMBED_RE.test(c.attribs.class || ''))) s.embed = true;
      }
    }
    if (isEl(node as AnyNode)) stats.set(node as Element, s);
    return s;
  };
  rec(root, 0, false);
  return stats;
}

/** Remove page chrome that never holds article text. Returns nothing; mutates the tree. */
function cleanPage(root: Element, aggressive: boolean, keep: Set<Element>): void {
  const doomed: Element[] = [];
  const pre = computeStats(root);
  // paragraphs inside list items (a slideshow's captions) do not count as the article's
  const ownPt = (st: Stats): number => st.pt - st.lpt;
  const totalPt = pre.has(root) ? ownPt(pre.get(root)!) : 0;
  // Class names can lie: never drop (by class) a box holding most of the page's paragraphs,
  // nor one holding an embedded post (tweets are part of the story).
  const protectedBox = (el: Element, ci: string): boolean => {
    const st = pre.get(el);
    const talk = /comment|disqus|repl(y|ies)|respon|forum/i.test(ci);
    // a list of paragraphs is a gallery's captions or a teaser list, never the article's text
    if (el.name === 'ul' || el.name === 'ol') return false;
    if (st && totalPt > 0 && ownPt(st) > TUNING.protectShare * totalPt && !talk) return true;
    // "box article modal-enabled", "post social-ready": a content word plus paragraphs wins
    if (st && !talk && st.p >= 3 && st.pt > 300 && /(?:^|[-_\s])(?:article|entry|post|story|body|content|main|text)(?:[-_\s]|$)/i.test(ci) && !/(?:related|more|recommend|promo|teaser|card|list)/i.test(ci)) return true;
    if (st && st.text > 0 && st.embed) return true;
    return false;
  };
  // Sign-up boxes: the small box around an e-mail field ("Get the newsletter ... [email] [Sign up]").
  walk(root, (el) => {
    if (el.name !== 'input') return;
    const a = el.attribs;
    if (!(a.type === 'email' || /e-?mail|courriel|newsletter/i.test((a.name || '') + ' ' + (a.placeholder || '') + ' ' + (a.id || '')))) return;
    let box: Element | null = null;
    let p = el.parent;
    for (let level = 0; level < 5 && p && isEl(p); level++) {
      const n = p.name;
      if (n === 'body' || n === 'main' || n === 'article' || n === 'html') break;
      const st = pre.get(p);
      if (!st || st.text > 400 || st.p > 3) break;
      if (n === 'section' || n === 'div' || n === 'aside' || n === 'form' || n === 'fieldset' || n === 'td') box = p;
      p = p.parent;
    }
    if (box && !keep.has(box)) doomed.push(box);
  });
  walk(root, (el) => {
    if (keep.has(el)) return;
    const name = el.name;
    if (name === 'aside' && isPullQuote(el)) return false;
    if (DROP_TAGS.has(name)) {
      doomed.push(el);
      if (name === 'img' || name === 'picture') {
        const cap = captionAfterImage(el);
        if (cap && !keep.has(cap)) doomed.push(cap);
      }
      return false;
    }
    if (name === 'body' || name === 'html' || name === 'main') return;
    if (isHidden(el)) {
      doomed.push(el);
      return false;
    }
    const role = el.attribs.role;
    if (role && ROLE_DROP.has(role)) {
      doomed.push(el);
      return false;
    }
    if (el.attribs['data-ad'] !== undefined || el.attribs['data-ad-slot'] !== undefined || el.attribs['data-google-query-id'] !== undefined) {
      doomed.push(el);
      return false;
    }
    if (name === 'a' || name === 'p' || HEADINGS.has(name) || name === 'span' || name === 'em' || name === 'strong' || name === 'b' || name === 'i') {
      const c = el.attribs.class;
      if (c && ((TOOLTIP.test(c) && name !== 'a' && !hasDescendantClass(el, TOOLTIP)) || CAPTIONISH.test(c) || /credit/i.test(c) || HIDDEN_CI.test(c.replace(/([a-z])([A-Z])/g, '$1-$2'))) && name !== 'p' && !HEADINGS.has(name)) {
        doomed.push(el);
        return false;
      }
      return;
    }
    const ci0 = classId(el);
    if (!ci0) return;
    const ci = ci0.replace(/([a-z])([A-Z])/g, '$1-$2');
    if ((TOOLTIP.test(ci) && !hasDescendantClass(el, TOOLTIP)) || CAPTIONISH.test(ci)) {
      doomed.push(el);
      return false;
    }
    if (CONTENT_CI.test(ci)) return;
    if (!aggressive && /(?:^|[-_\s])(?:comments?|comment-?list|commentlist|disqus|respond|replies)(?:[-_\s]|$)/i.test(ci) && !protectedBox(el, ci)) {
      doomed.push(el);
      return false;
    }
    if (aggressive && STRONG_NEG.test(ci) && name !== 'article' && !protectedBox(el, ci)) {
      doomed.push(el);
      return false;
    }
    if (aggressive && WEAK_NEG.test(ci) && !WEAK_OK.test(ci) && name !== 'article' && name !== 'table' && name !== 'tbody' && name !== 'tr' && name !== 'td' && !protectedBox(el, ci)) {
      doomed.push(el);
      return false;
    }
  });
  for (const d of doomed) removeNode(d);
}

/**
 * The caption under an image that has no figure or caption class: the element right after the
 * image (or after the wrapper holding only the image) when it is short and ends with a photo
 * credit ("(Photo: X)", "Photograph: X", "[X/Agency]").
 */
function captionAfterImage(img: Element): Element | null {
  let child: Element = img;
  for (let i = 0; i < 3; i++) {
    const p = child.parent;
    if (!p || !isEl(p) || p.name === 'body' || p.name === 'article' || p.name === 'main') break;
    if (hasVisibleText(p)) break;
    child = p;
  }
  let n = child.next;
  while (n && !isEl(n) && !(n.type === 'text' && n.data.trim())) n = n.next;
  if (!n || !isEl(n) || !/^(p|div|span|em|i|small|cite)$/.test(n.name)) return null;
  const t = innerText(n);
  if (!t || t.length > 300) return null;
  if (CREDIT_TAIL.test(t)) return n;
  return null;
}

function hasDescendantClass(el: Element, re: RegExp): boolean {
  let found = false;
  walk(el, (e) => {
    if (found) return false;
    const c = e.attribs.class;
    if (c && re.test(c)) found = true;
  });
  return found;
}

const EMBED_RE = /twitter-tweet|instagram-media|tiktok-embed|embedly|bluesky|mastodon|fb-xfbml|reddit-card/i;

/** An <aside> holding only a short quotation (a pull quote) is part of the text. */
function isPullQuote(el: Element): boolean {
  let q = false;
  let bad = false;
  walk(el, (e) => {
    if (e.name === 'q' || e.name === 'blockquote') q = true;
    if (e.name === 'a' || e.name === 'img' || e.name === 'ul' || e.name === 'form') bad = true;
  });
  return q && !bad && innerText(el).length < 400;
}

/** Readability-style candidate scoring. */
function pickContent(root: Element, stats: Map<Element, Stats>): Element[] {
  const scores = new Map<Element, number>();
  const init = (el: Element): number => {
    let s = 0;
    switch (el.name) {
      case 'div':
      case 'article':
      case 'main':
        s = 5;
        break;
      case 'pre':
      case 'td':
      case 'blockquote':
        s = 3;
        break;
      case 'address':
      case 'ol':
      case 'ul':
      case 'dl':
      case 'dd':
      case 'dt':
      case 'li':
      case 'form':
        s = -3;
        break;
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
      case 'th':
        s = -5;
        break;
    }
    s += weightOf(el);
    if (CONTENT_CI.test(classId(el))) s += 15;
    scores.set(el, s);
    return s;
  };
  const addScore = (start: Element, score: number): void => {
    let anc: AnyNode | null = start;
    for (let level = 0; level < 5 && anc && isEl(anc); level++) {
      const a: Element = anc;
      if (!scores.has(a)) init(a);
      const div = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      scores.set(a, scores.get(a)! + score / div);
      anc = a.parent;
    }
  };
  const scorePara = (len: number, commas: number): number => 1 + commas + Math.min(Math.floor(len / 100), 3);

  walk(root, (el) => {
    const n = el.name;
    // a <section> holding blocks is a container, not a paragraph (nested sections would each score their parent)
    if (n === 'p' || n === 'pre' || n === 'td' || n === 'h2' || n === 'h3' || n === 'h4' || n === 'h5' || n === 'h6' || ((n === 'div' || n === 'article' || n === 'section' || n === 'span' || n === 'font') && !stats.get(el)?.block)) {
      const st = stats.get(el);
      if (!st || st.text < 25) return;
      const parent = el.parent;
      if (!parent || !isEl(parent)) return;
      if (n === 'span' || n === 'font') {
        // only when the span stands in for a paragraph (its parent is a block)
        if (!BLOCK_TAGS.has(parent.name)) return;
      }
      addScore(parent, scorePara(st.text, st.commas));
      if (n !== 'td' && n !== 'section') return false;
      return;
    }
    // direct inline text in a container counts as a paragraph of that container
    if (n === 'div' || n === 'article' || n === 'section' || n === 'main' || n === 'td' || n === 'blockquote') {
      let run = 0;
      let commas = 0;
      const flushRun = (): void => {
        if (run >= 25) addScore(el, scorePara(run, commas));
        run = 0;
        commas = 0;
      };
      for (const c of el.children) {
        if (c.type === 'text') {
          const t = c.data.trim();
          run += t.length;
          commas += (t.match(COMMA_RE) || []).length;
        } else if (isEl(c)) {
          if (BLOCK_TAGS.has(c.name)) flushRun();
          else {
            const st = stats.get(c);
            if (st) {
              run += st.text;
              commas += st.commas;
            }
          }
        }
      }
      flushRun();
    }
  });

  let top: Element | null = null;
  let topScore = -Infinity;
  const ranked: [Element, number][] = [];
  for (const [el, s] of scores) {
    const st = stats.get(el);
    const ld = st && st.text ? st.link / st.text : 0;
    const f = s * (1 - ld);
    scores.set(el, f);
    ranked.push([el, f]);
    if (f > topScore) {
      topScore = f;
      top = el;
    }
  }
  if (!top || top === root) return [root];
  ranked.sort((a, b) => b[1] - a[1]);
  // Several near-equal candidates sharing an ancestor: the article is split; use the ancestor.
  const alts = ranked.slice(1, 5).filter(([, s]) => s / topScore >= 0.75).map(([e]) => ancestors(e));
  if (alts.length >= 3) {
    let p = top.parent;
    while (p && isEl(p) && p !== root) {
      let n = 0;
      for (const a of alts) if (a.includes(p)) n++;
      if (n >= 3) {
        top = p;
        break;
      }
      p = p.parent;
    }
  }
  if (!scores.has(top)) scores.set(top, 0);
  {
    let p = top.parent;
    let last = scores.get(top)!;
    const threshold = last / 3;
    while (p && isEl(p) && p !== root) {
      const ps = scores.get(p);
      if (ps === undefined) {
        p = p.parent;
        continue;
      }
      if (ps < threshold) break;
      if (ps > last) {
        top = p;
        break;
      }
      last = ps;
      p = p.parent;
    }
  }
  {
    let p = top.parent;
    while (p && isEl(p) && p !== root && p.children.filter(isEl).length === 1) {
      top = p;
      p = top.parent;
    }
  }
  const topS = scores.get(top) ?? 0;
  const parent = top.parent;
  if (!parent || !isEl(parent)) return [top];
  const out: Element[] = [];
  const thr = Math.max(10, topS * TUNING.siblingShare);
  const cls = top.attribs.class || '';
  for (const sib of parent.children) {
    if (!isEl(sib)) continue;
    if (sib === top) {
      out.push(sib);
      continue;
    }
    let bonus = 0;
    if (cls && sib.attribs.class === cls) bonus += topS * 0.2;
    const ss = scores.get(sib);
    if (ss !== undefined && ss + bonus >= thr) out.push(sib);
    else if (sib.name === 'p') {
      const st = stats.get(sib);
      if (!st) continue;
      const ld = st.text ? st.link / st.text : 0;
      const t = innerText(sib);
      if (st.text > TUNING.siblingParagraph && ld < 0.25) out.push(sib);
      else if (st.text < TUNING.siblingParagraph && st.text > 0 && ld === 0 && /\.( |$)/.test(t)) out.push(sib);
    }
  }
  // The article split into several containers sharing the top candidate's tag and class
  // (chunks between ad slots, "read more" folds): add the others, in document order.
  if (cls.trim()) {
    const extra: Element[] = [];
    walk(root, (e) => {
      if (e === top) return false;
      if (e.name === top!.name && e.attribs.class === cls && !out.includes(e)) {
        if (out.some((o) => isInside(e, o) || isInside(o, e))) return false;
        const st = stats.get(e);
        if (st && st.text >= 80 && st.link / Math.max(1, st.text) < 0.3) extra.push(e);
        return false;
      }
    });
    if (extra.length) return sortDocOrder([...out, ...extra]);
  }
  return out;
}

function sortDocOrder(els: Element[]): Element[] {
  const order = new Map<Element, number>();
  const set = new Set(els);
  let i = 0;
  let root: AnyNode = els[0];
  while (root.parent) root = root.parent;
  walk(root as ParentNode, (e) => {
    if (set.has(e)) order.set(e, i++);
  });
  return els.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

function ancestors(el: Element): AnyNode[] {
  const out: AnyNode[] = [];
  let p = el.parent;
  while (p) {
    out.push(p);
    p = p.parent;
  }
  return out;
}

/** Readability's conditional cleaning inside the chosen content, plus our chrome rules. */
function cleanContent(root: Element, stats: Map<Element, Stats>): void {
  const doomed: Element[] = [];
  walk(root, (el) => {
    const n = el.name;
    if ((n === 'h1' || n === 'h2') && weightOf(el) < 0) {
      doomed.push(el);
      return false;
    }
    if (n !== 'div' && n !== 'section' && n !== 'ul' && n !== 'ol' && n !== 'table' && n !== 'form' && n !== 'fieldset' && n !== 'dl' && n !== 'header') return;
    const st = stats.get(el);
    if (!st) return;
    if (n === 'table' && isDataTable(el)) return false;
    const w = weightOf(el);
    if (CONTENT_CI.test(classId(el))) return;
    const paragraphBox = st.p >= 1 && st.pt >= 0.9 * st.text && st.link < TUNING.paragraphBoxLinks * st.text && st.text > 80 && /paragraph|(?:^|[-_\s])(?:para|text|body)(?:[-_\s]|$)/i.test(classId(el));
    if (w < 0 && st.text < 2000 && !paragraphBox) {
      doomed.push(el);
      return false;
    }
    if (st.commas >= 10) return;
    const p = st.p;
    const li = st.li - 100;
    const input = st.input;
    const ld = st.text ? st.link / st.text : 0;
    const isList = n === 'ul' || n === 'ol';
    const heads = st.heads;
    const quoted = st.bq > 0 && quoteShare(el, stats) > 0.7;
    const remove =
      (!isList && li > p) ||
      input > Math.floor(p / 3) ||
      (!isList && st.text < 25 && heads === 0) ||
      (!isList && !quoted && w < 25 && ld > 0.2 && st.text < 1000 && !(ld < 0.5 && st.pt > 0.8 * st.text && st.text > 60)) ||
      (w >= 25 && ld > 0.5) ||
      (isList && ld > 0.6 && st.text < 600);
    if (remove) {
      doomed.push(el);
      return false;
    }
    if (n === 'header' && p === 0 && st.text < 300) {
      doomed.push(el);
      return false;
    }
  });
  for (const d of doomed) removeNode(d);
}

function quoteShare(el: Element, stats: Map<Element, Stats>): number {
  let q = 0;
  walk(el, (e) => {
    if (e.name === 'blockquote') {
      q += stats.get(e)?.text ?? 0;
      return false;
    }
  });
  const t = stats.get(el)?.text ?? 0;
  return t ? q / t : 0;
}

function isDataTable(t: Element): boolean {
  if (t.attribs.role === 'presentation') return false;
  let rows = 0;
  let cols = 0;
  let nested = false;
  walk(t, (e) => {
    if (e.name === 'table') nested = true;
    if (e.name === 'tr') {
      rows++;
      const c = e.children.filter((x) => isEl(x) && (x.name === 'td' || x.name === 'th')).length;
      if (c > cols) cols = c;
    }
    if (e.name === 'th' || e.name === 'thead' || e.name === 'caption') cols = Math.max(cols, 2);
  });
  return !nested && rows >= 2 && cols >= 2 && rows * cols > 4;
}

/** Turn a subtree into text blocks. */
export function collectBlocks(roots: Element[]): Block[] {
  const blocks: Block[] = [];
  let parts: string[] = [];
  let linkLen = 0;
  let blockEl: Element | null = null;
  // direct children of the owner that make up the current run of inline content
  let runEls: Element[] = [];
  let runText = false;
  let brRun = false;
  const single = new Map<number, Element>();
  const flush = (): void => {
    if (parts.length) {
      const raw = parts.join('');
      const text = raw
        .split('\n')
        .map((l) => normSpace(l))
        .filter(Boolean)
        .join('\n');
      if (text) {
        const tag = blockEl ? blockEl.name : 'div';
        // a run made of one inline element directly in its owner (a dateline <span>): that element
        if (blockEl && runEls.length === 1 && !runText) single.set(blocks.length, runEls[0]);
        blocks.push({ text, tag, el: blockEl, linkLen, heading: HEADINGS.has(tag) });
      }
    }
    parts = [];
    linkLen = 0;
    runEls = [];
    runText = false;
  };
  const rec = (node: Element, depth: number, inLink: boolean, owner: Element): void => {
    if (depth > MAX_DEPTH) return;
    for (const c of node.children) {
      if (c.type === 'text') {
        const d = c.data.replace(/[\s\u00a0]+/g, ' ');
        if (d.trim()) brRun = false;
        if (!parts.length) blockEl = owner;
        if (node === owner && d.trim()) runText = true;
        parts.push(d);
        if (inLink) linkLen += d.trim().length;
      } else if (isEl(c)) {
        const n = c.name;
        if (n === 'br') {
          // two line breaks in a row (old table layouts, forum posts) separate paragraphs
          if (parts.length && brRun && TUNING.brParagraphs) {
            flush();
            blockEl = owner;
          } else parts.push('\n');
          brRun = true;
          continue;
        }
        if (DROP_TAGS.has(n) && n !== 'time' && n !== 'del' && n !== 's' && n !== 'img') continue;
        brRun = false;
        if (n === 'td' || n === 'th') {
          runText = true;
          if (parts.length) parts.push(' ');
          else blockEl = owner;
          rec(c, depth + 1, inLink, owner);
          parts.push(' ');
          continue;
        }
        if (BLOCK_TAGS.has(n)) {
          flush();
          rec(c, depth + 1, inLink, c);
          flush();
          blockEl = owner;
        } else {
          if (!parts.length) blockEl = owner;
          if (node === owner) runEls.push(c);
          rec(c, depth + 1, inLink || (n === 'a' && !!c.attribs.href), owner);
        }
      }
    }
  };
  for (const r of roots) {
    flush();
    if (BLOCK_TAGS.has(r.name) || r.name === 'p') rec(r, 0, false, r);
    else {
      blockEl = r;
      rec(r, 0, false, r);
    }
    flush();
  }
  // a block is "all of el" only when el's text equals it
  const seen = new Map<Element, string>();
  const owns = (el: Element, text: string): boolean => {
    let t = seen.get(el);
    if (t === undefined) {
      // bounded: an element holding far more raw text than the block is not "all of it"
      const raw = textUpTo(el, text.length * 4 + 2000);
      t = raw === null ? '' : normSpace(raw);
      seen.set(el, t);
    }
    return t.length === text.length && t === text.replace(/\n/g, ' ');
  };
  blocks.forEach((b, i) => {
    if (!b.el || owns(b.el, b.text)) return;
    // else the one inline element the block came from (a dateline <span> inside the body box)
    const one = single.get(i);
    b.el = one && owns(one, b.text) ? one : null;
  });
  return blocks;
}

export function applySelectors(doc: Document, opts: BodyOptions): Element[] {
  if (opts.dropSelectors?.length) {
    for (const sel of opts.dropSelectors) {
      for (const e of selectAll(sel, doc) as unknown as Element[]) removeNode(e);
    }
  }
  const kept: Element[] = [];
  if (opts.keepSelectors?.length) {
    for (const sel of opts.keepSelectors) {
      for (const e of selectAll(sel, doc) as unknown as Element[]) if (!kept.some((k) => isInside(e, k))) kept.push(e);
    }
  }
  return kept;
}

function isInside(e: AnyNode, anc: Element): boolean {
  let p = e.parent;
  while (p) {
    if (p === anc) return true;
    p = p.parent;
  }
  return false;
}

/** Find the body of the article. The document is modified in place. */
export function findBody(doc: Document, opts: BodyOptions, aggressive = true): BodyResult {
  const kept = applySelectors(doc, opts);
  const body = firstBody(doc);
  cleanPage(body, aggressive, new Set(kept));
  if (kept.length) {
    const stats = computeStats(body);
    for (const k of kept) cleanContent(k, stats);
    return { roots: kept, blocks: collectBlocks(kept) };
  }
  const stats = computeStats(body);
  const roots = pickContent(body, stats);
  for (const r of roots) cleanContent(r, stats);
  return { roots, blocks: collectBlocks(roots) };
}

export function firstBody(doc: Document): Element {
  let body: Element | null = null;
  let html: Element | null = null;
  walk(doc, (el) => {
    if (body) return false;
    if (el.name === 'body') {
      body = el;
      return false;
    }
    if (el.name === 'html' && !html) html = el;
  });
  if (body) return body;
  if (html) return html;
  // no <html>/<body>: wrap the document's children in a synthetic body
  const wrapper = new Element('body', {}, [...doc.children]);
  doc.children = [wrapper];
  wrapper.parent = doc;
  return wrapper;
}
