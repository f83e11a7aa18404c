// The one storage interface, implemented once over Kysely for SQLite (default) and
// PostgreSQL; both pass the same contract tests (test/store/contract.ts).
import type { Article, NewArticle, NewSource, Source } from '../core/types.ts';

export interface FetchLogEntry {
  sourceId: number;
  url: string;
  startedAt: string;
  status: number | null;
  /** "ok" | "not_modified" | an ErrorKind */
  outcome: string;
  error: string | null;
  newArticles: number;
  elapsedMs: number;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, null on the last page. */
  next: string | null;
}

/** A search result: plain text and [start, end) offsets of the matches (the web marks them up). */
export interface SearchHit {
  article: Article;
  /** Higher is better. */
  rank: number;
  /** Plain-text excerpt of the text around the matches (the title when the text has none). */
  snippet: string;
  snippetMatches: [number, number][];
  /** Matches in article.title. */
  titleMatches: [number, number][];
}

export interface AnalysisFailure {
  articleId: number;
  sourceId: number;
  url: string;
  title: string;
  attempts: number;
  error: string;
}

export interface ListArticlesOptions {
  limit?: number;
  cursor?: string | null;
  sourceId?: number;
  storyId?: number;
  /** Leave out articles that are copies of another (duplicateOf set). */
  hideCopies?: boolean;
  /** Only articles whose section is exactly this (section pages; see listSections). */
  section?: string;
}

export type SourcePatch = Partial<
  Pick<
    Source,
    | 'title'
    | 'siteUrl'
    | 'folder'
    | 'etag'
    | 'lastModified'
    | 'lastFetchedAt'
    | 'lastStatus'
    | 'lastErrorKind'
    | 'lastError'
    | 'errorCount'
    | 'nextDueAt'
    | 'intervalSec'
    | 'disabled'
    | 'kind'
    | 'url'
    | 'websubHub'
    | 'websubTopic'
    | 'websubSecret'
    | 'websubLeaseUntil'
    | 'websubState'
    | 'websubRequestedAt'
  >
>;

// --- stories (the stories stage decides what goes together; the store keeps it)

export interface StoryRecord {
  id: number;
  /** Representative headline. */
  title: string;
  /** 2–3 sentence extractive summary. */
  summary: string | null;
  /** ISO 8601 instants (UTC, as the store normalises them). */
  firstSeen: string;
  lastUpdated: string;
  articleCount: number;
  sourceCount: number;
  /** Ranking score (outlets, recency, velocity), higher first. */
  score: number;
  /** Set when this story was merged into another; getStory follows it. */
  mergedInto: number | null;
}

export type NewStory = Pick<StoryRecord, 'title' | 'firstSeen' | 'lastUpdated'> &
  Partial<Pick<StoryRecord, 'summary' | 'articleCount' | 'sourceCount' | 'score'>>;

export type StoryPatch = Partial<Omit<StoryRecord, 'id' | 'mergedInto'>>;

export interface ListStoriesOptions {
  limit?: number;
  cursor?: string | null;
}

// --- who said what

export type QuoteKind = 'direct' | 'mixed' | 'indirect';
/** claim | deny | confirm | warn | promise (free text so the nlp stage can add more). */
export type QuoteStance = string;

export interface QuoteRecord {
  id: number;
  articleId: number;
  storyId: number | null;
  quote: string;
  /** Character offsets of the quote in the article text. */
  start: number;
  end: number;
  speaker: string | null;
  /** Role as written ("top Kremlin aide"). */
  speakerRole: string | null;
  personId: number | null;
  kind: QuoteKind;
  stance: QuoteStance | null;
  /** The speech verb or cue ("said", "according to"). */
  cue: string | null;
}

/** storyId defaults to the article's story when left out. */
export type NewQuote = Omit<QuoteRecord, 'id' | 'articleId' | 'storyId'> & { storyId?: number | null };

export type EntityType = 'PER' | 'ORG' | 'LOC';

/** A person, organisation or place (the entity registry; quotes point at PER/ORG ones). */
export interface PersonRecord {
  id: number;
  /** Canonical name. */
  name: string;
  aliases: string[];
  type: EntityType;
}

