// Runs the store contract on SQLite (a temp file database per test), plus SQLite specifics.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { storeContract, type StoreHandle } from './contract.ts';
import { usersContract } from './contract-users.ts';
import { readingContract } from './contract-reading.ts';
import { syncContract } from './contract-sync.ts';
import { rulesContract } from './contract-rules.ts';
import { openStore } from '../../src/store/index.ts';
import { SQLITE_MIGRATIONS } from '../../src/store/migrations.ts';
import { makeArticle } from './contract-data.ts';
import { DigestError } from '../../src/core/errors.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'digest-store-'));
}

async function openSqliteHandle(): Promise<StoreHandle> {
  const dir = tempDir();
  const path = join(dir, 'digest.db');
  const opened = [await openStore({ driver: 'sqlite', path })];
  return {
    store: opened[0],
    options: { driver: 'sqlite' as const, path },
    async another() {
      const s = await openStore({ driver: 'sqlite', path });
      opened.push(s);
      return s;
    },
    async destroy() {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
storeContract('sqlite', openSqliteHandle);
usersContract('sqlite', openSqliteHandle);
readingContract('sqlite', openSqliteHandle);
syncContract('sqlite', openSqliteHandle);
rulesContract('sqlite', openSqliteHandle);

describe('sqlite store specifics', () => {
  it('uses WAL, foreign keys and a busy timeout, and records every migration', async () => {
    const dir = tempDir();
    try {
      const s = await openStore({ driver: 'sqlite', path: join(dir, 'x.db') });
      assert.equal(s.sqlite!.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(s.sqlite!.pragma('foreign_keys', { simple: true }), 1);
      assert.ok((s.sqlite!.pragma('busy_timeout', { simple: true }) as number) >= 1000);
      assert.equal(await s.schemaVersion(), SQLITE_MIGRATIONS.length);
      await s.close();
      // Reopening applies nothing new.
      const again = await openStore({ driver: 'sqlite', path: join(dir, 'x.db') });
      assert.equal(await again.schemaVersion(), SQLITE_MIGRATIONS.length);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates the data folder, works in memory, and names a path it cannot open', async () => {
    const dir = tempDir();
    try {
      const s = await openStore({ driver: 'sqlite', path: join(dir, 'a', 'b', 'digest.db') });
      assert.equal((await s.addSource({ url: 'https://a.example/feed' })).id, 1);
      await s.close();
      const m = await openStore({ driver: 'sqlite', path: ':memory:' });
      assert.equal(await m.countArticles(), 0);
      await m.close();
      await assert.rejects(
        openStore({ driver: 'sqlite', path: dir }),
        (e: unknown) => e instanceof DigestError && e.kind === 'config' && e.message.includes(dir),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('upgrades a database of the previous release (schema 8) in place, keeping its data', async () => {
    const dir = tempDir();
    try {
      const p = join(dir, 'old.db');
      const raw = new Database(p);
      raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      const apply = (v: number) => {
        raw.exec(SQLITE_MIGRATIONS[v - 1]);
        raw.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(v, '2024-01-01T00:00:00.000Z');
      };
      for (let v = 1; v <= 7; v++) apply(v);
      raw.exec(`INSERT INTO sources (url, created_at) VALUES ('https://old.example/feed', '2024-01-01T00:00:00.000Z');
        INSERT INTO articles (source_id, url, title, sort_at, fetched_at, text)
        VALUES (1, 'https://old.example/a', 'Old story', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', 'the old text')`);
      apply(8);
      raw.exec(`INSERT INTO leases (name, owner, expires_at) VALUES ('analysis', 'old-process', 0)`);
      raw.close();
      const s = await openStore({ driver: 'sqlite', path: p });
      assert.equal(await s.schemaVersion(), SQLITE_MIGRATIONS.length);
      const [a] = (await s.listArticles()).items;
      assert.equal(a.title, 'Old story');
      assert.equal(a.analysedAt, '2024-01-01T00:00:00.000Z', 'stored before migration 8: counts as analysed');
      assert.equal(a.analysisAttempts, 0);
      assert.equal(a.analysisError, null);
      assert.equal((await s.search('old text')).total, 1);
      assert.equal(await s.acquireLease('analysis', 'new-process', 60), 2, 'the old lease row hands over with the next token');
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a database from a newer program', async () => {
    const dir = tempDir();
    try {
      const p = join(dir, 'x.db');
      await (await openStore({ driver: 'sqlite', path: p })).close();
      const raw = new Database(p);
      raw.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(SQLITE_MIGRATIONS.length + 1, 'x');
      raw.close();
      await assert.rejects(openStore({ driver: 'sqlite', path: p }), /newer than this program/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the FTS index consistent with the table through updates and deletes', async () => {
    const dir = tempDir();
    try {
      const s = await openStore({ driver: 'sqlite', path: join(dir, 'x.db') });
      const src = await s.addSource({ url: 'https://a.example/feed' });
      for (let i = 0; i < 20; i++) await s.upsertArticle(makeArticle(src.id, i));
      for (let i = 0; i < 20; i += 2) await s.upsertArticle(makeArticle(src.id, i, { title: `Changed ${i}`, text: 'new body' }));
      const other = await s.addSource({ url: 'https://b.example/feed' });
      await s.upsertArticle(makeArticle(other.id, 1));
      await s.removeSource(other.id);
      // Throws SQLITE_CORRUPT_VTAB when the index disagrees with the content table.
      s.sqlite!.prepare(`INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)`).run();
      assert.equal((s.sqlite!.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
      assert.equal((await s.search('changed')).total, 10);
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
