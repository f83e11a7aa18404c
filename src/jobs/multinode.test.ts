// Analysis shared by several processes on one store. Two apps (two processes' worth of
// state: indexes, lease owner) on one fresh PostgreSQL schema ingest overlapping sources
// from a loopback server at the same time; every article must be analysed exactly once,
// each event told in one story, and copies credited once. Then each app alone ingests more
// of an event the other one started: the stale app must notice (counter) and rebuild.
// Plus, on SQLite: a pass killed before analysis leaves articles pending for the next one.
// PostgreSQL at DIGEST_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/test);
// DIGEST_TEST_PG=off skips the PostgreSQL part.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { loadConfig } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import type { Article } from '../core/types.ts';
import type { Store } from '../store/types.ts';
import { openApp, type App } from '../cli/app.ts';
import { runPass } from './ingest.ts';

const PG_URL = process.env.DIGEST_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const pgOff = process.env.DIGEST_TEST_PG === 'off';

// --- the news: four events, told by several outlets in their own words

const EVENTS: Record<string, { title: string; paras: string[] }[]> = {
  bridge: [
    {
      title: 'Portmere Harbour Bridge reopens after two years of repairs',
      paras: [
        'The Portmere Harbour Bridge reopened to traffic on Thursday after two years of repairs, Mayor Elena Varga said at a ceremony on the eastern span.',
        'Engineers from Calder Works replaced the corroded cables and the deck of the bridge, which carries forty thousand vehicles a day across Portmere Harbour.',
        '"This bridge is the spine of Portmere, and today it stands straight again," Varga said, thanking commuters for their patience.',
        'The repairs cost 310 million, more than the council first planned, after inspectors from Calder Works found damage under the western towers.',
      ],
    },
    {
      title: 'Traffic returns to Portmere Harbour Bridge as repairs end',
      paras: [
        'Cars crossed the Portmere Harbour Bridge again on Thursday as Mayor Elena Varga declared the two-year repair of the harbour crossing complete.',
        'Calder Works, the contractor, said new cables and a new deck would keep the Portmere Harbour Bridge in service for another fifty years.',
        'Varga told reporters the bridge was "the spine of Portmere" and said the city owed its commuters thanks for two years of detours.',
        'The final bill for the Harbour Bridge repairs reached 310 million after Calder Works inspectors found more corrosion under the western towers.',
      ],
    },
    {
      title: 'Mayor Varga opens repaired Harbour Bridge in Portmere',
      paras: [
        'Mayor Elena Varga cut a ribbon on the Portmere Harbour Bridge on Thursday, ending two years of repairs to the city\'s main harbour crossing.',
        'Workers from Calder Works rebuilt the deck and replaced cables on the Harbour Bridge, which forty thousand vehicles use every day in Portmere.',
        'The repairs on the Portmere Harbour Bridge ran over budget at 310 million, Varga said, because of corrosion Calder Works found under the towers.',
        'Commuters who spent two years on detours around Portmere Harbour said they were relieved to see the bridge open again.',
      ],
    },
  ],
  budget: [
    {
      title: 'Lindford council approves budget with new bus lines',
      paras: [
        'The Lindford city council approved its budget on Wednesday by nine votes to four, funding three new bus lines and a rise in library hours.',
        'Councillor Tomas Brandt, who chairs the Lindford finance committee, said the budget kept property taxes flat for a third year.',
        '"Lindford can grow without asking more of its households," Brandt said after the vote in the council chamber.',
        'The opposition group led by Councillor Ines Okafor voted against the Lindford budget, saying the bus lines were underfunded.',
      ],
    },
    {
      title: 'Lindford budget passes, Okafor warns bus plan is underfunded',
      paras: [
        'Councillor Ines Okafor warned on Wednesday that the three new Lindford bus lines were underfunded, after the council passed the budget nine to four.',
        'Finance chair Tomas Brandt defended the Lindford budget, which keeps property taxes flat and extends library hours across the city.',
        'Brandt said Lindford could grow "without asking more of its households" and that the bus lines would start in the spring.',
        'Okafor and three other councillors voted against the budget in the Lindford council chamber.',
      ],
    },
    {
      title: 'Nine to four: Lindford council backs Brandt budget',
      paras: [
        'Lindford councillors voted nine to four on Wednesday for the budget drawn up by finance chair Tomas Brandt, with new bus lines and longer library hours.',
        'The Lindford budget keeps property taxes flat, Brandt said, while Councillor Ines Okafor said the three bus lines lacked money to run.',
        'The vote in the Lindford council chamber ended weeks of debate over the bus lines and the library hours.',
        'Brandt said the first of the new Lindford bus lines would run in the spring.',
      ],
    },
  ],
  storm: [
    {
      title: 'Storm Hale closes schools across the Westcombe coast',
      paras: [
        'Storm Hale closed schools along the Westcombe coast on Tuesday as winds reached 140 kilometres an hour and waves flooded the promenade at Saltby.',
        'The Westcombe county office said 38 schools would stay shut until Wednesday and asked drivers to avoid the coast road between Saltby and Merrow.',
        'Forecasters at the Westcombe weather station said Storm Hale would weaken overnight as it moved north.',
        'Power was cut to 12,000 homes in Saltby and Merrow, the grid operator said.',
      ],
    },
    {
      title: 'Storm Hale floods Saltby promenade, Westcombe schools shut',
      paras: [
        'Waves driven by Storm Hale flooded the Saltby promenade on Tuesday and 38 schools on the Westcombe coast closed for the day.',
        'Winds of 140 kilometres an hour cut power to 12,000 homes in Saltby and Merrow, and the coast road between them was closed.',
        'The Westcombe weather station expects Storm Hale to weaken overnight and move north.',
        'The Westcombe county office said schools would reopen on Wednesday if the coast road was clear.',
      ],
    },
  ],
  fire: [
    {
      title: 'Fire destroys Kestrel Mill warehouse in Dunhaven',
      paras: [
        'A fire destroyed the Kestrel Mill warehouse in Dunhaven overnight on Friday, and 60 firefighters fought the blaze for six hours, the Dunhaven fire service said.',
        'Fire chief Marta Lindqvist said nobody was hurt and that the cause of the Kestrel Mill fire was not yet known.',
        '"The warehouse is lost, but the homes around Kestrel Mill are safe," Lindqvist said on Saturday morning.',
        'Smoke from the Kestrel Mill warehouse could be seen across Dunhaven and residents were told to keep their windows shut.',
      ],
    },
    {
      title: 'Kestrel Mill blaze: Dunhaven fire chief says homes are safe',
      paras: [
        'Dunhaven fire chief Marta Lindqvist said on Saturday that homes near the Kestrel Mill warehouse were safe after a six-hour fight against the blaze.',
        'Sixty firefighters worked through Friday night at Kestrel Mill, where the warehouse was destroyed, Lindqvist said.',
        'The cause of the Dunhaven fire is not yet known and nobody was hurt, the fire service said.',
        'Residents across Dunhaven were asked to keep windows shut because of the smoke from Kestrel Mill.',
      ],
    },
  ],
};

