// Per-user reading state: read, starred (and hidden, which the user's rules set) per article.
// Views leave out the articles a user's rules hid. Copies are one article to the reader:
// "mark all" scopes take the copies and originals of what they mark along.
import type { Article } from '../core/types.ts';
import type { ArticleState, MarkScope, Page, StoryRecord, SyncItem, SyncQuery, UserArticlesOptions } from './types.ts';
import { Subscriptions, notCopy } from './subscriptions.ts';
import { ARTICLE_COLS, toArticle, toStory, ts } from './schema.ts';
import { clampLimit, decodeCursor, pageOf, requireIso } from './util.ts';

export class Reading extends Subscriptions {
  /** Sets read_at (or starred_at) to now for these articles, keeping an earlier time. */
  private async setFlag(userId: number, articleIds: number[], col: 'read_at' | 'starred_at', on: boolean): Promise<void> {
    const ids = [...new Set(articleIds)].filter((n) => Number.isSafeInteger(n));
    if (ids.length === 0) return;
    const list = ids.map(() => '?').join(', ');
    if (!on) {
      await this.raw(`UPDATE article_states SET ${col} = NULL WHERE user_id = ? AND article_id IN (${list})`, [userId, ...ids]);
      return;
    }
    await this.raw(
      `INSERT INTO article_states (user_id, article_id, ${col}) SELECT ?, id, ? FROM articles WHERE id IN (${list})
       ON CONFLICT (user_id, article_id) DO UPDATE SET ${col} = COALESCE(article_states.${col}, excluded.${col})`,
      [userId, new Date().toISOString(), ...ids],
    );
  }

  markRead(userId: number, articleIds: number[], read = true): Promise<void> {
    return this.setFlag(userId, articleIds, 'read_at', read);
  }

  async withCopies(articleIds: number[]): Promise<number[]> {
    const ids = [...new Set(articleIds)].filter((n) => Number.isSafeInteger(n));
    if (ids.length === 0) return [];
    const list = ids.map(() => '?').join(', ');
    const rows = await this.raw(
      `SELECT id FROM articles WHERE id IN (${list}) OR duplicate_of IN (${list})
        OR id IN (SELECT duplicate_of FROM articles WHERE id IN (${list}) AND duplicate_of IS NOT NULL)
        OR duplicate_of IN (SELECT duplicate_of FROM articles WHERE id IN (${list}) AND duplicate_of IS NOT NULL)`,
      [...ids, ...ids, ...ids, ...ids],
    );
    return rows.map((r) => Number(r.id));
  }

  setStarred(userId: number, articleIds: number[], starred = true): Promise<void> {
    return this.setFlag(userId, articleIds, 'starred_at', starred);
  }

  async articleStates(userId: number, articleIds: number[]): Promise<ArticleState[]> {
    const ids = [...new Set(articleIds)].filter((n) => Number.isSafeInteger(n));
    if (ids.length === 0) return [];
    const rows = await this.raw(
      `SELECT article_id, read_at, starred_at, hidden_at FROM article_states WHERE user_id = ? AND article_id IN (${ids.map(() => '?').join(', ')}) ORDER BY article_id`,
      [userId, ...ids],
    );
    return rows.map((r) => ({ articleId: Number(r.article_id), readAt: ts(r.read_at), starredAt: ts(r.starred_at), hiddenAt: ts(r.hidden_at) }));
  }

