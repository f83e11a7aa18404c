// Articles: idempotent upserts, keyset paging, search, copies and story links.
import { sql } from 'kysely';
import type { Article, NewArticle } from '../core/types.ts';
import { DigestError } from '../core/errors.ts';
import type { ListArticlesOptions, Page, SearchHit, SectionCount } from './types.ts';
import { Sources } from './sources.ts';
import { ARTICLE_RETURNING, ARTICLE_SELECT, toArticle, ts, type Row } from './schema.ts';
import { articleSortAt, clampLimit, decodeCursor, normIso, pageOf, parseSearchQuery, unmark } from './util.ts';

type Upserted = { article: Article; created: boolean };

export class Articles extends Sources {
  /** Columns an article is written with, on insert and on update. */
  private content(a: NewArticle) {
    return {
      canonical_url: a.canonicalUrl ?? null, title: a.title, byline: a.byline ?? null, fetched_at: normIso(a.fetchedAt) ?? new Date().toISOString(),
      text: a.text ?? '', html: a.html ?? '', summary: a.summary ?? null, lead_image: a.leadImage ? JSON.stringify(a.leadImage) : null,
      site_name: a.siteName ?? null, section: a.section ?? null, lang: a.lang ?? null, extracted_from: a.extractedFrom,
      extraction_method: a.extractionMethod ?? null, extraction_error: a.extractionError ?? null, original_url: a.originalUrl ?? null,
    };
  }

  private dating(a: NewArticle, fetchedAt: string) {
    const published = a.published ?? null;
    return { published, published_is_fallback: this.dialect.bool(!!a.publishedIsFallback), sort_at: articleSortAt(published, fetchedAt) };
  }

  /** Inserts unless it conflicts with a stored one (same URL, or same guid in the source): the article, else null. */
  private async insertArticle(a: NewArticle): Promise<Article | null> {
    const c = this.content(a);
    const row = { ...c, ...this.dating(a, c.fetched_at), source_id: a.sourceId, url: a.url, guid: a.guid ?? null, duplicate_of: a.duplicateOf ?? null, story_id: a.storyId ?? null };
    const cols = Object.keys(row);
    const [r] = await this.raw(`INSERT INTO articles (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING RETURNING ${ARTICLE_RETURNING}`, Object.values(row));
    return r ? toArticle(r) : null;
  }

  /** Update in place the row with the same (source, guid), else the same URL (locked on PostgreSQL), or insert. Inside a transaction. */
  private async upsertOne(a: NewArticle): Promise<Upserted> {
    const find = (where: string, ...p: unknown[]) => this.raw(`SELECT id, source_id, url, guid, published FROM articles WHERE ${where}${this.dialect.pg ? ' FOR UPDATE' : ''}`, p);
    for (let attempt = 0; attempt < 3; attempt++) {
      // PostgreSQL inserts first (a new article is one round trip), SQLite looks first (no failed insert per known one).
      const first = this.dialect.pg ? await this.insertArticle(a) : null;
      if (first) return { article: first, created: true };
      const byGuid = a.guid != null ? await find('source_id = ? AND guid = ?', a.sourceId, a.guid) : [];
      const [old] = byGuid.length ? byGuid : await find('url = ?', a.url);
      if (old) return { article: await this.updateArticle(old, a), created: false };
      // (On a conflict, or when the row found on PostgreSQL vanished meanwhile, look again.)
      const ins = this.dialect.pg ? null : await this.insertArticle(a);
      if (ins) return { article: ins, created: true };
    }
    throw new DigestError('usage', `article ${a.url} kept conflicting with concurrent changes and was not stored`);
  }

  /** The row keeps its source; its URL changes only when no other row has the new one; a fallback date never replaces a known one. */
  private async updateArticle(old: Row, a: NewArticle): Promise<Article> {
    const id = Number(old.id);
    const c = this.content(a);
    let url: string = old.url;
    if (a.url !== old.url && !(await this.db.selectFrom('articles').select('id').where('url', '=', a.url).executeTakeFirst())) url = a.url;
    const guid = Number(old.source_id) === a.sourceId && a.guid != null ? a.guid : old.guid;
    const set: Record<string, unknown> = { ...c, url, guid };
    if (!(a.publishedIsFallback && old.published != null)) Object.assign(set, this.dating(a, c.fetched_at));
    if (a.duplicateOf !== undefined) set.duplicate_of = a.duplicateOf;
    if (a.storyId !== undefined) set.story_id = a.storyId;
    const [r] = await this.raw(`UPDATE articles SET ${Object.keys(set).map((k) => `${k} = ?`).join(', ')} WHERE id = ? RETURNING ${ARTICLE_RETURNING}`, [...Object.values(set), id]);
    if (a.storyId !== undefined) await this.db.updateTable('quotes').set({ story_id: a.storyId }).where('article_id', '=', id).execute();
    return toArticle(r);
  }

