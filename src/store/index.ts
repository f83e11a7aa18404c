// Entry point of the store stage: open a SQLite or PostgreSQL store (migrated, ready).
// One implementation over Kysely; the entity files build it up (db -> sources -> articles
// -> stories -> people -> coordination -> subscriptions -> reading -> users -> rules), dialect/ holds what differs.
import { DigestError } from '../core/errors.ts';
import type { Store } from './types.ts';
import { Rules } from './rules.ts';

export type * from './types.ts';

export type StoreOptions =
  | { driver: 'sqlite'; path: string; busyTimeoutMs?: number }
  | {
      driver: 'postgres';
      url: string;
      /** Schema to keep the tables in (created when missing); default: the server's search_path. */
      schema?: string;
      /** Connections in the pool (default 10). */
      poolSize?: number;
    };

/** The store: the Store interface, plus schemaVersion() and (SQLite) the raw handle. */
export class KyselyStore extends Rules implements Store {}

/** Opens the store and applies pending migrations. */
export async function openStore(opts: StoreOptions): Promise<KyselyStore> {
  let store: KyselyStore;
  if (opts.driver === 'sqlite') {
    const { openSqlite } = await import('./dialect/sqlite.ts');
    const { db, dialect, raw } = openSqlite(opts.path, opts.busyTimeoutMs);
    store = new KyselyStore(db, dialect, false, raw);
  } else if (opts.driver === 'postgres') {
    const { openPostgres } = await import('./dialect/postgres.ts');
    const { db, dialect } = openPostgres(opts.url, opts.schema, opts.poolSize);
    store = new KyselyStore(db, dialect);
  } else {
    throw new DigestError('config', `unknown store driver ${JSON.stringify((opts as { driver: unknown }).driver)}`);
  }
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => {});
    throw opts.driver === 'postgres' ? (await import('./dialect/postgres.ts')).pgOpenError(e) : e;
  }
  return store;
}

export { parseSearchQuery } from './util.ts';
