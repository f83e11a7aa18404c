// SQLite implementation of the Store (better-sqlite3 v12): WAL, foreign keys, busy timeout,
// numbered migrations, FTS5 search. better-sqlite3 is synchronous; the async methods simply
// wrap it so the same interface fits PostgreSQL too.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Article, LeadImage, NewArticle, NewSource, Source, SourceKind } from '../../core/types.ts';
import { DigestError } from '../../core/errors.ts';
import type {
  EntityListing,
  EntityMention,
  EntityType,
  FetchLogEntry,
  ListArticlesOptions,
  ListStoriesOptions,
  NewQuote,
  NewStory,
  Page,
  PersonRecord,
  QuoteKind,
  QuoteRecord,
  SearchHit,
  SectionCount,
  SourcePatch,
  Store,
  StoryEntity,
  StoryPatch,
  StoryRecord,
} from '../types.ts';
import { SQLITE_MIGRATIONS } from './migrations.ts';
import { FETCH_LOG_KEEP } from '../util.ts';
import {
  MARK_CLOSE,
  MARK_OPEN,
  articleSortAt,
  clampLimit,
  decodeCursor,
  encodeCursor,
  fts5Query,
  markSnippet,
  nameKey,
  normIso,
  optIso,
  parseSearchQuery,
  requireIso,
} from '../util.ts';
import { SOURCE_COLS, STORY_COLS } from '../columns.ts';

type Row = Record<string, any>;

export interface SqliteStoreOptions {
  path: string;
  /** Milliseconds to wait for another writer's lock (default 5000). */
  busyTimeoutMs?: number;
  readonly?: boolean;
}



const ARTICLE_SELECT = `SELECT a.*, s.title AS source_title FROM articles a JOIN sources s ON s.id = a.source_id`;

/** Ids of a story's timeline: its articles and the copies of them. */
const TIMELINE_WHERE = `(a.story_id = @story OR a.duplicate_of IN (SELECT id FROM articles WHERE story_id = @story))`;

export function rowToSource(r: Row): Source {
  const s: Source = {
    id: r.id,
    url: r.url,
    kind: r.kind as SourceKind,
    title: r.title,
    siteUrl: r.site_url,
    folder: r.folder,
    etag: r.etag,
    lastModified: r.last_modified,
    lastFetchedAt: r.last_fetched_at,
    lastStatus: r.last_status,
    lastErrorKind: r.last_error_kind,
    lastError: r.last_error,
    errorCount: r.error_count,
    nextDueAt: r.next_due_at,
    intervalSec: r.interval_sec,
    disabled: !!r.disabled,
    createdAt: r.created_at,
    websubHub: r.websub_hub ?? null,
    websubTopic: r.websub_topic ?? null,
    websubSecret: r.websub_secret ?? null,
    websubLeaseUntil: r.websub_lease_until ?? null,
    websubState: r.websub_state ?? null,
    websubRequestedAt: r.websub_requested_at ?? null,
  };
  if (r.article_count !== undefined) s.articleCount = r.article_count;
  return s;
}

function rowToArticle(r: Row): Article {
  return {
    id: r.id,
    sourceId: r.source_id,
    url: r.url,
    canonicalUrl: r.canonical_url,
    guid: r.guid,
    title: r.title,
    byline: r.byline,
    published: r.published,
    publishedIsFallback: !!r.published_is_fallback,
    fetchedAt: r.fetched_at,
    text: r.text,
    html: r.html,
    summary: r.summary,
    leadImage: r.lead_image ? (JSON.parse(r.lead_image) as LeadImage) : null,
    siteName: r.site_name,
    section: r.section,
    lang: r.lang,
    extractedFrom: r.extracted_from,
    extractionMethod: r.extraction_method,
    extractionError: r.extraction_error,
    duplicateOf: r.duplicate_of,
    storyId: r.story_id,
    originalUrl: r.original_url ?? null,
    analysedAt: r.analysed_at ?? null,
    sourceTitle: r.source_title ?? null,
  };
}

function rowToStory(r: Row): StoryRecord {
  return {
    id: r.id,
    title: r.title,
    summary: r.summary,
    firstSeen: r.first_seen,
    lastUpdated: r.last_updated,
    articleCount: r.article_count,
    sourceCount: r.source_count,
    score: r.score,
    mergedInto: r.merged_into,
  };
}

function rowToQuote(r: Row): QuoteRecord {
  return {
    id: r.id,
    articleId: r.article_id,
    storyId: r.story_id,
    quote: r.quote,
    start: r.start_pos,
    end: r.end_pos,
    speaker: r.speaker,
    speakerRole: r.speaker_role,
    personId: r.person_id,
    kind: r.kind as QuoteKind,
    stance: r.stance,
    cue: r.cue,
  };
}

