// A `digest fetch` killed with SIGKILL (once while fetching, once while analysing) is resumed
// by the next one: real child processes against a loopback site of slow pages. The next
// process must start fetching within 5 s (the dead one's claims and lease do not block it),
// and when it is done every item of every feed is stored exactly once and analysed, and no
// source is left claimed. Claims and the analysis lease are shortened through the config file
// (schedule.claimSec / analysisLeaseSec) so that the claims the dead processes left run out
// within the test's time; the first-request times do not depend on them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { openStore } from '../src/store/index.ts';
import type { Store } from '../src/store/types.ts';
import type { Article } from '../src/core/types.ts';

const BIN = new URL('../bin/digest.js', import.meta.url).pathname;
const FEEDS = 24;
const ITEMS = 4;
/** Every article page answers after this long, so a pass takes several seconds. */
const PAGE_DELAY_MS = 350;
const CLAIM_SEC = 6;
const LEASE_SEC = 4;

let server: http.Server;
let base = '';
let dir = '';
const requests: { at: number; path: string }[] = [];

// --- the site: FEEDS outlets with ITEMS articles each, every text its own.

const PLACES = ['Portmere', 'Lindford', 'Saltby', 'Merrow', 'Dunhaven', 'Westcombe', 'Ashgrove', 'Brindle', 'Corran', 'Elmstead', 'Farrow', 'Glenmoor', 'Hartwell', 'Ivybridge', 'Juniper Bay', 'Kelso'];
const WHO = ['the council', 'the harbour authority', 'the school board', 'local farmers', 'the fire service', 'the water company', 'the rail operator', 'the hospital trust', 'shop owners', 'the police', 'the university', 'the museum'];
const DID = ['approved a plan for', 'postponed a vote on', 'published a report on', 'asked for money for', 'opened an inquiry into', 'announced cuts to', 'signed a contract for', 'held a meeting about'];
const WHAT = ['a new bridge', 'flood defences', 'the bus network', 'a recycling centre', 'the old mill', 'summer concerts', 'a cycle path', 'the market square', 'winter shelters', 'the lifeboat station', 'school meals', 'street lighting'];
const FIRST = ['Elena', 'Tomas', 'Ines', 'Marta', 'Oskar', 'Priya', 'Jonas', 'Leila', 'Viktor', 'Amara', 'Felix', 'Nadia'];
const LAST = ['Varga', 'Brandt', 'Okafor', 'Lindqvist', 'Moreau', 'Haddad', 'Kowalski', 'Ferreira', 'Nakamura', 'Osei', 'Petrov', 'Quinn'];

