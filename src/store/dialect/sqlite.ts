// SQLite (better-sqlite3 v12) under Kysely: WAL, foreign keys, busy timeout, prepared
// statements cached by their SQL, write transactions as BEGIN IMMEDIATE, FTS5 search.
// Stores opened on one file in one process share a lock: better-sqlite3 waits for another
// connection's write lock synchronously, which would stall the event loop that must finish
// the transaction holding it.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, sql, type DatabaseConnection } from 'kysely';
import { DigestError } from '../../core/errors.ts';
import type { DB, Row } from '../schema.ts';
import type { Dialect } from '../db.ts';
import { SQLITE_MIGRATIONS } from '../migrations.ts';
import { MARK_CLOSE, MARK_OPEN, fts5Query } from '../util.ts';

/** A FIFO lock held from acquireConnection to releaseConnection. */
class Lock {
  private tail = Promise.resolve();
  private held: (() => void)[] = [];
  async take(): Promise<void> {
    const prev = this.tail;
    let done!: () => void;
    this.tail = new Promise((r) => (done = r));
    await prev;
    this.held.push(done);
  }
  give = () => this.held.shift()?.();
}
const fileLocks = new Map<string, Lock>();

class LockedDriver extends SqliteDriver {
  constructor(config: ConstructorParameters<typeof SqliteDriver>[0], private lock: Lock) {
    super(config);
  }
  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.lock.take();
    return super.acquireConnection();
  }
  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    this.lock.give();
  }
  override async beginTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }
}

export function openSqlite(path: string, busyTimeoutMs = 5000): { db: Kysely<DB>; dialect: Dialect; raw: Database.Database } {
  const memory = path === ':memory:' || path === '';
  if (!memory) mkdirSync(dirname(resolve(path)), { recursive: true });
  let raw: Database.Database;
  try {
    raw = new Database(path);
  } catch (e) {
    throw new DigestError('config', `cannot open the SQLite database ${path}: ${(e as Error).message}`, { subject: path, cause: e });
  }
  for (const p of [`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`, 'journal_mode = WAL', 'synchronous = NORMAL', 'foreign_keys = ON']) raw.pragma(p);
  const key = memory ? null : resolve(path);
  const lock = (key && fileLocks.get(key)) || new Lock();
  if (key) fileLocks.set(key, lock);
  const stmts = new Map<string, Database.Statement>();
  const database = {
    prepare(text: string) {
      let s = stmts.get(text);
      if (!s) stmts.set(text, (s = raw.prepare(text)));
      return s;
    },
    close() {
      stmts.clear();
      try {
        raw.pragma('optimize');
      } catch { /* best effort */ }
      raw.close();
    },
  };
  const config = { database };
  const db = new Kysely<DB>({ dialect: new (class extends SqliteDialect {
    override createDriver = () => new LockedDriver(config, lock);
  })(config) });

  const dialect: Dialect = {
    pg: false,
    bool: (b) => (b ? 1 : 0),
    collate: sql``,
    now: () => sql`((julianday('now') - 2440587.5) * 86400.0)`,
    later: (sec) => sql`((julianday('now') - 2440587.5) * 86400.0 + ${sec})`,
    retry: (fn) => fn(),

    async migrate(k) {
      // Raw multi-statement SQL on the connection Kysely holds (so the file lock is ours).
      await k.connection().execute(async () => {
        raw.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
        raw.transaction(() => {
            const have = (raw.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as Row).v as number;
            if (have > SQLITE_MIGRATIONS.length) {
              throw new DigestError('config', `database schema version ${have} is newer than this program knows (${SQLITE_MIGRATIONS.length}); upgrade the program`);
            }
            for (let v = have + 1; v <= SQLITE_MIGRATIONS.length; v++) {
              raw.exec(SQLITE_MIGRATIONS[v - 1]);
              raw.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(v, new Date().toISOString());
            }
          }).immediate();
        stmts.clear();
      });
    },

    async search(k, terms, limit, offset) {
      const match = fts5Query(terms);
      const total = Number((await sql<Row>`SELECT COUNT(*) AS n FROM articles_fts WHERE articles_fts MATCH ${match}`.execute(k)).rows[0].n);
      if (total === 0 || offset >= total) return { rows: [], total };
      const { rows } = await sql<Row>`SELECT a.*, s.title AS source_title,
          snippet(articles_fts, 1, ${MARK_OPEN}, ${MARK_CLOSE}, '…', 24) AS snip,
          highlight(articles_fts, 0, ${MARK_OPEN}, ${MARK_CLOSE}) AS th, bm25(articles_fts, 5.0, 1.0) AS score
        FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid JOIN sources s ON s.id = a.source_id
        WHERE articles_fts MATCH ${match}
        ORDER BY score ASC, a.sort_at DESC, a.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(k);
      return { rows: rows.map((r) => ({ ...r, rank: -r.score })), total };
    },
  };
  return { db, dialect, raw };
}
