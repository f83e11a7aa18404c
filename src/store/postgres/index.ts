// PostgreSQL implementation of the Store (pg). Safe for many stateless workers sharing one
// database: every multi-statement change runs in a transaction, inserts use ON CONFLICT so
// concurrent upserts never duplicate, and claimDueSources uses FOR UPDATE SKIP LOCKED.
import pg from 'pg';
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
import { PG_MIGRATIONS } from './migrations.ts';
import { FETCH_LOG_KEEP } from '../util.ts';
import {
  MARK_CLOSE,
  MARK_OPEN,
  articleSortAt,
  clampLimit,
  decodeCursor,
  encodeCursor,
  markSnippet,
  nameKey,
  normIso,
  optIso,
  parseSearchQuery,
  requireIso,
} from '../util.ts';
import { SOURCE_COLS, STORY_COLS } from '../columns.ts';

type Row = Record<string, any>;
type Db = pg.Pool | pg.PoolClient;

export interface PostgresStoreOptions {
  url: string;
  /** Schema holding the tables (created when missing). Letters, digits and _ only. */
  schema?: string;
  poolSize?: number;
}



/** Article columns (all but the search vector). */
const A_COLS = `a.id, a.source_id, a.url, a.canonical_url, a.guid, a.title, a.byline, a.published,
  a.published_is_fallback, a.sort_at, a.fetched_at, a.text, a.html, a.summary, a.lead_image, a.site_name,
  a.section, a.lang, a.extracted_from, a.extraction_method, a.extraction_error, a.duplicate_of, a.story_id,
  a.original_url, a.analysed_at`;
/** The same columns unqualified, for RETURNING. */
const RET_COLS = A_COLS.replace(/\ba\./g, '');
const ARTICLE_SELECT = `SELECT ${A_COLS}, s.title AS source_title FROM articles a JOIN sources s ON s.id = a.source_id`;
/** A story's timeline: its articles and the copies of them ($1 = story id). */
const TIMELINE_WHERE = `(a.story_id = $1 OR a.duplicate_of IN (SELECT id FROM articles WHERE story_id = $1))`;

const ts = (v: unknown): string | null => (v == null ? null : v instanceof Date ? v.toISOString() : String(v));
const num = (v: unknown): number | null => (v == null ? null : Number(v));

function rowToSource(r: Row): Source {
  const s: Source = {
    id: Number(r.id),
    url: r.url,
    kind: r.kind as SourceKind,
    title: r.title,
    siteUrl: r.site_url,
    folder: r.folder,
    etag: r.etag,
    lastModified: r.last_modified,
    lastFetchedAt: ts(r.last_fetched_at),
    lastStatus: r.last_status,
    lastErrorKind: r.last_error_kind,
    lastError: r.last_error,
    errorCount: r.error_count,
    nextDueAt: ts(r.next_due_at),
    intervalSec: r.interval_sec,
    disabled: !!r.disabled,
    createdAt: ts(r.created_at)!,
    websubHub: r.websub_hub ?? null,
    websubTopic: r.websub_topic ?? null,
    websubSecret: r.websub_secret ?? null,
    websubLeaseUntil: ts(r.websub_lease_until),
    websubState: r.websub_state ?? null,
    websubRequestedAt: ts(r.websub_requested_at),
  };
  if (r.article_count !== undefined) s.articleCount = Number(r.article_count);
  return s;
}

function rowToArticle(r: Row): Article {
  return {
    id: Number(r.id),
    sourceId: Number(r.source_id),
    url: r.url,
    canonicalUrl: r.canonical_url,
    guid: r.guid,
    title: r.title,
    byline: r.byline,
    published: r.published,
    publishedIsFallback: !!r.published_is_fallback,
    fetchedAt: ts(r.fetched_at)!,
    text: r.text,
    html: r.html,
    summary: r.summary,
    leadImage: (r.lead_image as LeadImage | null) ?? null,
    siteName: r.site_name,
    section: r.section,
    lang: r.lang,
    extractedFrom: r.extracted_from,
    extractionMethod: r.extraction_method,
    extractionError: r.extraction_error,
    duplicateOf: num(r.duplicate_of),
    storyId: num(r.story_id),
    originalUrl: r.original_url ?? null,
    analysedAt: ts(r.analysed_at) ?? null,
    sourceTitle: r.source_title ?? null,
  };
}

function rowToStory(r: Row): StoryRecord {
  return {
    id: Number(r.id),
    title: r.title,
    summary: r.summary,
    firstSeen: ts(r.first_seen)!,
    lastUpdated: ts(r.last_updated)!,
    articleCount: r.article_count,
    sourceCount: r.source_count,
    score: r.score,
    mergedInto: num(r.merged_into),
  };
}

function rowToQuote(r: Row): QuoteRecord {
  return {
    id: Number(r.id),
    articleId: Number(r.article_id),
    storyId: num(r.story_id),
    quote: r.quote,
    start: r.start_pos,
    end: r.end_pos,
    speaker: r.speaker,
    speakerRole: r.speaker_role,
    personId: num(r.person_id),
    kind: r.kind as QuoteKind,
    stance: r.stance,
    cue: r.cue,
  };
}

function rowToFetch(r: Row): FetchLogEntry {
  return {
    sourceId: Number(r.source_id),
    url: r.url,
    startedAt: ts(r.started_at)!,
    status: r.status,
    outcome: r.outcome,
    error: r.error,
    newArticles: r.new_articles,
    elapsedMs: r.elapsed_ms,
  };
}