const DATES: Record<string, string> = {
  bridge: '2026-11-26T09:00:00Z',
  budget: '2026-11-25T18:00:00Z',
  storm: '2026-11-24T07:00:00Z',
  fire: '2026-11-27T08:00:00Z',
};

/** Article pages: /a/<outlet>/<event>-<n>; "copy" pages carry another outlet's text word for word. */
interface PageSpec {
  path: string;
  outlet: string;
  event: string;
  version: number;
  /** Minutes after the event's date. */
  minutes: number;
}

const PAGES: PageSpec[] = [
  { path: '/a/courier/bridge', outlet: 'The Courier', event: 'bridge', version: 0, minutes: 0 },
  { path: '/a/herald/bridge', outlet: 'The Herald', event: 'bridge', version: 1, minutes: 20 },
  { path: '/a/gazette/bridge', outlet: 'The Gazette', event: 'bridge', version: 2, minutes: 40 },
  { path: '/a/wire/bridge-copy', outlet: 'Wire Daily', event: 'bridge', version: 0, minutes: 90 },
  { path: '/a/courier/budget', outlet: 'The Courier', event: 'budget', version: 0, minutes: 0 },
  { path: '/a/herald/budget', outlet: 'The Herald', event: 'budget', version: 1, minutes: 15 },
  { path: '/a/wire/budget', outlet: 'Wire Daily', event: 'budget', version: 2, minutes: 30 },
  { path: '/a/gazette/storm', outlet: 'The Gazette', event: 'storm', version: 0, minutes: 0 },
  { path: '/a/wire/storm', outlet: 'Wire Daily', event: 'storm', version: 1, minutes: 25 },
  { path: '/a/gazette/storm-copy', outlet: 'The Gazette', event: 'storm', version: 1, minutes: 80 },
  // Second phase: the fire, first told by one outlet, then by another and copied.
  { path: '/a/herald/fire', outlet: 'The Herald', event: 'fire', version: 0, minutes: 0 },
  { path: '/a/courier/fire', outlet: 'The Courier', event: 'fire', version: 1, minutes: 30 },
  { path: '/a/courier/fire-copy', outlet: 'The Courier', event: 'fire', version: 0, minutes: 60 },
];

