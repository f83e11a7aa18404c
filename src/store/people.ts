// Who said what: quotes, the entity registry (people, organisations, places) and mentions.
import { sql } from 'kysely';
import { DigestError } from '../core/errors.ts';
import type { EntityListing, EntityMention, EntityType, NewQuote, PersonRecord, QuoteRecord, StoryEntity } from './types.ts';
import { Stories, timeline } from './stories.ts';
import { ARTICLE_SELECT, toArticle, toQuote, type Row } from './schema.ts';
import { clampLimit, nameKey } from './util.ts';

const clean = (s: string) => s.trim().replace(/\s+/g, ' ');

export class People extends Stories {
  private quotes() {
    return this.db.selectFrom('quotes as q').innerJoin('articles as a', 'a.id', 'q.article_id').selectAll('q');
  }

  async replaceArticleQuotes(articleId: number, quotes: NewQuote[]): Promise<QuoteRecord[]> {
    return this.tx(async (t) => {
      const art = await t.db.selectFrom('articles').select('story_id').where('id', '=', articleId).$if(t.dialect.pg, (q) => q.forUpdate()).executeTakeFirst();
      if (!art) throw new DigestError('not_found', `no article ${articleId}`);
      await t.db.deleteFrom('quotes').where('article_id', '=', articleId).execute();
      if (quotes.length) {
        await t.db.insertInto('quotes')
          .values(quotes.map((q) => ({ article_id: articleId, story_id: q.storyId !== undefined ? q.storyId : art.story_id, quote: q.quote,
            start_pos: q.start, end_pos: q.end, speaker: q.speaker ?? null, speaker_role: q.speakerRole ?? null,
            person_id: q.personId ?? null, kind: q.kind, stance: q.stance ?? null, cue: q.cue ?? null })))
          .execute();
      }
      return t.quotesForArticle(articleId);
    });
  }

  async quotesForArticle(articleId: number): Promise<QuoteRecord[]> {
    return (await this.db.selectFrom('quotes').selectAll().where('article_id', '=', articleId).orderBy('start_pos').orderBy('id').execute()).map(toQuote);
  }

  async quotesForStory(storyId: number): Promise<QuoteRecord[]> {
    const live = await this.liveStoryId(storyId);
    if (live === null) return [];
    return (await this.quotes()
      .where((eb) => eb.or([eb('q.story_id', '=', live), eb('q.article_id', 'in', sql<number>`(SELECT a.id FROM articles a WHERE ${timeline(live)})`)]))
      .orderBy('a.sort_at').orderBy('a.id').orderBy('q.start_pos').orderBy('q.id').execute()).map(toQuote);
  }

  async quotesForPerson(personId: number): Promise<QuoteRecord[]> {
    return (await this.quotes().where('q.person_id', '=', personId).orderBy('a.sort_at', 'desc').orderBy('a.id', 'desc').orderBy('q.start_pos').orderBy('q.id').execute()).map(toQuote);
  }

  /** Entities with their aliases, in two queries. */
  private async persons(ids: number[]): Promise<Map<number, PersonRecord>> {
    const out = new Map<number, PersonRecord>();
    if (ids.length === 0) return out;
    for (const p of await this.db.selectFrom('persons').selectAll().where('id', 'in', ids).execute()) {
      out.set(Number(p.id), { id: Number(p.id), name: p.name, type: p.type as EntityType, aliases: [] });
    }
    for (const al of await this.db.selectFrom('person_aliases').select(['person_id', 'alias']).where('person_id', 'in', ids).orderBy('id').execute()) {
      out.get(Number(al.person_id))?.aliases.push(al.alias);
    }
    return out;
  }

  async getPerson(id: number): Promise<PersonRecord | null> {
    return (await this.persons([id])).get(id) ?? null;
  }

  private async upsertPersonIn(name: string, type: EntityType, aliases: string[]): Promise<number> {
    if (!clean(name)) throw new DigestError('usage', 'an entity needs a name');
    const r = await this.db.insertInto('persons').values({ name: clean(name), name_key: nameKey(name), type }).returning(['id', 'name'])
      .onConflict((oc) => oc.columns(['name_key', 'type']).doUpdateSet({ name: sql`persons.name` })).executeTakeFirstOrThrow();
    const own = nameKey(r.name);
    const rows = aliases.filter((al) => nameKey(al) && nameKey(al) !== own).map((al) => ({ person_id: Number(r.id), alias: clean(al), alias_key: nameKey(al) }));
    for (const row of rows) await this.db.insertInto('person_aliases').values(row).onConflict((oc) => oc.doNothing()).execute();
    return Number(r.id);
  }

