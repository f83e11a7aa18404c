import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalEntity, extractEntities, extractEntitiesFromSentences } from './index.ts';

test('people, places and organisations with offsets', () => {
  const text = 'German Chancellor Angela Merkel met French President Emmanuel Macron in Paris on Monday, the European Commission said.';
  const ents = extractEntities(text);
  const got = ents.map((e) => `${e.type}:${e.text}`);
  assert.ok(got.includes('PER:Angela Merkel'), got.join(', '));
  assert.ok(got.includes('PER:Emmanuel Macron'), got.join(', '));
  assert.ok(got.includes('LOC:Paris'), got.join(', '));
  assert.ok(got.some((g) => g.startsWith('ORG:') && g.includes('European Commission')), got.join(', '));
  for (const e of ents) assert.equal(text.slice(e.start, e.end), e.text);
  // nationalities are not places
  assert.ok(!got.includes('LOC:German') && !got.includes('LOC:French'), got.join(', '));
});

test('headlines in capitals and surnames later in the document', () => {
  const ents = extractEntitiesFromSentences([
    'SOCCER - JOHNSON SCORES TWICE AS LIVERPOOL WIN.',
    'Striker Mark Johnson scored twice as Liverpool beat Everton 2-1 on Saturday.',
    'Johnson now has 12 goals this season.',
  ]);
  const types = (i: number) => ents[i].map((e) => `${e.type}:${e.text}`);
  assert.ok(types(1).includes('PER:Mark Johnson'), types(1).join(', '));
  assert.ok(types(2).includes('PER:Johnson'), types(2).join(', '));
  assert.ok(types(1).includes('ORG:Everton'), types(1).join(', '));
});

test('canonical entities: one person across forms and articles', () => {
  const c = canonicalEntity([
    { text: 'Putin', type: 'PER', articleId: 1 },
    { text: 'Vladimir Putin', type: 'PER', articleId: 2 },
    { text: 'President Vladimir Putin', type: 'PER', articleId: 1 },
    { text: "Putin's", type: 'PER', articleId: 3 },
    { text: 'Kyiv', type: 'LOC', articleId: 1 },
    { text: 'Donald Trump', type: 'PER', articleId: 1 },
    { text: 'Trump', type: 'PER', articleId: 2 },
  ]);
  const putin = c.find((e) => e.name === 'Vladimir Putin');
  assert.ok(putin);
  assert.equal(putin.count, 4);
  assert.deepEqual([...putin.articles].sort(), [1, 2, 3]);
  assert.equal(putin.key, 'vladimir-putin');
  assert.equal(c.find((e) => e.name === 'Donald Trump')?.count, 2);
  assert.equal(c.length, 3);
});

test('wire conventions: datelines, companies, results lines, athletes with nationality', () => {
  const ents = extractEntitiesFromSentences([
    'HONG KONG 1996-08-30',
    'Shares of Douglas & Lomason Co rose after Lear Corp said it would bid.',
    'Puchon 2 Chonbuk 1 (halftime 1-1)',
    '2. Gete Wami (Ethiopia) 15:05.21',
  ]);
  const got = ents.map((s) => s.map((e) => `${e.type}:${e.text}`));
  assert.deepEqual(got[0], ['LOC:HONG KONG']);
  assert.ok(got[1].includes('ORG:Douglas & Lomason Co'), got[1].join(', '));
  assert.ok(got[1].includes('ORG:Lear Corp'), got[1].join(', '));
  assert.deepEqual(got[2], ['ORG:Puchon', 'ORG:Chonbuk']);
  assert.ok(got[3].includes('PER:Gete Wami') && got[3].includes('LOC:Ethiopia'), got[3].join(', '));
});