const FEEDS: Record<string, string[]> = {
  '/courier.xml': ['/a/courier/bridge', '/a/courier/budget'],
  '/herald.xml': ['/a/herald/bridge', '/a/herald/budget'],
  '/gazette.xml': ['/a/gazette/bridge', '/a/gazette/storm', '/a/gazette/storm-copy'],
  '/wire.xml': ['/a/wire/bridge-copy', '/a/wire/budget', '/a/wire/storm'],
  '/fire-first.xml': ['/a/herald/fire'],
  '/fire-more.xml': ['/a/courier/fire', '/a/courier/fire-copy'],
};

const published = (p: PageSpec) => new Date(Date.parse(DATES[p.event]) + p.minutes * 60_000).toISOString();

function pageHtml(p: PageSpec): string {
  const v = EVENTS[p.event][p.version];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${v.title} | ${p.outlet}</title>
<meta property="og:site_name" content="${p.outlet}"><meta property="article:published_time" content="${published(p)}"></head>
<body><header><nav><a href="/">Home</a></nav></header>
<main><article><h1>${v.title}</h1><p class="byline">By Staff Reporter</p>
${v.paras.map((t) => `<p>${t}</p>`).join('\n')}
</article></main><footer>© ${p.outlet}</footer></body></html>`;
}

let server: http.Server;
let base = '';

function feedXml(path: string): string {
  const items = FEEDS[path].map((a) => PAGES.find((p) => p.path === a)!);
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>${path.slice(1, -4)}</title><link>${base}/</link><description>d</description>
${items.map((p) => `<item><title>${EVENTS[p.event][p.version].title}</title><link>${base}${p.path}</link><guid>${p.path}</guid><pubDate>${new Date(published(p)).toUTCString()}</pubDate></item>`).join('\n')}
</channel></rss>`;
}

before(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/robots.txt') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\n');
    if (FEEDS[url]) return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feedXml(url));
    const p = PAGES.find((x) => x.path === url);
    if (p) return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml(p));
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

/** A logger that keeps debug lines (to count what each app analysed and rebuilt). */
function recordingLogger(): Logger & { lines: { msg: string; fields?: Record<string, unknown> }[] } {
  const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
  const keep = (msg: string, fields?: Record<string, unknown>) => void lines.push({ msg, fields });
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}

const analysedBy = (log: ReturnType<typeof recordingLogger>) =>
  log.lines.filter((l) => l.msg === 'analysis: pending articles analysed').reduce((n, l) => n + Number(l.fields?.articles ?? 0), 0);

function config(dir: string, database: Record<string, unknown>) {
  return loadConfig({
    env: {},
    overrides: {
      dataDir: dir,
      database,
      log: { level: 'debug' },
      fetch: { allowPrivateRanges: ['127.0.0.1/32'], timeoutMs: 3000, connectTimeoutMs: 1000, retries: 0, perHostIntervalMs: 0, perHostConcurrency: 4 },
    },
  } as never);
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

const pathOf = (a: Article) => new URL(a.url).pathname;

/**
 * The analysed state is consistent: no article pending, every article in exactly one live
 * story (the stories' article lists are disjoint), each event's articles in one story and
 * different events in different stories, each copy credited once to its original.
 */
async function assertConsistent(store: Store, events: string[], copies: Record<string, string>): Promise<void> {
  assert.deepEqual(await store.pendingAnalysis(100), [], 'nothing left pending');
  const arts = await allArticles(store);
  const expected = PAGES.filter((p) => events.includes(p.event)).map((p) => p.path).sort();
  assert.deepEqual(arts.map(pathOf).sort(), expected, 'each page stored once');
  for (const a of arts) assert.ok(a.analysedAt, `${pathOf(a)} analysed`);

  const storyOf = new Map<string, number>();
  const stories = (await store.listStories({ limit: 100 })).items;
  for (const s of stories) {
    for (const a of await store.storyArticles(s.id)) {
      assert.ok(!storyOf.has(pathOf(a)), `${pathOf(a)} is in two stories`);
      storyOf.set(pathOf(a), s.id);
    }
  }
  const byEvent = new Map<string, Set<number>>();
  for (const a of arts) {
    const p = PAGES.find((x) => x.path === pathOf(a))!;
    const sid = storyOf.get(p.path);
    assert.ok(sid !== undefined, `${p.path} belongs to a live story`);
    assert.equal((await store.getStory(a.storyId!))?.story.id, sid, `${p.path}: its story id leads to the story listing it`);
    if (!byEvent.has(p.event)) byEvent.set(p.event, new Set());
    byEvent.get(p.event)!.add(sid!);
  }
  for (const [event, ids] of byEvent) assert.equal(ids.size, 1, `${event} is told in one story, not ${ids.size}`);
  assert.equal(new Set([...byEvent.values()].map((s) => [...s][0])).size, byEvent.size, 'different events, different stories');

  const byPath = new Map(arts.map((a) => [pathOf(a), a]));
  for (const a of arts) {
    const original = copies[pathOf(a)];
    if (original) assert.equal(a.duplicateOf, byPath.get(original)!.id, `${pathOf(a)} credited to ${original}`);
    else assert.equal(a.duplicateOf, null, `${pathOf(a)} is no copy`);
  }
}

async function dropSchema(schema: string) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}