export interface EntityMention {
  name: string;
  type: EntityType;
  /** Mentions in the article. */
  count: number;
}

export interface StoryEntity {
  entity: PersonRecord;
  /** Mentions summed over the story's articles. */
  count: number;
  /** Articles of the story that mention it. */
  articles: number;
}

export interface EntityListing {
  entity: PersonRecord;
  /** Articles that mention it, newest first. */
  articles: Article[];
  /** Live stories of those articles. */
  storyIds: number[];
}

export interface SectionCount {
  section: string;
  count: number;
}

export interface Store {
  /** Apply pending migrations (numbered, append-only). */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs fn in one transaction: every call made on `tx` commits together, or (fn throws) none
   * of them does. SQLite: one connection (BEGIN IMMEDIATE); PostgreSQL: one pooled client,
   * retried on deadlock/serialization failure (so fn must be safe to re-run). Calling
   * tx.transaction(...) inside reuses it. Inside fn, use `tx`, not the outer store.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;

  // --- sources
  addSource(s: NewSource): Promise<Source>;
  getSource(id: number): Promise<Source | null>;
  findSourceByUrl(url: string): Promise<Source | null>;
  /** All sources with articleCount filled in, ordered by folder then title. */
  listSources(): Promise<Source[]>;
  updateSource(id: number, patch: SourcePatch): Promise<void>;
  /** Deletes the source and its articles. Returns false when there was none. */
  removeSource(id: number): Promise<boolean>;
  /** Enabled sources whose nextDueAt is null or <= now. */
  dueSources(now: string): Promise<Source[]>;
  logFetch(e: FetchLogEntry): Promise<void>;
  recentFetches(sourceId: number, limit: number): Promise<FetchLogEntry[]>;

  // --- articles
  /**
   * Idempotent insert: an article with the same (sourceId, guid) or the same url is
   * updated in place, never duplicated. `created` tells which happened.
   */
  upsertArticle(a: NewArticle): Promise<{ article: Article; created: boolean }>;
  /** True when this source already holds an article with this guid or url. */
  hasArticle(sourceId: number, guid: string | null, url: string): Promise<boolean>;
  getArticle(id: number): Promise<Article | null>;
  getArticleByUrl(url: string): Promise<Article | null>;
  /** Newest first (published, then id). */
  listArticles(opts?: ListArticlesOptions): Promise<Page<Article>>;
  countArticles(): Promise<number>;
  /** Full-text search over title and text, best first. */
  search(query: string, opts?: { limit?: number; offset?: number }): Promise<{ hits: SearchHit[]; total: number }>;
  setDuplicateOf(id: number, originalId: number | null): Promise<void>;
  setStory(id: number, storyId: number | null): Promise<void>;

  /** Many upserts in one transaction: all of them are stored or (on any error) none. */
  upsertArticles(list: NewArticle[]): Promise<{ article: Article; created: boolean }[]>;
  /** Sections with their article counts, most articles first (empty/null sections left out). */
  listSections(): Promise<SectionCount[]>;

  // --- workers
  /**
   * Atomically takes up to `limit` due sources (as dueSources, oldest due first) and sets
   * their nextDueAt to now + leaseSec, so concurrent workers never get the same source.
   * Returns them with the new nextDueAt.
   */
  claimDueSources(now: string, limit: number, leaseSec: number): Promise<Source[]>;
  /** Heartbeat of a pass still working on these sources: next_due_at = until for each (only moves it later). */
  renewClaims(sourceIds: number[], until: string): Promise<void>;

  // --- analysis as a unit of work
  /** Articles not analysed yet, oldest id first, leaving out those with analysisAttempts >= maxAttempts (default 5). */
  pendingAnalysis(limit: number, opts?: { maxAttempts?: number }): Promise<Article[]>;
  /** Marks these articles analysed (they leave pendingAnalysis) and clears their analysis error. */
  markAnalysed(ids: number[]): Promise<void>;
  /** One failed attempt: analysis_attempts += 1, analysis_error = error (cut to 2,000 chars); the article stays pending. */
  recordAnalysisFailure(articleId: number, error: string): Promise<void>;
  /** Articles whose analysis failed at least once and are still not analysed (newest failure first). */
  analysisFailures(opts?: { sourceId?: number; limit?: number }): Promise<AnalysisFailure[]>;

