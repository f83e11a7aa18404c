// PostgreSQL (pg) under Kysely: a pool whose statements are prepared once per connection,
// migrations under an advisory lock, tsvector search with ts_rank_cd and ts_headline,
// transactions retried on deadlock or serialization failure.
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { DigestError } from '../../core/errors.ts';
import { ARTICLE_COLS, type DB, type Row } from '../schema.ts';
import type { Dialect } from '../db.ts';
import { PG_MIGRATIONS } from '../migrations.ts';
import { MARK_CLOSE, MARK_OPEN } from '../util.ts';

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** SQL texts given statement names (prepared on first use per connection); capped. */
const names = new Map<string, string>();
const retryable = (e: unknown) => ['40P01', '40001'].includes((e as { code?: string } | null)?.code ?? '');
/** Stand-ins for < and > while ts_headline runs (its parser would take "<x>" for a tag). */
const unangle = (s: string | null) => (s ?? '').replace(/\uE002/g, '<').replace(/\uE003/g, '>');
const A_COLS = sql.raw(ARTICLE_COLS.join(', '));

export function openPostgres(url: string, schema?: string, poolSize = 10): { db: Kysely<DB>; dialect: Dialect } {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new DigestError('config', `store schema ${JSON.stringify(schema)} must be letters, digits and _`);
  }
  const pool = new pg.Pool({ connectionString: url, max: poolSize, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => {});
  const wrapped = new WeakMap<pg.PoolClient, pg.PoolClient>();
  const prepared = (c: pg.PoolClient): pg.PoolClient => {
    let w = wrapped.get(c);
    if (!w) {
      const query = (text: unknown, values?: unknown[]) => {
        if (typeof text !== 'string' || !values?.length) return c.query(text as string, values);
        let name = names.get(text);
        // Full-text matches (@@) stay unnamed: a generic plan would not see the query's terms.
        if (!name && names.size < 2000 && !text.includes('@@')) names.set(text, (name = `od${names.size + 1}`));
        return c.query(name ? { name, text, values } : { text, values });
      };
      w = new Proxy(c, { get: (t, k) => (k === 'query' ? query : Reflect.get(t, k)) });
      wrapped.set(c, w);
    }
    return w;
  };
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({
      pool: { connect: async () => prepared(await pool.connect()), end: () => pool.end() } as unknown as pg.Pool,
    }),
  });

  const dialect: Dialect = {
    pg: true,
    bool: (b) => b,
    collate: sql` COLLATE "C"`,
    now: () => sql`clock_timestamp()`,
    later: (sec) => sql`(clock_timestamp() + make_interval(secs => ${sec}))`,

    async retry(fn) {
      for (let attempt = 0; ; attempt++) {
        try {
          return await fn();
        } catch (e) {
          if (attempt >= 8 || !retryable(e)) throw e;
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 10 * 2 ** attempt));
        }
      }
    },

    async migrate(k) {
      await k.transaction().execute(async (t) => {
        // One migrator at a time per schema, across processes.
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`occasional-digest:migrate:${schema ?? ''}`}))`.execute(t);
        if (schema) await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${schema}`).execute(t);
        await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(t);
        const have = Number((await sql<Row>`SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations`.execute(t)).rows[0].v);
        if (have > PG_MIGRATIONS.length) {
          throw new DigestError('config', `database schema version ${have} is newer than this program knows (${PG_MIGRATIONS.length}); upgrade the program`);
        }
        for (let v = have + 1; v <= PG_MIGRATIONS.length; v++) {
          await sql.raw(PG_MIGRATIONS[v - 1]).execute(t);
          await sql`INSERT INTO schema_migrations (version) VALUES (${v})`.execute(t);
        }
      });
    },

    async search(k, terms, limit, offset) {
      // Tokens are letters and digits only, so quoting them makes a safe tsquery.
      const parts = terms.map((t) =>
        t.prefix
          ? sql`to_tsquery('english', ${t.tokens.map((x) => `'${x}'`).join(' <-> ') + ':*'})`
          : sql`phraseto_tsquery('english', ${t.tokens.join(' ')})`,
      );
      const q = sql.join(parts, sql` && `);
      const hl = `StartSel=${MARK_OPEN}, StopSel=${MARK_CLOSE}`;
      const { rows } = await sql<Row>`WITH q AS (SELECT (${q}) AS q)
        SELECT h.*, s.title AS source_title,
          ts_headline('english', translate(h.text, '<>', '\uE002\uE003'), q.q,
            ${sql.lit(hl + ', MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "')}) AS snip,
          ts_headline('english', translate(h.title, '<>', '\uE002\uE003'), q.q, ${sql.lit(hl + ', HighlightAll=true')}) AS th
        FROM (SELECT ${A_COLS}, ts_rank_cd(a.search, q.q) AS rank, COUNT(*) OVER () AS total
              FROM articles a, q WHERE a.search @@ q.q
              ORDER BY rank DESC, a.sort_at DESC, a.id DESC LIMIT ${limit} OFFSET ${offset}) h
        JOIN sources s ON s.id = h.source_id, q
        ORDER BY h.rank DESC, h.sort_at DESC, h.id DESC`.execute(k);
      let total = rows.length ? Number(rows[0].total) : 0;
      if (rows.length === 0 && offset > 0) {
        total = Number((await sql<Row>`SELECT COUNT(*) AS n FROM articles a WHERE a.search @@ (${q})`.execute(k)).rows[0].n);
      }
      for (const r of rows) Object.assign(r, { snip: unangle(r.snip), th: unangle(r.th), rank: Number(r.rank) });
      return { rows, total };
    },
  };
  return { db, dialect };
}

/** Turns a failure to reach the server into a config error naming the cause. */
export function pgOpenError(e: unknown): unknown {
  const err = e as { code?: string; message?: string };
  if (e instanceof DigestError) return e;
  if (['ECONNREFUSED', 'ENOTFOUND', '3D000', '28P01'].includes(err.code ?? '')) {
    return new DigestError('config', `cannot open PostgreSQL store: ${err.message ?? String(e)}`, { cause: e });
  }
  return e;
}
