// Re-serialises HTML found inside feeds the way feedparser does: tags lower-cased, attributes
// sorted and escaped, character references kept as written (windows-1252 code points mapped
// to Unicode), relative URLs resolved against the element's base, <script>/<style> and
// on* handlers dropped. Tags are emitted as written (no implied closing), so the output stays
// close to the input. The store's sanitiser still cleans everything before display.

import { Parser } from 'htmlparser2';
import { resolveUrl } from './url.ts';
import { lookupNamedEntity } from './xml.ts';

const VOID = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link',
  'meta', 'param', 'source', 'track', 'wbr',
]);
const DROP_WITH_CONTENT = new Set(['script', 'style', 'noscript', 'template']);
const URI_ATTRS: Record<string, string[]> = Object.assign(Object.create(null) as Record<string, string[]>, {
  a: ['href'], applet: ['codebase'], area: ['href'], audio: ['src'], blockquote: ['cite'], body: ['background'], del: ['cite'],
  form: ['action'], frame: ['longdesc', 'src'], iframe: ['longdesc', 'src'], head: ['profile'], img: ['longdesc', 'src', 'usemap'],
  input: ['src', 'usemap'], ins: ['cite'], link: ['href'], object: ['classid', 'codebase', 'data', 'usemap'], q: ['cite'],
  script: ['src'], source: ['src'], video: ['poster', 'src'],
});

/** Windows-1252 meanings of the C1 range (0x80–0x9F), as feedparser maps them. */
export const CP1252: Record<number, number> = {
  128: 8364, 130: 8218, 131: 402, 132: 8222, 133: 8230, 134: 8224, 135: 8225, 136: 710, 137: 8240, 138: 352, 139: 8249,
  140: 338, 142: 381, 145: 8216, 146: 8217, 147: 8220, 148: 8221, 149: 8226, 150: 8211, 151: 8212, 152: 732, 153: 8482,
  154: 353, 155: 8250, 156: 339, 158: 382, 159: 376,
};

/** Map stray C1 control characters to their windows-1252 meaning. */
export function translateCp1252(s: string): string {
  return /[\u0080-\u009F]/.test(s) ? s.replace(/[\u0080-\u009F]/g, (c) => String.fromCharCode(CP1252[c.charCodeAt(0)] ?? c.charCodeAt(0))) : s;
}

