// Sources and their fetch log.
import { sql } from 'kysely';
import type { NewSource, Source } from '../core/types.ts';
import type { FetchLogEntry, SourcePatch } from './types.ts';
import { Base } from './db.ts';
import { SOURCE_PATCH, column, toFetch, toSource } from './schema.ts';
import { FETCH_LOG_KEEP, clampLimit, optIso, requireIso } from './util.ts';

const TIMES = new Set(['nextDueAt', 'lastFetchedAt', 'websubLeaseUntil', 'websubRequestedAt']);

export class Sources extends Base {
  async addSource(s: NewSource): Promise<Source> {
    const r = await this.db.insertInto('sources')
      .values({ url: s.url, kind: s.kind ?? 'feed', title: s.title ?? null, site_url: s.siteUrl ?? null, folder: s.folder ?? null, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('url').doUpdateSet({ url: (eb) => eb.ref('excluded.url') })).returningAll()
      .executeTakeFirstOrThrow();
    return toSource(r);
  }

  async getSource(id: number): Promise<Source | null> {
    const r = await this.db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toSource(r) : null;
  }

  async findSourceByUrl(url: string): Promise<Source | null> {
    const r = await this.db.selectFrom('sources').selectAll().where('url', '=', url).executeTakeFirst();
    return r ? toSource(r) : null;
  }

  async listSources(): Promise<Source[]> {
    const c = this.dialect.collate;
    return (await this.db.selectFrom('sources as s').selectAll('s')
      .select(sql<number>`(SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id)`.as('article_count'))
      .orderBy(sql`lower(COALESCE(s.folder, ''))${c}`)
      .orderBy(sql`lower(COALESCE(s.title, s.url))${c}`).orderBy('s.id').execute()).map(toSource);
  }

  async updateSource(id: number, patch: SourcePatch): Promise<void> {
    const set: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(patch)) {
      if (!SOURCE_PATCH.has(k as keyof SourcePatch) || v === undefined) continue;
      set[column(k)] = TIMES.has(k) ? optIso(v as string | null, k) : k === 'disabled' ? this.dialect.bool(!!v) : v;
    }
    if (Object.keys(set).length) await this.db.updateTable('sources').set(set).where('id', '=', id).execute();
  }

  async removeSource(id: number): Promise<boolean> {
    return this.tx(async (t) => Number((await t.db.deleteFrom('sources').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0);
  }

  async dueSources(now: string): Promise<Source[]> {
    return (await this.dueQuery(requireIso(now, 'now')).selectAll().execute()).map(toSource);
  }

  /** Enabled sources due at `t`, oldest due first. */
  protected dueQuery(t: string) {
    return this.db.selectFrom('sources').where('disabled', '=', this.dialect.bool(false))
      .where((eb) => eb.or([eb('next_due_at', 'is', null), eb('next_due_at', '<=', t)]))
      .orderBy(sql`next_due_at ASC NULLS FIRST`).orderBy('id');
  }

  async logFetch(e: FetchLogEntry): Promise<void> {
    await this.tx(async (t) => {
      await t.db.insertInto('fetch_log')
        .values({ source_id: e.sourceId, url: e.url, started_at: requireIso(e.startedAt, 'startedAt'), status: e.status,
          outcome: e.outcome, error: e.error, new_articles: e.newArticles, elapsed_ms: Math.round(e.elapsedMs) })
        .execute();
      await sql`DELETE FROM fetch_log WHERE source_id = ${e.sourceId} AND id <
        (SELECT id FROM fetch_log WHERE source_id = ${e.sourceId} ORDER BY id DESC LIMIT 1 OFFSET ${FETCH_LOG_KEEP - 1})`.execute(t.db);
    });
  }

  async recentFetches(sourceId: number, limit: number): Promise<FetchLogEntry[]> {
    return (await this.db.selectFrom('fetch_log').selectAll().where('source_id', '=', sourceId).orderBy('started_at', 'desc')
      .orderBy('id', 'desc').limit(clampLimit(limit, 20, 10_000)).execute()).map(toFetch);
  }
}
