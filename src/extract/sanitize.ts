// Allowlist HTML sanitiser for every piece of HTML the digest stores or serves.
// Built on sanitize-html (htmlparser2) with a tight allowlist; every URL attribute is checked
// and made absolute by our own code (WHATWG URL parsing) before sanitize-html sees it.
import sanitize from 'sanitize-html';

const ALLOWED_TAGS = [
  // text blocks
  'p', 'br', 'hr', 'div', 'span', 'section', 'article', 'aside', 'header', 'footer', 'main', 'address',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'blockquote', 'q', 'cite', 'pre', 'code', 'kbd', 'samp', 'var',
  // inline
  'a', 'em', 'strong', 'b', 'i', 'u', 's', 'strike', 'del', 'ins', 'sub', 'sup', 'small', 'big', 'mark',
  'abbr', 'acronym', 'dfn', 'time', 'bdi', 'bdo', 'wbr', 'tt', 'center',
  // lists
  'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  // media
  'img', 'figure', 'figcaption', 'picture', 'source', 'video', 'audio', 'track',
  // tables
  'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
  // misc
  'details', 'summary', 'ruby', 'rt', 'rp',
];

const GLOBAL_ATTRS = ['title', 'lang', 'dir'];

const ALLOWED_ATTRS: Record<string, string[]> = {
  '*': GLOBAL_ATTRS,
  a: ['href', 'rel', 'hreflang', 'name'],
  img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading'],
  source: ['src', 'srcset', 'sizes', 'media', 'type'],
  video: ['src', 'poster', 'controls', 'width', 'height', 'preload', 'loop', 'muted', 'playsinline'],
  audio: ['src', 'controls', 'preload', 'loop', 'muted'],
  track: ['src', 'kind', 'srclang', 'label', 'default'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  time: ['datetime'],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  td: ['colspan', 'rowspan', 'headers'],
  th: ['colspan', 'rowspan', 'headers', 'scope', 'abbr'],
  col: ['span'],
  colgroup: ['span'],
  details: ['open'],
  abbr: ['title'],
};

/** Attributes holding one URL, per tag (srcset is handled separately). */
const URL_ATTRS = new Set(['href', 'src', 'cite', 'poster']);
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);
const WEB_SCHEMES = new Set(['http:', 'https:']);
const SAFE_IMG_DATA = /^data:image\/(png|gif|jpeg|webp)[;,]/;
// ASCII whitespace and C0/C1 controls: what browsers (and the bench) ignore inside URLs.
const CONTROLS = /[\u0000-\u0020\u007f-\u009f]/g;
const PLACEHOLDER = 'http://relative.invalid';

/**
 * Clean one URL attribute value. Returns the value to keep (absolute when a base is known)
 * or null to drop the attribute.
 */
export function cleanUrl(raw: string, baseUrl: string | undefined, opts: { schemes: Set<string>; dataImage?: boolean }): string | null {
  const compact = raw.replace(CONTROLS, '');
  if (compact === '') return null;
  if (/^data:/i.test(compact)) {
    if (opts.dataImage && SAFE_IMG_DATA.test(compact.toLowerCase())) return compact;
    return null;
  }
  let u: URL;
  let base: URL;
  try {
    base = new URL(baseUrl && /^https?:/i.test(baseUrl) ? baseUrl : PLACEHOLDER + '/');
    u = new URL(raw.trim(), base);
  } catch {
    return null;
  }
  if (!opts.schemes.has(u.protocol)) return null;
  if (baseUrl && base.origin !== PLACEHOLDER) return u.href;
  // No base: keep relative URLs relative (the serialised form, which cannot smuggle a scheme).
  if (u.origin === PLACEHOLDER) {
    const trimmed = raw.trim();
    const plain = !/[\u0000-\u0020\u007f-\u009f\\]/.test(trimmed) && !/^[^/?#]*:/.test(trimmed);
    return plain ? trimmed : u.pathname + u.search + u.hash;
  }
  return u.href;
}

/** Parse a srcset value into [url, descriptor] pairs (HTML's algorithm, simplified). */
function parseSrcset(value: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  const n = value.length;
  const ws = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
  while (i < n) {
    while (i < n && (ws(value[i]) || value[i] === ',')) i++;
    if (i >= n) break;
    let start = i;
    while (i < n && !ws(value[i])) i++;
    let url = value.slice(start, i);
    let endsCandidate = false;
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
      endsCandidate = true;
    }
    let desc = '';
    if (!endsCandidate) {
      start = i;
      let paren = false;
      while (i < n) {
        const c = value[i];
        if (c === '(') paren = true;
        else if (c === ')') paren = false;
        else if (c === ',' && !paren) break;
        i++;
      }
      desc = value.slice(start, i).trim();
      i++; // skip the comma
    }
    if (url) out.push([url, desc]);
  }
  return out;
}