  async upsertArticle(a: NewArticle): Promise<Upserted> {
    // A new article (the usual case) is one INSERT outside an explicit transaction.
    const ins = this.inTx ? null : await this.insertArticle(a);
    if (ins) return { article: ins, created: true };
    return this.tx((t) => t.upsertOne(a));
  }

  async upsertArticles(list: NewArticle[]): Promise<Upserted[]> {
    // Rows are locked in one order (by URL) whatever the order given, so two workers storing
    // overlapping batches cannot deadlock on each other.
    const order = list.map((a, i) => ({ a, i })).sort((x, y) => (x.a.url < y.a.url ? -1 : x.a.url > y.a.url ? 1 : x.i - y.i));
    return this.tx(async (t) => {
      const out: Upserted[] = new Array(list.length);
      for (const { a, i } of order) out[i] = await t.upsertOne(a);
      return out;
    });
  }

  async hasArticle(sourceId: number, guid: string | null, url: string): Promise<boolean> {
    const r = await this.db.selectFrom('articles').select('id').where('source_id', '=', sourceId)
      .where((eb) => (guid == null ? eb('url', '=', url) : eb.or([eb('guid', '=', guid), eb('url', '=', url)]))).limit(1)
      .executeTakeFirst();
    return !!r;
  }

  async getArticle(id: number): Promise<Article | null> {
    const [r] = await this.raw(`${ARTICLE_SELECT} WHERE a.id = ?`, [id]);
    return r ? toArticle(r) : null;
  }

  async getArticleByUrl(url: string): Promise<Article | null> {
    const [r] = await this.raw(`${ARTICLE_SELECT} WHERE a.url = ?`, [url]);
    return r ? toArticle(r) : null;
  }

  async listArticles(opts: ListArticlesOptions = {}): Promise<Page<Article>> {
    const limit = clampLimit(opts.limit, 50);
    const where: string[] = [];
    const p: unknown[] = [];
    const and = (cond: string, ...v: unknown[]) => (where.push(cond), p.push(...v));
    if (opts.cursor) and('(a.sort_at, a.id) < (?, ?)', ...decodeCursor(opts.cursor, 'sn')); // a row value: SQLite keeps to the index
    if (opts.sourceId !== undefined) and('a.source_id = ?', opts.sourceId);
    if (opts.storyId !== undefined) and('a.story_id = ?', opts.storyId);
    if (opts.section !== undefined) and('a.section = ?', opts.section);
    if (opts.hideCopies) and('a.duplicate_of IS NULL');
    const rows = await this.raw(`${ARTICLE_SELECT}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY a.sort_at DESC, a.id DESC LIMIT ?`, [...p, limit + 1]);
    return pageOf(rows, limit, toArticle, (last) => [ts(last.sort_at)!, Number(last.id)]);
  }

  async countArticles(): Promise<number> {
    return Number((await this.db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  }

  async search(query: string, opts: { limit?: number; offset?: number } = {}): Promise<{ hits: SearchHit[]; total: number }> {
    const terms = parseSearchQuery(query);
    if (terms.length === 0) return { hits: [], total: 0 };
    const offset = Math.max(0, Math.floor(opts.offset ?? 0));
    const { rows, total } = await this.dialect.search(this.db, terms, clampLimit(opts.limit, 20, 200), offset);
    const hits = rows.map((r): SearchHit => {
      const [title, snip] = [unmark(r.th), unmark(r.snip)];
      const body = snip.text ? snip : title;
      return { article: toArticle(r), rank: Number(r.rank), snippet: body.text, snippetMatches: body.matches, titleMatches: title.matches };
    });
    return { hits, total };
  }

  async setDuplicateOf(id: number, originalId: number | null): Promise<void> {
    if (originalId === id) throw new DigestError('usage', `article ${id} cannot be a copy of itself`);
    await this.db.updateTable('articles').set({ duplicate_of: originalId }).where('id', '=', id).execute();
  }

  async setStory(id: number, storyId: number | null): Promise<void> {
    await this.tx(async (t) => {
      await t.db.updateTable('articles').set({ story_id: storyId }).where('id', '=', id).execute();
      await t.db.updateTable('quotes').set({ story_id: storyId }).where('article_id', '=', id).execute();
    });
  }

  async listSections(): Promise<SectionCount[]> {
    const rows = await this.db.selectFrom('articles').select(['section', (eb) => eb.fn.countAll().as('count')])
      .where('section', 'is not', null).where('section', '<>', '').groupBy('section').orderBy('count', 'desc')
      .orderBy(sql`section${this.dialect.collate}`).execute();
    return rows.map((r) => ({ section: r.section!, count: Number(r.count) }));
  }
}
