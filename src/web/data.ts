// Reads the web pages need that combine several store calls: copies of an article,
// recommended stories, quotes grouped across outlets, source names.
import type { Article } from '../core/types.ts';
import type { QuoteRecord, Store, StoryRecord } from '../store/types.ts';
import { hostOf } from './format.ts';

// What feed titles append to the outlet's name: "The Courier - Latest news", "Ledger | Top Stories",
// "Wire: All articles", "Post – RSS feed".
const FEED_SUFFIX =
  /(?:\s*:|\s+[-–—|·»])\s+(?:(?:the\s+)?(?:latest|top|all|breaking|recent|most\s+recent|front\s+page|home(?:\s*page)?)(?:\s+(?:news|stories|headlines|articles|posts|items|updates))?|news|headlines|stories|articles|posts|(?:rss|atom|json)(?:\s+feed)?|feed)\s*$/i;

/** An outlet name without a feed title's "- Latest news" tail. */
export function cleanOutlet(name: string): string {
  const t = name.replace(/\s+/g, ' ').trim();
  const cut = t.replace(FEED_SUFFIX, '').trim();
  return cut || t;
}

/** The name to show for an article's outlet. */
export function outletName(a: Pick<Article, 'sourceTitle' | 'siteName' | 'url'>): string {
  return cleanOutlet(a.siteName?.trim() || a.sourceTitle?.trim() || '') || hostOf(a.url) || 'source';
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
    'will with after about amid more new not out up before could would should can may how why ' +
    'without within against between during under again also just only back told make made take ' +
    'then there these those into onto upon while because other some such very most much many your ' +
    'our you all any each both nor off down now one two first last year years week day days time')
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

/** Entities of a story looked at for recommendations (its most widely mentioned). */
const REL_ENTITIES = 8;
/** Articles read per entity: enough to tell a rare name from one in every story. */
const REL_LISTING = 40;
/** Score a recommendation needs. */
const REL_MIN = 0.45;
/** Weight of a pair of title words found together in a story's article, relative to an entity. */
const REL_PAIR = 0.3;

/**
 * How much sharing something with `k` other stories says, out of `n` stories in the store:
 * 1/(k+1), fading to nothing as k nears a quarter of the stories (at least 4): the home
 * country or city, named in every story, says nothing.
 */
function specificity(k: number, n: number): number {
  if (k <= 0) return 0;
  return (1 / (k + 1)) * Math.max(0, 1 - k / Math.max(4, 0.25 * (n - 1)));
}

/**
 * Stories related by content to a story (or a lone article's title), from two signals
 * served by indexes, both bounded (one story listing of 100, at most 8 entity listings of
 * 40 articles, at most 10 full-text queries, and a time budget):
 *
 * - Entities the story shares with others (the main signal). Each shared entity adds its
 *   salience in this story (its articles relative to the most mentioned entity's) times its
 *   specificity (see `specificity`; k counts the other stories among its latest 40
 *   articles, halved when those 40 are full). A name found in one other story counts
 *   fully; the home country or city next to nothing.
 * - Articles holding two of the title's content words together (full-text AND queries on
 *   pairs): 0.3 times the specificity of the pair, so words alone need several pairs, and
 *   they add to entities.
 *
 * A story is recommended from 0.45 up: two specific entities, or one with some of the
 * title's words. One shared name alone (often an outlet or a place named in passing) is
 * not enough, nor are only common names.
 */
