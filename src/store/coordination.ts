// Work shared by several processes: source claims with heartbeats, analysis as a unit of
// work (pending, failures), named leases with fencing tokens, counters.
import { sql } from 'kysely';
import type { Article, Source } from '../core/types.ts';
import { DigestError } from '../core/errors.ts';
import { People } from './people.ts';
import { ARTICLE_SELECT, toArticle, toSource } from './schema.ts';
import { clampLimit, requireIso } from './util.ts';

export class Coordination extends People {
  async claimDueSources(now: string, limit: number, leaseSec: number): Promise<Source[]> {
    const t0 = requireIso(now, 'now');
    const until = new Date(Date.parse(t0) + Math.max(0, leaseSec) * 1000).toISOString();
    return this.tx(async (t) => {
      const due = t.dueQuery(t0).select('id').limit(clampLimit(limit, 10, 10_000)).$if(t.dialect.pg, (q) => q.forUpdate().skipLocked());
      const ids = (await due.execute()).map((r) => Number(r.id));
      if (ids.length === 0) return [];
      const rows = await t.db.updateTable('sources').set({ next_due_at: until }).where('id', 'in', ids).returningAll().execute();
      const byId = new Map(rows.map((r) => [Number(r.id), toSource(r)]));
      return ids.map((id) => byId.get(id)!);
    });
  }

  async renewClaims(sourceIds: number[], until: string): Promise<void> {
    const u = requireIso(until, 'until');
    if (sourceIds.length === 0) return;
    await this.db.updateTable('sources').set({ next_due_at: u }).where('id', 'in', sourceIds)
      .where((eb) => eb.or([eb('next_due_at', 'is', null), eb('next_due_at', '<', u)])).execute();
  }

  // --- analysis

  async pendingAnalysis(limit: number, opts: { maxAttempts?: number } = {}): Promise<Article[]> {
    const q = `${ARTICLE_SELECT} WHERE a.analysed_at IS NULL AND a.analysis_attempts < ? ORDER BY a.id LIMIT ?`;
    return (await this.raw(q, [opts.maxAttempts ?? 5, Math.max(0, Math.floor(limit))])).map(toArticle);
  }

  async markAnalysed(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('articles').set({ analysed_at: new Date().toISOString(), analysis_error: null }).where('analysed_at', 'is', null).where('id', 'in', ids).execute();
  }

  async recordAnalysisFailure(articleId: number, error: string): Promise<void> {
    await this.db.updateTable('articles')
      .set((eb) => ({ analysis_attempts: eb('analysis_attempts', '+', 1), analysis_error: error.slice(0, 2000), analysis_failed_at: new Date().toISOString() }))
      .where('id', '=', articleId).execute();
  }

  async analysisFailures(opts: { sourceId?: number; limit?: number } = {}) {
    const rows = await this.db.selectFrom('articles')
      .select(['id', 'source_id', 'url', 'title', 'analysis_attempts', 'analysis_error']).where('analysis_attempts', '>', 0)
      .where('analysed_at', 'is', null).$if(opts.sourceId !== undefined, (q) => q.where('source_id', '=', opts.sourceId!))
      .orderBy('analysis_failed_at', 'desc').orderBy('id', 'desc').limit(clampLimit(opts.limit, 50)).execute();
    return rows.map((r) => ({ articleId: Number(r.id), sourceId: Number(r.source_id), url: r.url, title: r.title, attempts: Number(r.analysis_attempts), error: r.analysis_error ?? '' }));
  }

  // --- leases: the token grows each time the lease changes hands (or is taken again after
  // it ran out) and stays the same while its owner renews it; a released lease is expired,
  // not deleted, so tokens never repeat.

  async acquireLease(name: string, owner: string, ttlSec: number): Promise<number | null> {
    const now = this.dialect.now();
    const r = await sql<{ token: number }>`INSERT INTO leases (name, owner, expires_at, token)
      VALUES (${name}, ${owner}, ${this.dialect.later(ttlSec)}, 1)
      ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at,
        token = CASE WHEN leases.owner = excluded.owner AND leases.expires_at > ${now} THEN leases.token ELSE leases.token + 1 END
      WHERE leases.owner = excluded.owner OR leases.expires_at <= ${now}
      RETURNING token`.execute(this.db);
    return r.rows.length ? Number(r.rows[0].token) : null;
  }

  async renewLease(name: string, owner: string, token: number, ttlSec: number): Promise<boolean> {
    const r = await this.db.updateTable('leases').set({ expires_at: this.dialect.later(ttlSec) }).where('name', '=', name)
      .where('owner', '=', owner).where('token', '=', token).where('expires_at', '>', this.dialect.now()).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async assertLease(name: string, owner: string, token: number): Promise<void> {
    const r = await this.db.selectFrom('leases')
      .select(['owner', 'token', sql<number>`CASE WHEN expires_at > ${this.dialect.now()} THEN 1 ELSE 0 END`.as('live')])
      .where('name', '=', name).$if(this.dialect.pg, (q) => q.forUpdate()).executeTakeFirst();
    if (!r || r.owner !== owner || Number(r.token) !== token || !Number(r.live)) {
      throw new DigestError('lease_lost', `the lease "${name}" (token ${token}) is no longer held by ${owner}: it ran out or another process took it; stop this work and let the holder carry on`);
    }
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.db.updateTable('leases').set({ expires_at: this.dialect.now() }).where('name', '=', name).where('owner', '=', owner).execute();
  }

  async bumpCounter(name: string): Promise<number> {
    const r = await this.db.insertInto('counters').values({ name, value: 1 })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`counters.value + 1` })).returning('value')
      .executeTakeFirstOrThrow();
    return Number(r.value);
  }

  async getCounter(name: string): Promise<number> {
    const r = await this.db.selectFrom('counters').select('value').where('name', '=', name).executeTakeFirst();
    return r ? Number(r.value) : 0;
  }
}
