// Stories: the groups the stories stage decides on; merges redirect through merged_into.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Article } from '../core/types.ts';
import { DigestError } from '../core/errors.ts';
import type { ListStoriesOptions, NewStory, Page, StoryPatch, StoryRecord } from './types.ts';
import { Articles } from './articles.ts';
import { ARTICLE_SELECT, STORY_PATCH, column, toArticle, toStory, ts, type Row } from './schema.ts';
import { clampLimit, decodeCursor, pageOf, requireIso } from './util.ts';

/** A story's timeline (alias a = articles): its articles and the copies of them. */
export const timeline = (story: number): RawBuilder<SqlBool> =>
  sql<SqlBool>`(a.story_id = ${story} OR a.duplicate_of IN (SELECT id FROM articles WHERE story_id = ${story}))`;

export class Stories extends Articles {
  async createStory(s: NewStory): Promise<StoryRecord> {
    const r = await this.db.insertInto('stories')
      .values({ title: s.title, summary: s.summary ?? null, first_seen: requireIso(s.firstSeen, 'firstSeen'),
        last_updated: requireIso(s.lastUpdated, 'lastUpdated'), article_count: s.articleCount ?? 0, source_count: s.sourceCount ?? 0, score: s.score ?? 0 })
      .returningAll().executeTakeFirstOrThrow();
    return toStory(r);
  }

  async updateStory(id: number, patch: StoryPatch): Promise<void> {
    const set: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(patch)) {
      if (STORY_PATCH.has(k as keyof StoryPatch) && v !== undefined) set[column(k)] = k === 'firstSeen' || k === 'lastUpdated' ? requireIso(v as string, k) : v;
    }
    if (Object.keys(set).length) await this.db.updateTable('stories').set(set).where('id', '=', id).execute();
  }

  /** The live story reached from `id` through merged_into, or null; `lock` locks the chain (PostgreSQL). */
  protected async liveStoryId(id: number, lock = false): Promise<number | null> {
    let cur = id;
    for (let i = 0; i < 64; i++) {
      const r = await this.db.selectFrom('stories').select('merged_into').where('id', '=', cur)
        .$if(lock && this.dialect.pg, (q) => q.forUpdate()).executeTakeFirst();
      if (!r) return null;
      if (r.merged_into == null) return cur;
      cur = Number(r.merged_into);
    }
    return null;
  }

  private async storyRow(id: number): Promise<StoryRecord | null> {
    const r = await this.db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toStory(r) : null;
  }

  async getStory(id: number): Promise<{ story: StoryRecord; redirected: boolean } | null> {
    const live = await this.liveStoryId(id);
    const story = live === null ? null : await this.storyRow(live);
    return story ? { story, redirected: live !== id } : null;
  }

  private async recount(id: number): Promise<void> {
    const c = await this.db.selectFrom('articles as a')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.count('a.source_id').distinct().as('s')]).where(timeline(id))
      .executeTakeFirstOrThrow();
    await this.db.updateTable('stories').set({ article_count: Number(c.n), source_count: Number(c.s) }).where('id', '=', id).execute();
  }

  async recountStory(id: number): Promise<StoryRecord | null> {
    return this.tx(async (t) => {
      const live = await t.liveStoryId(id);
      if (live === null) return null;
      await t.recount(live);
      return t.storyRow(live);
    });
  }

  async mergeStories(fromId: number, intoId: number): Promise<StoryRecord> {
    return this.tx(async (t) => {
      // Lock both chains' heads in id order so concurrent merges can't deadlock for long.
      if (t.dialect.pg) await t.db.selectFrom('stories').select('id').where('id', 'in', [fromId, intoId]).orderBy('id').forUpdate().execute();
      const from = await t.liveStoryId(fromId, true);
      const into = await t.liveStoryId(intoId, true);
      if (from === null) throw new DigestError('not_found', `no story ${fromId}`);
      if (into === null) throw new DigestError('not_found', `no story ${intoId}`);
      if (from === into) return (await t.storyRow(into))!;
      await t.db.updateTable('articles').set({ story_id: into }).where('story_id', '=', from).execute();
      await t.db.updateTable('quotes').set({ story_id: into }).where('story_id', '=', from).execute();
      await t.db.updateTable('stories').set({ merged_into: into }).where((eb) => eb.or([eb('merged_into', '=', from), eb('id', '=', from)])).execute();
      const [f, i] = [(await t.storyRow(from))!, (await t.storyRow(into))!];
      await t.db.updateTable('stories')
        .set({ first_seen: f.firstSeen < i.firstSeen ? f.firstSeen : i.firstSeen, last_updated: f.lastUpdated > i.lastUpdated ? f.lastUpdated : i.lastUpdated })
        .where('id', '=', into).execute();
      await t.recount(into);
      return (await t.storyRow(into))!;
    });
  }

  async listStories(opts: ListStoriesOptions = {}): Promise<Page<StoryRecord>> {
    const limit = clampLimit(opts.limit, 30);
    let q = this.db.selectFrom('stories').selectAll().where('merged_into', 'is', null);
    if (opts.cursor) {
      const [score, lu, id] = decodeCursor(opts.cursor, 'nsn') as [number, string, number];
      q = q.where((eb) => eb(eb.refTuple('score', 'last_updated', 'id'), '<', eb.tuple(score, lu, id)));
    }
    const rows = await q.orderBy('score', 'desc').orderBy('last_updated', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    return pageOf(rows, limit, toStory, (last) => [Number(last.score), ts(last.last_updated)!, Number(last.id)]);
  }

  async storyArticles(storyId: number): Promise<Article[]> {
    const live = await this.liveStoryId(storyId);
    if (live === null) return [];
    return (await sql<Row>`${sql.raw(ARTICLE_SELECT)} WHERE ${timeline(live)} ORDER BY a.sort_at, a.id`.execute(this.db)).rows.map(toArticle);
  }
}
