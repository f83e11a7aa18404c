// Attribution beyond speech verbs and the boundaries of reported content (second round on quotes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractQuotes, type Quote } from './index.ts';

const find = (qs: Quote[], start: string) => qs.find((q) => q.quote.startsWith(start));
const texts = (qs: Quote[]) => qs.map((q) => q.quote);

test('evidence cues: a poll or study "shows"/"found" with a document subject, not people "finding" things', () => {
  const q = extractQuotes('A new Gallup poll shows that most voters in the county oppose the harbour plan.');
  const p = find(q, 'most voters');
  assert.ok(p, JSON.stringify(texts(q)));
  assert.equal(p.kind, 'indirect');
  assert.equal(p.cue, 'shows');
  assert.match(p.speaker ?? '', /Gallup poll/);
  const q2 = extractQuotes('Deeply divided about the budget, council members found little common ground on Tuesday.');
  assert.equal(q2.length, 0, JSON.stringify(texts(q2)));
});

test('beliefs, intentions and calls are attributed statements with their complement as content', () => {
  const t = [
    'Mayor Jane Ortiz believes the old bridge will reopen in May.',
    'Ortiz wants to rebuild the fishing harbour, focusing on small boats.',
    'Senator Tom Reyes called for an independent inquiry into the contract.',
    'The council called a meeting for Friday.',
  ].join('\n\n');
  const q = extractQuotes(t);
  const belief = find(q, 'the old bridge');
  assert.equal(belief?.speaker, 'Jane Ortiz');
  assert.equal(belief?.quote, 'the old bridge will reopen in May');
  const want = find(q, 'to rebuild');
  assert.equal(want?.quote, 'to rebuild the fishing harbour', 'the participle clause belongs to the frame');
  assert.equal(want?.speaker, 'Jane Ortiz');
  const call = find(q, 'an independent inquiry');
  assert.equal(call?.speaker, 'Tom Reyes');
  assert.equal(call?.cue, 'called for');
  assert.ok(!q.some((x) => x.quote.includes('meeting for Friday')), '"called a meeting" is not a statement');
});

test('a view inside content already reported stays part of it', () => {
  const q = extractQuotes('Jane Ortiz said on Monday that she thinks the bridge is safe for trucks.');
  assert.deepEqual(texts(q), ['she thinks the bridge is safe for trucks']);
});

test('parenthetical attribution: the head before it is a statement too, however short', () => {
  const q = extractQuotes('Tom Becker runs the museum. The museum, Mr. Becker said, celebrates the sailors of the city.');
  assert.ok(find(q, 'The museum'), JSON.stringify(texts(q)));
  assert.equal(find(q, 'The museum')?.quote, 'The museum');
  assert.equal(find(q, 'celebrates')?.speaker, 'Tom Becker');
});

test('relative-pronoun subjects stand for the noun before them', () => {
  const q = extractQuotes('The rules were opposed by Karl Weber, who said the quotas would ruin small fishermen.');
  const r = find(q, 'the quotas');
  assert.ok(r, JSON.stringify(texts(q)));
  assert.equal(r.speaker, 'Karl Weber');
});

test('long appositives between the name and the cue', () => {
  const q = extractQuotes(
    'Economist Aparna Mathur, who studies labour markets at a think tank in Washington, said the statement did not clarify the matter.',
  );
  assert.equal(find(q, 'the statement')?.speaker, 'Aparna Mathur');
});

test('content boundaries: opening subordinate clause, second predicate of the reporter, adjunct before a pronoun', () => {
  const q = extractQuotes(
    [
      'After aides insisted in June that the mayor would not run again, the party began looking for a successor.',
      'Reyes also claimed the mayor had hidden the costs, but offered no proof.',
      'Reyes said after the rally he would return to the port next week.',
    ].join('\n\n'),
  );
  assert.ok(q.some((x) => x.quote === 'the mayor would not run again'), JSON.stringify(texts(q)));
  assert.ok(q.some((x) => x.quote === 'the mayor had hidden the costs'), JSON.stringify(texts(q)));
  assert.ok(q.some((x) => x.quote === 'he would return to the port next week'), JSON.stringify(texts(q)));
});

test('mixed quotes end with their quoted words before a participle clause; nicknames are not quotes', () => {
  const q = extractQuotes('Jane Ortiz called the deal “a disgrace,” citing the cost overruns at the port.');
  const m = q.find((x) => x.kind === 'mixed');
  assert.ok(m, JSON.stringify(texts(q)));
  assert.ok(m.quote.endsWith('“a disgrace,”'), m.quote);
  const q2 = extractQuotes('Maria "Mia" Lopez said the vote had been fair and open.');
  assert.ok(!q2.some((x) => x.kind === 'direct'), JSON.stringify(texts(q2)));
  assert.ok(q2.some((x) => x.quote === 'the vote had been fair and open' && /Lopez/.test(x.speaker ?? '')), JSON.stringify(q2.map((x) => [x.quote, x.speaker])));
});