export async function relatedStories(
  store: Store,
  titles: (string | null | undefined)[],
  excludeStoryId: number | null,
  limit = 4,
  opts: { budgetMs?: number; cache?: TtlCache<string, StoryRecord[]> } = {},
): Promise<StoryRecord[]> {
  const key = `${excludeStoryId ?? ''}|${titles.join('|')}|${limit}`;
  const cached = opts.cache?.get(key);
  if (cached) return cached;
  // Index reads cost in proportion to their matches; on a big store stop asking once the
  // budget is spent and rank what was found.
  const deadline = Date.now() + (opts.budgetMs ?? 150);
  const score = new Map<number, number>();
  const add = (sid: number | null, w: number) => {
    if (sid == null || sid === excludeStoryId) return;
    score.set(sid, (score.get(sid) ?? 0) + w);
  };
  // Stories in the store, up to 100 (beyond that, "a quarter of them" is 25 anyway).
  const n = Date.now() <= deadline ? (await store.listStories({ limit: 100 })).items.length : 0;
  if (excludeStoryId != null && Date.now() <= deadline) {
    const ents = (await store.entitiesForStory(excludeStoryId)).slice(0, REL_ENTITIES);
    const top = Math.max(1, ...ents.map((e) => e.articles));
    for (const e of ents) {
      if (Date.now() > deadline) break;
      const listing = await store.listEntity(e.entity.id, { limit: REL_LISTING });
      if (!listing) continue;
      const others = new Set(listing.storyIds.filter((sid) => sid !== excludeStoryId));
      if (others.size === 0) continue;
      const w = ((e.articles / top) * specificity(others.size, n)) / (listing.articles.length >= REL_LISTING ? 2 : 1);
      for (const sid of others) add(sid, w);
    }
  }
  // The first title counts most; within a title, longer words (rarer, more telling) first.
  const terms = [...new Set(titles.flatMap((t) => (t ? searchTerms(t, 8).sort((a, b) => b.length - a.length) : [])))].slice(0, 5);
  const pairs: string[] = [];
  for (let i = 0; i < terms.length; i++) {
    for (let j = i + 1; j < terms.length; j++) pairs.push(`${terms[i]} ${terms[j]}`);
  }
  for (const q of pairs) {
    if (Date.now() > deadline) break;
    let hits;
    try {
      ({ hits } = await store.search(q, { limit: 20 }));
    } catch {
      continue;
    }
    const others = new Set(hits.map((h) => h.article.storyId).filter((sid): sid is number => sid != null && sid !== excludeStoryId));
    const w = REL_PAIR * specificity(others.size, n);
    for (const sid of others) add(sid, w);
  }
  const ranked = [...score.entries()].filter(([, v]) => v >= REL_MIN - 1e-9).sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  const out: StoryRecord[] = [];
  const ids = new Set<number>();
  for (const [sid] of ranked) {
    if (out.length >= limit) break;
    const got = await store.getStory(sid);
    if (!got || got.story.id === excludeStoryId || ids.has(got.story.id)) continue;
    ids.add(got.story.id);
    out.push(got.story);
  }
  opts.cache?.set(key, out);
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
/**
 * The same quote carried by several articles becomes one group with its outlets. Quotes
 * of 20 or more characters are matched on their words alone, so a passage attributed to
 * different speakers in different copies is shown once, under the speaker most articles
 * give (a named person before anyone else on a tie, then the earliest); short ones ("a
 * mess") are matched on speaker and words.
 */
export async function groupQuotes(store: Store, quotes: QuoteRecord[], known: Article[] = []): Promise<QuoteGroup[]> {
  const articles = new Map<number, Article>(known.map((a) => [a.id, a]));
  for (const q of quotes) {
    if (!articles.has(q.articleId)) {
      const a = await store.getArticle(q.articleId);
      if (a) articles.set(a.id, a);
    }
  }
  const t = (a: Article) => Date.parse(a.published ?? a.fetchedAt) || 0;
  const who = (q: QuoteRecord) => (q.personId != null ? `p${q.personId}` : norm(q.speaker ?? ''));
  const groups = new Map<string, { g: QuoteGroup; all: { article: Article; quote: QuoteRecord }[] }>();
  for (const q of quotes) {
    const a = articles.get(q.articleId);
    if (!a) continue;
    const words = norm(q.quote);
    const key = words.length >= 20 ? words : `${who(q)}|${words}`;
    let e = groups.get(key);
    if (!e) {
      e = {
        g: { quote: q.quote, speaker: null, speakerRole: null, personId: null, kind: q.kind, stance: null, cue: null, carriers: [] },
        all: [],
      };
      groups.set(key, e);
    }
    e.all.push({ article: a, quote: q });
  }
  const out: QuoteGroup[] = [];
  for (const { g, all } of groups.values()) {
    all.sort((x, y) => t(x.article) - t(y.article) || x.article.id - y.article.id || x.quote.start - y.quote.start);
    const votes = new Map<string, { n: number; first: number; q: QuoteRecord }>();
    all.forEach(({ quote }, i) => {
      if (!quote.speaker && quote.personId == null) return;
      const k = who(quote);
      const v = votes.get(k);
      if (v) v.n++;
      else votes.set(k, { n: 1, first: i, q: quote });
    });
    const best = [...votes.values()].sort(
      (x, y) => y.n - x.n || Number(y.q.personId != null) - Number(x.q.personId != null) || x.first - y.first,
    )[0];
    const chosen = best?.q ?? all[0].quote;
    const sameSpeaker = all.filter(({ quote }) => !best || who(quote) === who(chosen));
    g.speaker = chosen.speaker;
    g.personId = chosen.personId;
    g.speakerRole = sameSpeaker.find(({ quote }) => quote.speakerRole)?.quote.speakerRole ?? null;
    g.stance = sameSpeaker.find(({ quote }) => quote.stance)?.quote.stance ?? null;
    g.cue = chosen.cue;
    g.kind = chosen.kind;
    g.quote = chosen.quote;
    for (const c of all) {
      if (!g.carriers.some((x) => outletName(x.article) === outletName(c.article))) g.carriers.push(c);
    }
    out.push(g);
  }
  return out;
}

/**
 * Read-time ranking of stories for the home page: outlets count most, then articles,
 * decayed by the age of the last update (half-life `halfLifeH`), with a boost for stories
 * gathering articles fast. The stored score is written when a story changes and cannot
 * age, so the home page re-ranks the store's best candidates at the moment it is read.
 */
export function rankStories(stories: StoryRecord[], now: Date, halfLifeH = 12): StoryRecord[] {
  const h = 3_600_000;
  const hot = (s: StoryRecord) => {
    const last = Date.parse(s.lastUpdated);
    const first = Date.parse(s.firstSeen);
    const age = Number.isNaN(last) ? 1e6 : Math.max(0, (now.getTime() - last) / h);
    const span = Number.isNaN(first) || Number.isNaN(last) ? 24 : Math.max(1, (last - first) / h);
    const velocity = Math.min(1, s.articleCount / span);
    const weight = 2 * Math.log2(1 + Math.max(0, s.sourceCount)) + Math.log2(1 + Math.max(0, s.articleCount));
    return weight * Math.pow(0.5, age / halfLifeH) * (1 + 0.5 * velocity);
  };
  return stories
    .map((s, i) => ({ s, i, v: hot(s) }))
    .sort((a, b) => b.v - a.v || a.i - b.i)
    .map((x) => x.s);
}

/** A small map whose entries expire after `ttlMs`, holding at most `max` of them. */
export class TtlCache<K, V> {
  private readonly m = new Map<K, { v: V; at: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max = 500,
    private readonly now: () => number = Date.now,
  ) {}
  get(k: K): V | undefined {
    const e = this.m.get(k);
    if (!e) return undefined;
    if (this.now() - e.at > this.ttlMs) {
      this.m.delete(k);
      return undefined;
    }
    return e.v;
  }
  set(k: K, v: V): void {
    this.m.delete(k);
    if (this.m.size >= this.max) this.m.delete(this.m.keys().next().value as K);
    this.m.set(k, { v, at: this.now() });
  }
}
