// A small tolerant XML tokenizer that builds a namespace-aware element tree.
// It never fails: unclosed tags are closed at the end, stray end tags are ignored, bare "&"
// and "<" are text. Entities: the five XML ones, numeric references, every HTML5 named
// entity, and internal general entities of the DOCTYPE (expanded one level only, with a
// size cap, so "billion laughs" stays linear). External entities are never fetched.

import { decodeHTMLStrict } from 'entities';

export interface XAttr {
  /** Name as written, e.g. "xml:base", "href". */
  qname: string;
  prefix: string;
  local: string;
  value: string;
}

export interface XText {
  kind: 'text';
  value: string;
  cdata: boolean;
}

export interface XElement {
  kind: 'el';
  qname: string;
  prefix: string;
  /** Local name, lower-cased (feeds in the wild mix case). */
  local: string;
  /** Local name as written. */
  rawLocal: string;
  /** Namespace URI ('' when none). */
  ns: string;
  attrs: XAttr[];
  children: XNode[];
  /** Namespace scope in effect for this element (prefix → URI). */
  scope: Map<string, string>;
}

export type XNode = XElement | XText;

export interface XDocument {
  root: XElement | null;
  /** All top-level nodes (for documents with stray content around the root). */
  top: XNode[];
}

const MAX_ENTITY_TOTAL = 1 << 20; // 1 MiB of entity replacement text per document
const MAX_DEPTH = 512;

const XML_ENTITIES: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'",
  // HTML 4 meanings (feedparser and most feeds predate HTML5's remapping of these two)
  lang: '\u2329', rang: '\u232A',
});
const htmlEntityCache = new Map<string, string | null>();

export function lookupNamedEntity(name: string): string | null {
  const x = XML_ENTITIES[name];
  if (x !== undefined) return x;
  let v = htmlEntityCache.get(name);
  if (v === undefined) {
    const ref = `&${name};`;
    const d = decodeHTMLStrict(ref);
    v = d === ref ? null : d;
    if (htmlEntityCache.size < 4096) htmlEntityCache.set(name, v);
  }
  return v;
}

export function codePointToString(cp: number): string {
  if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(cp);
}


class EntityContext {
  defs = new Map<string, string>();
  used = 0;
}