test('a paragraph opened with a closing mark is a block quote; a quote with only an adjunct around it is direct', () => {
  const t = [
    'Readers sent us their views after the debate.',
    '',
    '”Fear. I am truly afraid for the harbour. The plan is scary.” ― Ana Duarte',
    '',
    'Jane Ortiz then turns to the crowd and repeatedly says, "Do not give up," until the lights go out.',
    '',
    'The ad ends with footage of Tom Reyes saying during the hearing last week, “That was my decision,” when he was asked about the costs.',
  ].join('\n');
  const q = extractQuotes(t);
  const block = find(q, '”Fear.');
  assert.equal(block?.kind, 'direct', JSON.stringify(texts(q)));
  assert.equal(block?.speaker, 'Ana Duarte');
  const say = find(q, '"Do not give up');
  assert.equal(say?.kind, 'direct', JSON.stringify(texts(q)));
  assert.equal(say?.speaker, 'Jane Ortiz');
  const foot = find(q, '“That was my decision');
  assert.equal(foot?.kind, 'direct', JSON.stringify(texts(q)));
  assert.equal(foot?.speaker, 'Tom Reyes');
});

test('nominal cues: a possessor and a noun of saying before a that-clause', () => {
  const q = extractQuotes(
    [
      'Jane Ortiz met the harbour workers on Monday.',
      'Ortiz’s claim that the harbour will close next year has angered the union.',
      'The union rejected the claim that she made.',
    ].join('\n\n'),
  );
  const c = find(q, 'the harbour will close');
  assert.ok(c, JSON.stringify(texts(q)));
  assert.equal(c.speaker, 'Jane Ortiz');
  assert.ok(c.quote.startsWith('the harbour will close next year'), c.quote);
  assert.equal(c.kind, 'indirect');
  assert.ok(!q.some((x) => x.quote.startsWith('she made')), 'a relative clause is not a content');
});

test('non-verbal uses of attribution verbs are not statements', () => {
  const q = extractQuotes(
    [
      'Andrew Luck found Reggie Wayne for a seven-yard touchdown pass in the third quarter.',
      'Christopher Simpson planned the robbery for weeks, prosecutors say in the indictment.',
      'Hundreds of youths in Athens attacked a police station and several banks overnight.',
      'Jane Ortiz found that the harbour accounts had been falsified for years.',
    ].join('\n\n'),
  );
  assert.ok(!q.some((x) => /Reggie Wayne|police station|the robbery/.test(x.quote) && x.cue !== 'say'), JSON.stringify(q.map((x) => [x.quote, x.cue])));
  assert.ok(q.some((x) => x.quote === 'the harbour accounts had been falsified for years' && x.speaker === 'Jane Ortiz'), JSON.stringify(q.map((x) => [x.quote, x.cue])));
});

test('a curly quote that runs over line breaks without reopening marks stays one statement', () => {
  const t = [
    '“We will rebuild the harbour,” Jane Ortiz said.',
    '“It will take time.',
    'I feel the town is ready for it.',
    'We start in May.”',
    'The council meets on Friday.',
  ].join('\n');
  const q = extractQuotes(t);
  assert.ok(q.some((x) => x.quote.startsWith('I feel the town') && x.kind === 'direct' && x.speaker === 'Jane Ortiz'), JSON.stringify(q.map((x) => [x.quote, x.kind, x.speaker])));
  assert.ok(!q.some((x) => x.kind === 'indirect'), 'no view is read inside the quotation');
});

test('cueKind tells speech from other attribution', async () => {
  const { cueKind } = await import('./index.ts');
  assert.equal(cueKind('said'), 'speech');
  assert.equal(cueKind('according to'), 'speech');
  assert.equal(cueKind('―'), 'speech');
  assert.equal(cueKind('believes'), 'attribution');
  assert.equal(cueKind('called for'), 'attribution');
  assert.equal(cueKind('claim'), 'speech');
  assert.equal(cueKind(null), null);
});

test('transcript turns inside quotes take the speaker label', () => {
  const t = [
    'Mayor Jane Ortiz was interviewed on the local radio on Sunday. Partial transcript as follows:',
    '',
    '"HOST: Will the harbour close next year, as the council says?',
    '',
    '"ORTIZ: No. The harbour will stay open and we will rebuild the old quay.',
    '',
    '"HOST: Thank you, mayor."',
  ].join('\n');
  const q = extractQuotes(t);
  const o = find(q, 'No. The harbour');
  assert.ok(o, JSON.stringify(texts(q)));
  assert.equal(o.speaker, 'Jane Ortiz');
  assert.equal(find(q, 'Will the harbour')?.speaker, 'Host');
});

test('a paragraph "X continued:" introduces the quotation in the next paragraph', () => {
  const q = extractQuotes(
    'Pollster Pat Caddell spoke on the radio on Sunday.\n\nCaddell continued:\n\n"The health issue overall is a partisan issue, but that does not explain the numbers here."\n\nThe host disagreed.',
  );
  assert.equal(find(q, '"The health issue')?.speaker, 'Pat Caddell', JSON.stringify(q.map((x) => [x.quote, x.speaker])));
});

test('a quote nested in a quote with the same marks stays inside it', () => {
  const q = extractQuotes('“As a sailor, I’d rather live in what he calls “chaos” than in his tidy world.” ― Ana Duarte');
  const d = q.find((x) => x.kind === 'direct');
  assert.ok(d?.quote.endsWith('tidy world.”'), JSON.stringify(texts(q)));
  assert.equal(d?.speaker, 'Ana Duarte');
});
