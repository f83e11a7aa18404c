// The demo sample's content model: articles written in src/demo/site/content/*.md, read
// into plain records that the outlet templates and feed writers turn into a site.
//
// Content file format (one file per story, or a file of single items):
//
//   # story: peace-talks            (default story key for the file; "-" for none)
//   === harbour | news/world/2026/11/25/envoys-arrive      (outlet | path under the outlet)
//   title: ...
//   dek: ...                        (standfirst; optional)
//   section: World
//   by: Clara Whitfield; Tom Ashby  (authors separated by ";")
//   role: Diplomatic Editor         (optional, shown with the byline)
//   dateline: VOSTRAVA              (optional)
//   published: 2026-11-25T07:40:00Z
//   updated: 2026-11-25T11:05:00Z   (optional)
//   image: kind | caption | credit | alt
//   pull: pull quote text
//   tags: a, b, c
//   comment: Name | text            (repeatable)
//   special: jsonld-only | bot-check
//   copy: outlet | path             (republished copy or wire carriage of another article)
//   drop: 1                         (copies: paragraphs dropped from the end)
//   --
//   Body paragraphs separated by blank lines; "## " starts a subheading.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type OutletId = 'harbour' | 'northgate' | 'valemont' | 'meridian' | 'lantern' | 'relay';

export const OUTLET_IDS: OutletId[] = ['harbour', 'northgate', 'valemont', 'meridian', 'lantern', 'relay'];

export interface DemoImage {
  kind: string;
  caption: string;
  credit: string;
  alt: string;
}

export interface DemoComment {
  name: string;
  text: string;
}

export interface DemoArticle {
  outlet: OutletId;
  /** Path under the outlet, without leading slash (e.g. "news/world/2026/11/25/x/"). */
  slug: string;
  /** URL path on the demo server ("/harbour/news/world/..."). */
  path: string;
  title: string;
  dek: string | null;
  section: string;
  authors: string[];
  role: string | null;
  dateline: string | null;
  /** ISO 8601 instant. */
  published: string;
  updated: string | null;
  image: DemoImage | null;
  pull: string | null;
  tags: string[];
  comments: DemoComment[];
  /** Story key shared by coverage of one event; null for single items. */
  story: string | null;
  /** Path of the article this one copies (republished copy or wire carriage). */
  copyOf: string | null;
  /** True for wire copy (byline is the agency). */
  wire: boolean;
  special: 'jsonld-only' | 'bot-check' | null;
  /** Body blocks; a block starting with "## " is a subheading. */
  blocks: string[];
}

const CONTENT_DIR = new URL('./content/', import.meta.url);

interface RawEntry {
  outlet: OutletId;
  slug: string;
  fields: Map<string, string[]>;
  body: string;
  story: string | null;
  file: string;
}

function parseFile(file: string, text: string): RawEntry[] {
  const out: RawEntry[] = [];
  let fileStory: string | null = null;
  const chunks = text.split(/^=== /m);
  const head = chunks.shift() ?? '';
  const m = /^# story:\s*(\S+)/m.exec(head);
  if (m && m[1] !== '-') fileStory = m[1];
  for (const chunk of chunks) {
    const nl = chunk.indexOf('\n');
    const idLine = chunk.slice(0, nl).trim();
    const [outlet, slug] = idLine.split('|').map((s) => s.trim());
    if (!OUTLET_IDS.includes(outlet as OutletId)) throw new Error(`${file}: unknown outlet "${outlet}"`);
    const rest = chunk.slice(nl + 1);
    const sep = rest.search(/^--\s*$/m);
    const headerText = sep >= 0 ? rest.slice(0, sep) : rest;
    const body = sep >= 0 ? rest.slice(sep).replace(/^--\s*\n/, '') : '';
    const fields = new Map<string, string[]>();
    for (const line of headerText.split('\n')) {
      if (!line.trim()) continue;
      const i = line.indexOf(':');
      if (i < 0) throw new Error(`${file}: bad header line "${line}"`);
      const k = line.slice(0, i).trim();
      const v = line.slice(i + 1).trim();
      fields.set(k, [...(fields.get(k) ?? []), v]);
    }
    out.push({ outlet: outlet as OutletId, slug, fields, body, story: fileStory, file });
  }
  return out;
}