/** SQLSTATEs worth retrying a whole transaction for. */
function retryable(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === '40P01' || code === '40001';
}

/** Stand-ins for < and > while ts_headline runs (its parser would take "<x>" for a tag). */
const LT = '\uE002';
const GT = '\uE003';
const unangle = (s: string | null): string =>
  s == null ? '' : s.replace(/\uE002/g, '<').replace(/\uE003/g, '>');

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export class PostgresStore implements Store {
  readonly pool: pg.Pool;
  readonly schema: string | null;
  private names = new Map<string, string>();

  constructor(opts: PostgresStoreOptions) {
    if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) {
      throw new DigestError('config', `store schema ${JSON.stringify(opts.schema)} must be letters, digits and _`);
    }
    this.schema = opts.schema ?? null;
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    // An idle client losing its connection must not crash the process.
    this.pool.on('error', () => {});
  }

  /** Runs a statement, prepared once per connection (named by its text). */
  private async q(db: Db, text: string, values: unknown[] = [], prepare = true): Promise<Row[]> {
    if (!prepare) return (await (db as pg.Pool).query(text, values)).rows;
    let name = this.names.get(text);
    if (!name) {
      name = `od${this.names.size + 1}`;
      this.names.set(text, name);
    }
    const r = await (db as pg.Pool).query({ name, text, values });
    return r.rows;
  }

  private async one(db: Db, text: string, values: unknown[] = [], prepare = true): Promise<Row | undefined> {
    return (await this.q(db, text, values, prepare))[0];
  }

  /** Runs fn in a transaction; retried on deadlock or serialization failure. */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const c = await this.pool.connect();
      let broken = false;
      try {
        await c.query('BEGIN');
        const r = await fn(c);
        await c.query('COMMIT');
        return r;
      } catch (e) {
        try {
          await c.query('ROLLBACK');
        } catch {
          broken = true;
        }
        if (attempt < 8 && retryable(e)) {
          await new Promise((res) => setTimeout(res, 5 + Math.random() * 10 * 2 ** attempt));
          continue;
        }
        throw e;
      } finally {
        c.release(broken || undefined);
      }
    }
  }

  // --- lifecycle

  async migrate(): Promise<void> {
    await this.tx(async (c) => {
      // One migrator at a time per schema, across processes.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`occasional-digest:migrate:${this.schema ?? ''}`]);
      if (this.schema) await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await c.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const have = Number((await c.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0].v);
      if (have > PG_MIGRATIONS.length) {
        throw new DigestError(
          'config',
          `database schema version ${have} is newer than this program knows (${PG_MIGRATIONS.length}); upgrade the program`,
        );
      }
      for (let v = have + 1; v <= PG_MIGRATIONS.length; v++) {
        await c.query(PG_MIGRATIONS[v - 1]);
        await c.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);
      }
    });
  }

  async schemaVersion(): Promise<number> {
    return Number((await this.pool.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0].v);
  }

  private closed = false;

  /** Closes the pool; calling it again does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  // --- sources

  async addSource(s: NewSource): Promise<Source> {
    const r = await this.one(
      this.pool,
      `INSERT INTO sources (url, kind, title, site_url, folder, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (url) DO UPDATE SET url = EXCLUDED.url RETURNING *`,
      [s.url, s.kind ?? 'feed', s.title ?? null, s.siteUrl ?? null, s.folder ?? null, new Date().toISOString()],
    );
    return rowToSource(r!);
  }

  async getSource(id: number): Promise<Source | null> {
    const r = await this.one(this.pool, 'SELECT * FROM sources WHERE id = $1', [id]);
    return r ? rowToSource(r) : null;
  }

  async findSourceByUrl(url: string): Promise<Source | null> {
    const r = await this.one(this.pool, 'SELECT * FROM sources WHERE url = $1', [url]);
    return r ? rowToSource(r) : null;
  }

  async listSources(): Promise<Source[]> {
    const rows = await this.q(
      this.pool,
      `SELECT s.*, (SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id) AS article_count
       FROM sources s
       ORDER BY lower(COALESCE(s.folder, '')) COLLATE "C", lower(COALESCE(s.title, s.url)) COLLATE "C", s.id`,
    );
    return rows.map(rowToSource);
  }

  async updateSource(id: number, patch: SourcePatch): Promise<void> {
    const sets: string[] = [];
    const vals: unknown[] = [];
    for (const [k, v] of Object.entries(patch)) {
      const col = SOURCE_COLS[k as keyof SourcePatch];
      if (!col || v === undefined) continue;
      vals.push(k === 'nextDueAt' || k === 'lastFetchedAt' || k === 'websubLeaseUntil' || k === 'websubRequestedAt' ? optIso(v as string | null, k) : v);
      sets.push(`${col} = $${vals.length}`);
    }
    if (sets.length === 0) return;
    vals.push(id);
    // Not prepared: the statement varies with the patch.
    await this.q(this.pool, `UPDATE sources SET ${sets.join(', ')} WHERE id = $${vals.length}`, vals, false);
  }

  async removeSource(id: number): Promise<boolean> {
    const rows = await this.q(this.pool, 'DELETE FROM sources WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }

  async dueSources(now: string): Promise<Source[]> {
    const rows = await this.q(
      this.pool,
      `SELECT * FROM sources WHERE NOT disabled AND (next_due_at IS NULL OR next_due_at <= $1)
       ORDER BY next_due_at ASC NULLS FIRST, id ASC`,
      [requireIso(now, 'now')],
    );
    return rows.map(rowToSource);
  }

  async claimDueSources(now: string, limit: number, leaseSec: number): Promise<Source[]> {
    const t = requireIso(now, 'now');
    const until = new Date(Date.parse(t) + Math.max(0, leaseSec) * 1000).toISOString();
    const rows = await this.q(
      this.pool,
      `UPDATE sources s SET next_due_at = $2
       FROM (SELECT id FROM sources WHERE NOT disabled AND (next_due_at IS NULL OR next_due_at <= $1)
             ORDER BY next_due_at ASC NULLS FIRST, id ASC LIMIT $3 FOR UPDATE SKIP LOCKED) c
       WHERE s.id = c.id RETURNING s.*`,
      [t, until, clampLimit(limit, 10, 10_000)],
    );
    return rows.map(rowToSource).sort((a, b) => a.id - b.id);
  }

  async logFetch(e: FetchLogEntry): Promise<void> {
    await this.q(
      this.pool,
      `INSERT INTO fetch_log (source_id, url, started_at, status, outcome, error, new_articles, elapsed_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        e.sourceId,
        e.url,
        requireIso(e.startedAt, 'startedAt'),
        e.status,
        e.outcome,
        e.error,
        e.newArticles,
        Math.round(e.elapsedMs),
      ],
    );
    await this.q(
      this.pool,
      `DELETE FROM fetch_log WHERE source_id = $1 AND id < (SELECT id FROM fetch_log WHERE source_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`,
      [e.sourceId, FETCH_LOG_KEEP - 1],
    );
  }

  async recentFetches(sourceId: number, limit: number): Promise<FetchLogEntry[]> {
    const rows = await this.q(
      this.pool,
      'SELECT * FROM fetch_log WHERE source_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2',
      [sourceId, clampLimit(limit, 20, 10_000)],
    );
    return rows.map(rowToFetch);
  }

  // --- articles

  /** The row an article would update: same (source, guid) first, else same URL; locked. */
  private async findForUpsert(c: pg.PoolClient, a: NewArticle): Promise<Row | undefined> {
    return this.one(
      c,
      `SELECT id, source_id, url, guid, published FROM articles
       WHERE (source_id = $1 AND guid = $2) OR url = $3
       ORDER BY (source_id = $1 AND guid IS NOT DISTINCT FROM $2) DESC LIMIT 1 FOR UPDATE`,
      [a.sourceId, a.guid ?? null, a.url],
    );
  }

  /** Content columns as parameters $1..$14 (shared by insert and update). */
  private contentParams(a: NewArticle, fetchedAt: string): unknown[] {
    return [
      a.canonicalUrl ?? null,
      a.title,
      a.byline ?? null,
      fetchedAt,
      a.text ?? '',
      a.html ?? '',
      a.summary ?? null,
      a.leadImage ? JSON.stringify(a.leadImage) : null,
      a.siteName ?? null,
      a.section ?? null,
      a.lang ?? null,
      a.extractedFrom,
      a.extractionMethod ?? null,
      a.extractionError ?? null,
    ];
  }

  /**
   * Inserts the article unless it conflicts with one already stored (same URL, or same
   * guid in the source); returns it, or null on a conflict. One round trip.
   */
  private async insertArticle(db: Db, a: NewArticle): Promise<Article | null> {
    const fetchedAt = normIso(a.fetchedAt) ?? new Date().toISOString();
    const published = a.published ?? null;
    const r = await this.one(
      db,
      `WITH ins AS (
         INSERT INTO articles (canonical_url, title, byline, fetched_at, text, html, summary, lead_image, site_name,
           section, lang, extracted_from, extraction_method, extraction_error,
           source_id, url, guid, published, published_is_fallback, sort_at, duplicate_of, story_id, original_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
         ON CONFLICT DO NOTHING RETURNING ${RET_COLS})
       SELECT ins.*, s.title AS source_title FROM ins JOIN sources s ON s.id = ins.source_id`,
      [
        ...this.contentParams(a, fetchedAt),
        a.sourceId,
        a.url,
        a.guid ?? null,
        published,
        !!a.publishedIsFallback,
        articleSortAt(published, fetchedAt),
        a.duplicateOf ?? null,
        a.storyId ?? null,
        a.originalUrl ?? null,
      ],
    );
    return r ? rowToArticle(r) : null;
  }

  /** Insert, or update the row it conflicts with; inside the caller's transaction. */
  private async upsertOne(c: pg.PoolClient, a: NewArticle): Promise<{ article: Article; created: boolean }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const ins = await this.insertArticle(c, a);
      if (ins) return { article: ins, created: true };
      const existing = await this.findForUpsert(c, a);
      // The conflicting row vanished meanwhile (deleted by another worker): insert again.
      if (!existing) continue;
      return { article: await this.updateArticle(c, existing, a), created: false };
    }
    throw new DigestError('usage', `article ${a.url} kept conflicting with concurrent changes and was not stored`);
  }

  /**
   * Updates a stored row in place. It keeps its source; its URL changes only when no other
   * row has the new one; a fallback date never replaces the date first seen.
   */
  private async updateArticle(c: pg.PoolClient, existing: Row, a: NewArticle): Promise<Article> {
    const id = Number(existing.id);
    const fetchedAt = normIso(a.fetchedAt) ?? new Date().toISOString();
    const published = a.published ?? null;
    let url: string = existing.url;
    if (a.url !== existing.url && !(await this.one(c, 'SELECT 1 FROM articles WHERE url = $1', [a.url]))) url = a.url;
    let guid: string | null = existing.guid;
    if (Number(existing.source_id) === a.sourceId && a.guid != null) guid = a.guid;
    const keepDate = a.publishedIsFallback && existing.published != null;
    const r = await this.one(
      c,
      `WITH upd AS (
         UPDATE articles SET canonical_url = $1, title = $2, byline = $3, fetched_at = $4, text = $5, html = $6,
           summary = $7, lead_image = $8, site_name = $9, section = $10, lang = $11, extracted_from = $12,
           extraction_method = $13, extraction_error = $14, url = $15, guid = $16,
           published = CASE WHEN $17 THEN published ELSE $18 END,
           published_is_fallback = CASE WHEN $17 THEN published_is_fallback ELSE $19 END,
           sort_at = CASE WHEN $17 THEN sort_at ELSE $20 END,
           duplicate_of = CASE WHEN $22 THEN $23 ELSE duplicate_of END,
           story_id = CASE WHEN $24 THEN $25 ELSE story_id END,
           original_url = $26
         WHERE id = $21 RETURNING ${RET_COLS})
       SELECT upd.*, s.title AS source_title FROM upd JOIN sources s ON s.id = upd.source_id`,
      [
        ...this.contentParams(a, fetchedAt),
        url,
        guid,
        keepDate,
        published,
        !!a.publishedIsFallback,
        articleSortAt(published, fetchedAt),
        id,
        a.duplicateOf !== undefined,
        a.duplicateOf ?? null,
        a.storyId !== undefined,
        a.storyId ?? null,
        a.originalUrl ?? null,
      ],
    );
    if (a.storyId !== undefined) await this.q(c, 'UPDATE quotes SET story_id = $1 WHERE article_id = $2', [a.storyId, id]);
    return rowToArticle(r!);
  }

  async upsertArticle(a: NewArticle): Promise<{ article: Article; created: boolean }> {
    // New articles (the usual case) take one round trip, outside an explicit transaction.
    const ins = await this.insertArticle(this.pool, a);
    if (ins) return { article: ins, created: true };
    return this.tx((c) => this.upsertOne(c, a));
  }

  async upsertArticles(list: NewArticle[]): Promise<{ article: Article; created: boolean }[]> {
    // Rows are locked in one canonical order (by URL), whatever the order given, so two
    // workers storing overlapping batches cannot deadlock on each other.
    const order = list.map((a, i) => ({ a, i })).sort((x, y) => (x.a.url < y.a.url ? -1 : x.a.url > y.a.url ? 1 : x.i - y.i));
    return this.tx(async (c) => {
      const out: { article: Article; created: boolean }[] = new Array(list.length);
      for (const { a, i } of order) out[i] = await this.upsertOne(c, a);
      return out;
    });
  }

  async hasArticle(sourceId: number, guid: string | null, url: string): Promise<boolean> {
    const r = await this.one(
      this.pool,
      `SELECT 1 FROM articles WHERE source_id = $1 AND ((guid = $2 AND $2 IS NOT NULL) OR url = $3) LIMIT 1`,
      [sourceId, guid, url],
    );
    return !!r;
  }

  private async getArticleIn(db: Db, id: number): Promise<Article | null> {
    const r = await this.one(db, `${ARTICLE_SELECT} WHERE a.id = $1`, [id]);
    return r ? rowToArticle(r) : null;
  }

  async getArticle(id: number): Promise<Article | null> {
    return this.getArticleIn(this.pool, id);
  }

  async getArticleByUrl(url: string): Promise<Article | null> {
    const r = await this.one(this.pool, `${ARTICLE_SELECT} WHERE a.url = $1`, [url]);
    return r ? rowToArticle(r) : null;
  }

  async listArticles(opts: ListArticlesOptions = {}): Promise<Page<Article>> {
    const limit = clampLimit(opts.limit, 50);
    const where: string[] = [];
    const vals: unknown[] = [];
    const p = (v: unknown) => {
      vals.push(v);
      return `$${vals.length}`;
    };
    if (opts.cursor) {
      const [at, id] = decodeCursor(opts.cursor, 'sn');
      const pa = p(at);
      where.push(`(a.sort_at < ${pa}::timestamptz OR (a.sort_at = ${pa}::timestamptz AND a.id < ${p(id)}))`);
    }
    if (opts.sourceId !== undefined) where.push(`a.source_id = ${p(opts.sourceId)}`);
    if (opts.storyId !== undefined) where.push(`a.story_id = ${p(opts.storyId)}`);
    if (opts.section !== undefined) where.push(`a.section = ${p(opts.section)}`);
    if (opts.hideCopies) where.push('a.duplicate_of IS NULL');
    const sql = `${ARTICLE_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY a.sort_at DESC, a.id DESC LIMIT ${p(limit + 1)}`;
    const rows = await this.q(this.pool, sql, vals);
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const last = rows[rows.length - 1];
    return {
      items: rows.map(rowToArticle),
      next: more && last ? encodeCursor([ts(last.sort_at)!, Number(last.id)]) : null,
    };
  }

  async countArticles(): Promise<number> {
    return Number((await this.one(this.pool, 'SELECT COUNT(*) AS n FROM articles'))!.n);
  }

  async search(
    query: string,
    opts: { limit?: number; offset?: number } = {},
  ): Promise<{ hits: SearchHit[]; total: number }> {
    const terms = parseSearchQuery(query);
    if (terms.length === 0) return { hits: [], total: 0 };
    const vals: unknown[] = [];
    const parts = terms.map((t) => {
      if (t.prefix) {
        // Tokens are letters and digits only, so quoting them makes a safe tsquery.
        vals.push(t.tokens.map((x) => `'${x}'`).join(' <-> ') + ':*');
        return `to_tsquery('english', $${vals.length})`;
      }
      vals.push(t.tokens.join(' '));
      return `phraseto_tsquery('english', $${vals.length})`;
    });
    const limit = clampLimit(opts.limit, 20, 200);
    const offset = Math.max(0, Math.floor(opts.offset ?? 0));
    const base = vals.length;
    vals.push(limit, offset);
    const hl = `StartSel=${MARK_OPEN}, StopSel=${MARK_CLOSE}`;
    const rows = await this.q(
      this.pool,
      `WITH q AS (SELECT (${parts.join(' && ')}) AS q)
       SELECT h.*, s.title AS source_title,
         ts_headline('english', translate(h.text, '<>', '${LT}${GT}'), q.q,
           '${hl}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "') AS snip,
         ts_headline('english', translate(h.title, '<>', '${LT}${GT}'), q.q, '${hl}, HighlightAll=true') AS th
       FROM (SELECT ${A_COLS}, ts_rank_cd(a.search, q.q) AS score, COUNT(*) OVER () AS total
             FROM articles a, q WHERE a.search @@ q.q
             ORDER BY score DESC, a.sort_at DESC, a.id DESC LIMIT $${base + 1} OFFSET $${base + 2}) h
       JOIN sources s ON s.id = h.source_id, q
       ORDER BY h.score DESC, h.sort_at DESC, h.id DESC`,
      vals,
      false, // the statement's shape follows the query's, so it is not kept prepared
    );
    let total = rows.length ? Number(rows[0].total) : 0;
    if (rows.length === 0 && offset > 0) {
      const c = await this.one(
        this.pool,
        `SELECT COUNT(*) AS n FROM articles a WHERE a.search @@ (${parts.join(' && ')})`,
        vals.slice(0, base),
        false,
      );
      total = Number(c!.n);
    }
    const hits = rows.map((r) => {
      const titleHighlight = markSnippet(unangle(r.th));
      return { article: rowToArticle(r), snippet: markSnippet(unangle(r.snip)) || titleHighlight, titleHighlight, rank: r.score };
    });
    return { hits, total };
  }

  async setDuplicateOf(id: number, originalId: number | null): Promise<void> {
    if (originalId === id) throw new DigestError('usage', `article ${id} cannot be a copy of itself`);
    await this.q(this.pool, 'UPDATE articles SET duplicate_of = $1 WHERE id = $2', [originalId, id]);
  }

  private async setStoryIn(c: Db, id: number, storyId: number | null): Promise<void> {
    await this.q(c, 'UPDATE articles SET story_id = $1 WHERE id = $2', [storyId, id]);
    await this.q(c, 'UPDATE quotes SET story_id = $1 WHERE article_id = $2', [storyId, id]);
  }

  async setStory(id: number, storyId: number | null): Promise<void> {
    await this.tx((c) => this.setStoryIn(c, id, storyId));
  }

  async listSections(): Promise<SectionCount[]> {
    const rows = await this.q(
      this.pool,
      `SELECT section, COUNT(*) AS count FROM articles WHERE section IS NOT NULL AND section <> ''
       GROUP BY section ORDER BY count DESC, section COLLATE "C" ASC`,
    );
    return rows.map((r) => ({ section: r.section, count: Number(r.count) }));
  }

  // --- stories

  async createStory(s: NewStory): Promise<StoryRecord> {
    const r = await this.one(
      this.pool,
      `INSERT INTO stories (title, summary, first_seen, last_updated, article_count, source_count, score)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [
        s.title,
        s.summary ?? null,
        requireIso(s.firstSeen, 'firstSeen'),
        requireIso(s.lastUpdated, 'lastUpdated'),
        s.articleCount ?? 0,
        s.sourceCount ?? 0,
        s.score ?? 0,
      ],
    );
    return rowToStory(r!);
  }

  async updateStory(id: number, patch: StoryPatch): Promise<void> {
    const sets: string[] = [];
    const vals: unknown[] = [];
    for (const [k, v] of Object.entries(patch)) {
      const col = STORY_COLS[k as keyof StoryPatch];
      if (!col || v === undefined) continue;
      vals.push(k === 'firstSeen' || k === 'lastUpdated' ? requireIso(v as string, k) : v);
      sets.push(`${col} = $${vals.length}`);
    }
    if (sets.length === 0) return;
    vals.push(id);
    await this.q(this.pool, `UPDATE stories SET ${sets.join(', ')} WHERE id = $${vals.length}`, vals, false);
  }

  private async liveStoryId(db: Db, id: number, lock = false): Promise<number | null> {
    let cur = id;
    for (let i = 0; i < 64; i++) {
      const r = await this.one(
        db,
        lock ? 'SELECT merged_into FROM stories WHERE id = $1 FOR UPDATE' : 'SELECT merged_into FROM stories WHERE id = $1',
        [cur],
      );
      if (!r) return null;
      if (r.merged_into == null) return cur;
      cur = Number(r.merged_into);
    }
    return null;
  }

  private async storyRow(db: Db, id: number): Promise<StoryRecord | null> {
    const r = await this.one(db, 'SELECT * FROM stories WHERE id = $1', [id]);
    return r ? rowToStory(r) : null;
  }

  async getStory(id: number): Promise<{ story: StoryRecord; redirected: boolean } | null> {
    const live = await this.liveStoryId(this.pool, id);
    if (live === null) return null;
    const story = await this.storyRow(this.pool, live);
    return story ? { story, redirected: live !== id } : null;
  }

  private async recountIn(c: Db, id: number): Promise<void> {
    await this.q(
      c,
      `UPDATE stories SET (article_count, source_count) =
         (SELECT COUNT(*), COUNT(DISTINCT a.source_id) FROM articles a WHERE ${TIMELINE_WHERE})
       WHERE id = $1`,
      [id],
    );
  }

  async recountStory(id: number): Promise<StoryRecord | null> {
    return this.tx(async (c) => {
      const live = await this.liveStoryId(c, id);
      if (live === null) return null;
      await this.recountIn(c, live);
      return this.storyRow(c, live);
    });
  }

  async mergeStories(fromId: number, intoId: number): Promise<StoryRecord> {
    return this.tx(async (c) => {
      // Lock both chains' heads in id order so concurrent merges can't deadlock for long.
      await this.q(c, 'SELECT id FROM stories WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [[fromId, intoId]]);
      const from = await this.liveStoryId(c, fromId, true);
      const into = await this.liveStoryId(c, intoId, true);
      if (from === null) throw new DigestError('not_found', `no story ${fromId}`);
      if (into === null) throw new DigestError('not_found', `no story ${intoId}`);
      if (from === into) return (await this.storyRow(c, into))!;
      await this.q(c, 'UPDATE articles SET story_id = $1 WHERE story_id = $2', [into, from]);
      await this.q(c, 'UPDATE quotes SET story_id = $1 WHERE story_id = $2', [into, from]);
      await this.q(c, 'UPDATE stories SET merged_into = $1 WHERE merged_into = $2 OR id = $2', [into, from]);
      await this.q(
        c,
        `UPDATE stories t SET first_seen = LEAST(t.first_seen, f.first_seen), last_updated = GREATEST(t.last_updated, f.last_updated)
         FROM stories f WHERE t.id = $1 AND f.id = $2`,
        [into, from],
      );
      await this.recountIn(c, into);
      return (await this.storyRow(c, into))!;
    });
  }

  async listStories(opts: ListStoriesOptions = {}): Promise<Page<StoryRecord>> {
    const limit = clampLimit(opts.limit, 30);
    let rows: Row[];
    if (opts.cursor) {
      const [score, lu, id] = decodeCursor(opts.cursor, 'nsn');
      rows = await this.q(
        this.pool,
        `SELECT * FROM stories WHERE merged_into IS NULL AND (score < $1 OR (score = $1 AND
           (last_updated < $2::timestamptz OR (last_updated = $2::timestamptz AND id < $3))))
         ORDER BY score DESC, last_updated DESC, id DESC LIMIT $4`,
        [score, lu, id, limit + 1],
      );
    } else {
      rows = await this.q(
        this.pool,
        'SELECT * FROM stories WHERE merged_into IS NULL ORDER BY score DESC, last_updated DESC, id DESC LIMIT $1',
        [limit + 1],
      );
    }
    const more = rows.length > limit;
    if (more) rows.length = limit;
    const last = rows[rows.length - 1];
    return {
      items: rows.map(rowToStory),
      next: more && last ? encodeCursor([last.score, ts(last.last_updated)!, Number(last.id)]) : null,
    };
  }

  async storyArticles(storyId: number): Promise<Article[]> {
    const live = await this.liveStoryId(this.pool, storyId);
    if (live === null) return [];
    const rows = await this.q(this.pool, `${ARTICLE_SELECT} WHERE ${TIMELINE_WHERE} ORDER BY a.sort_at ASC, a.id ASC`, [live]);
    return rows.map(rowToArticle);
  }

  // --- quotes, people, entities

  async replaceArticleQuotes(articleId: number, quotes: NewQuote[]): Promise<QuoteRecord[]> {
    return this.tx(async (c) => {
      const art = await this.one(c, 'SELECT story_id FROM articles WHERE id = $1 FOR UPDATE', [articleId]);
      if (!art) throw new DigestError('not_found', `no article ${articleId}`);
      await this.q(c, 'DELETE FROM quotes WHERE article_id = $1', [articleId]);
      if (quotes.length > 0) {
        // All rows in one statement: one array per column, zipped by unnest.
        const col = <T>(f: (q: NewQuote) => T) => quotes.map(f);
        await this.q(
          c,
          `INSERT INTO quotes (article_id, story_id, quote, start_pos, end_pos, speaker, speaker_role, person_id, kind, stance, cue)
           SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[], $8::bigint[],
             $9::text[], $10::text[], $11::text[])`,
          [
            articleId,
            col((q) => (q.storyId !== undefined ? q.storyId : art.story_id)),
            col((q) => q.quote),
            col((q) => q.start),
            col((q) => q.end),
            col((q) => q.speaker ?? null),
            col((q) => q.speakerRole ?? null),
            col((q) => q.personId ?? null),
            col((q) => q.kind),
            col((q) => q.stance ?? null),
            col((q) => q.cue ?? null),
          ],
        );
      }
      return (await this.q(c, 'SELECT * FROM quotes WHERE article_id = $1 ORDER BY start_pos, id', [articleId])).map(rowToQuote);
    });
  }

  async quotesForArticle(articleId: number): Promise<QuoteRecord[]> {
    return (await this.q(this.pool, 'SELECT * FROM quotes WHERE article_id = $1 ORDER BY start_pos, id', [articleId])).map(
      rowToQuote,
    );
  }

  async quotesForStory(storyId: number): Promise<QuoteRecord[]> {
    const live = await this.liveStoryId(this.pool, storyId);
    if (live === null) return [];
    const rows = await this.q(
      this.pool,
      `SELECT q.* FROM quotes q JOIN articles qa ON qa.id = q.article_id
       WHERE q.story_id = $1 OR q.article_id IN (SELECT a.id FROM articles a WHERE ${TIMELINE_WHERE})
       ORDER BY qa.sort_at ASC, qa.id ASC, q.start_pos ASC, q.id ASC`,
      [live],
    );
    return rows.map(rowToQuote);
  }

  async quotesForPerson(personId: number): Promise<QuoteRecord[]> {
    const rows = await this.q(
      this.pool,
      `SELECT q.* FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.person_id = $1
       ORDER BY a.sort_at DESC, a.id DESC, q.start_pos ASC, q.id ASC`,
      [personId],
    );
    return rows.map(rowToQuote);
  }

  private async personIn(db: Db, id: number): Promise<PersonRecord | null> {
    const r = await this.one(db, 'SELECT * FROM persons WHERE id = $1', [id]);
    if (!r) return null;
    const aliases = (await this.q(db, 'SELECT alias FROM person_aliases WHERE person_id = $1 ORDER BY id', [id])).map(
      (x) => x.alias as string,
    );
    return { id: Number(r.id), name: r.name, type: r.type as EntityType, aliases };
  }

  private async upsertPersonIn(c: Db, name: string, type: EntityType, aliases: string[]): Promise<number> {
    const clean = name.trim().replace(/\s+/g, ' ');
    if (!clean) throw new DigestError('usage', 'an entity needs a name');
    const r = (await this.one(
      c,
      `INSERT INTO persons (name, name_key, type) VALUES ($1, $2, $3)
       ON CONFLICT (name_key, type) DO UPDATE SET name = persons.name RETURNING id, name`,
      [clean, nameKey(clean), type],
    ))!;
    const own = nameKey(r.name);
    for (const al of aliases) {
      const k = nameKey(al);
      if (!k || k === own) continue;
      await this.q(
        c,
        'INSERT INTO person_aliases (person_id, alias, alias_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [r.id, al.trim().replace(/\s+/g, ' '), k],
      );
    }
    return Number(r.id);
  }

  async upsertPerson(name: string, type: EntityType, aliases: string[] = []): Promise<PersonRecord> {
    return this.tx(async (c) => (await this.personIn(c, await this.upsertPersonIn(c, name, type, aliases)))!);
  }

  async getPerson(id: number): Promise<PersonRecord | null> {
    return this.personIn(this.pool, id);
  }

  private async resolveEntity(c: Db, name: string, type: EntityType): Promise<number> {
    const k = nameKey(name);
    const byName = await this.one(c, 'SELECT id FROM persons WHERE name_key = $1 AND type = $2', [k, type]);
    if (byName) return Number(byName.id);
    const byAlias = await this.one(
      c,
      `SELECT p.id FROM person_aliases al JOIN persons p ON p.id = al.person_id
       WHERE al.alias_key = $1 AND p.type = $2 ORDER BY p.id LIMIT 1`,
      [k, type],
    );
    if (byAlias) return Number(byAlias.id);
    return this.upsertPersonIn(c, name, type, []);
  }

  async replaceArticleEntities(articleId: number, entities: EntityMention[]): Promise<void> {
    // Sorted so concurrent writers take entity locks in the same order.
    const list = entities
      .filter((e) => nameKey(e.name))
      .sort((x, y) => (x.type + nameKey(x.name) < y.type + nameKey(y.name) ? -1 : 1));
    await this.tx(async (c) => {
      if (!(await this.one(c, 'SELECT 1 FROM articles WHERE id = $1 FOR UPDATE', [articleId]))) {
        throw new DigestError('not_found', `no article ${articleId}`);
      }
      await this.q(c, 'DELETE FROM article_entities WHERE article_id = $1', [articleId]);
      for (const e of list) {
        const pid = await this.resolveEntity(c, e.name, e.type);
        await this.q(
          c,
          `INSERT INTO article_entities (article_id, person_id, count) VALUES ($1, $2, $3)
           ON CONFLICT (article_id, person_id) DO UPDATE SET count = article_entities.count + EXCLUDED.count`,
          [articleId, pid, Math.max(1, Math.floor(e.count || 1))],
        );
      }
    });
  }

  async entitiesForStory(storyId: number): Promise<StoryEntity[]> {
    const live = await this.liveStoryId(this.pool, storyId);
    if (live === null) return [];
    const rows = await this.q(
      this.pool,
      `SELECT e.person_id, SUM(e.count) AS count, COUNT(*) AS articles, p.name
       FROM article_entities e JOIN persons p ON p.id = e.person_id
       WHERE e.article_id IN (SELECT a.id FROM articles a WHERE ${TIMELINE_WHERE})
       GROUP BY e.person_id, p.name ORDER BY articles DESC, count DESC, p.name COLLATE "C" ASC, e.person_id ASC`,
      [live],
    );
    if (rows.length === 0) return [];
    // Entities and their aliases in two queries, not two per entity.
    const ids = rows.map((r) => Number(r.person_id));
    const people = new Map<number, PersonRecord>();
    for (const p of await this.q(this.pool, 'SELECT * FROM persons WHERE id = ANY($1::bigint[])', [ids])) {
      people.set(Number(p.id), { id: Number(p.id), name: p.name, type: p.type as EntityType, aliases: [] });
    }
    for (const al of await this.q(
      this.pool,
      'SELECT person_id, alias FROM person_aliases WHERE person_id = ANY($1::bigint[]) ORDER BY id',
      [ids],
    )) {
      people.get(Number(al.person_id))?.aliases.push(al.alias);
    }
    const out: StoryEntity[] = [];
    for (const r of rows) {
      const entity = people.get(Number(r.person_id));
      if (entity) out.push({ entity, count: Number(r.count), articles: Number(r.articles) });
    }
    return out;
  }

  async listEntity(ref: number | string, opts: { limit?: number } = {}): Promise<EntityListing | null> {
    let id: number | null;
    if (typeof ref === 'number') {
      id = ref;
    } else {
      const r = await this.one(
        this.pool,
        `SELECT p.id, (SELECT COUNT(*) FROM article_entities e WHERE e.person_id = p.id) AS n,
           CASE WHEN p.name_key = $1 THEN 0 ELSE 1 END AS how
         FROM persons p
         WHERE p.name_key = $1 OR p.id IN (SELECT person_id FROM person_aliases WHERE alias_key = $1)
         ORDER BY how ASC, n DESC, p.id ASC LIMIT 1`,
        [nameKey(ref)],
      );
      id = r ? Number(r.id) : null;
    }
    if (id === null) return null;
    const entity = await this.personIn(this.pool, id);
    if (!entity) return null;
    const rows = await this.q(
      this.pool,
      `${ARTICLE_SELECT} JOIN article_entities e ON e.article_id = a.id WHERE e.person_id = $1
       ORDER BY a.sort_at DESC, a.id DESC LIMIT $2`,
      [id, clampLimit(opts.limit, 50)],
    );
    const articles = rows.map(rowToArticle);
    const storyIds: number[] = [];
    for (const a of articles) {
      if (a.storyId == null) continue;
      const live = await this.liveStoryId(this.pool, a.storyId);
      if (live !== null && !storyIds.includes(live)) storyIds.push(live);
    }
    return { entity, articles, storyIds };
  }

  // --- analysis across processes

  async pendingAnalysis(limit: number): Promise<Article[]> {
    const rows = await this.q(this.pool, `${ARTICLE_SELECT} WHERE a.analysed_at IS NULL ORDER BY a.id LIMIT $1`, [limit]);
    return rows.map(rowToArticle);
  }

  async markAnalysed(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.q(this.pool, 'UPDATE articles SET analysed_at = now() WHERE analysed_at IS NULL AND id = ANY($1::bigint[])', [ids]);
  }

  async acquireLease(name: string, owner: string, ttlSec: number): Promise<boolean> {
    // One statement: the row is taken when it is new, ours, or expired; otherwise nothing changes.
    const rows = await this.q(
      this.pool,
      `INSERT INTO leases (name, owner, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
       WHERE leases.owner = EXCLUDED.owner OR leases.expires_at <= now()
       RETURNING owner`,
      [name, owner, ttlSec],
    );
    return rows.length > 0;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.q(this.pool, 'DELETE FROM leases WHERE name = $1 AND owner = $2', [name, owner]);
  }

  async bumpCounter(name: string): Promise<number> {
    const r = await this.one(
      this.pool,
      `INSERT INTO counters (name, value) VALUES ($1, 1)
       ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`,
      [name],
    );
    return Number(r!.value);
  }

  async getCounter(name: string): Promise<number> {
    const r = await this.one(this.pool, 'SELECT value FROM counters WHERE name = $1', [name]);
    return r ? Number(r.value) : 0;
  }

  // --- reading state

  async markRead(articleIds: number[], read = true): Promise<void> {
    if (articleIds.length === 0) return;
    await this.q(
      this.pool,
      read
        ? 'UPDATE articles SET read_at = COALESCE(read_at, now()) WHERE id = ANY($1::bigint[])'
        : 'UPDATE articles SET read_at = NULL WHERE id = ANY($1::bigint[])',
      [articleIds],
    );
  }

  async isRead(articleId: number): Promise<boolean> {
    const r = await this.one(this.pool, 'SELECT read_at FROM articles WHERE id = $1', [articleId]);
    return !!r && r.read_at != null;
  }

  async readArticleIds(articleIds: number[]): Promise<number[]> {
    if (articleIds.length === 0) return [];
    const rows = await this.q(
      this.pool,
      'SELECT id FROM articles WHERE read_at IS NOT NULL AND id = ANY($1::bigint[]) ORDER BY id',
      [articleIds],
    );
    return rows.map((r) => Number(r.id));
  }
}

export async function openPostgresStore(opts: PostgresStoreOptions): Promise<PostgresStore> {
  const s = new PostgresStore(opts);
  try {
    await s.migrate();
  } catch (e) {
    await s.close().catch(() => {});
    const err = e as { code?: string; message?: string };
    if (e instanceof DigestError) throw e;
    if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === '3D000' || err.code === '28P01') {
      throw new DigestError('config', `cannot open PostgreSQL store: ${err.message ?? String(e)}`, { cause: e });
    }
    throw e;
  }
  return s;
}
