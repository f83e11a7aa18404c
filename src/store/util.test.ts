import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DigestError } from '../core/errors.ts';
import {
  decodeCursor,
  encodeCursor,
  fts5Query,
  unmark,
  nameKey,
  normIso,
  parseSearchQuery,
  MARK_OPEN as O,
  MARK_CLOSE as C,
} from './util.ts';

describe('search query parsing', () => {
  it('turns words, phrases and prefixes into quoted FTS5 terms', () => {
    assert.deepEqual(parseSearchQuery('Putin  Moscow'), [
      { tokens: ['putin'], prefix: false },
      { tokens: ['moscow'], prefix: false },
    ]);
    assert.equal(fts5Query(parseSearchQuery('Putin "peace plan" ukrain*')), '"putin" AND "peace plan" AND "ukrain"*');
    assert.equal(fts5Query(parseSearchQuery('U.S. covid-19')), '"u s" AND "covid 19"');
    assert.equal(fts5Query(parseSearchQuery('Zelenskyy\'s "dignified peace')), '"zelenskyy s" AND "dignified peace"');
  });

  it('drops every bit of syntax and returns nothing for punctuation only', () => {
    for (const q of ['', '  ', '!!!', '"', '""', '* * *', '( ) : ^ - + { }', '<>&|']) {
      assert.deepEqual(parseSearchQuery(q), [], q);
    }
    assert.equal(fts5Query(parseSearchQuery('NEAR(a b) title:x a+b')), '"near a" AND "b" AND "title x" AND "a b"');
    assert.equal(fts5Query(parseSearchQuery('"he said ""no"""')), '"he said" AND "no"');
  });

  it('keeps letters of any script and folds compatibility forms', () => {
    assert.deepEqual(parseSearchQuery('Київ ＰＵＴＩＮ'), [
      { tokens: ['київ'], prefix: false },
      { tokens: ['putin'], prefix: false },
    ]);
  });

  it('caps the number of terms', () => {
    assert.equal(parseSearchQuery(Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ')).length, 32);
  });
});

describe('snippet markers', () => {
  it('gives the plain text and the offsets of the hits, joining adjacent ones', () => {
    assert.deepEqual(unmark(`a <b> & ${O}hit${C} "q" 'x'`), { text: `a <b> & hit "q" 'x'`, matches: [[8, 11]] });
    assert.deepEqual(unmark(`${O}peace${C} ${O}plan${C} and ${O}war${C}`), { text: 'peace plan and war', matches: [[0, 10], [15, 18]] });
    assert.deepEqual(unmark(`${O}open`), { text: 'open', matches: [[0, 4]] });
    assert.deepEqual(unmark(`x${C}y${O}${C}`), { text: 'xy', matches: [] });
    assert.deepEqual(unmark(null), { text: '', matches: [] });
  });
});

describe('cursors, dates and names', () => {
  it('round-trips cursors and rejects forged ones', () => {
    const c = encodeCursor(['2024-05-01T00:00:00.000Z', 42]);
    assert.deepEqual(decodeCursor(c, 'sn'), ['2024-05-01T00:00:00.000Z', 42]);
    for (const bad of ['', 'x', encodeCursor([1, 2]), encodeCursor(['a']), Buffer.from('{"a":1}').toString('base64url')]) {
      assert.throws(() => decodeCursor(bad, 'sn'), (e: unknown) => e instanceof DigestError && e.kind === 'usage');
    }
  });

  it('normalises instants to UTC and names to keys', () => {
    assert.equal(normIso('2024-05-01T12:00:00+02:00'), '2024-05-01T10:00:00.000Z');
    assert.equal(normIso('Wed, 01 May 2024 10:00:00 GMT'), '2024-05-01T10:00:00.000Z');
    assert.equal(normIso('not a date'), null);
    assert.equal(normIso(null), null);
    assert.equal(nameKey('  Dmitry\u00a0 PESKOV '), 'dmitry peskov');
  });
});