function cleanSrcset(value: string, baseUrl: string | undefined): string | null {
  const parts: string[] = [];
  for (const [url, desc] of parseSrcset(value)) {
    const clean = cleanUrl(url, baseUrl, { schemes: WEB_SCHEMES });
    if (!clean) continue;
    // Commas inside a candidate URL would be read as separators by naive parsers.
    const safeDesc = /^[0-9.]+[wx]$/i.test(desc) ? ` ${desc}` : '';
    parts.push(clean.replace(/,/g, '%2C').replace(/\s/g, '%20') + safeDesc);
  }
  return parts.length ? parts.join(', ') : null;
}

const LAZY_SRC = ['data-src', 'data-lazy-src', 'data-original', 'data-lazy', 'data-hi-res-src', 'data-url'];
const LAZY_SRCSET = ['data-srcset', 'data-lazy-srcset'];

/** Lazy-loaded images keep the real URL in data-* attributes: promote it when src is missing or a placeholder. */
function promoteLazy(tagName: string, attribs: sanitize.Attributes): sanitize.Attributes {
  if (tagName !== 'img' && tagName !== 'source') return attribs;
  const out = { ...attribs };
  const src = (attribs.src ?? '').trim();
  const placeholder = !src || /^data:/i.test(src) || /(^|[/_.-])(blank|spacer|placeholder|pixel|transparent|lazy)[^/]*\.(gif|png|svg)/i.test(src);
  if (tagName === 'img' && placeholder) {
    const lazy = LAZY_SRC.map((k) => attribs[k]).find((v) => v && v.trim() && !/^data:/i.test(v.trim()));
    if (lazy) out.src = lazy;
  }
  if (!attribs.srcset || !attribs.srcset.trim() || placeholder) {
    const lazySet = LAZY_SRCSET.map((k) => attribs[k]).find((v) => v && v.trim());
    if (lazySet) out.srcset = lazySet;
  }
  return out;
}

function transformFor(baseUrl: string | undefined) {
  return (tagName: string, rawAttribs: sanitize.Attributes): sanitize.Tag => {
    const attribs = promoteLazy(tagName, rawAttribs);
    const out: sanitize.Attributes = {};
    for (const [name, value] of Object.entries(attribs)) {
      const lname = name.toLowerCase();
      if (URL_ATTRS.has(lname)) {
        const clean = cleanUrl(value, baseUrl, {
          schemes: lname === 'href' && tagName === 'a' ? LINK_SCHEMES : WEB_SCHEMES,
          dataImage: tagName === 'img' && lname === 'src',
        });
        if (clean !== null) out[name] = clean;
      } else if (lname === 'srcset') {
        const clean = cleanSrcset(value, baseUrl);
        if (clean !== null) out[name] = clean;
      } else {
        out[name] = value;
      }
    }
    if (tagName === 'a') out.rel = 'noopener noreferrer';
    return { tagName, attribs: out };
  };
}

function optionsFor(baseUrl: string | undefined): sanitize.IOptions {
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRS,
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'poster', 'srcset'],
    allowProtocolRelative: true,
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'template', 'xmp', 'iframe',
      'noembed', 'noframes', 'svg'],
    transformTags: { '*': transformFor(baseUrl) },
    allowVulnerableTags: false,
    parser: { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
  };
}

/**
 * Sanitise an HTML fragment with an allowlist: no script, style, forms, frames or event
 * handlers; only http(s) (and mailto/tel on links) URLs, plus data:image/(png|gif|jpeg|webp)
 * on <img src>; URLs made absolute against `baseUrl`; links get rel="noopener noreferrer".
 */
export function sanitizeHtml(html: string, baseUrl?: string): string {
  if (!html) return '';
  return sanitize(html, optionsFor(baseUrl));
}