  async markAllRead(userId: number, scope: MarkScope): Promise<number> {
    const where: string[] = [];
    const p: unknown[] = [];
    let from = 'FROM articles a JOIN subscriptions s ON s.source_id = a.source_id AND s.user_id = ?';
    p.push(userId);
    if (scope.storyId !== undefined) {
      // A story is marked whole, whoever carried it (its timeline: articles and their copies).
      from = 'FROM articles a';
      p.length = 0;
      where.push('(a.story_id = ? OR a.duplicate_of IN (SELECT id FROM articles WHERE story_id = ?))');
      p.push(scope.storyId, scope.storyId);
    }
    const and = (cond: string, v: unknown) => {
      where.push(cond);
      p.push(v);
    };
    if (scope.sourceId !== undefined) and('a.source_id = ?', scope.sourceId);
    if (scope.folder !== undefined) {
      if (scope.storyId !== undefined) throw new Error('markAllRead: folder and story do not combine');
      and('s.folder = ?', scope.folder);
    }
    if (scope.since !== undefined) and('a.sort_at >= ?', requireIso(scope.since, 'since'));
    if (scope.before !== undefined) and('a.sort_at < ?', requireIso(scope.before, 'before'));
    const set = `SELECT a.id ${from}${where.length ? ' WHERE ' + where.join(' AND ') : ''}`;
    const rows = await this.raw(
      `INSERT INTO article_states (user_id, article_id, read_at)
       SELECT ?, id, ? FROM articles WHERE id IN (${set}) OR duplicate_of IN (${set}) OR id IN (SELECT duplicate_of FROM articles WHERE id IN (${set}))
       ON CONFLICT (user_id, article_id) DO UPDATE SET read_at = excluded.read_at WHERE article_states.read_at IS NULL
       RETURNING article_id`,
      [userId, new Date().toISOString(), ...p, ...p, ...p],
    );
    return rows.length;
  }

  async listUserArticles(userId: number, opts: UserArticlesOptions = {}): Promise<Page<Article>> {
    const limit = clampLimit(opts.limit, 50);
    const where: string[] = ['st.hidden_at IS NULL'];
    const p: unknown[] = [];
    const and = (cond: string, ...v: unknown[]) => (where.push(cond), p.push(...v));
    const cols = `${ARTICLE_COLS.join(', ')}, src.title AS source_title`;
    let from: string;
    if (opts.starred) {
      from = `FROM article_states st JOIN articles a ON a.id = st.article_id JOIN sources src ON src.id = a.source_id WHERE st.user_id = ? AND st.starred_at IS NOT NULL`;
    } else {
      from = `FROM articles a JOIN sources src ON src.id = a.source_id JOIN subscriptions s ON s.source_id = a.source_id AND s.user_id = ?
        LEFT JOIN article_states st ON st.user_id = s.user_id AND st.article_id = a.id WHERE ${notCopy('s.user_id')}`;
      if (opts.folder !== undefined) and('s.folder = ?', opts.folder);
    }
    if (opts.unread) where.push('st.read_at IS NULL');
    if (opts.sourceId !== undefined) and('a.source_id = ?', opts.sourceId);
    if (opts.storyId !== undefined) and('a.story_id = ?', opts.storyId);
    if (opts.cursor) and('(a.sort_at, a.id) < (?, ?)', ...decodeCursor(opts.cursor, 'sn'));
    const rows = await this.raw(`SELECT ${cols} ${from} AND ${where.join(' AND ')} ORDER BY a.sort_at DESC, a.id DESC LIMIT ?`, [userId, ...p, limit + 1]);
    return pageOf(rows, limit, toArticle, (last) => [ts(last.sort_at)!, Number(last.id)]);
  }

