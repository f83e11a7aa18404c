// Analysing an article is one unit of work, on both dialects. A failure injected half-way
// through an article's writes (after its copy, story and people were written in the
// transaction) must leave no row behind and no trace in the analysers' memory; the article
// stays pending with its attempt and error, the rest of the batch is analysed, the next pass
// analyses it as a clean run would, and after MAX_ANALYSIS_ATTEMPTS it is given up and shown
// on its source's page. A holder that lost the lease writes nothing.
// PostgreSQL at DIGEST_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/test);
// DIGEST_TEST_PG=off skips the PostgreSQL runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import type { Article, NewArticle } from '../core/types.ts';
import type { Logger } from '../core/log.ts';
import { createWebApp } from '../web/index.ts';
import { createAnalysers, MAX_ANALYSIS_ATTEMPTS } from './analyse.ts';

const BIN = new URL('../../bin/digest.js', import.meta.url).pathname;
const PG_URL = process.env.DIGEST_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const pgOff = process.env.DIGEST_TEST_PG === 'off';

type Dialect = 'sqlite' | 'postgres';

/** A fresh store of the dialect (SQLite file or PostgreSQL schema), removed afterwards. */
async function withStore(dialect: Dialect, fn: (open: () => Promise<Store>, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'digest-unit-'));
  const schema = `digest_unit_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const opened: Store[] = [];
  const open = async () => {
    const s = dialect === 'sqlite' ? await openStore({ driver: 'sqlite', path: join(dir, 'd.db') }) : await openStore({ driver: 'postgres', url: PG_URL, schema });
    opened.push(s);
    return s;
  };
  try {
    await fn(open, dir);
  } finally {
    for (const s of opened) await s.close().catch(() => {});
    if (dialect === 'postgres') {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end());
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The store as the analysers see it, with failures injected into the writes made inside
 * transactions: `failOn(method, articleId)` says whether that write throws. Every method
 * called on a transaction is recorded, so the test can tell how far an article got.
 */
function injecting(store: Store, failOn: (method: string, articleId: number) => boolean) {
  const calls: { method: string; articleId: number | null }[][] = [];
  const wrapTx = (tx: Store, log: { method: string; articleId: number | null }[]): Store =>
    new Proxy(tx, {
      get(t, k) {
        const v = Reflect.get(t, k) as unknown;
        if (typeof v !== 'function') return v;
        if (k === 'transaction') return <T>(fn: (inner: Store) => Promise<T>) => t.transaction((inner) => fn(wrapTx(inner, log)));
        return (...args: unknown[]) => {
          const articleId = typeof args[0] === 'number' ? args[0] : null;
          log.push({ method: String(k), articleId });
          if (articleId !== null && failOn(String(k), articleId)) throw new Error(`injected: ${String(k)} failed for article ${articleId}`);
          return (v as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  const wrapped = new Proxy(store, {
    get(t, k) {
      const v = Reflect.get(t, k) as unknown;
      if (k === 'transaction') {
        return <T>(fn: (tx: Store) => Promise<T>) =>
          t.transaction((tx) => {
            const log: { method: string; articleId: number | null }[] = [];
            calls.push(log);
            return fn(wrapTx(tx, log));
          });
      }
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
  return { store: wrapped, calls };
}

function recordingLogger(): Logger & { lines: { level: string; msg: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

// --- the news: a bridge reopening (two outlets and a republished copy), a council budget (two outlets)

const BRIDGE = [
  {
    title: 'Portmere Harbour Bridge reopens after two years of repairs',
    text: `The Portmere Harbour Bridge reopened to traffic on Thursday after two years of repairs, Mayor Elena Varga said at a ceremony on the eastern span.
Engineers from Calder Works replaced the corroded cables and the deck of the bridge, which carries forty thousand vehicles a day across Portmere Harbour.
"This bridge is the spine of Portmere, and today it stands straight again," Varga said, thanking commuters for their patience.
The repairs cost 310 million, more than the council first planned, after inspectors from Calder Works found damage under the western towers.`,
  },
  {
    title: 'Traffic returns to Portmere Harbour Bridge as repairs end',
    text: `Cars crossed the Portmere Harbour Bridge again on Thursday as Mayor Elena Varga declared the two-year repair of the harbour crossing complete.
