// Small helpers over htmlparser2's DOM (domhandler nodes). Everything here is iterative or
// depth-capped so a page nested 10,000 deep cannot blow the stack.
import { parseDocument } from 'htmlparser2';
import { Element, Text, Document, type AnyNode, type ParentNode } from 'domhandler';

export { Element, Text, Document };
export type { AnyNode, ParentNode };

/** Deeper than this, subtrees are ignored by the text and scoring walks. */
export const MAX_DEPTH = 600;

export function parseHtml(html: string): Document {
  const doc = parseDocument(dropStrayDocumentTags(html), { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  flattenDeep(doc, MAX_DEPTH - 10);
  moveContentOutOfHead(doc);
  return doc;
}

const DOC_TAG = /<(\/?)(html|head|body)\b[^<>]*>/gi;

/**
 * A browser ignores a second <html>/<head>/<body> and every </body> and </html> (ad iframes and
 * old CMS includes paste whole documents into a table cell); htmlparser2 would close the page
 * there and leave the rest of the article outside <body>. Keep only the first of each start tag
 * and the first </head>; the parser closes the rest at the end.
 */
function dropStrayDocumentTags(html: string): string {
  const seen = new Set<string>();
  let changed = false;
  const out = html.replace(DOC_TAG, (m, close: string, name: string) => {
    const n = name.toLowerCase();
    if (close ? n === 'head' && !seen.has('/head') : !seen.has(n)) {
      seen.add(close ? '/head' : n);
      return m;
    }
    changed = true;
    return '';
  });
  return changed ? out : html;
}

const HEAD_TAGS = new Set(['title', 'meta', 'link', 'script', 'style', 'base', 'noscript', 'template', 'object', 'param']);

/**
 * htmlparser2 does not build the HTML5 tree: on a page without <body> (or with </head> missing)
 * the whole page stays inside <head>. Move everything from the first element that cannot be in a
 * head (or the first non-space text) into the body, as a browser would.
 */
function moveContentOutOfHead(doc: Document): void {
  let head: Element | null = null;
  let html: Element | null = null;
  for (const c of doc.children) {
    if (!isEl(c)) continue;
    if (c.name === 'head') head = c;
    else if (c.name === 'html') {
      html = c;
      for (const h of c.children) if (isEl(h) && h.name === 'head') {
        head = h;
        break;
      }
    }
    if (head) break;
  }
  if (!head) return;
  const kids = head.children;
  let i = 0;
  for (; i < kids.length; i++) {
    const k = kids[i];
    if (isEl(k) ? !HEAD_TAGS.has(k.name) : k.type === 'text' && /\S/.test((k as Text).data)) break;
  }
  if (i >= kids.length) return;
  const moved = kids.splice(i);
  if (i > 0) kids[i - 1].next = null;
  const parent = (head.parent ?? html ?? doc) as ParentNode;
  let body: Element | null = null;
  for (const c of parent.children) if (isEl(c) && c.name === 'body') body = c;
  if (!body) {
    body = new Element('body', {}, []);
    const at = parent.children.indexOf(head as never) + 1;
    parent.children.splice(at, 0, body);
    body.parent = parent;
    body.prev = head;
    body.next = parent.children[at + 1] ?? null;
    if (body.next) body.next.prev = body;
    head.next = body;
  }
  const all = [...moved, ...body.children];
  body.children = all;
  let prev: AnyNode | null = null;
  for (const n of all) {
    n.parent = body;
    n.prev = prev;
    n.next = null;
    if (prev) prev.next = n;
    prev = n;
  }
}

const CODE_OPEN = /<!--|<(script|style)\b([^<>]{0,2000})>/gi;
const CLOSERS: Record<string, RegExp> = { '!--': /-->/g, script: /<\/script\s*>/gi, style: /<\/style\s*>/gi };

/**
 * Remove comments, scripts and styles from a page before parsing (about half the bytes of a
 * news page, and never article text). JSON-LD scripts are kept: metadata reads them. The scan
 * goes left to right like the HTML tokenizer, so a "<script" inside a comment stays a comment;
 * it is linear (an unclosed opener ends the scan, the rest is left to the parser).
 */
export function stripCode(html: string): string {
  const parts: string[] = [];
  let last = 0;
  CODE_OPEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CODE_OPEN.exec(html))) {
    const kind = m[1] ? m[1].toLowerCase() : '!--';
    let end: number;
    if (kind === 'script') {
      end = scriptEnd(html, m.index + m[0].length);
      if (end < 0) break;
    } else {
      const close = CLOSERS[kind];
      close.lastIndex = m.index + m[0].length;
      const c = close.exec(html);
      if (!c) break;
      end = c.index + c[0].length;
    }
    if (kind === 'script' && /ld\+json/i.test(m[2] ?? '')) {
      CODE_OPEN.lastIndex = end;
      continue;
    }
    parts.push(html.slice(last, m.index));
    last = end;
    CODE_OPEN.lastIndex = end;
  }
  if (!parts.length) return html;
  parts.push(html.slice(last));
  return parts.join('');
}

