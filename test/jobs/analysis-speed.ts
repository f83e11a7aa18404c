// Analysis throughput over a store: N pending articles (six outlets, the sixth republishing the
// first word for word; generated texts) analysed by createAnalysers().analysePending(), on SQLite or
// PostgreSQL. Usage: node --import tsx test/jobs/analysis-speed.ts [sqlite|postgres] [N] [SRC]
// SRC (default this checkout's src/) is the source tree to measure, so the same script measures another
// checkout: node --import tsx test/jobs/analysis-speed.ts sqlite 300 /work/main/src
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dialect = process.argv[2] ?? 'sqlite';
const n = Number(process.argv[3] ?? 300);
const src = resolve(process.argv[4] ?? new URL('../../src', import.meta.url).pathname);
const { openStore } = await import(pathToFileURL(join(src, 'store/index.ts')).href);
const { createAnalysers } = await import(pathToFileURL(join(src, 'jobs/analyse.ts')).href);
const { silentLogger } = await import(pathToFileURL(join(src, 'core/log.ts')).href);

const PLACES = ['Portmere', 'Lindford', 'Saltby', 'Merrow', 'Dunhaven', 'Westcombe', 'Ashgrove', 'Brindle', 'Corran', 'Elmstead', 'Farrow', 'Glenmoor'];
const NAMES = ['Elena Varga', 'Tomas Brandt', 'Ines Okafor', 'Marta Lindqvist', 'Oskar Moreau', 'Priya Haddad', 'Jonas Kowalski', 'Leila Ferreira'];
const TOPICS = ['the harbour bridge', 'the council budget', 'a storm on the coast', 'a warehouse fire', 'the new bus lines', 'the school closures'];

function text(event: number, outlet: number): string {
  const place = PLACES[event % PLACES.length];
  const who = NAMES[(event + outlet) % NAMES.length];
  const other = NAMES[(event * 3 + 1) % NAMES.length];
  const topic = TOPICS[event % TOPICS.length];
  const variants = [
    `${who} said on Thursday that ${topic} in ${place} would be settled within weeks.`,
    `In ${place}, officials led by ${who} described ${topic} as the main task of the winter.`,
    `${topic[0].toUpperCase()}${topic.slice(1)} dominated a long meeting in ${place} on Thursday, ${who} told reporters.`,
  ];
  return [
    variants[outlet % variants.length],
    `"We have worked on this for months and the people of ${place} deserve an answer," ${other} said after the meeting.`,
    `The cost of ${topic} has risen to ${10 + event} million, according to figures published by the ${place} council.`,
    `Residents of ${place} said they had waited too long, and ${other} promised a public hearing next week (report ${event}-${outlet}).`,
  ].join('\n');
}

const dir = mkdtempSync(join(tmpdir(), 'digest-analysis-speed-'));
const schema = `digest_bench_${process.pid}`;
const store = dialect === 'postgres'
  ? await openStore({ driver: 'postgres', url: process.env.DIGEST_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test', schema })
  : await openStore({ driver: 'sqlite', path: join(dir, 'd.db') });
try {
  const sources = [];
  for (let o = 0; o < 6; o++) sources.push(await store.addSource({ url: `https://outlet${o}.example/feed`, title: `Outlet ${o}` }));
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const event = Math.floor(i / 6) % 50;
    const outlet = i % 6;
    const copy = outlet === 5; // the sixth outlet republishes the first one's text
    const published = new Date(now - (n - i) * 60_000).toISOString();
    await store.upsertArticle({
      sourceId: sources[outlet].id, url: `https://outlet${outlet}.example/a/${i}`, canonicalUrl: null, guid: `a${i}`,
      title: `${PLACES[event % PLACES.length]}: ${TOPICS[event % TOPICS.length]} (${event})`, byline: null, published,
      publishedIsFallback: false, fetchedAt: published, text: copy ? `Outlet 5 - news for you\n\n${text(event, 0)}` : text(event, outlet), html: '',
      summary: null, leadImage: null, siteName: null, section: null, lang: 'en', extractedFrom: 'page', extractionMethod: 'dom', extractionError: null,
    });
  }
  const an = await createAnalysers(store, silentLogger);
  await an.warm();
  const t0 = performance.now();
  const done = await an.analysePending();
  const ms = performance.now() - t0;
  await an.close();
  const stories = (await store.listStories({ limit: 1000 })).items.length;
  console.log(`analysis ${dialect} (${src}): ${done} of ${n} articles in ${ms.toFixed(0)} ms = ${((done / ms) * 1000).toFixed(1)} articles/s; ${stories} stories`);
} finally {
  await store.close();
  if (dialect === 'postgres') {
    const pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: process.env.DIGEST_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test' });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end());
  }
  rmSync(dir, { recursive: true, force: true });
}