  async syncItemIds(userId: number, q: SyncQuery): Promise<number[]> {
    const where: string[] = ['st.hidden_at IS NULL'];
    const p: unknown[] = [userId];
    const and = (cond: string, ...v: unknown[]) => (where.push(cond), p.push(...v));
    let from: string;
    if (q.starred) {
      from = `FROM article_states st JOIN articles a ON a.id = st.article_id LEFT JOIN subscriptions s ON s.source_id = a.source_id AND s.user_id = st.user_id
        WHERE st.user_id = ? AND st.starred_at IS NOT NULL`;
      if (q.folder !== undefined) and('s.folder = ?', q.folder);
    } else {
      // Articles first (walked by id, so a page stops early), the subscriptions as a set.
      from = `FROM articles a LEFT JOIN article_states st ON st.user_id = ? AND st.article_id = a.id
        WHERE +a.source_id IN (SELECT source_id FROM subscriptions WHERE user_id = ?${q.folder !== undefined ? ' AND folder = ?' : ''}) AND ${notCopy('?')}`;
      p.push(userId);
      if (q.folder !== undefined) p.push(q.folder);
      p.push(userId);
    }
    if (q.sourceId !== undefined) and('a.source_id = ?', q.sourceId);
    if (q.unread === true) where.push('st.read_at IS NULL');
    if (q.unread === false) where.push('st.read_at IS NOT NULL');
    if (q.arrivedSince !== undefined) and('a.fetched_at >= ?', requireIso(q.arrivedSince, 'arrivedSince'));
    if (q.arrivedBefore !== undefined) and('a.fetched_at < ?', requireIso(q.arrivedBefore, 'arrivedBefore'));
    if (q.afterId !== undefined) and('a.id > ?', q.afterId);
    if (q.beforeId !== undefined) and('a.id < ?', q.beforeId);
    if (q.ids) {
      const ids = [...new Set(q.ids)].filter((n) => Number.isSafeInteger(n));
      if (ids.length === 0) return [];
      and(`a.id IN (${ids.map(() => '?').join(', ')})`, ...ids);
    }
    const rows = await this.raw(`SELECT a.id ${from} AND ${where.join(' AND ')} ORDER BY a.id ${q.asc ? 'ASC' : 'DESC'} LIMIT ?`, [...p, clampLimit(q.limit, 1000, 100_000)]);
    return rows.map((r) => Number(r.id));
  }

  async syncItems(userId: number, articleIds: number[]): Promise<SyncItem[]> {
    const ids = [...new Set(articleIds)].filter((n) => Number.isSafeInteger(n));
    if (ids.length === 0) return [];
    const rows = await this.raw(
      `SELECT ${ARTICLE_COLS.join(', ')}, COALESCE(s.title, src.title) AS source_title, src.site_url AS src_site_url, s.folder AS sub_folder,
        st.read_at AS st_read, st.starred_at AS st_starred
      FROM articles a JOIN sources src ON src.id = a.source_id
      LEFT JOIN subscriptions s ON s.source_id = a.source_id AND s.user_id = ?
      LEFT JOIN article_states st ON st.user_id = ? AND st.article_id = a.id
      WHERE a.id IN (${ids.map(() => '?').join(', ')}) AND (s.user_id IS NOT NULL OR st.starred_at IS NOT NULL) ORDER BY a.id DESC`,
      [userId, userId, ...ids],
    );
    return rows.map((r) => ({
      article: toArticle(r), read: r.st_read != null, starred: r.st_starred != null, folder: r.sub_folder ?? null,
      sourceTitle: r.source_title ?? null, siteUrl: r.src_site_url ?? null,
    }));
  }

  async unreadCounts(userId: number): Promise<{ total: number; sources: Map<number, number>; folders: Map<string, number> }> {
    const rows = await this.raw(
      `SELECT s.source_id, s.folder, COUNT(*) AS n FROM articles a JOIN subscriptions s ON s.source_id = a.source_id AND s.user_id = ?
        LEFT JOIN article_states st ON st.user_id = s.user_id AND st.article_id = a.id
        WHERE st.read_at IS NULL AND st.hidden_at IS NULL AND ${notCopy('s.user_id')} GROUP BY s.source_id, s.folder`,
      [userId],
    );
    const sources = new Map<number, number>();
    const folders = new Map<string, number>();
    let total = 0;
    for (const r of rows) {
      const n = Number(r.n);
      total += n;
      sources.set(Number(r.source_id), n);
      if (r.folder) folders.set(r.folder, (folders.get(r.folder) ?? 0) + n);
    }
    return { total, sources, folders };
  }

  async userStories(userId: number, opts: { limit?: number } = {}): Promise<StoryRecord[]> {
    const rows = await this.raw(
      `SELECT st.* FROM stories st WHERE st.merged_into IS NULL AND EXISTS (
        SELECT 1 FROM articles a JOIN subscriptions s ON s.source_id = a.source_id AND s.user_id = ?
        LEFT JOIN article_states x ON x.user_id = s.user_id AND x.article_id = a.id
        WHERE a.story_id = st.id AND x.hidden_at IS NULL)
      ORDER BY st.score DESC, st.last_updated DESC, st.id DESC LIMIT ?`,
      [userId, clampLimit(opts.limit, 40)],
    );
    return rows.map(toStory);
  }
}