function rng(seed: number) {
  let x = seed * 2654435761 + 1;
  return (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
}

function article(feed: number, item: number) {
  const r = rng(feed * 100 + item + 7);
  const place = PLACES[(feed + item * 3) % PLACES.length];
  const who = WHO[(feed * 5 + item) % WHO.length];
  const what = WHAT[(feed * 7 + item * 5) % WHAT.length];
  const person = `${FIRST[(feed + item) % FIRST.length]} ${LAST[(feed * 3 + item * 7) % LAST.length]}`;
  const title = `${place}: ${who} ${DID[(feed + item * 2) % DID.length]} ${what} (${feed}-${item})`;
  const sentence = () =>
    `${WHO[r(WHO.length)]} in ${PLACES[r(PLACES.length)]} ${DID[r(DID.length)]} ${WHAT[r(WHAT.length)]} after ${2 + r(40)} residents wrote in, ${FIRST[r(FIRST.length)]} ${LAST[r(LAST.length)]} said.`;
  const paras = [
    `${person} said on ${['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'][item % 5]} that ${who} in ${place} had ${DID[(feed + item) % DID.length]} ${what}, report ${feed}-${item}.`,
    ...Array.from({ length: 4 }, () => `${sentence()} ${sentence()} ${sentence()}`.replace(/^./, (c) => c.toUpperCase())),
  ];
  const published = new Date(Date.now() - (feed * ITEMS + item) * 600_000).toISOString();
  return { path: `/a/${feed}/${item}`, title, paras, published };
}

const ARTICLES = Array.from({ length: FEEDS }, (_, f) => Array.from({ length: ITEMS }, (_, i) => article(f, i)));

function feedXml(f: number): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Outlet ${f}</title><link>${base}/</link><description>d</description>
${ARTICLES[f].map((a) => `<item><title>${a.title}</title><link>${base}${a.path}</link><guid>${a.path}</guid><pubDate>${new Date(a.published).toUTCString()}</pubDate></item>`).join('\n')}
</channel></rss>`;
}

function pageHtml(a: (typeof ARTICLES)[number][number], f: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${a.title} | Outlet ${f}</title>
<meta property="og:site_name" content="Outlet ${f}"><meta property="article:published_time" content="${a.published}"></head>
<body><main><article><h1>${a.title}</h1>${a.paras.map((p) => `<p>${p}</p>`).join('\n')}</article></main></body></html>`;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'digest-restart-'));
  server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ at: Date.now(), path });
    if (path === '/robots.txt') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\n');
    let m = /^\/feed\/(\d+)\.xml$/.exec(path);
    if (m && Number(m[1]) < FEEDS) return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feedXml(Number(m[1])));
    m = /^\/a\/(\d+)\/(\d+)$/.exec(path);
    const a = m ? ARTICLES[Number(m[1])]?.[Number(m[2])] : undefined;
    if (a) {
      const t = setTimeout(() => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml(a, Number(m![1]))), PAGE_DELAY_MS);
      res.on('close', () => clearTimeout(t));
      return;
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      fetch: { perHostConcurrency: 8, perHostIntervalMs: 0, retries: 0, timeoutMs: 5000 },
      schedule: { claimSec: CLAIM_SEC, analysisLeaseSec: LEASE_SEC },
    }),
  );
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  started: number;
  stderr: string[];
  exited: Promise<number | null>;
}

function digest(args: string[]): Run {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      ...process.env,
      DIGEST_DATA_DIR: join(dir, 'data'),
      DIGEST_CONFIG: join(dir, 'config.json'),
      DIGEST_FETCH_ALLOW_PRIVATE: '127.0.0.1/32,::1/128',
      DIGEST_LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  let partial = '';
  child.stderr!.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    stderr.push(...lines);
  });
  child.stdout!.resume();
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, started, stderr, exited };
}

const pagesSince = (t: number) => requests.filter((r) => r.at >= t && r.path.startsWith('/a/'));
const feedsSince = (t: number) => requests.filter((r) => r.at >= t && r.path.startsWith('/feed/'));

