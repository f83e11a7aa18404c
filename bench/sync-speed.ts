// Speed of the Google Reader API on a large store: 100,000 articles over 20 sources, one user
// following them all; p50/p99 of stream/items/ids (n=10000) and stream/items/contents (150 ids)
// over HTTP on loopback. Run: npx tsx bench/sync-speed.ts [articles] [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/index.ts';
import { addUser, createAppPassword } from '../src/accounts/index.ts';
import { createWebApp } from '../src/web/index.ts';
import { makeArticle } from '../test/store/contract-data.ts';

const N = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 50);
const dir = mkdtempSync(join(tmpdir(), 'digest-sync-speed-'));
const store = await openStore({ driver: 'sqlite', path: join(dir, 'd.db') });
const user = await addUser(store, 'bench', 'bench password');
const { secret } = await createAppPassword(store, user.id, 'bench');
const t0 = Date.now();
const sources: number[] = [];
for (let i = 0; i < 20; i++) sources.push((await store.addSource({ url: `https://s${i}.example/feed`, title: `Source ${i}` })).id);
for (let b = 0; b < N; b += 1000) {
  await store.transaction(async (t) => {
    for (let i = b; i < Math.min(N, b + 1000); i++) {
      const src = sources[i % sources.length];
      await t.upsertArticle(makeArticle(src, i, { fetchedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), html: `<p>Article ${i} body text.</p>`.repeat(8) }));
    }
  });
}
for (const s of sources) await store.subscribe(user.id, s, { folder: `F${s % 4}` });
process.stderr.write(`store: ${N} articles in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
const srv = await createWebApp({ store }).listen(0);
const login = await fetch(`${srv.url}/accounts/ClientLogin`, { method: 'POST', body: new URLSearchParams({ Email: 'bench', Passwd: secret }) });
const auth = /Auth=(\S+)/.exec(await login.text())![1];
const headers = { authorization: `GoogleLogin auth=${auth}` };
const ids: string[] = (await (await fetch(`${srv.url}/reader/api/0/stream/items/ids?n=10000&s=user/-/state/com.google/reading-list`, { headers })).json()).itemRefs.map((r: { id: string }) => r.id);

async function time(fn: () => Promise<void>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const s = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length * 0.5)], p99: ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.99) - 1)] };
}
let k = 0;
const idsTime = await time(async () => {
  const r = await fetch(`${srv.url}/reader/api/0/stream/items/ids?n=10000&output=json&s=user/-/state/com.google/reading-list`, { headers });
  const j = await r.json();
  if (j.itemRefs.length !== Math.min(10000, N)) throw new Error(`got ${j.itemRefs.length} ids`);
});
const contentsTime = await time(async () => {
  const batch = ids.slice((k * 150) % (ids.length - 150), ((k++ * 150) % (ids.length - 150)) + 150);
  const body = batch.map((i) => `i=${i}`).join('&');
  const r = await fetch(`${srv.url}/reader/api/0/stream/items/contents`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: `T=&output=json&${body}` });
  const j = await r.json();
  if (j.items.length !== 150) throw new Error(`got ${j.items.length} items`);
});
const f = (x: number) => x.toFixed(1);
process.stdout.write(`articles ${N}, rounds ${ROUNDS}\nstream/items/ids n=10000: p50 ${f(idsTime.p50)} ms, p99 ${f(idsTime.p99)} ms\nstream/items/contents 150: p50 ${f(contentsTime.p50)} ms, p99 ${f(contentsTime.p99)} ms\n`);
await srv.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