function rowToFetch(r: Row): FetchLogEntry {
  return {
    sourceId: r.source_id,
    url: r.url,
    startedAt: r.started_at,
    status: r.status,
    outcome: r.outcome,
    error: r.error,
    newArticles: r.new_articles,
    elapsedMs: r.elapsed_ms,
  };
}

/** Values an article row is written with (shared by insert and update). */
function articleParams(a: NewArticle) {
  const fetchedAt = normIso(a.fetchedAt) ?? new Date().toISOString();
  return {
    canonical_url: a.canonicalUrl ?? null,
    title: a.title,
    byline: a.byline ?? null,
    published: a.published ?? null,
    published_is_fallback: a.publishedIsFallback ? 1 : 0,
    sort_at: articleSortAt(a.published ?? null, fetchedAt),
    fetched_at: fetchedAt,
    text: a.text ?? '',
    html: a.html ?? '',
    summary: a.summary ?? null,
    lead_image: a.leadImage ? JSON.stringify(a.leadImage) : null,
    site_name: a.siteName ?? null,
    section: a.section ?? null,
    lang: a.lang ?? null,
    extracted_from: a.extractedFrom,
    extraction_method: a.extractionMethod ?? null,
    extraction_error: a.extractionError ?? null,
    original_url: a.originalUrl ?? null,
  };
}

export class SqliteStore implements Store {
  readonly db: Database.Database;
  private stmts = new Map<string, Database.Statement>();