const SCRIPT_TOKEN = /<!--|-->|<(\/?)script[\s/>]/gi;

/**
 * End (after its `</script>`) of a script whose text starts at `from`, by the HTML tokenizer's
 * rules: inside `<!--` a `<script` opens a "double-escaped" part where `</script>` does not end the
 * script (old pages write `document.write('<script ...></script>')` inside comment-guarded
 * scripts). -1 when it never ends.
 */
function scriptEnd(html: string, from: number): number {
  SCRIPT_TOKEN.lastIndex = from;
  let escaped = false;
  let double = false;
  let m: RegExpExecArray | null;
  while ((m = SCRIPT_TOKEN.exec(html))) {
    const t = m[0];
    if (t === '<!--') {
      if (!double) escaped = true;
    } else if (t === '-->') {
      escaped = false;
      double = false;
    } else if (m[1]) {
      // </script
      if (double) double = false;
      else {
        const gt = html.indexOf('>', m.index);
        return gt < 0 ? html.length : gt + 1;
      }
    } else if (escaped) double = true;
    if (t.length > 4) SCRIPT_TOKEN.lastIndex = m.index + t.length - 1;
  }
  return -1;
}

/** Below `limit` levels, replace each subtree by its text nodes (keeps the words of absurdly deep pages). */
function flattenDeep(doc: Document, limit: number): void {
  const stack: { node: ParentNode; depth: number }[] = [{ node: doc, depth: 0 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    for (const c of node.children) {
      if (!isEl(c) || !c.children.length) continue;
      if (depth + 1 < limit) {
        stack.push({ node: c, depth: depth + 1 });
        continue;
      }
      // collect text nodes of c's subtree iteratively
      const texts: Text[] = [];
      const st: AnyNode[] = [...c.children].reverse();
      let deep = false;
      while (st.length) {
        const n = st.pop()!;
        if (n.type === 'text') texts.push(n as Text);
        else if (isEl(n) && n.name !== 'script' && n.name !== 'style') {
          if (n.children.length) deep = true;
          for (let i = n.children.length - 1; i >= 0; i--) st.push(n.children[i]);
        }
      }
      if (!deep) continue;
      c.children = texts.map((t) => new Text(t.data + ' '));
      let prev: AnyNode | null = null;
      for (const t of c.children) {
        t.parent = c;
        t.prev = prev;
        if (prev) prev.next = t;
        prev = t;
      }
    }
  }
}

export function isEl(n: AnyNode | null | undefined): n is Element {
  return !!n && (n.type === 'tag' || n.type === 'script' || n.type === 'style');
}

export function isText(n: AnyNode | null | undefined): n is Text {
  return !!n && n.type === 'text';
}

export function attr(el: Element, name: string): string | null {
  const v = el.attribs[name];
  return v === undefined ? null : v;
}

/** Visit every element under root in document order (iterative). Return false from fn to skip children. */
export function walk(root: ParentNode, fn: (el: Element, depth: number) => boolean | void): void {
  const stack: { node: ParentNode; i: number; depth: number }[] = [{ node: root, i: 0, depth: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const kids = top.node.children;
    if (top.i >= kids.length) {
      stack.pop();
      continue;
    }
    const c = kids[top.i++];
    if (!isEl(c)) continue;
    const r = fn(c, top.depth + 1);
    if (r !== false && c.children.length && top.depth < MAX_DEPTH) stack.push({ node: c, i: 0, depth: top.depth + 1 });
  }
}

/** All elements under root with one of the given tag names, in document order. */
export function byTag(root: ParentNode, ...names: string[]): Element[] {
  const set = new Set(names);
  const out: Element[] = [];
  walk(root, (el) => {
    if (set.has(el.name)) out.push(el);
  });
  return out;
}

export function firstByTag(root: ParentNode, name: string): Element | null {
  let found: Element | null = null;
  walk(root, (el) => {
    if (found) return false;
    if (el.name === name) {
      found = el;
      return false;
    }
  });
  return found;
}

/** Raw text content (no whitespace normalising), depth-capped. */
export function textOf(node: AnyNode): string {
  if (isText(node)) return node.data;
  if (!('children' in node)) return '';
  const parts: string[] = [];
  const stack: { node: ParentNode; i: number }[] = [{ node: node as ParentNode, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.node.children.length) {
      stack.pop();
      continue;
    }
    const c = top.node.children[top.i++];
    if (c.type === 'text') parts.push((c as Text).data);
    else if (isEl(c) && c.children.length && stack.length < MAX_DEPTH) stack.push({ node: c, i: 0 });
  }
  return parts.join('');
}

/** Raw text of node when it has at most `limit` characters, else null (stops early). */
export function textUpTo(node: ParentNode, limit: number): string | null {
  const parts: string[] = [];
  let n = 0;
  const stack: { node: ParentNode; i: number }[] = [{ node, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.node.children.length) {
      stack.pop();
      continue;
    }
    const c = top.node.children[top.i++];
    if (c.type === 'text') {
      const d = (c as Text).data;
      n += d.length;
      if (n > limit) return null;
      parts.push(d);
    } else if (isEl(c) && c.children.length && stack.length < MAX_DEPTH) stack.push({ node: c, i: 0 });
  }
  return parts.join('');
}

/** Whether any non-space text sits under node (stops at the first). */
export function hasVisibleText(node: ParentNode): boolean {
  const stack: ParentNode[] = [node];
  while (stack.length) {
    const e = stack.pop()!;
    for (const c of e.children) {
      if (c.type === 'text') {
        if (/\S/.test((c as Text).data)) return true;
      } else if (isEl(c)) stack.push(c);
    }
  }
  return false;
}

export function normSpace(s: string): string {
  return s.replace(/(?:\s|\u200b|\u200c|\u200d|\ufeff)+/g, ' ').trim();
}

export function innerText(node: AnyNode): string {
  return normSpace(textOf(node));
}

export function removeNode(n: AnyNode): void {
  const p = n.parent;
  if (!p) return;
  const i = p.children.indexOf(n as never);
  if (i >= 0) p.children.splice(i, 1);
  const prev = n.prev;
  const next = n.next;
  if (prev) prev.next = next;
  if (next) next.prev = prev;
  n.parent = null;
  n.prev = null;
  n.next = null;
}

export function hasAncestor(el: AnyNode, names: Set<string>, maxUp = 50): boolean {
  let p = el.parent;
  let n = 0;
  while (p && n++ < maxUp) {
    if (isEl(p) && names.has(p.name)) return true;
    p = p.parent;
  }
  return false;
}

export function classId(el: Element): string {
  const c = el.attribs.class;
  const i = el.attribs.id;
  if (c && i) return c + ' ' + i;
  return c || i || '';
}

/** Resolve a possibly relative URL; null when it cannot be parsed. */
export function absUrl(href: string | null | undefined, base: string): string | null {
  if (!href) return null;
  const h = href.trim();
  if (!h || h.startsWith('javascript:') || h.startsWith('data:')) return null;
  try {
    return new URL(h, base).href;
  } catch {
    return null;
  }
}
