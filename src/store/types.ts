// The one storage interface. SQLite (default) and PostgreSQL implement it and pass the
// same contract tests (src/store/contract.ts). Every method is async so either fits.
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

export interface SearchHit {
  article: Article;
  /** Snippet with matches wrapped in <mark>…</mark>; everything else HTML-escaped. */
  snippet: string;
  rank: number;
}

export interface ListArticlesOptions {
  limit?: number;
  cursor?: string | null;
  sourceId?: number;
  storyId?: number;
  /** Leave out articles that are copies of another (duplicateOf set). */
  hideCopies?: boolean;
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
  >
>;

export interface Store {
  /** Apply pending migrations (numbered, append-only). */
  migrate(): Promise<void>;
  close(): Promise<void>;

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
}
