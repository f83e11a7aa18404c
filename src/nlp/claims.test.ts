import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractQuotes, linkClaims, statementsFromQuotes } from './index.ts';

test('a claim in one article is linked to its denial in another by shared event words', () => {
  const a = 'The army claimed that its troops had captured the port of Mariupol on Sunday.';
  const b = 'The defence ministry in Kyiv denied that troops had captured the port of Mariupol, calling it propaganda.';
  const c = 'Farmers said that wheat prices rose sharply this week.';
  const st = [
    ...statementsFromQuotes('a', a, extractQuotes(a)),
    ...statementsFromQuotes('b', b, extractQuotes(b)),
    ...statementsFromQuotes('c', c, extractQuotes(c)),
  ];
  assert.equal(st.find((s) => s.articleId === 'a')?.stance, 'claim');
  assert.equal(st.find((s) => s.articleId === 'b')?.stance, 'deny');
  const links = linkClaims(st);
  assert.equal(links.length, 1);
  assert.equal(links[0].claim.articleId, 'a');
  assert.equal(links[0].response.articleId, 'b');
  assert.equal(links[0].relation, 'disputes');
  assert.ok(links[0].evidence.includes('mariupol'));
});

test('no link between unrelated statements or from a speaker to itself', () => {
  const text = 'The company claimed that sales doubled. The company later denied that sales doubled.';
  const st = statementsFromQuotes('x', text, extractQuotes(text));
  assert.equal(linkClaims(st).length, 0);
  const other = 'Police denied that the suspect had escaped.';
  assert.equal(linkClaims([...st, ...statementsFromQuotes('y', other, extractQuotes(other))]).length, 0);
});