/** Decode character and entity references in XML character data. */
export function decodeXmlText(s: string, ctx?: EntityContext): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let last = 0;
  const n = s.length;
  while (amp >= 0) {
    const semi = s.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 66) {
      amp = s.indexOf('&', amp + 1);
      continue;
    }
    const ref = s.slice(amp + 1, semi);
    let rep: string | null = XML_ENTITIES[ref] ?? null;
    if (rep !== null) {
      /* fast path: the five XML entities */
    } else if (ref.charCodeAt(0) === 35 /* # */) {
      if (/^#[0-9]{1,8}$/.test(ref)) rep = codePointToString(parseInt(ref.slice(1), 10));
      else if (/^#[xX][0-9a-fA-F]{1,7}$/.test(ref)) rep = codePointToString(parseInt(ref.slice(2), 16));
    } else if (/^[A-Za-z_][A-Za-z0-9._:-]*$/.test(ref)) {
      rep = lookupNamedEntity(ref);
      if (rep === null && ctx) {
        const d = ctx.defs.get(ref);
        if (d !== undefined && ctx.used + d.length <= MAX_ENTITY_TOTAL) {
          ctx.used += d.length;
          rep = d;
        }
      }
    }
    if (rep !== null) {
      out += s.slice(last, amp) + rep;
      last = semi + 1;
      amp = semi + 1 < n ? s.indexOf('&', semi + 1) : -1;
    } else {
      amp = s.indexOf('&', amp + 1);
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

function parseDoctypeEntities(subset: string, ctx: EntityContext): void {
  const re = /<!ENTITY\s+([A-Za-z_][\w.:-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;
  let m: RegExpExecArray | null;
  let count = 0;
  while ((m = re.exec(subset)) && count < 1000) {
    count++;
    const name = m[1];
    if (ctx.defs.has(name)) continue;
    // Replacement text: character references and standard entities only; references to
    // other DTD entities are left as written (no recursive expansion).
    const raw = (m[2] ?? m[3] ?? '').slice(0, 4096);
    ctx.defs.set(name, decodeXmlText(raw));
  }
}

const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const NAME_RE = /[^\s/>=<"']+/y;
const ATTR_NAME_RE = /[^\s/>=<"']+/y;
const WS_RE = /\s*/y;

function splitQName(q: string): [string, string] {
  const i = q.indexOf(':');
  return i > 0 ? [q.slice(0, i), q.slice(i + 1)] : ['', q];
}

export function parseXml(src: string): XDocument {
  const ctx = new EntityContext();
  const docEl: XElement = {
    kind: 'el', qname: '#document', prefix: '', local: '#document', rawLocal: '#document', ns: '', attrs: [], children: [],
    scope: new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]),
  };
  const stack: XElement[] = [docEl];
  const n = src.length;
  let pos = 0;

  const pushText = (value: string, cdata: boolean) => {
    if (!value) return;
    const parent = stack[stack.length - 1];
    const last = parent.children[parent.children.length - 1];
    if (last && last.kind === 'text' && last.cdata === cdata) last.value += value;
    else parent.children.push({ kind: 'text', value, cdata });
  };

  while (pos < n) {
    const lt = src.indexOf('<', pos);
    if (lt < 0) {
      pushText(decodeXmlText(src.slice(pos), ctx), false);
      break;
    }
    if (lt > pos) pushText(decodeXmlText(src.slice(pos, lt), ctx), false);
    pos = lt;
    const c1 = src.charCodeAt(pos + 1);
    if (c1 === 33 /* ! */) {
      if (src.startsWith('<!--', pos)) {
        const e = src.indexOf('-->', pos + 4);
        pos = e < 0 ? n : e + 3;
        continue;
      }
      if (src.startsWith('<![CDATA[', pos)) {
        const e = src.indexOf(']]>', pos + 9);
        pushText(src.slice(pos + 9, e < 0 ? n : e), true);
        pos = e < 0 ? n : e + 3;
        continue;
      }
      if (/^<!DOCTYPE/i.test(src.slice(pos, pos + 9))) {
        // Find the end: either ">" before any "[", or "]" ... ">" after the internal subset.
        const gt = src.indexOf('>', pos);
        const br = src.indexOf('[', pos);
        if (br >= 0 && (gt < 0 || br < gt)) {
          const close = src.indexOf(']', br);
          const end = close < 0 ? -1 : src.indexOf('>', close);
          parseDoctypeEntities(src.slice(br + 1, close < 0 ? n : close), ctx);
          pos = end < 0 ? n : end + 1;
        } else {
          pos = gt < 0 ? n : gt + 1;
        }
        continue;
      }
      const gt = src.indexOf('>', pos);
      pos = gt < 0 ? n : gt + 1;
      continue;
    }
    if (c1 === 63 /* ? */) {
      const e = src.indexOf('?>', pos + 2);
      pos = e < 0 ? n : e + 2;
      continue;
    }
    if (c1 === 47 /* / */) {
      NAME_RE.lastIndex = pos + 2;
      const m = NAME_RE.exec(src);
      const gt = src.indexOf('>', pos + 2);
      if (!m) {
        // "</>" or "</ " — treat as text
        pushText('</', false);
        pos += 2;
        continue;
      }
      const name = m[0];
      pos = gt < 0 ? n : gt + 1;
      const lname = name.toLowerCase();
      for (let i = stack.length - 1; i > 0; i--) {
        if (stack[i].qname.toLowerCase() === lname) {
          stack.length = i;
          break;
        }
      }
      continue;
    }
    if (pos + 1 >= n || !NAME_START.test(src[pos + 1])) {
      pushText('<', false);
      pos += 1;
      continue;
    }
    // start tag
    NAME_RE.lastIndex = pos + 1;
    const nm = NAME_RE.exec(src);
    const qname = nm ? nm[0] : '';
    let p = pos + 1 + qname.length;
    const rawAttrs: [string, string][] = [];
    let selfClose = false;
    for (;;) {
      WS_RE.lastIndex = p;
      WS_RE.exec(src);
      p = WS_RE.lastIndex;
      if (p >= n) break;
      const ch = src.charCodeAt(p);
      if (ch === 62 /* > */) {
        p++;
        break;
      }
      if (ch === 47 /* / */) {
        if (src.charCodeAt(p + 1) === 62) {
          selfClose = true;
          p += 2;
          break;
        }
        p++;
        continue;
      }
      if (ch === 60 /* < */) break; // unterminated tag: let "<" start the next token
      ATTR_NAME_RE.lastIndex = p;
      const am = ATTR_NAME_RE.exec(src);
      if (!am) {
        p++;
        continue;
      }
      const aname = am[0];
      p += aname.length;
      WS_RE.lastIndex = p;
      WS_RE.exec(src);
      let q = WS_RE.lastIndex;
      let value = '';
      if (src.charCodeAt(q) === 61 /* = */) {
        q++;
        WS_RE.lastIndex = q;
        WS_RE.exec(src);
        q = WS_RE.lastIndex;
        const qc = src[q];
        if (qc === '"' || qc === "'") {
          const e = src.indexOf(qc, q + 1);
          if (e < 0) {
            const gt = src.indexOf('>', q + 1);
            const end = gt < 0 ? n : gt;
            value = src.slice(q + 1, end);
            q = end;
          } else {
            value = src.slice(q + 1, e);
            q = e + 1;
          }
        } else {
          let e = q;
          while (e < n && !/[\s>]/.test(src[e])) e++;
          if (e > q && src[e - 1] === '/' && src[e] === '>') e--;
          value = src.slice(q, e);
          q = e;
        }
        p = q;
      }
      rawAttrs.push([aname, decodeXmlText(value, ctx).replace(/[\t\n\r]/g, ' ')]);
    }
    pos = p;
    const parent = stack[stack.length - 1];
    let scope = parent.scope;
    for (const [an, av] of rawAttrs) {
      if (an === 'xmlns' || an.startsWith('xmlns:')) {
        if (scope === parent.scope) scope = new Map(parent.scope);
        scope.set(an === 'xmlns' ? '' : an.slice(6), av.trim());
      }
    }
    const [prefix, rawLocal] = splitQName(qname);
    const el: XElement = {
      kind: 'el',
      qname,
      prefix,
      local: rawLocal.toLowerCase(),
      rawLocal,
      ns: scope.get(prefix) ?? '',
      attrs: rawAttrs.map(([an, av]) => {
        const [ap, al] = splitQName(an);
        return { qname: an, prefix: ap, local: al, value: av };
      }),
      children: [],
      scope,
    };
    parent.children.push(el);
    if (!selfClose && stack.length < MAX_DEPTH) stack.push(el);
  }
  let root: XElement | null = null;
  for (const c of docEl.children) {
    if (c.kind === 'el') {
      root = c;
      break;
    }
  }
  return { root, top: docEl.children };
}

/** Attribute by local name (case-insensitive), ignoring prefix unless given as "p:name". */
export function attr(el: XElement, name: string): string | null {
  const lname = name.toLowerCase();
  if (lname.includes(':')) {
    for (const a of el.attrs) if (a.qname.toLowerCase() === lname) return a.value;
    return null;
  }
  for (const a of el.attrs) if (a.prefix === '' && a.local.toLowerCase() === lname) return a.value;
  for (const a of el.attrs) if (a.local.toLowerCase() === lname && a.prefix !== 'xmlns') return a.value;
  return null;
}

/** Concatenated character data of an element's subtree. */
export function textOf(el: XElement): string {
  let out = '';
  for (const c of el.children) out += c.kind === 'text' ? c.value : textOf(c);
  return out;
}

export function escapeXmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeXmlAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
