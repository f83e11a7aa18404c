import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRegex, compileRules, matchRules, MAX_PATTERN, MAX_TEXT, validateRule, type RuleArticle, type RuleSpec } from './rules.ts';

const sponsored: RuleArticle = {
  sourceId: 1,
  title: 'Sponsored: The 10 Best Crypto Wallets of 2024',
  text: 'This post is brought to you by our partners. Bitcoin and Ethereum wallets compared, from hardware keys to apps.',
  byline: 'Brand Studio',
  outlet: 'The Daily Ledger',
  site: 'dailyledger.example',
};
const council: RuleArticle = {
  sourceId: 1,
  title: 'Council approves new cycle lanes on Mill Road after a year of consultation',
  text: 'The city council voted 31 to 12 on Tuesday to build protected cycle lanes. "It is a good day for Mill Road," said Councillor Amira Haddad.',
  byline: 'Jane Okafor',
  outlet: 'The Daily Ledger',
  site: null,
};
const football: RuleArticle = {
  sourceId: 2,
  title: 'Late penalty sends United through to the cup semi-final',
  text: 'A 94th-minute penalty from Marcus Rashford sent United through. Café owners near the ground said trade was brisk.',
  byline: 'Sports desk',
  outlet: 'Northern Echo',
};

const rule = (r: Partial<RuleSpec> & Pick<RuleSpec, 'pattern'>): RuleSpec => ({ field: 'any', isRegex: false, action: 'hide', kind: 'mute', ...r });
const none = { read: false, hide: false, star: false };

test('mute rules: words match whole words without case, on the field asked', () => {
  assert.deepEqual(matchRules([rule({ pattern: 'crypto', field: 'title' })], sponsored), { ...none, hide: true });
  assert.deepEqual(matchRules([rule({ pattern: 'crypto', field: 'title' })], council), none);
  // whole words: "cycle" is not in "bicycle", "AI" not in "said"
  assert.deepEqual(matchRules([rule({ pattern: 'ai' })], council), none);
  assert.deepEqual(matchRules([rule({ pattern: 'lanes' })], council), { ...none, hide: true });
  // phrases, several per rule (comma-separated), spacing folded
  assert.deepEqual(matchRules([rule({ pattern: 'horse racing,  mill   road ', action: 'star' })], council), { ...none, star: true });
  // accents are kept distinct but case folds
  assert.deepEqual(matchRules([rule({ pattern: 'CAFÉ', field: 'text', action: 'read' })], football), { ...none, read: true });
  assert.deepEqual(matchRules([rule({ pattern: 'cafe', field: 'text' })], football), none);
});

test('author and outlet fields: byline, source title and site name', () => {
  assert.deepEqual(matchRules([rule({ pattern: 'brand studio', field: 'author' })], sponsored), { ...none, hide: true });
  assert.deepEqual(matchRules([rule({ pattern: 'brand studio', field: 'title' })], sponsored), none);
  assert.deepEqual(matchRules([rule({ pattern: 'okafor', field: 'author', action: 'star' })], council), { ...none, star: true });
  assert.deepEqual(matchRules([rule({ pattern: 'northern echo', field: 'outlet' })], football), { ...none, hide: true });
  assert.deepEqual(matchRules([rule({ pattern: 'dailyledger', field: 'outlet', isRegex: true })], sponsored), { ...none, hide: true });
  assert.deepEqual(matchRules([rule({ pattern: 'echo', field: 'author' })], football), none);
  const noByline = { ...council, byline: null };
  assert.deepEqual(matchRules([rule({ pattern: '.', field: 'author', isRegex: true })], noByline), none);
});

test('regular expressions match without case, escapes keep their meaning', () => {
  assert.deepEqual(matchRules([rule({ pattern: '^sponsored:', field: 'title', isRegex: true })], sponsored), { ...none, hide: true });
  assert.deepEqual(matchRules([rule({ pattern: '^sponsored:', field: 'title', isRegex: true })], council), none);
  assert.deepEqual(matchRules([rule({ pattern: '\\d+(st|nd|rd|th)-minute', field: 'text', isRegex: true, action: 'star' })], football), { ...none, star: true });
  // \W stays "not a word character" (not lower-cased into \w)
  assert.deepEqual(matchRules([rule({ pattern: 'semi\\Wfinal', field: 'title', isRegex: true })], football), { ...none, hide: true });
  assert.deepEqual(matchRules([rule({ pattern: '[A-Z]{3}\\d', isRegex: true })], football), none);
});

test('several rules add up; each action at most once', () => {
  const rules = [rule({ pattern: 'sponsored' }), rule({ pattern: 'bitcoin', action: 'read' }), rule({ pattern: 'council', action: 'star' })];
  assert.deepEqual(matchRules(rules, sponsored), { read: true, hide: true, star: false });
  assert.deepEqual(matchRules(rules, council), { ...none, star: true });
  assert.deepEqual(matchRules(rules, football), none);
  assert.deepEqual(matchRules(compileRules(rules), sponsored), { read: true, hide: true, star: false });
});

