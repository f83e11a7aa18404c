// Entry point of the store stage: open a SQLite or PostgreSQL store (migrated, ready).
import type { Store } from './types.ts';

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

/** Opens the store and applies pending migrations. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  if (opts.driver === 'sqlite') {
    const { openSqliteStore } = await import('./sqlite/index.ts');
    return openSqliteStore({ path: opts.path, busyTimeoutMs: opts.busyTimeoutMs });
  }
  if (opts.driver === 'postgres') {
    const { openPostgresStore } = await import('./postgres/index.ts');
    return openPostgresStore({ url: opts.url, schema: opts.schema, poolSize: opts.poolSize });
  }
  const { DigestError } = await import('../core/errors.ts');
  throw new DigestError('config', `unknown store driver ${JSON.stringify((opts as { driver: unknown }).driver)}`);
}

export { parseSearchQuery, markSnippet, escapeHtml } from './util.ts';