test('two processes on one PostgreSQL analyse overlapping sources once and agree on stories and copies', { skip: pgOff ? 'DIGEST_TEST_PG=off' : false }, async () => {
  const schema = `digest_multinode_${process.pid}_${Date.now().toString(36)}`;
  const dir = mkdtempSync(join(tmpdir(), 'digest-multinode-'));
  const logs = [recordingLogger(), recordingLogger()];
  const apps: App[] = [];
  try {
    for (const log of logs) apps.push(await openApp(config(dir, { driver: 'postgres', url: PG_URL, schema }), { log }));
    const [one, two] = apps;
    for (const f of Object.keys(FEEDS)) await one.store.addSource({ url: base + f });
    const sources = await one.store.listSources();
    const src = (...paths: string[]) => paths.map((p) => sources.find((s) => s.url === base + p)!);

    // Phase 1: both at once, sharing two of their sources.
    await Promise.all([
      runPass(one.pipeline, { sources: src('/courier.xml', '/herald.xml', '/gazette.xml') }),
      runPass(two.pipeline, { sources: src('/herald.xml', '/gazette.xml', '/wire.xml') }),
    ]);
    const phase1 = PAGES.filter((p) => p.event !== 'fire').length;
    assert.equal(analysedBy(logs[0]) + analysedBy(logs[1]), phase1, 'every article analysed exactly once between the two');
    await assertConsistent(one.store, ['bridge', 'budget', 'storm'], {
      '/a/wire/bridge-copy': '/a/courier/bridge',
      '/a/gazette/storm-copy': '/a/wire/storm',
    });

    // Phase 2: the second app starts a story; the first, whose indexes predate it, goes on
    // with it. It must see the counter moved, rebuild, and join the story and credit the copy.
    await runPass(two.pipeline, { sources: src('/fire-first.xml') });
    const rebuildsBefore = logs[0].lines.filter((l) => l.msg.startsWith('analysis: another process analysed')).length;
    await runPass(one.pipeline, { sources: src('/fire-more.xml') });
    const rebuilds = logs[0].lines.filter((l) => l.msg.startsWith('analysis: another process analysed')).length - rebuildsBefore;
    assert.equal(rebuilds, 1, 'the first app rebuilt its indexes once');
    assert.equal(analysedBy(logs[0]) + analysedBy(logs[1]), PAGES.length, 'every article analysed exactly once');
    await assertConsistent(two.store, ['bridge', 'budget', 'storm', 'fire'], {
      '/a/wire/bridge-copy': '/a/courier/bridge',
      '/a/gazette/storm-copy': '/a/wire/storm',
      '/a/courier/fire-copy': '/a/herald/fire',
    });
    assert.equal(typeof (await one.store.acquireLease('analysis', 'test', 1)), 'number', 'the lease was released');
  } finally {
    for (const a of apps) await a.close();
    await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a pass killed before analysis leaves its articles pending; the next pass analyses them (SQLite)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'digest-multinode-'));
  try {
    const first = await openApp(config(dir, { driver: 'sqlite', path: 'digest.db' }), { log: recordingLogger() });
    for (const f of ['/courier.xml', '/herald.xml', '/gazette.xml', '/wire.xml']) await first.store.addSource({ url: base + f });
    // The process dies once the articles are stored and before it analyses them: the same
    // pass without its analysis step leaves exactly that state behind.
    await runPass({ ...first.pipeline, analysePending: undefined }, { sources: await first.store.listSources() });
    const pending = await first.store.pendingAnalysis(100);
    assert.equal(pending.length, PAGES.filter((p) => p.event !== 'fire').length);
    assert.ok(pending.every((a) => a.storyId === null && a.duplicateOf === null));
    await first.close();

    // A new process: nothing is due, yet its pass analyses what the dead one left.
    const log = recordingLogger();
    const next = await openApp(config(dir, { driver: 'sqlite', path: 'digest.db' }), { log });
    try {
      const s = await runPass(next.pipeline, { sources: [] });
      assert.equal(s.sources, 0);
      assert.equal(analysedBy(log), pending.length);
      await assertConsistent(next.store, ['bridge', 'budget', 'storm'], {
        '/a/wire/bridge-copy': '/a/courier/bridge',
        '/a/gazette/storm-copy': '/a/wire/storm',
      });
      // Nothing is analysed twice.
      await runPass(next.pipeline, { sources: [] });
      assert.equal(analysedBy(log), pending.length);
    } finally {
      await next.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