Calder Works, the contractor, said new cables and a new deck would keep the Portmere Harbour Bridge in service for another fifty years.
Varga told reporters the bridge was "the spine of Portmere" and said the city owed its commuters thanks for two years of detours.
The final bill for the Harbour Bridge repairs reached 310 million after Calder Works inspectors found more corrosion under the western towers.`,
  },
];
const BUDGET = [
  {
    title: 'Lindford council approves budget with new bus lines',
    text: `The Lindford city council approved its budget on Wednesday by nine votes to four, funding three new bus lines and a rise in library hours.
Councillor Tomas Brandt, who chairs the Lindford finance committee, said the budget kept property taxes flat for a third year.
"Lindford can grow without asking more of its households," Brandt said after the vote in the council chamber.
The opposition group led by Councillor Ines Okafor voted against the Lindford budget, saying the bus lines were underfunded.`,
  },
  {
    title: 'Lindford budget passes, Okafor warns bus plan is underfunded',
    text: `Councillor Ines Okafor warned on Wednesday that the three new Lindford bus lines were underfunded, after the council passed the budget nine to four.
Finance chair Tomas Brandt defended the Lindford budget, which keeps property taxes flat and extends library hours across the city.
Brandt said Lindford could grow "without asking more of its households" and that the bus lines would start in the spring.
Okafor and three other councillors voted against the budget in the Lindford council chamber.`,
  },
];

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

function rec(sourceId: number, slug: string, title: string, text: string, published: string): NewArticle {
  return {
    sourceId,
    url: `https://outlet${sourceId}.example/${slug}`,
    canonicalUrl: null,
    guid: slug,
    title,
    byline: null,
    published,
    publishedIsFallback: false,
    fetchedAt: published,
    text,
    html: '',
    summary: null,
    leadImage: null,
    siteName: null,
    section: null,
    lang: 'en',
    extractedFrom: 'page',
    extractionMethod: 'dom',
    extractionError: null,
  };
}

/** Sources and the batch, stored pending in id order: A, B (bridge), X (a copy of A), Y, C (budget). */
async function seed(store: Store) {
  const courier = await store.addSource({ url: 'https://outlet1.example/feed', title: 'The Courier' });
  const herald = await store.addSource({ url: 'https://outlet2.example/feed', title: 'The Herald' });
  const relay = await store.addSource({ url: 'https://outlet3.example/feed', title: 'Daily Relay' });
  const put = async (r: NewArticle) => (await store.upsertArticle(r)).article;
  const A = await put(rec(courier.id, 'bridge', BRIDGE[0].title, BRIDGE[0].text, hoursAgo(10)));
  const B = await put(rec(herald.id, 'bridge', BRIDGE[1].title, BRIDGE[1].text, hoursAgo(9.7)));
  const X = await put(rec(relay.id, 'bridge-copy', `${BRIDGE[0].title} | World News`, `Daily Relay - a story for you\n\n${BRIDGE[0].text}\n\nSource link`, hoursAgo(8)));
  const Y = await put(rec(courier.id, 'budget', BUDGET[0].title, BUDGET[0].text, hoursAgo(20)));
  const C = await put(rec(herald.id, 'budget', BUDGET[1].title, BUDGET[1].text, hoursAgo(19.7)));
  return { sources: { courier, herald, relay }, A, B, X, Y, C };
}

const get = async (store: Store, a: Article) => (await store.getArticle(a.id))!;
const mentions = async (store: Store, name: string) => ((await store.listEntity(name))?.articles ?? []).map((a) => a.id);

