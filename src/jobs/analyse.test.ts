// The analysers on a real SQLite store: copies credited to their original, stories that
// grow, split and keep their ids, and who said what stored under the right story.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import type { NewArticle } from '../core/types.ts';
import { silentLogger } from '../core/log.ts';
import { createAnalysers } from './analyse.ts';

async function withStore(fn: (store: Store) => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'digest-analyse-'));
  const store = await openStore({ driver: 'sqlite', path: join(dir, 'd.db') });
  try {
    await fn(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

let n = 0;
function rec(sourceId: number, title: string, text: string, published: string, extra: Partial<NewArticle> = {}): NewArticle {
  n++;
  return {
    sourceId,
    url: `https://outlet${sourceId}.example/a/${n}`,
    canonicalUrl: null,
    guid: `g${n}`,
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
    ...extra,
  };
}

const TALKS = `Aldermark's envoy Thomas Whitcombe met Kestrian President Mikhail Orlan in Vostrava on Tuesday for five hours of talks on the peace framework.
"So far, we have not found a compromise, but some of the ideas can be discussed," said senior presidential aide Yevgeny Marov, who attended the meeting.
Orlan told reporters that the Western Council was "on the side of war". Whitcombe said the talks had been useful and that work would continue in Lucerna next week.`;

test('a republished copy is folded under its original, which keeps the story', async () => {
  await withStore(async (store) => {
    const a = await store.addSource({ url: 'https://outlet1.example/feed', title: 'Harbour Ledger' });
    const relay = await store.addSource({ url: 'https://relay.example/feed', title: 'Daily Relay' });
    const an = await createAnalysers(store, silentLogger);
    const orig = (await store.upsertArticle(rec(a.id, 'Envoys and Orlan talk for five hours in Vostrava', TALKS, '2026-11-26T08:00:00Z'))).article;
    await an.analyse(orig, null);
    // The copy arrives later, with republisher cruft around the same text and a suffixed title.
    const copyText = `Daily Relay - a story for you\n\n${TALKS}\n\nSource link`;
    const copy = (
      await store.upsertArticle(rec(relay.id, 'Envoys and Orlan talk for five hours in Vostrava | World News', copyText, '2026-11-26T11:00:00Z'))
    ).article;
    await an.analyse(copy, { originalUrl: orig.url } as never);
    const [o2, c2] = [await store.getArticle(orig.id), await store.getArticle(copy.id)];
    assert.equal(c2!.duplicateOf, orig.id);
    assert.equal(o2!.duplicateOf, null);
    assert.ok(o2!.storyId !== null);
    assert.equal(c2!.storyId, o2!.storyId);
    const quotes = await store.quotesForArticle(orig.id);
    const marov = quotes.find((q) => q.speaker === 'Yevgeny Marov');
    assert.ok(marov, 'the aide is credited with his quote');
    assert.equal(marov!.speakerRole, 'senior presidential aide');
    assert.equal(marov!.storyId, o2!.storyId);
    const people = (await store.entitiesForStory(o2!.storyId!)).map((e) => e.entity.name);
    assert.ok(people.includes('Mikhail Orlan'));
    assert.ok(!people.includes('Orlan'), 'the surname alone is the same person');
  });
});

test('articles analysed at the same moment still make one stored story per story', async () => {
  await withStore(async (store) => {
    const s1 = await store.addSource({ url: 'https://one.example/feed', title: 'One' });
    const s2 = await store.addSource({ url: 'https://two.example/feed', title: 'Two' });
    const s3 = await store.addSource({ url: 'https://three.example/feed', title: 'Three' });
    const an = await createAnalysers(store, silentLogger);
    const texts = [
      `Aldermark's envoy Thomas Whitcombe met Kestrian President Mikhail Orlan in Vostrava on Tuesday; the talks on the peace framework lasted five hours and ended without agreement on territory.`,
      `Talks in Vostrava between President Mikhail Orlan and envoy Thomas Whitcombe ran past midnight on Tuesday but brought no deal on the disputed territory, officials from both sides said.`,
      `Envoy Thomas Whitcombe left Vostrava on Wednesday after five hours with Mikhail Orlan failed to settle the territory question in the peace framework, diplomats told reporters.`,
    ];
    const arts = [];
    for (const [i, src] of [s1, s2, s3].entries()) {
      arts.push((await store.upsertArticle(rec(src.id, `Vostrava talks on peace framework end without deal (${i + 1})`, texts[i], `2026-11-26T0${i + 1}:00:00Z`))).article);
    }
    await Promise.all(arts.map((a) => an.analyse(a, null)));
    const storyIds = new Set((await Promise.all(arts.map((a) => store.getArticle(a.id)))).map((a) => a!.storyId));
    assert.equal(storyIds.size, 1, `one story, got ${[...storyIds].join(', ')}`);
    const stories = await store.listStories({ limit: 10 });
    assert.equal(stories.items.length, 1);
    assert.equal(stories.items[0].articleCount, 3);
    assert.equal(stories.items[0].sourceCount, 3);
  });
});
