// The one storage interface, implemented once over Kysely for SQLite (default) and
// PostgreSQL; both pass the same contract tests (test/store/contract.ts).
import type { Article, NewArticle, NewSource, Source } from '../core/types.ts';

import type { Rule, RuleSpec } from '../accounts/rules.ts';

export type { Rule, RuleSpec } from '../accounts/rules.ts';

/** When and where a user's personal digest goes: daily at `hour` in `timeZone`, to `to`. */
export interface BriefSchedule {
  hour: number;
  timeZone: string;
  to: string;
}

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
    | 'addedFromWeb'
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

// --- accounts (users, sessions, app passwords, login throttling)

export interface UserRecord {
  id: number;
  /** As given at creation; unique ignoring case. */
  name: string;
  admin: boolean;
  createdAt: string;
}

export interface SessionRecord {
  /** Hash of the cookie token (the token itself is never stored). */
  id: string;
  userId: number;
  createdAt: string;
  lastSeenAt: string;
  /** Absolute expiry. */
  expiresAt: string;
}

export type AppPasswordScope = 'all' | 'greader' | 'fever';

export interface AppPasswordRecord {
  id: number;
  userId: number;
  name: string;
  scope: AppPasswordScope;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface LoginAttempts {
  key: string;
  failures: number;
  lastAt: string;
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

  // --- accounts: users (names are unique ignoring case; the password hash is only read by passwordHash)
  /** Creates a user; a usage error when the name (ignoring case) is taken. */
  createUser(u: { name: string; passwordHash: string; admin?: boolean; createdAt?: string }): Promise<UserRecord>;
  getUser(id: number): Promise<UserRecord | null>;
  /** By name, ignoring case. */
  getUserByName(name: string): Promise<UserRecord | null>;
  /** By name, oldest first. */
  listUsers(): Promise<UserRecord[]>;
  countUsers(opts?: { admin?: boolean }): Promise<number>;
  /** The stored password hash of this user (null when there is no such user). */
  passwordHash(userId: number): Promise<string | null>;
  /** False when there is no such user. */
  updateUser(userId: number, patch: { passwordHash?: string; admin?: boolean }): Promise<boolean>;
  /** Deletes the user with their sessions and app passwords. False when there was none. */
  removeUser(userId: number): Promise<boolean>;

  // --- sessions (id = hash of the cookie token)
  createSession(s: { id: string; userId: number; createdAt: string; expiresAt: string }): Promise<SessionRecord>;
  getSession(id: string): Promise<SessionRecord | null>;
  /** Sets lastSeenAt (only ever later). */
  touchSession(id: string, at: string): Promise<void>;
  /** Deletes one session, only when it belongs to userId. */
  deleteSession(userId: number, id: string): Promise<boolean>;
  /** Deletes every session of the user (but `exceptId`); returns how many. */
  deleteUserSessions(userId: number, exceptId?: string): Promise<number>;
  /** The user's sessions, newest first. */
  listSessions(userId: number): Promise<SessionRecord[]>;
  /** Deletes sessions with expiresAt <= now or lastSeenAt <= idleBefore; returns how many. */
  pruneSessions(now: string, idleBefore: string): Promise<number>;

  // --- app passwords (hash of the secret; the secret is never stored)
  /** A usage error when the user already has one by that name. */
  createAppPassword(userId: number, p: { name: string; hash: string; scope?: AppPasswordScope; createdAt?: string; feverKey?: string | null }): Promise<AppPasswordRecord>;
  /** The app password whose Fever key (md5 hex of "user:secret", lowercase) this is. */
  findAppPasswordByFeverKey(key: string): Promise<AppPasswordRecord | null>;
  /** The user's app passwords, newest first. */
  listAppPasswords(userId: number): Promise<AppPasswordRecord[]>;
  /** The app password with this hash (for authentication), whoever owns it. */
  findAppPassword(hash: string): Promise<AppPasswordRecord | null>;
  touchAppPassword(id: number, at: string): Promise<void>;
  /** Deletes it only when it belongs to userId. */
  revokeAppPassword(userId: number, id: number): Promise<boolean>;

  // --- login throttling (key: e.g. "user:alice" or "ip:203.0.113.9")
  /** One more failure for each key (created at 1); returns the new counts. */
  recordLoginFailure(keys: string[], at: string): Promise<LoginAttempts[]>;
  /** The recorded attempts of these keys (keys without any left out). */
  loginAttempts(keys: string[]): Promise<LoginAttempts[]>;
  clearLoginAttempts(keys: string[]): Promise<void>;
  /** Forgets attempts last made before `before`; returns how many. */
  pruneLoginAttempts(before: string): Promise<number>;

  // --- subscriptions (per user, over the shared sources; every method takes userId first
  // and never returns another user's rows)
  /** Subscribes the user to a stored source (again: updates the folder/title given). */
  subscribe(userId: number, sourceId: number, patch?: SubscriptionPatch): Promise<Subscription>;
  /**
   * Subscribes the user to the source with this URL, adding it (marked as added from the web)
   * when the instance has none; an existing source is reused, never duplicated.
   */
  subscribeUrl(userId: number, s: NewSource, patch?: SubscriptionPatch): Promise<{ subscription: Subscription; sourceCreated: boolean; wasSubscribed: boolean }>;
  /**
   * Ends the subscription. A source added from the web that nobody follows any more is
   * deleted with its articles; a source the instance added (CLI, config) always stays.
   */
  unsubscribe(userId: number, sourceId: number): Promise<{ removed: boolean; sourceDeleted: boolean }>;
  getSubscription(userId: number, sourceId: number): Promise<Subscription | null>;
  /** The user's subscriptions with their unread counts, by folder then title. */
  listSubscriptions(userId: number): Promise<Subscription[]>;
  /** Sets folder and/or title (null or '' clears); false when the user does not follow the source. */
  updateSubscription(userId: number, sourceId: number, patch: SubscriptionPatch): Promise<boolean>;
  /** Moves the user's subscriptions in folder `from` to `to` (null: no folder); returns how many. */
  renameFolder(userId: number, from: string, to: string | null): Promise<number>;
  /** Takes the folder away: its subscriptions stay, with no folder; returns how many. */
  deleteFolder(userId: number, folder: string): Promise<number>;
  /** How many users follow the source. */
  subscriberCount(sourceId: number): Promise<number>;

  // --- per-user reading state (the caller decides which ids: e.g. an article and its copies)
  markRead(userId: number, articleIds: number[], read?: boolean): Promise<void>;
  /** These articles with their copies and the originals of the copies among them (one query). */
  withCopies(articleIds: number[]): Promise<number[]>;
  setStarred(userId: number, articleIds: number[], starred?: boolean): Promise<void>;
  /** The user's state rows for these articles (articles without one are unread, unstarred), by id. */
  articleStates(userId: number, articleIds: number[]): Promise<ArticleState[]>;
  /**
   * Marks read every article in the scope (the user's subscriptions; a story: its timeline),
   * with their copies and originals; returns how many became read.
   */
  markAllRead(userId: number, scope: MarkScope): Promise<number>;
  /** The user's articles (subscriptions, or starred), newest first, without hidden ones or copies of followed originals. */
  listUserArticles(userId: number, opts?: UserArticlesOptions): Promise<Page<Article>>;
  /** Unread articles (not hidden, not copies of followed originals): in all, per source, per folder. */
  /** Sync APIs: ids of the user's articles (copies folded, hidden left out), newest first unless asc. */
  syncItemIds(userId: number, q: SyncQuery): Promise<number[]>;
  /** Sync APIs: those of these articles the user may see (subscribed or starred), with their state and folder. */
  syncItems(userId: number, ids: number[]): Promise<SyncItem[]>;
  unreadCounts(userId: number): Promise<{ total: number; sources: Map<number, number>; folders: Map<string, number> }>;
  /** Live stories that the user's subscriptions carry, by stored score (as listStories). */
  userStories(userId: number, opts?: { limit?: number }): Promise<StoryRecord[]>;

  // --- rules (per user; src/store/rules.ts). Every method takes the owner's id first and never
  // touches another user's rules. Adding, changing or removing a rule back-fills that user's
  // subscribed articles; markAnalysed applies every subscriber's rules in its unit of work.
  listRules(userId: number): Promise<Rule[]>;
  getRule(userId: number, ruleId: number): Promise<Rule | null>;
  /** Validates (usage error), stores, back-fills. A sourceId must be one the user follows (not_found). */
  addRule(userId: number, spec: RuleSpec): Promise<Rule>;
  /** null when the user has no such rule. */
  updateRule(userId: number, ruleId: number, spec: RuleSpec): Promise<Rule | null>;
  removeRule(userId: number, ruleId: number): Promise<boolean>;
  /** Back-fill over the user's subscribed articles (one source with sourceId) in batches; returns articles changed. */
  applyRules(userId: number, opts?: { sourceId?: number; batch?: number }): Promise<number>;
  /** Applies each subscribed user's rules to these articles (markAnalysed calls it). */
  applyRulesToArticles(articleIds: number[]): Promise<number>;
  // personal digest schedule
  setBriefSchedule(userId: number, schedule: BriefSchedule | null): Promise<void>;
  getBriefSchedule(userId: number): Promise<BriefSchedule | null>;
  briefSchedules(): Promise<(BriefSchedule & { userId: number; name: string; sentOn: string | null })[]>;
  /** True for exactly one caller per user and (local) day YYYY-MM-DD. */
  claimBriefDay(userId: number, day: string): Promise<boolean>;
  releaseBriefDay(userId: number, day: string, previous: string | null): Promise<void>;
}

export interface Subscription {
  userId: number;
  source: Source;
  /** The user's folder and title for it (the source's own title when null). */
  folder: string | null;
  title: string | null;
  createdAt: string;
  unread: number;
}

export interface SubscriptionPatch {
  folder?: string | null;
  title?: string | null;
}

export interface ArticleState {
  articleId: number;
  readAt: string | null;
  starredAt: string | null;
  /** Set by the user's rules: left out of every view of theirs. */
  hiddenAt: string | null;
}

/** What "mark all as read" covers; the fields combine (AND). since/before: ISO instants on the article's date. */
export interface MarkScope {
  sourceId?: number;
  folder?: string;
  storyId?: number;
  since?: string;
  before?: string;
}

export interface UserArticlesOptions {
  limit?: number;
  cursor?: string | null;
  unread?: boolean;
  /** Starred articles (from any source), instead of the subscriptions. */
  starred?: boolean;
  sourceId?: number;
  folder?: string;
  storyId?: number;
}

export interface SyncQuery {
  sourceId?: number;
  folder?: string;
  starred?: boolean;
  /** true: unread only; false: read only. */
  unread?: boolean;
  /** Arrival (fetched_at) at or after / before these instants. */
  arrivedSince?: string;
  arrivedBefore?: string;
  /** Id bounds (exclusive) and order by id. */
  afterId?: number;
  beforeId?: number;
  asc?: boolean;
  /** Only these ids. */
  ids?: number[];
  limit: number;
}

export interface SyncItem {
  article: Article;
  read: boolean;
  starred: boolean;
  folder: string | null;
  /** The user's own title of the source, else the source's. */
  sourceTitle: string | null;
  siteUrl: string | null;
}
