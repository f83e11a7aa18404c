// What the entity files share: the Kysely handle, the dialect's few specific bits, and the unit of work:
// every method runs on `this.db`, which in transaction()'s fn is the transaction (so calls on `tx` commit together).
import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';
import type Database from 'better-sqlite3';
import type { DB, Row } from './schema.ts';
import type { QueryTerm } from './util.ts';
import type { Store } from './types.ts';

export interface Dialect {
  /** PostgreSQL: row locks (FOR UPDATE, SKIP LOCKED) and text ordering in the C collation. */
  readonly pg: boolean;
  bool(b: boolean): number | boolean;
  /** Byte-wise text order (SQLite's default; COLLATE "C" in PostgreSQL). */
  readonly collate: RawBuilder<unknown>;
  /** The lease clock in the type of leases.expires_at: now, and now + sec. */
  now(): RawBuilder<unknown>;
  later(sec: number): RawBuilder<unknown>;
  /** Full-text search: rows of article columns + source_title, `snip`/`th` (marked), `rank` (higher is better). */
  search(db: Kysely<DB>, terms: QueryTerm[], limit: number, offset: number): Promise<{ rows: Row[]; total: number }>;
  migrate(db: Kysely<DB>): Promise<void>;
  /** Runs an outermost transaction, again when the database asks for it (PostgreSQL deadlocks). */
  retry<T>(fn: () => Promise<T>): Promise<T>;
}

type Ctor = new (db: Kysely<DB>, dialect: Dialect, inTx: boolean, sqlite?: Database.Database) => Base;

export class Base {
  constructor(
    readonly db: Kysely<DB>,
    readonly dialect: Dialect,
    /** True for the store handed to a transaction's fn. */
    readonly inTx = false,
    /** The better-sqlite3 handle (SQLite only; for pragmas in tests and tools). */
    readonly sqlite?: Database.Database,
  ) {}

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTx) return fn(this as unknown as Store);
    return this.dialect.retry(() =>
      this.db.transaction().execute((trx) => fn(new (this.constructor as Ctor)(trx, this.dialect, true, this.sqlite) as unknown as Store)),
    );
  }

  /** SQL written with ? placeholders ($n for PostgreSQL), no query builder: for the hot paths. */
  protected async raw<R = Row>(text: string, params: unknown[]): Promise<R[]> {
    let i = 0;
    return (await this.db.executeQuery<R>(CompiledQuery.raw(this.dialect.pg ? text.replace(/\?/g, () => `$${++i}`) : text, params))).rows;
  }

  /** transaction() typed for the entity files. */
  protected tx<T>(fn: (t: this) => Promise<T>): Promise<T> {
    return this.transaction((t) => fn(t as unknown as this));
  }

  async migrate(): Promise<void> {
    await this.dialect.migrate(this.db);
  }

  /** Number of migrations applied. */
  async schemaVersion(): Promise<number> {
    return Number((await sql<Row>`SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations`.execute(this.db)).rows[0].v);
  }

  /** Closes the connection(s); again does nothing; a transaction's store leaves them to its owner. */
  async close(): Promise<void> {
    if (!this.inTx) await this.db.destroy();
  }
}
