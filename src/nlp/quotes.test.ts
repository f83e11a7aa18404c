import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractQuotes } from './index.ts';

const ARTICLE = [
  'Talks in Geneva ended without a deal on Friday.',
  '',
  '"We are not there yet," said Maria Lopez, the chief negotiator of the European Union. "But we are closer than we were a week ago."',
  '',
  'Lopez described the mood as “constructive” and said that a new round could start in March.',
  '',
  'The country’s defence minister, Tom Becker, told reporters the army would stay on alert. He warned that “any provocation will be answered.”',
  '',
  'Officials in Ankara denied the report, according to the state news agency.',
  '',
  '“It was a good day,” she added.',
].join('\n');

test('direct quotes: inverted speaker with an appositive role, and the continuation after it', () => {
  const q = extractQuotes(ARTICLE);
  const first = q.find((x) => x.quote.startsWith('"We are not there yet'));
  assert.ok(first);
  assert.equal(first.kind, 'direct');
  assert.equal(first.speaker, 'Maria Lopez');
  assert.equal(first.speakerRole, 'chief negotiator of the European Union');
  assert.equal(first.speakerType, 'person');
  const second = q.find((x) => x.quote.startsWith('"But we are closer'));
  assert.equal(second?.speaker, 'Maria Lopez');
  // offsets point into the text
  assert.equal(ARTICLE.slice(first.start, first.end), first.quote);
});

test('mixed quote: surname resolved to the full name, quote-marked fragment kept', () => {
  const q = extractQuotes(ARTICLE);
  const m = q.find((x) => x.kind === 'mixed' && x.quote.includes('“constructive”'));
  assert.ok(m, JSON.stringify(q.map((x) => x.quote)));
  assert.equal(m.speaker, 'Maria Lopez');
  assert.deepEqual(m.fragments?.map((f) => f.text), ['“constructive”']);
});

test('indirect speech with "told reporters" as channel, pronoun resolved, warn stance', () => {
  const q = extractQuotes(ARTICLE);
  const told = q.find((x) => x.quote.startsWith('the army would stay on alert'));
  assert.ok(told, JSON.stringify(q.map((x) => x.quote)));
  assert.equal(told.kind, 'indirect');
  assert.equal(told.speaker, 'Tom Becker');
  assert.equal(told.channel, 'told reporters');
  const warn = q.find((x) => x.quote.includes('any provocation'));
  assert.equal(warn?.speaker, 'Tom Becker');
  assert.equal(warn?.stance, 'warn');
});

test('"she" goes to the most recent female speaker, not the most recent name', () => {
  const q = extractQuotes(ARTICLE);
  const last = q.find((x) => x.quote.startsWith('“It was a good day'));
  assert.equal(last?.speaker, 'Maria Lopez');
});

test('scare quotes and quotes without a speaker are not attributed', () => {
  const text = 'The so-called “peace dividend” never came. Markets were calm on Monday.';
  assert.deepEqual(extractQuotes(text), []);
});

test('straight and curly quotes, and unclosed multi-paragraph quotes', () => {
  const text = [
    'Senator Jane Doe said: “The bill is a disaster for farmers.',
    '',
    '“It has to be rewritten from scratch.”',
  ].join('\n');
  const q = extractQuotes(text);
  assert.equal(q.length, 2, JSON.stringify(q));
  assert.ok(q.every((x) => x.speaker === 'Jane Doe' && x.kind === 'direct'));
});

test('empty and quote-free texts give no quotes and do not throw', () => {
  assert.deepEqual(extractQuotes(''), []);
  assert.deepEqual(extractQuotes('\n\n“\n'), []);
  assert.deepEqual(extractQuotes('Rain is expected in the north on Tuesday.'), []);
});