  // --- leases with fencing tokens, counters
  /**
   * Takes or renews the named lease for ttlSec. Returns its fencing token (a positive integer
   * that grows every time the lease changes hands; the same token when the current owner
   * renews), or null while another owner holds it unexpired. Atomic.
   */
  acquireLease(name: string, owner: string, ttlSec: number): Promise<number | null>;
  /** Extends the lease only if `owner` still holds it with `token` (and it has not expired); false when lost. */
  renewLease(name: string, owner: string, token: number, ttlSec: number): Promise<boolean>;
  /**
   * Inside a transaction: throws DigestError('lease_lost') unless the lease is still held by
   * `owner` with `token` and unexpired. PostgreSQL locks the lease row (FOR UPDATE), so a
   * takeover waits until this transaction ends; SQLite's write transaction excludes others.
   */
  assertLease(name: string, owner: string, token: number): Promise<void>;
  /** Gives the lease up when `owner` holds it (it expires now; the next taker gets a new token). */
  releaseLease(name: string, owner: string): Promise<void>;
  /** Adds one to the named counter (created at 0) and returns the new value. */
  bumpCounter(name: string): Promise<number>;
  /** The named counter's value (0 when never bumped). */
  getCounter(name: string): Promise<number>;

  // --- stories
  createStory(s: NewStory): Promise<StoryRecord>;
  updateStory(id: number, patch: StoryPatch): Promise<void>;
  /** Follows mergedInto to the live story; null when there is none. */
  getStory(id: number): Promise<{ story: StoryRecord; redirected: boolean } | null>;
  /**
   * Moves every article and quote of `fromId` to `intoId` (both resolved to live stories),
   * marks `fromId` merged into it (so its id redirects), recounts and returns the live story.
   */
  mergeStories(fromId: number, intoId: number): Promise<StoryRecord>;
  /** Live (unmerged) stories by score, then lastUpdated, newest first. */
  listStories(opts?: ListStoriesOptions): Promise<Page<StoryRecord>>;
  /** The story's articles and their copies, oldest first (the timeline). */
  storyArticles(storyId: number): Promise<Article[]>;
  /** Recomputes articleCount/sourceCount from the articles; returns the live story. */
  recountStory(id: number): Promise<StoryRecord | null>;

  // --- quotes, people, entities
  /** Replaces all quotes of an article in one transaction; returns them in text order. */
  replaceArticleQuotes(articleId: number, quotes: NewQuote[]): Promise<QuoteRecord[]>;
  /** Quotes of the story's articles, in timeline order then text order. */
  quotesForStory(storyId: number): Promise<QuoteRecord[]>;
  quotesForArticle(articleId: number): Promise<QuoteRecord[]>;
  /** Finds by (case-insensitive name, type) or creates; adds new aliases. */
  upsertPerson(name: string, type: EntityType, aliases?: string[]): Promise<PersonRecord>;
  getPerson(id: number): Promise<PersonRecord | null>;
  /** Newest article first. */
  quotesForPerson(personId: number): Promise<QuoteRecord[]>;
  /**
   * Replaces the article's entity mentions. Each name resolves to the entity of that type
   * with that name, else one having it as an alias, else a new one.
   */
  replaceArticleEntities(articleId: number, entities: EntityMention[]): Promise<void>;
  /** Most widely mentioned first. */
  entitiesForStory(storyId: number): Promise<StoryEntity[]>;
  /** By id, or by name/alias (case-insensitive; the most mentioned wins). */
  listEntity(ref: number | string, opts?: { limit?: number }): Promise<EntityListing | null>;

  // --- reading state (the caller decides which ids: e.g. an article and its copies)
  markRead(articleIds: number[], read?: boolean): Promise<void>;
  isRead(articleId: number): Promise<boolean>;
  /** The subset of `articleIds` that is read. */
  readArticleIds(articleIds: number[]): Promise<number[]>;
}
