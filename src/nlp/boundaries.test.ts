// Third round on quotes: content boundaries and further attribution structures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractQuotes, type Quote } from './index.ts';

const find = (qs: Quote[], start: string) => qs.find((q) => q.quote.startsWith(start));
const texts = (qs: Quote[]) => qs.map((q) => q.quote);

test('reported content is one clause: it ends before "; ...", ", although ...", ", even as ..." and "but" + a new subject', () => {
  const t = [
    'Mayor Jane Ortiz said the bridge would reopen in May; the contractor has not confirmed the date.',
    'Tom Reyes said the harbour was safe, although inspectors found cracks in the pier.',
    'Ortiz said the fleet had grown, but the fishermen disagree with her figures.',
    'Reyes said the ferry would run and the buses would stop at the pier.',
  ].join('\n\n');
  const q = extractQuotes(t);
  assert.equal(find(q, 'the bridge')?.quote, 'the bridge would reopen in May', JSON.stringify(texts(q)));
  assert.equal(find(q, 'the harbour')?.quote, 'the harbour was safe');
  assert.equal(find(q, 'the fleet')?.quote, 'the fleet had grown');
  // coordination without a new finite clause subject of its own stays one report
  assert.equal(find(q, 'the ferry')?.quote, 'the ferry would run and the buses would stop at the pier');
});

test('a coordinated noun phrase is not a new clause', () => {
  const q = extractQuotes('Jane Ortiz said Tom Reyes and his deputy misled the council about the harbour.');
  assert.equal(find(q, 'Tom Reyes')?.quote, 'Tom Reyes and his deputy misled the council about the harbour', JSON.stringify(texts(q)));
});

test('a headline "Source: statement" is attributed to the source; labels are not sources', () => {
  const q = extractQuotes('Reyes: The harbour plan will cost the town its fishing fleet.\n\nUpdate: The bridge is open again after repairs.\n\nTom Reyes spoke on Monday.');
  const h = find(q, 'The harbour plan');
  assert.ok(h, JSON.stringify(texts(q)));
  assert.equal(h.quote, 'The harbour plan will cost the town its fishing fleet');
  assert.match(h.speaker ?? '', /Reyes/);
  assert.ok(!find(q, 'The bridge'), 'a label is not a source');
});

test('an unnamed source closing the sentence after an inverted cue', () => {
  const q = extractQuotes('The talks broke down after an hour, said one union official at the meeting.');
  assert.equal(find(q, 'The talks')?.quote, 'The talks broke down after an hour', JSON.stringify(texts(q)));
  assert.match(find(q, 'The talks')?.speaker ?? '', /union official/);
});

test('groups and documents as subjects of attribution cues', () => {
  const q = extractQuotes('Democrats called the harbour contract a transparent political ploy.\n\nPolling averages show Ortiz with a lead in the low single digits, with one poll showing her ahead by 3 points.');
  const c = find(q, 'the harbour contract');
  assert.equal(c?.speaker, 'Democrats', JSON.stringify(texts(q)));
  const p = find(q, 'Ortiz with a lead');
  assert.equal(p?.quote, 'Ortiz with a lead in the low single digits');
  assert.equal(p?.speaker, 'Polling averages');
});

test('"According to a report by X, CONTENT": the source phrase runs on to the comma', () => {
  const q = extractQuotes('According to a new report by the Harbour Gazette, council members are trying to sell the old pier.');
  const c = find(q, 'council members');
  assert.equal(c?.quote, 'council members are trying to sell the old pier', JSON.stringify(texts(q)));
  assert.match(c?.speaker ?? '', /Harbour Gazette/);
});

test('a negated report by the content\'s own subject stays inside the content', () => {
  const q = extractQuotes('Tom Reyes says the harbour board has never told him what to do with the pier.');
  assert.deepEqual(texts(q), ['the harbour board has never told him what to do with the pier']);
  assert.equal(q[0].speaker, 'Tom Reyes');
});

test('a relative pronoun after a group stands for the group, from its determiner', () => {
  const q = extractQuotes('The new rules will placate the harbour critics, who have argued that the pier is unsafe for ferries.');
  const r = find(q, 'the pier');
  assert.equal(r?.quote, 'the pier is unsafe for ferries', JSON.stringify(texts(q)));
  assert.equal(r?.speaker, 'the harbour critics');
});

test('an intention of the content\'s own subject stays inside the reported content', () => {
  const q = extractQuotes('The harbour police claimed that Tom Reyes had refused to leave the pier.');
  assert.deepEqual(texts(q), ['Tom Reyes had refused to leave the pier']);
  assert.equal(q[0].speaker, 'The harbour police');
});

test('the head before a parenthetical attribution is a statement when quotes follow it', () => {
  const q = extractQuotes("Tom Reyes spoke at the pier. Fishermen, he said, can ''sail like their grandfathers'' and ''fish like kings.''");
  const h = q.find((x) => x.quote === 'Fishermen');
  assert.ok(h, JSON.stringify(texts(q)));
  assert.equal(h.speaker, 'Tom Reyes');
  assert.ok(find(q, "''sail like"), 'the quotes are still statements');
});

test('plural nouns of people are sources ("environmentalists worry that ...")', () => {
  const q = extractQuotes('Should the company run into trouble, environmentalists worry that the cost of the cleanup could fall to taxpayers.');
  assert.equal(find(q, 'the cost')?.speaker, 'environmentalists', JSON.stringify(texts(q)));
  const q2 = extractQuotes('The numbers show up late in the evening.');
  assert.equal(q2.length, 0);
});

test('a subject separated from its cue by an age, a home town and a relative clause', () => {
  const q = extractQuotes('Ana Duarte, 59, of Ashton, Md., who watched the ceremony on a screen on the Mall, said the event brought back memories of her father.');
  const r = find(q, 'the event');
  assert.equal(r?.speaker, 'Ana Duarte', JSON.stringify(texts(q)));
});

test('a transcript paragraph whose opening mark is never closed is the speaker\'s turn', () => {
  const t = 'The host asked about the pier.\n\n"REYES: Well, look, the harbour plan is a “disaster.” But this is our town. It is serious business.\n\n"ORTIZ: I disagree with every word of that.';
  const q = extractQuotes(t);
  const r = find(q, 'Well, look');
  assert.ok(r, JSON.stringify(texts(q)));
  assert.ok(r.quote.endsWith('serious business.'), r.quote);
  assert.equal(r.speaker, 'Reyes');
  assert.equal(find(q, 'I disagree')?.speaker, 'Ortiz');
});

test('a byline promotion in quote marks is not a statement', () => {
  const q = extractQuotes('"REYES: The harbour plan is a disaster for the whole town.\n\n"Follow Ana Duarte on Twitter @anaduarte."');
  assert.ok(find(q, 'The harbour plan'), JSON.stringify(texts(q)));
  assert.ok(!q.some((x) => x.quote.includes('Follow')), JSON.stringify(texts(q)));
});

test('"according to" needs a source: a document or a group, not a measure', () => {
  const q = extractQuotes('Tom Reyes weighs 236 pounds, which classifies him as overweight according to his body mass index.\n\nAbout 9.9 million single mothers live in the state, according to federal statistics.');
  assert.ok(!q.some((x) => x.speaker === 'his body mass index'), JSON.stringify(q.map((x) => [x.quote, x.speaker])));
  assert.equal(find(q, 'About 9.9 million')?.speaker, 'federal statistics');
});
