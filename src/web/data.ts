// Reads the web pages need that combine several store calls: copies of an article,
// recommended stories, quotes grouped across outlets, source names.
import type { Article } from '../core/types.ts';
import type { QuoteRecord, Store, StoryRecord } from '../store/types.ts';
import { hostOf } from './format.ts';

/** The name to show for an article's outlet. */
export function outletName(a: Pick<Article, 'sourceTitle' | 'siteName' | 'url'>): string {
  return a.siteName?.trim() || a.sourceTitle?.trim() || hostOf(a.url) || 'source';
}

/** Copies of `article` (articles whose duplicateOf is it), via its story when it has one. */
export async function copiesOf(store: Store, article: Article): Promise<Article[]> {
  if (article.storyId != null) {
    const all = await store.storyArticles(article.storyId);
    return all.filter((a) => a.duplicateOf === article.id);
  }
  // No story yet: copies carry the same headline, so look for it with full-text search.
  const q = searchTerms(article.title, 8).join(' ');
  if (!q) return [];
  try {
    const { hits } = await store.search(q, { limit: 30 });
    return hits.map((h) => h.article).filter((a) => a.duplicateOf === article.id);
  } catch {
    return [];
  }
}

const STOP = new Set(
  ('a an and are as at be been but by for from has have he her his in into is it its of on or ' +
    'over says said she than that the their them they this to was were what when where which who ' +
    'will with after about amid more new not out up after before could would should can may how why')
    .split(' '),
);

/** Content words of a title, for a related-content query. */
export function searchTerms(text: string, max: number): string[] {
  const words = text
    .toLowerCase()
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3 && !STOP.has(w) && !/^\d+$/.test(w));
  return [...new Set(words)].slice(0, max);
}

/**
 * Stories related by content to `title`: each content word is searched on its own and
 * the stories of the hits are ranked by how many words and hits point at them.
 */
export async function relatedStories(
  store: Store,
  title: string,
  excludeStoryId: number | null,
  limit = 4,
): Promise<StoryRecord[]> {
  const terms = searchTerms(title, 6);
  if (terms.length === 0) return [];
  const score = new Map<number, number>();
  for (const t of terms) {
    let hits;
    try {
      ({ hits } = await store.search(t, { limit: 20 }));
    } catch {
      continue;
    }
    const seen = new Set<number>();
    for (const h of hits) {
      const sid = h.article.storyId;
      if (sid == null || sid === excludeStoryId || seen.has(sid)) continue;
      seen.add(sid);
      score.set(sid, (score.get(sid) ?? 0) + 1);
    }
  }
  // A single shared word is not relatedness.
  const need = terms.length >= 3 ? 2 : 1;
  const ranked = [...score.entries()].filter(([, s]) => s >= need).sort((a, b) => b[1] - a[1]);
  const out: StoryRecord[] = [];
  const ids = new Set<number>();
  for (const [sid] of ranked) {
    if (out.length >= limit) break;
    const got = await store.getStory(sid);
    if (!got || got.story.id === excludeStoryId || ids.has(got.story.id)) continue;
    ids.add(got.story.id);
    out.push(got.story);
  }
  return out;
}

export interface QuoteGroup {
  quote: string;
  speaker: string | null;
  speakerRole: string | null;
  personId: number | null;
  kind: QuoteRecord['kind'];
  stance: string | null;
  cue: string | null;
  /** Every article carrying it, first one first. */
  carriers: { article: Article; quote: QuoteRecord }[];
}

function norm(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The same quote by the same speaker in several articles becomes one group. */
export async function groupQuotes(store: Store, quotes: QuoteRecord[], known: Article[] = []): Promise<QuoteGroup[]> {
  const articles = new Map<number, Article>(known.map((a) => [a.id, a]));
  for (const q of quotes) {
    if (!articles.has(q.articleId)) {
      const a = await store.getArticle(q.articleId);
      if (a) articles.set(a.id, a);
    }
  }
  const groups = new Map<string, QuoteGroup>();
  for (const q of quotes) {
    const a = articles.get(q.articleId);
    if (!a) continue;
    const who = q.personId != null ? `p${q.personId}` : norm(q.speaker ?? '');
    const key = `${who}|${norm(q.quote)}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        quote: q.quote,
        speaker: q.speaker,
        speakerRole: q.speakerRole,
        personId: q.personId,
        kind: q.kind,
        stance: q.stance,
        cue: q.cue,
        carriers: [],
      };
      groups.set(key, g);
    }
    g.speakerRole ??= q.speakerRole;
    g.stance ??= q.stance;
    if (!g.carriers.some((c) => outletName(c.article) === outletName(a))) g.carriers.push({ article: a, quote: q });
  }
  const t = (a: Article) => Date.parse(a.published ?? a.fetchedAt) || 0;
  for (const g of groups.values()) g.carriers.sort((x, y) => t(x.article) - t(y.article) || x.article.id - y.article.id);
  return [...groups.values()];
}