const BARE_AMP = /&(?!#\d+;|#x[0-9a-fA-F]+;|\w+;)/g;

function escapeAttrValue(v: string): string {
  return v.replace(/>/g, '&gt;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(BARE_AMP, '&amp;');
}

function fixCharRefs(text: string): string {
  return text.replace(/&#([xX]?)([0-9a-fA-F]+);/g, (m, x: string, num: string) => {
    const v = x ? parseInt(num, 16) : /^\d+$/.test(num) ? parseInt(num, 10) : NaN;
    if (Number.isNaN(v)) return m;
    const mapped = CP1252[v];
    if (mapped !== undefined) return `&#x${mapped.toString(16)};`;
    return `&#${x ? 'x' : ''}${num};`;
  });
}

/** sgmllib-style named references: known names kept (";" added), unknown ones escaped. */
function fixEntityRefs(text: string): string {
  if (text.indexOf('&') < 0) return text;
  return text.replace(/&([a-zA-Z][-.a-zA-Z0-9]*)(;?)/g, (m, name: string, semi: string) => {
    if (name === 'apos' || lookupNamedEntity(name) !== null) return `&${name};`;
    return `&amp;${name}${semi}`;
  });
}

function resolveSrcset(v: string, base: string): string {
  return v
    .split(',')
    .map((part) => {
      const t = part.trim();
      if (!t) return t;
      const sp = t.search(/\s/);
      const u = sp < 0 ? t : t.slice(0, sp);
      const rest = sp < 0 ? '' : t.slice(sp);
      return resolveUrl(u, base) + rest;
    })
    .join(', ');
}

/**
 * Normalise an HTML fragment. `base` (may be null) resolves relative URLs in href/src/….
 */
export function normalizeHtml(html: string, base: string | null): string {
  if (!html) return html;
  let data = html.replace(/<!((?!DOCTYPE|--|\[))/gi, '&lt;!$1');
  // An unterminated declaration at the end is text, not markup.
  let tail = '';
  const unterminated = /<!DOCTYPE[^>]*$/i.exec(data);
  if (unterminated) {
    tail = unterminated[0];
    data = data.slice(0, unterminated.index);
  }
  data = data.replace(/&#39;/g, "'").replace(/&#34;/g, '"');
  const out: string[] = [];
  const open: { name: string; index: number }[] = [];
  let dropDepth = 0;
  let foreign = 0; // inside svg/math: keep attribute case
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (dropDepth > 0 || DROP_WITH_CONTENT.has(name)) {
          dropDepth++;
          open.push({ name, index: -1 });
          return;
        }
        if (name === 'svg' || name === 'math') foreign++;
        const uriAttrs = URI_ATTRS[name];
        const list: [string, string][] = [];
        let hasXmlns = false;
        let hasXlinkNs = false;
        let usesXlink = false;
        for (const [k0, v0] of Object.entries(attribs)) {
          const k = foreign > 0 ? k0 : k0.toLowerCase();
          const kl = k.toLowerCase();
          if (kl.startsWith('on')) continue;
          let v = v0;
          if (kl === 'rel' || kl === 'type') v = v.toLowerCase();
          if (base && uriAttrs && uriAttrs.includes(kl)) v = resolveUrl(v.trim(), base);
          else if (base && kl === 'srcset' && (name === 'img' || name === 'source')) v = resolveSrcset(v, base);
          if (/^\s*(?:javascript|vbscript|data:text\/html)/i.test(v) && (kl === 'href' || kl === 'src' || kl === 'action')) continue;
          if (kl === 'xmlns') hasXmlns = true;
          if (kl === 'xmlns:xlink') hasXlinkNs = true;
          if (kl.startsWith('xlink:')) usesXlink = true;
          list.push([k, escapeAttrValue(v)]);
        }
        if (name === 'svg' && !hasXmlns) list.push(['xmlns', 'http://www.w3.org/2000/svg']);
        if (name === 'math' && !hasXmlns) list.push(['xmlns', 'http://www.w3.org/1998/Math/MathML']);
        if (usesXlink && !hasXlinkNs) list.push(['xmlns:xlink', 'http://www.w3.org/1999/xlink']);
        list.sort((a, b) => (a[0].toLowerCase() < b[0].toLowerCase() ? -1 : a[0].toLowerCase() > b[0].toLowerCase() ? 1 : 0));
        const strattrs = list.map(([k, v]) => ` ${k}="${v}"`).join('');
        const tagName = foreign > 0 ? name : name;
        if (VOID.has(name)) {
          out.push(`<${tagName}${strattrs} />`);
          open.push({ name, index: -2 });
        } else {
          out.push(`<${tagName}${strattrs}>`);
          open.push({ name, index: out.length - 1 });
        }
      },
      ontext(text) {
        if (dropDepth > 0) return;
        out.push(fixEntityRefs(fixCharRefs(text)).replace(/<>/g, ''));
      },
      onclosetag(name, isImplied) {
        const top = open.pop();
        if (!top) return;
        if (top.index === -1) {
          dropDepth--;
          return;
        }
        if (name === 'svg' || name === 'math') foreign = Math.max(0, foreign - 1);
        if (top.index === -2) return;
        if (!isImplied) out.push(`</${name}>`);
        else if (top.index === out.length - 1) out[top.index] = out[top.index].replace(/>$/, ' />');
      },
      onprocessinginstruction(_name, d) {
        if (dropDepth > 0) return;
        if (/^!doctype/i.test(d)) out.push(`<${d}>`);
      },
    },
    { decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: false, recognizeSelfClosing: true },
  );
  parser.write(data);
  parser.end();
  return out.join('') + tail;
}

/** Heuristic of feedparser: does a text/plain value really hold HTML? */
const ACCEPTABLE = new Set(
  ('a abbr acronym address area article aside audio b big blockquote br button canvas caption center cite code col colgroup ' +
    'command datagrid datalist dd del details dfn dialog dir div dl dt em event-source fieldset figcaption figure font footer ' +
    'form h1 h2 h3 h4 h5 h6 header hr i img input ins kbd keygen label legend li m map menu meter multicol nav nextid noscript ol ' +
    'optgroup option output p pre progress q s samp section select small sound source spacer span strike strong sub sup table ' +
    'tbody td textarea tfoot th thead time tr tt u ul var video').split(' '),
);
export function looksLikeHtml(s: string): boolean {
  if (!(/<\/(\w+)>/.test(s) || /&#?\w+;/.test(s))) return false;
  for (const m of s.matchAll(/<\/?(\w+)/g)) if (!ACCEPTABLE.has(m[1].toLowerCase())) return false;
  for (const m of s.matchAll(/&(\w+);/g)) if (!isHtmlEntityName(m[1])) return false;
  return true;
}

function isHtmlEntityName(n: string): boolean {
  return lookupNamedEntity(n) !== null;
}