async function until(what: string, cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** How long after its start the process made its first request, and its first article page request. */
function firstRequests(run: Run) {
  const any = requests.find((r) => r.at >= run.started && r.path !== '/robots.txt');
  const page = pagesSince(run.started)[0];
  return { any: any ? any.at - run.started : Infinity, page: page ? page.at - run.started : Infinity };
}

async function withStore<T>(fn: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore({ driver: 'sqlite', path: join(dir, 'data', 'digest.db') });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

async function allArticles(store: Store): Promise<Article[]> {
  const out: Article[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listArticles({ limit: 500, cursor });
    out.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return out;
}

test('digest fetch killed while fetching and while analysing: the next one starts within 5 s and loses nothing', { timeout: 60_000 }, async (t) => {
  const t0 = Date.now();
  await withStore(async (s) => {
    for (let f = 0; f < FEEDS; f++) await s.addSource({ url: `${base}/feed/${f}.xml`, title: `Outlet ${f}` });
  });

  // --- 1: killed while fetching, after a dozen pages.
  const one = digest(['fetch']);
  await until('the first pass to fetch pages', () => pagesSince(one.started).length >= 12, 20_000);
  one.child.kill('SIGKILL');
  await one.exited;
  const afterOne = await withStore(async (s) => ({ stored: await s.countArticles(), sources: await s.listSources() }));
  const claimedByOne = afterOne.sources.filter((s) => s.nextDueAt && !s.lastFetchedAt).length;
  assert.ok(claimedByOne > 0, 'the dead pass left claimed sources');
  assert.ok(afterOne.stored < FEEDS * ITEMS, 'killed before it stored everything');

  // --- 2: starts fetching at once; killed while it holds the analysis lease and analyses a batch.
  const two = digest(['fetch']);
  await until(
    'the second pass to analyse a batch',
    () => two.stderr.some((l) => /analysis: batch articles=([3-9]|\d\d)/.test(l)),
    25_000,
  );
  two.child.kill('SIGKILL');
  await two.exited;
  const firstTwo = firstRequests(two);
  const afterTwo = await withStore(async (s) => ({
    pending: (await s.pendingAnalysis(1000)).length,
    leaseHeld: (await s.acquireLease('analysis', 'test-probe', 1)) === null,
    sources: await s.listSources(),
  }));
  assert.ok(afterTwo.leaseHeld, 'the second pass was killed holding the analysis lease');
  assert.ok(afterTwo.pending > 0, 'it left articles pending');
  // Some are due (nobody claimed them); those the two dead processes had in flight stay
  // claimed until their claims run out (claimSec).
  const dueNow = afterTwo.sources.filter((s) => !s.nextDueAt || Date.parse(s.nextDueAt) <= Date.now());
  assert.ok(dueNow.length > 0, 'sources were left to fetch');
  assert.ok(afterTwo.sources.some((s) => !s.lastFetchedAt && s.nextDueAt && Date.parse(s.nextDueAt) > Date.now()), 'and some were left claimed');

  // --- 3: starts fetching at once again, and finishes everything.
  const three = digest(['fetch']);
  const code = await three.exited;
  const firstThree = firstRequests(three);
  assert.equal(code, 0, three.stderr.join('\n'));
  const elapsedThree = Date.now() - three.started;

  const passStart = (r: Run) => {
    const l = r.stderr.find((x) => x.includes('fetch pass started'));
    return l ? Date.parse(l.slice(0, 24)) - r.started : NaN;
  };
  const warm = (r: Run) => r.stderr.find((x) => x.includes('analysers warm'))?.replace(/^.*analysers warm /, '') ?? '-';
  t.diagnostic(`pass started ${passStart(two)} / ${passStart(three)} ms after spawn; warm ${warm(two)} / ${warm(three)}`);
  t.diagnostic(`restart: first request ${firstTwo.any} / ${firstThree.any} ms after start, first page ${firstTwo.page} / ${firstThree.page} ms`);
  for (const [name, f] of [['second', firstTwo], ['third', firstThree]] as const) {
    assert.ok(f.any < 5000, `the ${name} fetch made its first request ${f.any} ms after it started`);
    assert.ok(f.page < 5000, `the ${name} fetch requested its first page ${f.page} ms after it started`);
  }
  assert.ok(feedsSince(three.started).length > 0);

  await withStore(async (s) => {
    const arts = await allArticles(s);
    const paths = arts.map((a) => new URL(a.url).pathname).sort();
    const expected = ARTICLES.flat().map((a) => a.path).sort();
    assert.deepEqual(paths, expected, 'every item of every feed is stored exactly once');
    assert.deepEqual(await s.pendingAnalysis(1000), [], 'nothing left pending');
    for (const a of arts) assert.ok(a.analysedAt, `${a.url} analysed`);
    assert.deepEqual(await s.analysisFailures(), []);
    const now = Date.now();
    for (const src of await s.listSources()) {
      assert.ok(src.lastFetchedAt, `${src.url} fetched`);
      assert.equal(src.lastError, null, `${src.url}: ${src.lastError}`);
      // Scheduled by its fetch (interval after the last fetch), not left claimed.
      const due = Date.parse(src.nextDueAt!);
      assert.ok(Math.abs(due - (Date.parse(src.lastFetchedAt!) + src.intervalSec * 1000)) < 2000, `${src.url} is scheduled, not claimed (due ${src.nextDueAt})`);
      assert.ok(due > now + 60_000, `${src.url} is due again later, by its schedule`);
    }
    assert.ok((await s.acquireLease('analysis', 'test-probe-2', 1)) !== null, 'the analysis lease is free');
  });
  t.diagnostic(`last fetch ${elapsedThree} ms; total ${Date.now() - t0} ms`);
});