/** The analysed outcome in terms a clean run can be compared with (URLs, not ids). */
async function outcome(store: Store, articles: Article[]) {
  const byId = new Map<number, string>();
  for (const a of articles) byId.set(a.id, a.url);
  const rows = await Promise.all(articles.map((a) => get(store, a)));
  const storyOf = new Map<string, string[]>();
  for (const r of rows) {
    if (r.storyId === null) continue;
    const live = (await store.getStory(r.storyId))!.story;
    storyOf.set(r.url, (await store.storyArticles(live.id)).map((a) => a.url).sort());
  }
  const quotes = new Map<string, string[]>();
  for (const r of rows) quotes.set(r.url, (await store.quotesForArticle(r.id)).map((q) => `${q.speaker}: ${q.quote}`));
  return rows.map((r) => ({
    url: r.url,
    analysed: !!r.analysedAt,
    copyOf: r.duplicateOf === null ? null : byId.get(r.duplicateOf),
    story: storyOf.get(r.url) ?? null,
    quotes: quotes.get(r.url),
  }));
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  const skip = dialect === 'postgres' && pgOff ? 'DIGEST_TEST_PG=off' : false;

  test(`${dialect}: an article whose analysis fails half-way leaves nothing behind, is retried, and is given up after ${MAX_ANALYSIS_ATTEMPTS} attempts`, { skip }, async () => {
    await withStore(dialect, async (open, dir) => {
      const base = await open();
      const { sources, A, B, X, Y, C } = await seed(base);
      // X (a copy of A) fails at its last write, once; Y (the first of the budget story) fails
      // at its entities on every attempt.
      let failX = true;
      const { store, calls } = injecting(base, (m, id) => (failX && id === X.id && m === 'replaceArticleQuotes') || (id === Y.id && m === 'replaceArticleEntities'));
      const log = recordingLogger();
      const an = await createAnalysers(store, log, { retryDelayMs: 0 });

      // --- pass 1: one batch; X and Y fail, A, B and C are analysed.
      assert.equal(await an.analysePending(), 3);
      // Each article is one transaction; those naming an article are its attempts.
      const attemptOf = (id: number) => calls.filter((c) => c.some((x) => x.articleId === id));
      // X really got half-way: its copy, story and people were written before the failure.
      const xTx = attemptOf(X.id)[0].map((c) => c.method);
      for (const m of ['assertLease', 'setDuplicateOf', 'setStory', 'recountStory', 'upsertPerson', 'replaceArticleEntities', 'replaceArticleQuotes']) assert.ok(xTx.includes(m), `X's transaction called ${m} (${xTx.join(', ')})`);
      assert.ok(!xTx.includes('markAnalysed'));
      const yTx = attemptOf(Y.id)[0].map((c) => c.method);
      for (const m of ['createStory', 'setStory', 'recountStory', 'upsertPerson']) assert.ok(yTx.includes(m), `Y's transaction called ${m} (${yTx.join(', ')})`);

      const x1 = await get(base, X);
      assert.equal(x1.analysedAt ?? null, null, 'X is still pending');
      assert.equal(x1.duplicateOf, null, 'no duplicate_of');
      assert.equal(x1.storyId, null, 'no story');
      assert.deepEqual(await base.quotesForArticle(X.id), [], 'no quotes');
      assert.ok(!(await mentions(base, 'Elena Varga')).includes(X.id), 'no entities');
      assert.ok((await mentions(base, 'Elena Varga')).includes(A.id), 'A has its entities');
      assert.equal(x1.analysisAttempts, 1);
      assert.match(x1.analysisError ?? '', /injected: replaceArticleQuotes failed for article/);
      const y1 = await get(base, Y);
      assert.equal(y1.storyId, null);
      assert.equal(y1.analysisAttempts, 1);
      assert.match(y1.analysisError ?? '', /injected: replaceArticleEntities failed/);
      assert.deepEqual(await base.quotesForArticle(Y.id), []);

      const [a1, b1, c1] = [await get(base, A), await get(base, B), await get(base, C)];
      for (const a of [a1, b1, c1]) assert.ok(a.analysedAt, `${a.url} analysed`);
      assert.ok(a1.storyId !== null && a1.storyId === b1.storyId, 'A and B make one story');
      const bridge = (await base.getStory(a1.storyId!))!.story;
      assert.equal(bridge.articleCount, 2, 'story counts unchanged by X');
      assert.equal(bridge.sourceCount, 2);
      // Y's story was rolled back and forgotten: C started the budget story on its own.
      const stories = (await base.listStories({ limit: 10 })).items;
      assert.equal(stories.length, 2, `two stories, not ${stories.map((s) => s.title).join(' / ')}`);
      const budget = (await base.getStory(c1.storyId!))!.story;
      assert.notEqual(budget.id, bridge.id);
      assert.equal(budget.articleCount, 1);
      assert.equal(budget.sourceCount, 1);
      assert.ok(!(budget.summary ?? '').includes('nine votes to four'), 'the story knows nothing of Y');
      assert.notEqual(budget.title, BUDGET[0].title);
      assert.deepEqual((await base.pendingAnalysis(10)).map((a) => a.id), [X.id, Y.id]);

      const warns = log.lines.filter((l) => l.level === 'warn' && l.msg.startsWith('analysis failed'));
      assert.ok(warns.some((w) => w.fields?.url === X.url && w.fields?.source === 'Daily Relay'), 'the warning names the URL and the source');

      // --- pass 2: X no longer fails and is analysed as a clean run would; Y fails again.
      failX = false;
      assert.equal(await an.analysePending(), 1);
      const x2 = await get(base, X);
      assert.ok(x2.analysedAt);
      assert.equal(x2.duplicateOf, A.id, 'X is credited to A');
      assert.equal(x2.storyId, a1.storyId);
      assert.equal(x2.analysisError ?? null, null, 'the error is cleared');
      assert.equal((await base.getStory(a1.storyId!))!.story.articleCount, 3);
      assert.ok((await mentions(base, 'Elena Varga')).includes(X.id));
      assert.equal((await get(base, Y)).analysisAttempts, 2);

      // --- passes 3 to 5: Y fails each time; then it is given up.
      for (let i = 3; i <= MAX_ANALYSIS_ATTEMPTS; i++) {
        assert.equal(await an.analysePending(), 0);
        assert.equal((await get(base, Y)).analysisAttempts, i);
      }
      const tries = () => calls.filter((c) => c.some((x) => x.articleId === Y.id && x.method === 'replaceArticleEntities')).length;
      assert.equal(tries(), MAX_ANALYSIS_ATTEMPTS);
      assert.equal(await an.analysePending(), 0);
      assert.equal(tries(), MAX_ANALYSIS_ATTEMPTS, 'not tried a sixth time');
      assert.deepEqual(await base.pendingAnalysis(10), [], 'no longer pending for analysis');
      const failures = await base.analysisFailures();
      assert.equal(failures.length, 1);
      assert.equal(failures[0].articleId, Y.id);
      assert.equal(failures[0].sourceId, sources.courier.id);
      assert.equal(failures[0].attempts, MAX_ANALYSIS_ATTEMPTS);
      assert.match(failures[0].error, /injected: replaceArticleEntities failed/);
      assert.deepEqual(await base.analysisFailures({ sourceId: sources.herald.id }), []);

      // The source page and the sources page show it.
      const web = await createWebApp({ store: base, timeZone: 'UTC' }).listen(0, '127.0.0.1');
      try {
        const page = await (await fetch(`${web.url}/sources/${sources.courier.id}`)).text();
        assert.match(page, /Articles that could not be analysed/);
        assert.ok(page.includes(`href="/articles/${Y.id}"`), 'the failed article is linked');
        assert.match(page, new RegExp(`Given up after ${MAX_ANALYSIS_ATTEMPTS} attempts`));
        assert.match(page, /injected: replaceArticleEntities failed/);
        assert.doesNotMatch(await (await fetch(`${web.url}/sources/${sources.herald.id}`)).text(), /could not be analysed/);
        const list = await (await fetch(`${web.url}/sources`)).text();
        assert.match(list, /Analysis failed<\/strong> for 1 article/);
      } finally {
        await web.close();
      }
      if (dialect === 'sqlite') {
        // `digest sources` lists it under the table, with its source, URL, attempts and error.
        const out = await new Promise<string>((resolve, reject) => {
          const p = spawn(process.execPath, [BIN, 'sources'], { env: { ...process.env, DIGEST_DATA_DIR: dir, DIGEST_DATABASE_PATH: 'd.db' }, stdio: ['ignore', 'pipe', 'pipe'] });
          let o = '';
          p.stdout.on('data', (d) => (o += d));
          p.on('error', reject);
          p.on('close', (code) => (code === 0 ? resolve(o) : reject(new Error(`digest sources exited ${code}`))));
        });
        assert.match(out, /articles whose analysis failed \(1\):/);
        assert.ok(out.includes(`#${sources.courier.id} The Courier: ${Y.url} (given up after ${MAX_ANALYSIS_ATTEMPTS} attempts): injected: replaceArticleEntities failed`), out);
      }
      await an.close();

      // --- a clean run of the same articles gives X the same copy, story and quotes.
      await withStore(dialect, async (openClean) => {
        const clean = await openClean();
        const s = await seed(clean);
        const an2 = await createAnalysers(clean, recordingLogger());
        assert.equal(await an2.analysePending(), 5);
        await an2.close();
        assert.deepEqual(await outcome(base, [A, B, X]), await outcome(clean, [s.A, s.B, s.X]));
      });
    });
  });

  test(`${dialect}: a holder that lost the analysis lease writes nothing and stops`, { skip }, async () => {
    await withStore(dialect, async (open) => {
      const base = await open();
      const { A, B } = await seed(base);
      // Before its first transaction, this holder stalls past its lease (no heartbeat) and
      // another process takes the lease over.
      let stalled = false;
      const wrapped = new Proxy(base, {
        get(t, k) {
          const v = Reflect.get(t, k) as unknown;
          if (k === 'transaction') {
            return async <T>(fn: (tx: Store) => Promise<T>) => {
              if (!stalled) {
                stalled = true;
                await new Promise((r) => setTimeout(r, 2500));
                assert.ok((await base.acquireLease('analysis', 'intruder', 60)) !== null, 'the expired lease is taken over');
              }
              return t.transaction(fn);
            };
          }
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
        },
      });
      const log = recordingLogger();
      const an = await createAnalysers(wrapped, log, { leaseSec: 1, heartbeatMs: 60_000 });
      assert.equal(await an.analysePending(), 0, 'nothing analysed');
      assert.ok(log.lines.some((l) => l.msg.startsWith('analysis: the lease was lost')));
      const a = await get(base, A);
      assert.equal(a.analysedAt ?? null, null);
      assert.equal(a.storyId, null);
      assert.equal(a.analysisAttempts ?? 0, 0, 'a lost lease is not the article’s failure');
      assert.equal((await base.listStories({ limit: 10 })).items.length, 0);
      assert.equal((await base.pendingAnalysis(10)).length, 5);
      // The intruder still holds it: the stalled process does not get it back.
      assert.equal(await an.analysePending(), 0);
      await base.releaseLease('analysis', 'intruder');
      assert.equal(await an.analysePending(), 5);
      assert.ok((await get(base, B)).analysedAt);
      await an.close();
    });
  });

  test(`${dialect}: the analysis lease is renewed while a drain outlasts it`, { skip }, async () => {
    await withStore(dialect, async (open) => {
      const base = await open();
      await seed(base);
      // Each transaction is slowed so the drain takes about three lease lengths.
      const wrapped = new Proxy(base, {
        get(t, k) {
          const v = Reflect.get(t, k) as unknown;
          if (k === 'transaction') {
            return async <T>(fn: (tx: Store) => Promise<T>) => {
              await new Promise((r) => setTimeout(r, 600));
              return t.transaction(fn);
            };
          }
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
        },
      });
      const an = await createAnalysers(wrapped, recordingLogger(), { leaseSec: 1 });
      const other = await open();
      // Another process tries to take the lease all along (from once the drain has it); the
      // times its tries succeeded.
      const won: number[] = [];
      const tries: Promise<unknown>[] = [];
      let probe: NodeJS.Timeout | undefined;
      const started = Date.now();
      const drained = an.analysePending();
      const kickoff = setTimeout(() => {
        probe = setInterval(() => {
          const t0 = Date.now();
          tries.push(
            other.acquireLease('analysis', 'other', 1).then(async (t) => {
              if (t === null) return;
              won.push(t0);
              await other.releaseLease('analysis', 'other');
            }),
          );
        }, 150);
      }, 300);
      let ended = 0;
      try {
        assert.equal(await drained, 5);
        ended = Date.now();
      } finally {
        clearTimeout(kickoff);
        clearInterval(probe);
        await Promise.all(tries);
      }
      assert.ok(ended - started > 2500, `the drain outlasted the lease (${ended - started} ms)`);
      const during = won.filter((t) => t < ended - 200);
      assert.deepEqual(during, [], 'nobody else got the lease while the holder worked');
      await an.close();
    });
  });
}