  constructor(opts: SqliteStoreOptions) {
    const memory = opts.path === ':memory:' || opts.path === '';
    if (!memory && !opts.readonly) mkdirSync(dirname(resolve(opts.path)), { recursive: true });
    try {
      this.db = new Database(opts.path, { readonly: opts.readonly ?? false });
    } catch (e) {
      throw new DigestError('config', `cannot open the SQLite database ${opts.path}: ${(e as Error).message}`, {
        subject: opts.path,
        cause: e,
      });
    }
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    if (!opts.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.pragma('foreign_keys = ON');
  }

  /** Prepared statement, cached by its SQL. */
  private st(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Runs fn in a write transaction (BEGIN IMMEDIATE, so no lock upgrade deadlocks). */
  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // --- lifecycle

  async migrate(): Promise<void> {
    this.db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
    this.tx(() => {
      const row = this.db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as Row;
      const have = row.v as number;
      if (have > SQLITE_MIGRATIONS.length) {
        throw new DigestError(
          'config',
          `database schema version ${have} is newer than this program knows (${SQLITE_MIGRATIONS.length}); upgrade the program`,
        );
      }
      for (let v = have + 1; v <= SQLITE_MIGRATIONS.length; v++) {
        this.db.exec(SQLITE_MIGRATIONS[v - 1]);
        this.db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(v, new Date().toISOString());
      }
    });
    this.stmts.clear();
  }

  /** Number of migrations applied. */
  schemaVersion(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as Row).v;
  }

  async close(): Promise<void> {
    this.stmts.clear();
    if (!this.db.open) return;
    if (!this.db.readonly) {
      try {
        this.db.pragma('optimize');
      } catch {
        // best effort
      }
    }
    this.db.close();
  }

  // --- sources

  async addSource(s: NewSource): Promise<Source> {
    const now = new Date().toISOString();
    const r = this.st(
      `INSERT INTO sources (url, kind, title, site_url, folder, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (url) DO UPDATE SET url = excluded.url RETURNING *`,
    ).get(s.url, s.kind ?? 'feed', s.title ?? null, s.siteUrl ?? null, s.folder ?? null, now) as Row;
    return rowToSource(r);
  }

  async getSource(id: number): Promise<Source | null> {
    const r = this.st('SELECT * FROM sources WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToSource(r) : null;
  }

  async findSourceByUrl(url: string): Promise<Source | null> {
    const r = this.st('SELECT * FROM sources WHERE url = ?').get(url) as Row | undefined;
    return r ? rowToSource(r) : null;
  }

  async listSources(): Promise<Source[]> {
    const rows = this.st(
      `SELECT s.*, (SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id) AS article_count
       FROM sources s ORDER BY lower(COALESCE(s.folder, '')), lower(COALESCE(s.title, s.url)), s.id`,
    ).all() as Row[];
    return rows.map(rowToSource);
  }

  async updateSource(id: number, patch: SourcePatch): Promise<void> {
    const sets: string[] = [];
    const vals: unknown[] = [];
    for (const [k, v] of Object.entries(patch)) {
      const col = SOURCE_COLS[k as keyof SourcePatch];
      if (!col || v === undefined) continue;
      let val: unknown = v;
      if (k === 'nextDueAt' || k === 'lastFetchedAt' || k === 'websubLeaseUntil' || k === 'websubRequestedAt') val = optIso(v as string | null, k);
      else if (k === 'disabled') val = v ? 1 : 0;
      sets.push(`${col} = ?`);
      vals.push(val);
    }
    if (sets.length === 0) return;
    this.st(`UPDATE sources SET ${sets.join(', ')} WHERE id = ?`).run(...vals, id);
  }

  async removeSource(id: number): Promise<boolean> {
    return this.tx(() => this.st('DELETE FROM sources WHERE id = ?').run(id).changes > 0);
  }

  async dueSources(now: string): Promise<Source[]> {
    const t = requireIso(now, 'now');
    const rows = this.st(
      `SELECT * FROM sources WHERE disabled = 0 AND (next_due_at IS NULL OR next_due_at <= ?)
       ORDER BY next_due_at ASC, id ASC`,
    ).all(t) as Row[];
    return rows.map(rowToSource);
  }

  async claimDueSources(now: string, limit: number, leaseSec: number): Promise<Source[]> {
    const t = requireIso(now, 'now');
    const until = new Date(Date.parse(t) + Math.max(0, leaseSec) * 1000).toISOString();
    const n = clampLimit(limit, 10, 10_000);
    return this.tx(() => {
      const ids = (
        this.st(
          `SELECT id FROM sources WHERE disabled = 0 AND (next_due_at IS NULL OR next_due_at <= ?)
           ORDER BY next_due_at ASC, id ASC LIMIT ?`,
        ).all(t, n) as Row[]
      ).map((r) => r.id as number);
      const upd = this.st('UPDATE sources SET next_due_at = ? WHERE id = ? RETURNING *');
      return ids.map((id) => rowToSource(upd.get(until, id) as Row));
    });
  }

  async logFetch(e: FetchLogEntry): Promise<void> {
    this.st(
      `INSERT INTO fetch_log (source_id, url, started_at, status, outcome, error, new_articles, elapsed_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      e.sourceId,
      e.url,
      requireIso(e.startedAt, 'startedAt'),
      e.status,
      e.outcome,
      e.error,
      e.newArticles,
      Math.round(e.elapsedMs),
    );
    this.st(
      'DELETE FROM fetch_log WHERE source_id = ? AND id < (SELECT id FROM fetch_log WHERE source_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)',
    ).run(e.sourceId, e.sourceId, FETCH_LOG_KEEP - 1);
  }

  async recentFetches(sourceId: number, limit: number): Promise<FetchLogEntry[]> {
    const rows = this.st(
      'SELECT * FROM fetch_log WHERE source_id = ? ORDER BY started_at DESC, id DESC LIMIT ?',
    ).all(sourceId, clampLimit(limit, 20, 10_000)) as Row[];
    return rows.map(rowToFetch);
  }

  // --- articles

  private upsertOne(a: NewArticle): { article: Article; created: boolean } {
    const p = articleParams(a);
    let existing: Row | undefined;
    if (a.guid != null) {
      existing = this.st('SELECT id, source_id, url, guid, published FROM articles WHERE source_id = ? AND guid = ?').get(
        a.sourceId,
        a.guid,
      ) as Row | undefined;
    }
    existing ??= this.st('SELECT id, source_id, url, guid, published FROM articles WHERE url = ?').get(a.url) as
      | Row
      | undefined;

    if (!existing) {
      const r = this.st(
        `INSERT INTO articles (source_id, url, guid, canonical_url, title, byline, published, published_is_fallback,
           sort_at, fetched_at, text, html, summary, lead_image, site_name, section, lang, extracted_from,
           extraction_method, extraction_error, duplicate_of, story_id, original_url)
         VALUES (@source_id, @url, @guid, @canonical_url, @title, @byline, @published, @published_is_fallback,
           @sort_at, @fetched_at, @text, @html, @summary, @lead_image, @site_name, @section, @lang, @extracted_from,
           @extraction_method, @extraction_error, @duplicate_of, @story_id, @original_url)
         RETURNING id`,
      ).get({
        ...p,
        source_id: a.sourceId,
        url: a.url,
        guid: a.guid ?? null,
        duplicate_of: a.duplicateOf ?? null,
        story_id: a.storyId ?? null,
      }) as Row;
      return { article: this.getArticleSync(r.id)!, created: true };
    }

    // Update in place. The row keeps its source; its URL changes only when no other row has
    // the new one; a fallback date never replaces the date first seen.
    let url: string = existing.url;
    if (a.url !== existing.url && !this.st('SELECT 1 FROM articles WHERE url = ?').get(a.url)) url = a.url;
    let guid: string | null = existing.guid;
    if (existing.source_id === a.sourceId && a.guid != null) guid = a.guid;
    const vals = { ...p, id: existing.id, url, guid };
    if (a.publishedIsFallback && existing.published != null) {
      this.st(
        `UPDATE articles SET url = @url, guid = @guid, canonical_url = @canonical_url, title = @title,
           byline = @byline, fetched_at = @fetched_at, text = @text, html = @html, summary = @summary,
           lead_image = @lead_image, site_name = @site_name, section = @section, lang = @lang,
           extracted_from = @extracted_from, extraction_method = @extraction_method,
           extraction_error = @extraction_error, original_url = @original_url WHERE id = @id`,
      ).run(vals);
    } else {
      this.st(
        `UPDATE articles SET url = @url, guid = @guid, canonical_url = @canonical_url, title = @title,
           byline = @byline, published = @published, published_is_fallback = @published_is_fallback,
           sort_at = @sort_at, fetched_at = @fetched_at, text = @text, html = @html, summary = @summary,
           lead_image = @lead_image, site_name = @site_name, section = @section, lang = @lang,
           extracted_from = @extracted_from, extraction_method = @extraction_method,
           extraction_error = @extraction_error, original_url = @original_url WHERE id = @id`,
      ).run(vals);
    }
    if (a.duplicateOf !== undefined) this.st('UPDATE articles SET duplicate_of = ? WHERE id = ?').run(a.duplicateOf, existing.id);
    if (a.storyId !== undefined) this.setStorySync(existing.id, a.storyId);
    return { article: this.getArticleSync(existing.id)!, created: false };
  }

  async upsertArticle(a: NewArticle): Promise<{ article: Article; created: boolean }> {
    return this.tx(() => this.upsertOne(a));
  }

  async upsertArticles(list: NewArticle[]): Promise<{ article: Article; created: boolean }[]> {
    return this.tx(() => list.map((a) => this.upsertOne(a)));
  }

  async hasArticle(sourceId: number, guid: string | null, url: string): Promise<boolean> {
    if (guid != null && this.st('SELECT 1 FROM articles WHERE source_id = ? AND guid = ?').get(sourceId, guid)) return true;
    return !!this.st('SELECT 1 FROM articles WHERE source_id = ? AND url = ?').get(sourceId, url);
  }

  private getArticleSync(id: number): Article | null {
    const r = this.st(`${ARTICLE_SELECT} WHERE a.id = ?`).get(id) as Row | undefined;
    return r ? rowToArticle(r) : null;
  }

  async getArticle(id: number): Promise<Article | null> {
    return this.getArticleSync(id);
  }

  async getArticleByUrl(url: string): Promise<Article | null> {
    const r = this.st(`${ARTICLE_SELECT} WHERE a.url = ?`).get(url) as Row | undefined;
    return r ? rowToArticle(r) : null;
  }

  async listArticles(opts: ListArticlesOptions = {}): Promise<Page<Article>> {
    const limit = clampLimit(opts.limit, 50);
    const where: string[] = [];
    const vals: Record<string, unknown> = { limit: limit + 1 };
    if (opts.cursor) {
      const [at, id] = decodeCursor(opts.cursor, 'sn');
      where.push('(a.sort_at < @at OR (a.sort_at = @at AND a.id < @cid))');
      vals.at = at;
      vals.cid = id;
    }
    if (opts.sourceId !== undefined) {
      where.push('a.source_id = @source');
      vals.source = opts.sourceId;
    }
    if (opts.storyId !== undefined) {
      where.push('a.story_id = @story');
      vals.story = opts.storyId;
    }
    if (opts.section !== undefined) {
      where.push('a.section = @section');
      vals.section = opts.section;
    }
    if (opts.hideCopies) where.push('a.duplicate_of IS NULL');
    const sql = `${ARTICLE_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY a.sort_at DESC, a.id DESC LIMIT @limit`;
    const rows = this.st(sql).all(vals) as Row[];
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const last = rows[rows.length - 1];
    return { items: rows.map(rowToArticle), next: more && last ? encodeCursor([last.sort_at, last.id]) : null };
  }

  async countArticles(): Promise<number> {
    return (this.st('SELECT COUNT(*) AS n FROM articles').get() as Row).n;
  }

  async search(
    query: string,
    opts: { limit?: number; offset?: number } = {},
  ): Promise<{ hits: SearchHit[]; total: number }> {
    const match = fts5Query(parseSearchQuery(query));
    if (!match) return { hits: [], total: 0 };
    const limit = clampLimit(opts.limit, 20, 200);
    const offset = Math.max(0, Math.floor(opts.offset ?? 0));
    const total = (this.st('SELECT COUNT(*) AS n FROM articles_fts WHERE articles_fts MATCH ?').get(match) as Row).n;
    if (total === 0 || offset >= total) return { hits: [], total };
    const rows = this.st(
      `SELECT a.*, s.title AS source_title,
         snippet(articles_fts, 1, @open, @close, '…', 24) AS snip,
         highlight(articles_fts, 0, @open, @close) AS th,
         bm25(articles_fts, 5.0, 1.0) AS score
       FROM articles_fts
       JOIN articles a ON a.id = articles_fts.rowid
       JOIN sources s ON s.id = a.source_id
       WHERE articles_fts MATCH @match
       ORDER BY score ASC, a.sort_at DESC, a.id DESC LIMIT @limit OFFSET @offset`,
    ).all({ open: MARK_OPEN, close: MARK_CLOSE, match, limit, offset }) as Row[];
    const hits = rows.map((r) => {
      const titleHighlight = markSnippet(r.th);
      const snippet = markSnippet(r.snip) || titleHighlight;
      return { article: rowToArticle(r), snippet, titleHighlight, rank: -r.score };
    });
    return { hits, total };
  }

  async setDuplicateOf(id: number, originalId: number | null): Promise<void> {
    if (originalId === id) throw new DigestError('usage', `article ${id} cannot be a copy of itself`);
    this.st('UPDATE articles SET duplicate_of = ? WHERE id = ?').run(originalId, id);
  }

  private setStorySync(id: number, storyId: number | null): void {
    this.st('UPDATE articles SET story_id = ? WHERE id = ?').run(storyId, id);
    this.st('UPDATE quotes SET story_id = ? WHERE article_id = ?').run(storyId, id);
  }

  async setStory(id: number, storyId: number | null): Promise<void> {
    this.tx(() => this.setStorySync(id, storyId));
  }

  async listSections(): Promise<SectionCount[]> {
    return this.st(
      `SELECT section, COUNT(*) AS count FROM articles WHERE section IS NOT NULL AND section <> ''
       GROUP BY section ORDER BY count DESC, section ASC`,
    ).all() as SectionCount[];
  }

  // --- stories

  async createStory(s: NewStory): Promise<StoryRecord> {
    const r = this.st(
      `INSERT INTO stories (title, summary, first_seen, last_updated, article_count, source_count, score)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ).get(
      s.title,
      s.summary ?? null,
      requireIso(s.firstSeen, 'firstSeen'),
      requireIso(s.lastUpdated, 'lastUpdated'),
      s.articleCount ?? 0,
      s.sourceCount ?? 0,
      s.score ?? 0,
    ) as Row;
    return rowToStory(r);
  }

  async updateStory(id: number, patch: StoryPatch): Promise<void> {
    const sets: string[] = [];
    const vals: unknown[] = [];
    for (const [k, v] of Object.entries(patch)) {
      const col = STORY_COLS[k as keyof StoryPatch];
      if (!col || v === undefined) continue;
      sets.push(`${col} = ?`);
      vals.push(k === 'firstSeen' || k === 'lastUpdated' ? requireIso(v as string, k) : v);
    }
    if (sets.length === 0) return;
    this.st(`UPDATE stories SET ${sets.join(', ')} WHERE id = ?`).run(...vals, id);
  }

  /** The live story id reached from `id` through mergedInto, or null. */
  private liveStoryId(id: number): number | null {
    let cur = id;
    for (let i = 0; i < 64; i++) {
      const r = this.st('SELECT merged_into FROM stories WHERE id = ?').get(cur) as Row | undefined;
      if (!r) return null;
      if (r.merged_into == null) return cur;
      cur = r.merged_into;
    }
    return null;
  }

  private getStoryRow(id: number): StoryRecord | null {
    const r = this.st('SELECT * FROM stories WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToStory(r) : null;
  }

  async getStory(id: number): Promise<{ story: StoryRecord; redirected: boolean } | null> {
    const live = this.liveStoryId(id);
    if (live === null) return null;
    return { story: this.getStoryRow(live)!, redirected: live !== id };
  }

  private recountSync(id: number): void {
    const c = this.st(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT a.source_id) AS s FROM articles a WHERE ${TIMELINE_WHERE}`,
    ).get({ story: id }) as Row;
    this.st('UPDATE stories SET article_count = ?, source_count = ? WHERE id = ?').run(c.n, c.s, id);
  }

  async recountStory(id: number): Promise<StoryRecord | null> {
    return this.tx(() => {
      const live = this.liveStoryId(id);
      if (live === null) return null;
      this.recountSync(live);
      return this.getStoryRow(live);
    });
  }

  async mergeStories(fromId: number, intoId: number): Promise<StoryRecord> {
    return this.tx(() => {
      const from = this.liveStoryId(fromId);
      const into = this.liveStoryId(intoId);
      if (from === null) throw new DigestError('not_found', `no story ${fromId}`);
      if (into === null) throw new DigestError('not_found', `no story ${intoId}`);
      if (from === into) return this.getStoryRow(into)!;
      this.st('UPDATE articles SET story_id = ? WHERE story_id = ?').run(into, from);
      this.st('UPDATE quotes SET story_id = ? WHERE story_id = ?').run(into, from);
      this.st('UPDATE stories SET merged_into = ? WHERE merged_into = ? OR id = ?').run(into, from, from);
      this.st(
        `UPDATE stories SET
           first_seen = MIN(first_seen, (SELECT first_seen FROM stories WHERE id = @from)),
           last_updated = MAX(last_updated, (SELECT last_updated FROM stories WHERE id = @from))
         WHERE id = @into`,
      ).run({ from, into });
      this.recountSync(into);
      return this.getStoryRow(into)!;
    });
  }

  async listStories(opts: ListStoriesOptions = {}): Promise<Page<StoryRecord>> {
    const limit = clampLimit(opts.limit, 30);
    let rows: Row[];
    if (opts.cursor) {
      const [score, lu, id] = decodeCursor(opts.cursor, 'nsn');
      rows = this.st(
        `SELECT * FROM stories WHERE merged_into IS NULL AND (score < @score OR (score = @score AND
           (last_updated < @lu OR (last_updated = @lu AND id < @id))))
         ORDER BY score DESC, last_updated DESC, id DESC LIMIT @limit`,
      ).all({ score, lu, id, limit: limit + 1 }) as Row[];
    } else {
      rows = this.st(
        `SELECT * FROM stories WHERE merged_into IS NULL ORDER BY score DESC, last_updated DESC, id DESC LIMIT ?`,
      ).all(limit + 1) as Row[];
    }
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const last = rows[rows.length - 1];
    return {
      items: rows.map(rowToStory),
      next: more && last ? encodeCursor([last.score, last.last_updated, last.id]) : null,
    };
  }

  async storyArticles(storyId: number): Promise<Article[]> {
    const live = this.liveStoryId(storyId);
    if (live === null) return [];
    const rows = this.st(`${ARTICLE_SELECT} WHERE ${TIMELINE_WHERE} ORDER BY a.sort_at ASC, a.id ASC`).all({
      story: live,
    }) as Row[];
    return rows.map(rowToArticle);
  }

  // --- quotes, people, entities

  async replaceArticleQuotes(articleId: number, quotes: NewQuote[]): Promise<QuoteRecord[]> {
    return this.tx(() => {
      const art = this.st('SELECT story_id FROM articles WHERE id = ?').get(articleId) as Row | undefined;
      if (!art) throw new DigestError('not_found', `no article ${articleId}`);
      this.st('DELETE FROM quotes WHERE article_id = ?').run(articleId);
      const ins = this.st(
        `INSERT INTO quotes (article_id, story_id, quote, start_pos, end_pos, speaker, speaker_role, person_id, kind, stance, cue)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const q of quotes) {
        ins.run(
          articleId,
          q.storyId !== undefined ? q.storyId : art.story_id,
          q.quote,
          q.start,
          q.end,
          q.speaker ?? null,
          q.speakerRole ?? null,
          q.personId ?? null,
          q.kind,
          q.stance ?? null,
          q.cue ?? null,
        );
      }
      return (this.st('SELECT * FROM quotes WHERE article_id = ? ORDER BY start_pos, id').all(articleId) as Row[]).map(
        rowToQuote,
      );
    });
  }

  async quotesForArticle(articleId: number): Promise<QuoteRecord[]> {
    return (this.st('SELECT * FROM quotes WHERE article_id = ? ORDER BY start_pos, id').all(articleId) as Row[]).map(
      rowToQuote,
    );
  }

  async quotesForStory(storyId: number): Promise<QuoteRecord[]> {
    const live = this.liveStoryId(storyId);
    if (live === null) return [];
    const rows = this.st(
      `SELECT q.* FROM quotes q JOIN articles a ON a.id = q.article_id
       WHERE q.story_id = @story OR q.article_id IN (SELECT a.id FROM articles a WHERE ${TIMELINE_WHERE})
       ORDER BY a.sort_at ASC, a.id ASC, q.start_pos ASC, q.id ASC`,
    ).all({ story: live }) as Row[];
    return rows.map(rowToQuote);
  }

  async quotesForPerson(personId: number): Promise<QuoteRecord[]> {
    const rows = this.st(
      `SELECT q.* FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.person_id = ?
       ORDER BY a.sort_at DESC, a.id DESC, q.start_pos ASC, q.id ASC`,
    ).all(personId) as Row[];
    return rows.map(rowToQuote);
  }

  private personSync(id: number): PersonRecord | null {
    const r = this.st('SELECT * FROM persons WHERE id = ?').get(id) as Row | undefined;
    if (!r) return null;
    const aliases = (this.st('SELECT alias FROM person_aliases WHERE person_id = ? ORDER BY id').all(id) as Row[]).map(
      (x) => x.alias as string,
    );
    return { id: r.id, name: r.name, type: r.type as EntityType, aliases };
  }

  private addAliases(personId: number, name: string, aliases: string[]): void {
    const own = nameKey(name);
    const ins = this.st('INSERT OR IGNORE INTO person_aliases (person_id, alias, alias_key) VALUES (?, ?, ?)');
    for (const al of aliases) {
      const k = nameKey(al);
      if (k && k !== own) ins.run(personId, al.trim().replace(/\s+/g, ' '), k);
    }
  }

  private upsertPersonSync(name: string, type: EntityType, aliases: string[]): number {
    const clean = name.trim().replace(/\s+/g, ' ');
    if (!clean) throw new DigestError('usage', 'an entity needs a name');
    const r = this.st(
      `INSERT INTO persons (name, name_key, type) VALUES (?, ?, ?)
       ON CONFLICT (name_key, type) DO UPDATE SET name = persons.name RETURNING id, name`,
    ).get(clean, nameKey(clean), type) as Row;
    if (aliases.length) this.addAliases(r.id, r.name, aliases);
    return r.id;
  }

  async upsertPerson(name: string, type: EntityType, aliases: string[] = []): Promise<PersonRecord> {
    return this.tx(() => this.personSync(this.upsertPersonSync(name, type, aliases))!);
  }

  async getPerson(id: number): Promise<PersonRecord | null> {
    return this.personSync(id);
  }

  /** Entity of this type by exact name, else by alias, else a new one. */
  private resolveEntity(name: string, type: EntityType): number {
    const k = nameKey(name);
    const byName = this.st('SELECT id FROM persons WHERE name_key = ? AND type = ?').get(k, type) as Row | undefined;
    if (byName) return byName.id;
    const byAlias = this.st(
      `SELECT p.id FROM person_aliases al JOIN persons p ON p.id = al.person_id
       WHERE al.alias_key = ? AND p.type = ? ORDER BY p.id LIMIT 1`,
    ).get(k, type) as Row | undefined;
    if (byAlias) return byAlias.id;
    return this.upsertPersonSync(name, type, []);
  }

  async replaceArticleEntities(articleId: number, entities: EntityMention[]): Promise<void> {
    this.tx(() => {
      if (!this.st('SELECT 1 FROM articles WHERE id = ?').get(articleId)) {
        throw new DigestError('not_found', `no article ${articleId}`);
      }
      this.st('DELETE FROM article_entities WHERE article_id = ?').run(articleId);
      const ins = this.st(
        `INSERT INTO article_entities (article_id, person_id, count) VALUES (?, ?, ?)
         ON CONFLICT (article_id, person_id) DO UPDATE SET count = count + excluded.count`,
      );
      for (const e of entities) {
        if (!nameKey(e.name)) continue;
        ins.run(articleId, this.resolveEntity(e.name, e.type), Math.max(1, Math.floor(e.count || 1)));
      }
    });
  }

  private personsByIds(ids: number[]): Map<number, PersonRecord> {
    const out = new Map<number, PersonRecord>();
    for (const id of ids) {
      const p = this.personSync(id);
      if (p) out.set(id, p);
    }
    return out;
  }

  async entitiesForStory(storyId: number): Promise<StoryEntity[]> {
    const live = this.liveStoryId(storyId);
    if (live === null) return [];
    const rows = this.st(
      `SELECT e.person_id, SUM(e.count) AS count, COUNT(*) AS articles, p.name
       FROM article_entities e JOIN persons p ON p.id = e.person_id
       WHERE e.article_id IN (SELECT a.id FROM articles a WHERE ${TIMELINE_WHERE})
       GROUP BY e.person_id ORDER BY articles DESC, count DESC, p.name ASC, e.person_id ASC`,
    ).all({ story: live }) as Row[];
    const persons = this.personsByIds(rows.map((r) => r.person_id));
    return rows.map((r) => ({ entity: persons.get(r.person_id)!, count: r.count, articles: r.articles }));
  }

  async listEntity(ref: number | string, opts: { limit?: number } = {}): Promise<EntityListing | null> {
    let id: number | null;
    if (typeof ref === 'number') {
      id = ref;
    } else {
      const k = nameKey(ref);
      const r = this.st(
        `SELECT p.id, (SELECT COUNT(*) FROM article_entities e WHERE e.person_id = p.id) AS n,
           CASE WHEN p.name_key = @k THEN 0 ELSE 1 END AS how
         FROM persons p
         WHERE p.name_key = @k OR p.id IN (SELECT person_id FROM person_aliases WHERE alias_key = @k)
         ORDER BY how ASC, n DESC, p.id ASC LIMIT 1`,
      ).get({ k }) as Row | undefined;
      id = r ? r.id : null;
    }
    if (id === null) return null;
    const entity = this.personSync(id);
    if (!entity) return null;
    const rows = this.st(
      `${ARTICLE_SELECT} JOIN article_entities e ON e.article_id = a.id WHERE e.person_id = ?
       ORDER BY a.sort_at DESC, a.id DESC LIMIT ?`,
    ).all(id, clampLimit(opts.limit, 50)) as Row[];
    const articles = rows.map(rowToArticle);
    const storyIds: number[] = [];
    for (const a of articles) {
      if (a.storyId == null) continue;
      const live = this.liveStoryId(a.storyId);
      if (live !== null && !storyIds.includes(live)) storyIds.push(live);
    }
    return { entity, articles, storyIds };
  }

  // --- analysis across processes

  async pendingAnalysis(limit: number): Promise<Article[]> {
    const rows = this.st(`${ARTICLE_SELECT} WHERE a.analysed_at IS NULL ORDER BY a.id LIMIT ?`).all(limit) as Row[];
    return rows.map(rowToArticle);
  }

  async markAnalysed(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    this.st(`UPDATE articles SET analysed_at = ? WHERE analysed_at IS NULL AND id IN (SELECT value FROM json_each(?))`).run(
      new Date().toISOString(),
      JSON.stringify(ids),
    );
  }

  async acquireLease(name: string, owner: string, ttlSec: number): Promise<boolean> {
    const now = Date.now() / 1000;
    const r = this.st(
      `INSERT INTO leases (name, owner, expires_at) VALUES (@name, @owner, @until)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE leases.owner = excluded.owner OR leases.expires_at <= @now`,
    ).run({ name, owner, until: now + ttlSec, now });
    return r.changes > 0;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    this.st('DELETE FROM leases WHERE name = ? AND owner = ?').run(name, owner);
  }

  async bumpCounter(name: string): Promise<number> {
    const r = this.st(
      `INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    ).get(name) as Row;
    return Number(r.value);
  }

  async getCounter(name: string): Promise<number> {
    const r = this.st('SELECT value FROM counters WHERE name = ?').get(name) as Row | undefined;
    return r ? Number(r.value) : 0;
  }

  // --- reading state

  async markRead(articleIds: number[], read = true): Promise<void> {
    const at = read ? new Date().toISOString() : null;
    const upd = this.st(
      read ? 'UPDATE articles SET read_at = COALESCE(read_at, ?) WHERE id = ?' : 'UPDATE articles SET read_at = ? WHERE id = ?',
    );
    this.tx(() => {
      for (const id of articleIds) upd.run(at, id);
    });
  }

  async isRead(articleId: number): Promise<boolean> {
    const r = this.st('SELECT read_at FROM articles WHERE id = ?').get(articleId) as Row | undefined;
    return !!r && r.read_at != null;
  }

  async readArticleIds(articleIds: number[]): Promise<number[]> {
    if (articleIds.length === 0) return [];
    const rows = this.st(
      `SELECT id FROM articles WHERE read_at IS NOT NULL AND id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    ).all(JSON.stringify(articleIds)) as Row[];
    return rows.map((r) => r.id as number);
  }
}

export async function openSqliteStore(opts: SqliteStoreOptions): Promise<SqliteStore> {
  const s = new SqliteStore(opts);
  try {
    if (!opts.readonly) await s.migrate();
  } catch (e) {
    await s.close();
    throw e;
  }
  return s;
}