  async upsertPerson(name: string, type: EntityType, aliases: string[] = []): Promise<PersonRecord> {
    return this.tx(async (t) => (await t.getPerson(await t.upsertPersonIn(name, type, aliases)))!);
  }

  /** Entity of this type by exact name, else by alias, else a new one. */
  private async resolveEntity(name: string, type: EntityType): Promise<number> {
    const k = nameKey(name);
    const r =
      (await this.db.selectFrom('persons').select('id').where('name_key', '=', k).where('type', '=', type).executeTakeFirst()) ??
      (await this.db.selectFrom('person_aliases as al').innerJoin('persons as p', 'p.id', 'al.person_id').select('p.id')
        .where('al.alias_key', '=', k).where('p.type', '=', type).orderBy('p.id').limit(1).executeTakeFirst());
    return r ? Number(r.id) : this.upsertPersonIn(name, type, []);
  }

  async replaceArticleEntities(articleId: number, entities: EntityMention[]): Promise<void> {
    // Sorted so concurrent writers take entity locks in the same order.
    const list = entities.filter((e) => nameKey(e.name)).sort((x, y) => (x.type + nameKey(x.name) < y.type + nameKey(y.name) ? -1 : 1));
    await this.tx(async (t) => {
      if (!(await t.db.selectFrom('articles').select('id').where('id', '=', articleId).$if(t.dialect.pg, (q) => q.forUpdate()).executeTakeFirst())) {
        throw new DigestError('not_found', `no article ${articleId}`);
      }
      await t.db.deleteFrom('article_entities').where('article_id', '=', articleId).execute();
      for (const e of list) {
        await t.db.insertInto('article_entities')
          .values({ article_id: articleId, person_id: await t.resolveEntity(e.name, e.type), count: Math.max(1, Math.floor(e.count || 1)) })
          .onConflict((oc) => oc.columns(['article_id', 'person_id']).doUpdateSet({ count: sql`article_entities.count + excluded.count` })).execute();
      }
    });
  }

  async entitiesForStory(storyId: number): Promise<StoryEntity[]> {
    const live = await this.liveStoryId(storyId);
    if (live === null) return [];
    const { rows } = await sql<Row>`SELECT e.person_id, SUM(e.count) AS count, COUNT(*) AS articles
      FROM article_entities e JOIN persons p ON p.id = e.person_id
      WHERE e.article_id IN (SELECT a.id FROM articles a WHERE ${timeline(live)})
      GROUP BY e.person_id, p.name ORDER BY articles DESC, count DESC, p.name${this.dialect.collate} ASC, e.person_id ASC`.execute(this.db);
    const people = await this.persons(rows.map((r) => Number(r.person_id)));
    return rows.filter((r) => people.has(Number(r.person_id)))
      .map((r) => ({ entity: people.get(Number(r.person_id))!, count: Number(r.count), articles: Number(r.articles) }));
  }

  async listEntity(ref: number | string, opts: { limit?: number } = {}): Promise<EntityListing | null> {
    let id: number | null = typeof ref === 'number' ? ref : null;
    if (typeof ref === 'string') {
      const k = nameKey(ref);
      const { rows } = await sql<Row>`SELECT p.id, (SELECT COUNT(*) FROM article_entities e WHERE e.person_id = p.id) AS n,
          CASE WHEN p.name_key = ${k} THEN 0 ELSE 1 END AS how
        FROM persons p WHERE p.name_key = ${k} OR p.id IN (SELECT person_id FROM person_aliases WHERE alias_key = ${k})
        ORDER BY how ASC, n DESC, p.id ASC LIMIT 1`.execute(this.db);
      id = rows.length ? Number(rows[0].id) : null;
    }
    const entity = id === null ? null : await this.getPerson(id);
    if (!entity) return null;
    const q = `${ARTICLE_SELECT} JOIN article_entities e ON e.article_id = a.id WHERE e.person_id = ? ORDER BY a.sort_at DESC, a.id DESC LIMIT ?`;
    const articles = (await this.raw(q, [entity.id, clampLimit(opts.limit, 50)])).map(toArticle);
    const storyIds: number[] = [];
    for (const a of articles) {
      const live = a.storyId == null ? null : await this.liveStoryId(a.storyId);
      if (live !== null && !storyIds.includes(live)) storyIds.push(live);
    }
    return { entity, articles, storyIds };
  }
}
