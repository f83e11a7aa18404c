// Rules applied once, where analysis commits: articles stored pending analysis get each
// subscriber's rule state when the analysers mark them analysed (both paths: one article
// at once, and the pending batch under the lease).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/index.ts';
import type { NewArticle } from '../core/types.ts';
import { silentLogger } from '../core/log.ts';
import { createAnalysers } from './analyse.ts';

let n = 0;
function rec(sourceId: number, title: string, text: string, byline: string | null = null): NewArticle {
  n++;
  const published = new Date(Date.now() - n * 60_000).toISOString();
  return {
    sourceId, url: `https://outlet${sourceId}.example/a/${n}`, canonicalUrl: null, guid: `g${n}`, title, byline, published,
    publishedIsFallback: false, fetchedAt: published, text, html: '', summary: null, leadImage: null, siteName: null,
    section: null, lang: 'en', extractedFrom: 'page', extractionMethod: 'dom', extractionError: null,
  };
}

test('analysis applies every subscriber’s rules to new articles, once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'digest-rules-jobs-'));
  const store = await openStore({ driver: 'sqlite', path: join(dir, 'd.db') });
  const analysers = await createAnalysers(store, silentLogger);
  try {
    const wire = (await store.addSource({ url: 'https://outlet1.example/feed', title: 'Harbour Ledger' })).id;
    const ann = (await store.createUser({ name: 'ann', passwordHash: 'x' })).id;
    const bob = (await store.createUser({ name: 'bob', passwordHash: 'x' })).id;
    await store.subscribe(ann, wire);
    await store.subscribe(bob, wire);
    await store.addRule(ann, { field: 'any', pattern: 'transfer rumours?', isRegex: true, action: 'hide', kind: 'mute' });
    await store.addRule(ann, { field: 'author', pattern: 'amira haddad', isRegex: false, action: 'star', kind: 'mute' });
    await store.addRule(bob, { field: 'title', pattern: 'election', isRegex: false, action: 'hide', kind: 'keep' });

    const gossip = (await store.upsertArticle(rec(wire, 'Transfer rumours: United eye a striker', 'The club has held talks, according to reports. Fans are sceptical.'))).article;
    const vote = (await store.upsertArticle(rec(wire, 'Election count goes on through the night', 'Counting continued in the city hall on Thursday as turnout reached a record.', 'Amira Haddad'))).article;
    const states = async (u: number) => {
      const m = new Map((await store.articleStates(u, [gossip.id, vote.id])).map((s) => [s.articleId, s]));
      return [gossip.id, vote.id].map((id) => `${m.get(id)?.hiddenAt ? 'H' : '-'}${m.get(id)?.starredAt ? 'S' : '-'}`);
    };
    assert.deepEqual(await states(ann), ['--', '--'], 'nothing before analysis');
    // one article analysed at once (the path of a single stored article)
    await analysers.analyse(gossip, null);
    assert.deepEqual(await states(ann), ['H-', '--']);
    assert.deepEqual(await states(bob), ['H-', '--'], 'bob keeps only election news');
    // the pending batch under the lease
    assert.equal(await analysers.analysePending(), 1);
    assert.deepEqual(await states(ann), ['H-', '-S']);
    assert.deepEqual(await states(bob), ['H-', '--']);
    // analysing again changes nothing (applied once)
    assert.equal(await store.applyRulesToArticles([gossip.id, vote.id]), 0);
  } finally {
    await analysers.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
