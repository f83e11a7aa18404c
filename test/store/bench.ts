// Store micro-benchmark: ingest, re-ingest, paging and search on either driver.
// Usage: node --import tsx test/store/bench.ts [sqlite|postgres] [articles=5000]
//   postgres uses DIGEST_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/test)
//   in a throw-away schema; sqlite a temp file. Prints one line per measure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type StoreOptions } from '../../src/store/index.ts';
import { makeArticle } from './contract-data.ts';

const driver = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const N = Number(process.argv[3] ?? 5000);
const PG_URL = process.env.DIGEST_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

// Synthetic text with a Zipf-like vocabulary (rank r drawn with P ~ 1/r), so that, as in
// real news, common words match most articles and rarer ones few.
const SYL = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'shi', 'ber', 'dan', 'gor', 'pel', 'sun', 'tir', 'zem', 'qua'];
const V = 20_000;
function word(rank: number): string {
  let w = '';
  let x = rank + 17;
  do {
    w += SYL[x % SYL.length];
    x = Math.floor(x / SYL.length);
  } while (x > 0);
  return w;
}
const VOCAB = Array.from({ length: V }, (_, r) => word(r));

function body(n: number): string {
  // ~450 words (about 3 KB), deterministic per article.
  let x = (n * 2654435761) >>> 0;
  const words: string[] = [];
  for (let i = 0; i < 450; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const u = x / 2 ** 32;
    words.push(VOCAB[Math.min(V - 1, Math.floor(Math.exp(u * Math.log(V))) - 1)]);
  }
  return words.join(' ') + '.';
}

const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

let dir: string | null = null;
let opts: StoreOptions;
const schema = `digest_bench_${process.pid}`;
if (driver === 'sqlite') {
  dir = mkdtempSync(join(tmpdir(), 'digest-bench-'));
  opts = { driver: 'sqlite', path: join(dir, 'bench.db') };
} else {
  opts = { driver: 'postgres', url: PG_URL, schema, poolSize: 4 };
}
const store = await openStore(opts);
try {
  const src = await store.addSource({ url: 'https://bench.example/feed' });
  const items = Array.from({ length: N }, (_, i) => makeArticle(src.id, i, { text: body(i), section: `S${i % 7}` }));

  let t = process.hrtime.bigint();
  for (let i = 0; i < N; i += 100) await store.upsertArticles(items.slice(i, i + 100));
  let d = ms(t);
  console.log(`${driver} ingest ${N} new articles (batches of 100): ${(N / (d / 1000)).toFixed(0)} articles/s`);

  t = process.hrtime.bigint();
  for (let i = 0; i < N; i += 100) await store.upsertArticles(items.slice(i, i + 100));
  d = ms(t);
  console.log(`${driver} re-ingest ${N} known articles (idempotent update): ${(N / (d / 1000)).toFixed(0)} articles/s`);

  const single = Math.min(500, N);
  t = process.hrtime.bigint();
  for (let i = 0; i < single; i++) await store.upsertArticle(makeArticle(src.id, N + i, { text: body(N + i) }));
  d = ms(t);
  console.log(`${driver} ingest ${single} articles one transaction each: ${(single / (d / 1000)).toFixed(0)} articles/s`);

  t = process.hrtime.bigint();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const p = await store.listArticles({ limit: 50, cursor });
    cursor = p.next;
    pages++;
  } while (cursor);
  d = ms(t);
  console.log(`${driver} page through all ${N + single} articles, 50 a page: ${(d / pages).toFixed(2)} ms/page (${pages} pages)`);

  // From common to rare words, a two-word AND, a phrase and a prefix.
  const queries = [VOCAB[20], VOCAB[300], VOCAB[4000], `${VOCAB[100]} ${VOCAB[900]}`, `"${VOCAB[0]} ${VOCAB[1]}"`, `${VOCAB[2000].slice(0, 4)}*`];
  t = process.hrtime.bigint();
  let hits = 0;
  for (let r = 0; r < 3; r++) for (const q of queries) hits += (await store.search(q, { limit: 20 })).hits.length;
  d = ms(t);
  console.log(`${driver} search (20 hits with snippets) over ${N + single} articles: ${(d / (queries.length * 3)).toFixed(1)} ms/query`);
  if (hits === 0) throw new Error('search found nothing');
} finally {
  await store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (driver === 'postgres') {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  }
}