function pathOf(outlet: string, slug: string): string {
  return `/${outlet}/${slug.replace(/^\/+/, '')}`;
}

function blocksOf(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((b) => b.replace(/\s*\n\s*/g, ' ').trim())
    .filter((b) => b.length > 0);
}

let cache: DemoArticle[] | null = null;

/** Every article of the sample, in file order (copies resolved against their originals). */
export function loadArticles(dir: URL | string = CONTENT_DIR): DemoArticle[] {
  if (cache && dir === CONTENT_DIR) return cache;
  const dirPath = typeof dir === 'string' ? dir : dir.pathname;
  const raws: RawEntry[] = [];
  for (const name of readdirSync(dirPath).sort()) {
    if (!name.endsWith('.md')) continue;
    raws.push(...parseFile(name, readFileSync(join(dirPath, name), 'utf8')));
  }
  const byPath = new Map<string, DemoArticle>();
  const one = (f: Map<string, string[]>, k: string): string | null => f.get(k)?.[0] ?? null;
  const pending: Array<{ raw: RawEntry; art: DemoArticle }> = [];
  const all: DemoArticle[] = [];
  for (const raw of raws) {
    const f = raw.fields;
    const img = one(f, 'image');
    let image: DemoImage | null = null;
    if (img) {
      const [kind, caption, credit, alt] = img.split('|').map((s) => s.trim());
      image = { kind, caption: caption ?? '', credit: credit ?? '', alt: alt ?? caption ?? '' };
    }
    const copy = one(f, 'copy');
    const storyField = one(f, 'story');
    const art: DemoArticle = {
      outlet: raw.outlet,
      slug: raw.slug,
      path: pathOf(raw.outlet, raw.slug),
      title: one(f, 'title') ?? '',
      dek: one(f, 'dek'),
      section: one(f, 'section') ?? 'News',
      authors: (one(f, 'by') ?? '').split(';').map((s) => s.trim()).filter(Boolean),
      role: one(f, 'role'),
      dateline: one(f, 'dateline'),
      published: one(f, 'published') ?? '',
      updated: one(f, 'updated'),
      image,
      pull: one(f, 'pull'),
      tags: (one(f, 'tags') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      comments: (f.get('comment') ?? []).map((c) => {
        const [name, ...text] = c.split('|');
        return { name: name.trim(), text: text.join('|').trim() };
      }),
      story: storyField ? (storyField === '-' ? null : storyField) : raw.story,
      copyOf: null,
      wire: (one(f, 'wire') ?? '') === 'yes',
      special: (one(f, 'special') as DemoArticle['special']) ?? null,
      blocks: blocksOf(raw.body),
    };
    if (copy) {
      const [o, s] = copy.split('|').map((x) => x.trim());
      art.copyOf = pathOf(o, s);
      pending.push({ raw, art });
    }
    if (!art.published || Number.isNaN(Date.parse(art.published))) {
      throw new Error(`${raw.file}: ${art.path} has no valid published date`);
    }
    if (byPath.has(art.path)) throw new Error(`${raw.file}: duplicate path ${art.path}`);
    byPath.set(art.path, art);
    all.push(art);
  }
  // Copies take what they don't override from their original.
  for (const { raw, art } of pending) {
    const orig = byPath.get(art.copyOf!);
    if (!orig) throw new Error(`${raw.file}: ${art.path} copies unknown ${art.copyOf}`);
    const f = raw.fields;
    if (!f.has('title')) art.title = orig.title;
    if (!f.has('dek')) art.dek = orig.dek;
    if (!f.has('section')) art.section = orig.section;
    if (!f.has('by')) art.authors = [...orig.authors];
    if (!f.has('role')) art.role = orig.role;
    if (!f.has('dateline')) art.dateline = orig.dateline;
    if (!f.has('image')) art.image = orig.image;
    if (!f.has('pull')) art.pull = orig.pull;
    if (!f.has('tags')) art.tags = [...orig.tags];
    if (!f.has('wire')) art.wire = orig.wire;
    if (!f.has('story')) art.story = orig.story;
    if (art.blocks.length === 0) {
      const drop = Number(f.get('drop')?.[0] ?? 0);
      art.blocks = orig.blocks.slice(0, orig.blocks.length - drop);
    }
  }
  if (dir === CONTENT_DIR) cache = all;
  return all;
}
