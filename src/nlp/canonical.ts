// One entity per real person/place/organisation across the articles of a story:
// "Putin", "Vladimir Putin", "President Vladimir Putin", "Putin's" → "Vladimir Putin".

import type { EntityType } from './ner.ts';

export interface Mention {
  text: string;
  type: EntityType;
  /** Where it comes from (article id), optional. */
  articleId?: string | number;
}

export interface CanonicalEntity {
  /** Canonical name: the most frequent full form (for people: the longest name without titles). */
  name: string;
  type: EntityType;
  /** Distinct surface forms seen. */
  aliases: string[];
  /** Number of mentions. */
  count: number;
  /** Articles it appears in. */
  articles: (string | number)[];
  /** URL-safe key ("vladimir-putin"). */
  key: string;
}

const TITLES =
  /^(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame|Lord|Lady|Sen|Rep|Gov|Gen|Lt|Col|Capt|Adm|Sgt|President|Vice President|Prime Minister|Premier|Chancellor|Minister|Foreign Minister|Senator|Governor|Mayor|King|Queen|Prince|Princess|Pope|Judge|Justice|Secretary|General|Ambassador|Envoy)\.?\s+)+/u;

export function cleanPersonName(s: string): string {
  return s
    .replace(/[’']s$/u, '')
    .replace(TITLES, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function entityKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const norm = (s: string) => entityKey(s).replace(/-/g, ' ');

/**
 * Groups mentions into entities. People: a surname-only mention joins the full name with that
 * surname (when exactly one full name fits); a full name joins another with the same surname when
 * first names agree (or one is an initial). Places and organisations: same normalised name, with a
 * leading "the" ignored.
 */
export function canonicalEntity(mentions: readonly Mention[]): CanonicalEntity[] {
  interface Group {
    type: EntityType;
    words: string[];
    forms: Map<string, number>;
    articles: Set<string | number>;
    count: number;
  }
  const groups: Group[] = [];
  const clean = mentions
    .map((m) => ({ ...m, clean: m.type === 'PER' ? cleanPersonName(m.text) : m.text.replace(/^the\s+/i, '').replace(/[’']s$/u, '').trim() }))
    .filter((m) => m.clean);
  // full names first, so surnames can attach to them
  const order = [...clean].sort((a, b) => b.clean.split(' ').length - a.clean.split(' ').length);
  for (const m of order) {
    const words = norm(m.clean).split(' ').filter(Boolean);
    let g: Group | undefined;
    if (m.type === 'PER') {
      const last = words[words.length - 1];
      const fits = groups.filter((x) => {
        if (x.type !== 'PER' || x.words[x.words.length - 1] !== last) return false;
        if (words.length === 1 || x.words.length === 1) return true;
        const a = words[0];
        const b = x.words[0];
        return a === b || (a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b));
      });
      if (fits.length === 1 || (fits.length > 1 && words.length > 1)) g = fits[0];
    } else {
      g = groups.find((x) => x.type === m.type && x.words.join(' ') === words.join(' '));
    }
    if (!g) {
      g = { type: m.type, words, forms: new Map(), articles: new Set(), count: 0 };
      groups.push(g);
    } else if (words.length > g.words.length) g.words = words;
    g.forms.set(m.clean, (g.forms.get(m.clean) ?? 0) + 1);
    g.count++;
    if (m.articleId !== undefined) g.articles.add(m.articleId);
  }
  return groups
    .map((g) => {
      const forms = [...g.forms.entries()];
      // canonical: longest form for people; most frequent for others (ties: longest)
      forms.sort((a, b) =>
        g.type === 'PER'
          ? b[0].split(' ').length - a[0].split(' ').length || b[1] - a[1]
          : b[1] - a[1] || b[0].length - a[0].length,
      );
      const name = forms[0][0];
      return { name, type: g.type, aliases: forms.map((f) => f[0]), count: g.count, articles: [...g.articles], key: entityKey(name) };
    })
    .sort((a, b) => b.count - a.count);
}