test('keep rules: only what matches a keep rule (of that action) stays; per source', () => {
  const keepCouncil = rule({ pattern: 'council, transport', kind: 'keep', sourceId: 1 });
  assert.deepEqual(matchRules([keepCouncil], council), none);
  assert.deepEqual(matchRules([keepCouncil], sponsored), { ...none, hide: true });
  // another source is not covered by a keep rule for source 1
  assert.deepEqual(matchRules([keepCouncil], football), none);
  // two keep rules of one action: matching either keeps it
  const keepPenalty = rule({ pattern: 'penalty', kind: 'keep', field: 'title' });
  assert.deepEqual(matchRules([keepCouncil, keepPenalty], sponsored), { ...none, hide: true });
  assert.deepEqual(matchRules([keepPenalty, keepCouncil], council), none); // matches keepCouncil
  assert.deepEqual(matchRules([keepPenalty], council), { ...none, hide: true }); // all sources
  assert.deepEqual(matchRules([keepPenalty], football), none);
  // keep rules of another action are a separate set: keep-read does not rescue from hide
  const keepRead = rule({ pattern: 'crypto', kind: 'keep', action: 'read' });
  assert.deepEqual(matchRules([keepRead, keepCouncil], sponsored), { ...none, hide: true });
  assert.deepEqual(matchRules([keepRead, keepCouncil], council), { ...none, read: true });
  // a mute rule for one source only covers that source
  assert.deepEqual(matchRules([rule({ pattern: 'penalty', sourceId: 1 })], football), none);
  assert.deepEqual(matchRules([rule({ pattern: 'penalty', sourceId: 2 })], football), { ...none, hide: true });
});

test('validation: fields, actions, kinds, empty and over-long patterns, bad syntax', () => {
  assert.throws(() => validateRule(rule({ pattern: 'x', field: 'url' as never })), /rule field "url"/);
  assert.throws(() => validateRule(rule({ pattern: 'x', action: 'delete' as never })), /rule action "delete"/);
  assert.throws(() => validateRule(rule({ pattern: 'x', kind: 'block' as never })), /rule kind "block"/);
  assert.throws(() => validateRule(rule({ pattern: 'x', kind: 'keep', action: 'star' })), /keep rule cannot star/);
  assert.throws(() => validateRule(rule({ pattern: '   ' })), /no pattern/);
  assert.throws(() => validateRule(rule({ pattern: ' , ,' })), /no words/);
  assert.throws(() => validateRule(rule({ pattern: 'a'.repeat(MAX_PATTERN + 1) })), /limit is 200/);
  assert.throws(() => validateRule(rule({ pattern: '(unclosed', isRegex: true })), /not valid.*Unterminated group/);
  assert.throws(() => validateRule(rule({ pattern: '[z-a]', isRegex: true })), /not valid/);
  assert.throws(() => validateRule(rule({ pattern: 'x', sourceId: -3 })), /rule source/);
  assert.deepEqual(validateRule(rule({ pattern: '  crypto  ' })), { field: 'any', pattern: 'crypto', isRegex: false, action: 'hide', kind: 'mute', sourceId: null });
  // a regex keeps its spaces
  assert.equal(validateRule(rule({ pattern: ' ad$', isRegex: true })).pattern, ' ad$');
});

test('hostile regexes: what cannot run in linear time is refused; catastrophic patterns run in linear time', () => {
  assert.throws(() => compileRegex('(a)\\1'), /linear time/);
  assert.throws(() => compileRegex('foo(?=bar)'), /linear time/);
  assert.throws(() => compileRegex('(?<!not )guilty'), /linear time/);
  const evil = ['(a+)+$', '(a|aa)+$', '(.*a){12}$', 'a*a*a*a*a*a*b', '(\\w+\\s?)+$'];
  const text = 'a'.repeat(MAX_TEXT - 1) + '!';
  const t0 = Date.now();
  for (const p of evil) {
    assert.deepEqual(matchRules([rule({ pattern: p, isRegex: true, field: 'text' })], { ...council, text }), none, p);
  }
  // each would take longer than the age of the universe with a backtracking engine
  assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  // only the first MAX_TEXT characters are looked at
  const tail = 'x'.repeat(MAX_TEXT) + ' needle';
  assert.deepEqual(matchRules([rule({ pattern: 'needle', field: 'text' })], { ...council, text: tail }), none);
  assert.deepEqual(matchRules([rule({ pattern: 'needle', field: 'text' })], { ...council, text: 'a needle' }), { ...none, hide: true });
});
