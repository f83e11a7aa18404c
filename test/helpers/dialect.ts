// A fresh store for a web test on either dialect: a SQLite file in a temp dir, or a PostgreSQL
// schema of its own at DIGEST_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/test),
// dropped by dispose(). A web test file opens its store through `openTestStore`; its
// `*.pg.test.ts` twin sets DIGEST_WEB_TEST_DIALECT=postgres and imports it, so every test and
// assertion runs on both dialects (DIGEST_TEST_PG=off skips the twins).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { openStore, type KyselyStore } from '../../src/store/index.ts';

export type Dialect = 'sqlite' | 'postgres';
export const PG_URL = process.env.DIGEST_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const pgOff = process.env.DIGEST_TEST_PG === 'off';

/** The dialect this process's web tests run on (set by a `*.pg.test.ts` twin). */
export const testDialect = (): Dialect => (process.env.DIGEST_WEB_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite');

export interface TestStore {
  store: KyselyStore;
  dialect: Dialect;
  /** Closes the store and removes its file or schema. */
  dispose(): Promise<void>;
}

export async function openTestStore(prefix: string, dialect: Dialect = testDialect()): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const schema = `${prefix.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const store = dialect === 'sqlite' ? await openStore({ driver: 'sqlite', path: join(dir, 'digest.db') }) : await openStore({ driver: 'postgres', url: PG_URL, schema });
  let disposed = false;
  return {
    store,
    dialect,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await store.close().catch(() => {});
      if (dialect === 'postgres') {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end());
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every row of every table (full-text index tables aside), to prove a request wrote nothing. */
export async function tableSnapshot(t: TestStore): Promise<string> {
  const rowsOf = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
  if (t.dialect === 'sqlite') {
    const db = t.store.sqlite!;
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'articles_fts%' ORDER BY name").all() as { name: string }[]).map((x) => x.name);
    return JSON.stringify(tables.map((name) => [name, rowsOf(db.prepare(`SELECT * FROM "${name}"`).all())]));
  }
  const tables = (await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(t.store.db)).rows.map((x) => x.name);
  const out: unknown[] = [];
  for (const name of tables) out.push([name, rowsOf((await sql`SELECT * FROM ${sql.id(name)}`.execute(t.store.db)).rows)]);
  return JSON.stringify(out);
}
