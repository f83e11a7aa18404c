// OPML 1.0/2.0 import (nested folders) and export that round-trips them.

import { DigestError } from '../core/errors.ts';
import { decodeFeedBytes } from './decode.ts';
import { parseXml, attr, textOf, escapeXmlAttr, escapeXmlText, type XElement } from './xml.ts';

export interface OpmlOutline {
  url: string;
  title: string | null;
  siteUrl: string | null;
  /** Folder path joined with "/", null at top level. */
  folder: string | null;
}

export interface OpmlDocument {
  title: string | null;
  outlines: OpmlOutline[];
}

/** A source to export: what `toOpml` needs from a Source. */
export interface OpmlSource {
  url: string;
  title?: string | null;
  siteUrl?: string | null;
  folder?: string | null;
}

function clean(s: string | null): string | null {
  if (s === null) return null;
  const t = s.replace(/\s+/g, ' ').trim();
  return t || null;
}

/** Parse an OPML subscription list. Throws DigestError('parse') when it is not OPML. */
export function parseOpml(body: Buffer | string): OpmlDocument {
  const { text } = decodeFeedBytes(body);
  const doc = parseXml(text);
  const root = doc.root;
  if (!root || root.local !== 'opml') throw new DigestError('parse', 'not an OPML document (no <opml> root)');
  let title: string | null = null;
  let bodyEl: XElement | null = null;
  for (const c of root.children) {
    if (c.kind !== 'el') continue;
    if (c.local === 'head') {
      for (const h of c.children) if (h.kind === 'el' && h.local === 'title') title = clean(textOf(h));
    } else if (c.local === 'body') bodyEl = c;
  }
  const outlines: OpmlOutline[] = [];
  const seen = new Set<string>();
  const visit = (el: XElement, path: string[]) => {
    for (const c of el.children) {
      if (c.kind !== 'el' || c.local !== 'outline') continue;
      const url = clean(attr(c, 'xmlUrl') ?? attr(c, 'xmlurl') ?? attr(c, 'url'));
      const type = (attr(c, 'type') ?? '').toLowerCase();
      const name = clean(attr(c, 'title')) ?? clean(attr(c, 'text'));
      if (url && type !== 'link' && type !== 'include') {
        const folder = path.length ? path.join('/') : null;
        const key = `${folder ?? ''}\n${url}`;
        if (!seen.has(key)) {
          seen.add(key);
          outlines.push({ url, title: name, siteUrl: clean(attr(c, 'htmlUrl') ?? attr(c, 'htmlurl')), folder });
        }
        visit(c, path); // feeds nested under a feed: keep the same folder
      } else {
        visit(c, name ? [...path, name.replace(/\//g, '∕')] : path);
      }
    }
  };
  if (bodyEl) visit(bodyEl, []);
  return { title, outlines };
}

/** OPML 2.0 text for a list of sources; folders ("a/b") become nested outlines. */
export function toOpml(sources: OpmlSource[], title = 'Occasional Digest subscriptions'): string {
  interface Node {
    folders: Map<string, Node>;
    feeds: OpmlSource[];
  }
  const root: Node = { folders: new Map(), feeds: [] };
  for (const s of sources) {
    let n = root;
    for (const part of (s.folder ?? '').split('/').filter((p) => p.trim() !== '')) {
      let next = n.folders.get(part);
      if (!next) {
        next = { folders: new Map(), feeds: [] };
        n.folders.set(part, next);
      }
      n = next;
    }
    n.feeds.push(s);
  }
  const lines: string[] = [];
  const emit = (n: Node, depth: number) => {
    const ind = '  '.repeat(depth);
    for (const s of n.feeds) {
      const t = s.title ?? s.url;
      let a = `text="${escapeXmlAttr(t)}" title="${escapeXmlAttr(t)}" type="rss" xmlUrl="${escapeXmlAttr(s.url)}"`;
      if (s.siteUrl) a += ` htmlUrl="${escapeXmlAttr(s.siteUrl)}"`;
      lines.push(`${ind}<outline ${a}/>`);
    }
    for (const [name, child] of n.folders) {
      lines.push(`${ind}<outline text="${escapeXmlAttr(name)}" title="${escapeXmlAttr(name)}">`);
      emit(child, depth + 1);
      lines.push(`${ind}</outline>`);
    }
  };
  emit(root, 2);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeXmlText(title)}</title>`,
    `    <dateCreated>${new Date().toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...lines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
