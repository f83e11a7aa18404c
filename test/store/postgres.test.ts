// Runs the store contract on PostgreSQL: a fresh schema per test in the local server
// (DIGEST_TEST_PG_URL, default postgresql://postgres@127.0.0.1:5432/test), dropped after.
// An unreachable server FAILS this file; set DIGEST_TEST_PG=off to skip it on purpose.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { storeContract, type StoreHandle } from './contract.ts';
import { usersContract } from './contract-users.ts';
import { readingContract } from './contract-reading.ts';
import { syncContract } from './contract-sync.ts';
import { rulesContract } from './contract-rules.ts';
import { openStore, type StoreOptions } from '../../src/store/index.ts';
import { PG_MIGRATIONS } from '../../src/store/migrations.ts';
import { DigestError } from '../../src/core/errors.ts';

const URL = process.env.DIGEST_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const off = process.env.DIGEST_TEST_PG === 'off';
let n = 0;
const schemaName = () => `digest_test_${process.pid}_${Date.now().toString(36)}_${n++}`;

async function dropSchema(schema: string) {
  const c = new pg.Client({ connectionString: URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}

if (off) {
  describe('postgres store', () => {
    it('skipped because DIGEST_TEST_PG=off', { skip: 'DIGEST_TEST_PG=off' }, () => {});
  });
} else {
  describe('postgres server', () => {
    before(async () => {
      const c = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 5000 });
      try {
        await c.connect();
        await c.end();
      } catch (e) {
        throw new Error(
          `PostgreSQL is not reachable at ${URL} (${(e as Error).message}). Start it, point DIGEST_TEST_PG_URL at one, ` +
            'or set DIGEST_TEST_PG=off to skip the PostgreSQL store tests.',
          { cause: e },
        );
      }
    });
    it('is reachable', () => {});
  });

  const opener = async (): Promise<StoreHandle> => {
    const schema = schemaName();
    const options: StoreOptions = { driver: 'postgres', url: URL, schema, poolSize: 4 };
    const opened = [await openStore(options)];
    return {
      store: opened[0],
      options,
      async another() {
        const s = await openStore(options);
        opened.push(s);
        return s;
      },
      async destroy() {
        try {
          for (const s of opened) await s.close();
        } finally {
          await dropSchema(schema);
        }
      },
    };
  };
  storeContract('postgres', opener);
  usersContract('postgres', opener);
  readingContract('postgres', opener);
  syncContract('postgres', opener);
  rulesContract('postgres', opener);

  describe('postgres store specifics', () => {
    it('migrates once even when several workers start together', async () => {
      const schema = schemaName();
      const opts: StoreOptions = { driver: 'postgres', url: URL, schema, poolSize: 2 };
      const stores = await Promise.all([openStore(opts), openStore(opts), openStore(opts)]);
      try {
        assert.equal(await stores[0].schemaVersion(), PG_MIGRATIONS.length);
        const c = new pg.Client({ connectionString: URL });
        await c.connect();
        const r = await c.query(`SELECT count(*)::int AS n FROM ${schema}.schema_migrations`);
        await c.end();
        assert.equal(r.rows[0].n, PG_MIGRATIONS.length);
      } finally {
        for (const s of stores) await s.close();
        await dropSchema(schema);
      }
    });

    it('upgrades a schema of the previous release (version 7) in place, keeping its data', async () => {
      const schema = schemaName();
      const c = new pg.Client({ connectionString: URL });
      await c.connect();
      try {
        await c.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema};
          CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
        const apply = async (v: number) => {
          await c.query(PG_MIGRATIONS[v - 1]);
          await c.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);
        };
        for (let v = 1; v <= 6; v++) await apply(v);
        await c.query(`INSERT INTO sources (url) VALUES ('https://old.example/feed');
          INSERT INTO articles (source_id, url, title, sort_at, fetched_at, text)
          VALUES (1, 'https://old.example/a', 'Old story', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', 'the old text')`);
        await apply(7);
        await c.query(`INSERT INTO leases (name, owner, expires_at) VALUES ('analysis', 'old-process', now() - interval '1 minute')`);
      } finally {
        await c.end();
      }
      const s = await openStore({ driver: 'postgres', url: URL, schema, poolSize: 2 });
      try {
        assert.equal(await s.schemaVersion(), PG_MIGRATIONS.length);
        const [a] = (await s.listArticles()).items;
        assert.equal(a.title, 'Old story');
        assert.equal(a.analysedAt, '2024-01-01T00:00:00.000Z', 'stored before migration 7: counts as analysed');
        assert.equal(a.analysisAttempts, 0);
        assert.equal(a.analysisError, null);
        assert.equal((await s.search('old text')).total, 1);
        assert.equal(await s.acquireLease('analysis', 'new-process', 60), 2, 'the old lease row hands over with the next token');
      } finally {
        await s.close();
        await dropSchema(schema);
      }
    });

    it('reports a server it cannot reach as a config error naming the cause', async () => {
      await assert.rejects(
        openStore({ driver: 'postgres', url: 'postgresql://postgres@127.0.0.1:1/none' }),
        (e: unknown) => e instanceof DigestError && e.kind === 'config' && /cannot open PostgreSQL store/.test(e.message),
      );
    });

    it('rejects a schema name that is not a plain identifier', async () => {
      await assert.rejects(openStore({ driver: 'postgres', url: URL, schema: 'x; DROP TABLE y' }), /letters, digits/);
    });
  });
}
