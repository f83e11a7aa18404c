import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDate } from './dates.ts';

test('RFC 822 / 1123 / 2822 with offsets, named zones and two-digit years', () => {
  assert.equal(parseDate('Thu, 01 Jan 2004 19:48:21 GMT'), '2004-01-01T19:48:21Z');
  assert.equal(parseDate('Sat, 28 Sep 2002 21:00:02 +0200'), '2002-09-28T19:00:02Z');
  assert.equal(parseDate('Tue, 10 Jun 2003 04:00:00 EST'), '2003-06-10T09:00:00Z');
  assert.equal(parseDate('Tue, 10 Jun 2003 04:00:00 CEST'), '2003-06-10T02:00:00Z');
  assert.equal(parseDate('10 Jun 03 04:00 PDT'), '2003-06-10T11:00:00Z');
  assert.equal(parseDate('Mon, 26 January 2004 16:31:00 -05:30'), '2004-01-26T22:01:00Z');
  assert.equal(parseDate('Sun, 4 Jan 2004 16:29 Z'), '2004-01-04T16:29:00Z');
});

test('ISO 8601 / W3C-DTF variants', () => {
  assert.equal(parseDate('2003-12-31T10:14:55Z'), '2003-12-31T10:14:55Z');
  assert.equal(parseDate('2003-12-31T10:14:55-08:00'), '2003-12-31T18:14:55Z');
  assert.equal(parseDate('2003-12-31T10:14:55.5+0100'), '2003-12-31T09:14:55.500Z');
  assert.equal(parseDate('2003-12-31T10:14Z'), '2003-12-31T10:14:00Z');
  assert.equal(parseDate('2003-12-31'), '2003-12-31T00:00:00Z');
  assert.equal(parseDate('2003-12'), '2003-12-01T00:00:00Z');
  assert.equal(parseDate('20031231T101455Z'), '2003-12-31T10:14:55Z');
  assert.equal(parseDate('2004-07-08 23:56:58.0'), '2004-07-08T23:56:58Z');
  assert.equal(parseDate('2003-335'), '2003-12-01T00:00:00Z');
  assert.equal(parseDate('2004-W01-1'), '2003-12-29T00:00:00Z');
});

test('asctime, Perforce, US and European numeric, Drupal, ordinal suffixes', () => {
  assert.equal(parseDate('Sun Jan  4 16:29:06 PST 2004'), '2004-01-05T00:29:06Z');
  assert.equal(parseDate('Fri, 2006/09/15 08:19:53 EDT'), '2006-09-15T12:19:53Z');
  assert.equal(parseDate('Friday, December 22, 2017 - 3:09pm'), '2017-12-22T15:09:00Z');
  assert.equal(parseDate('December 3rd, 2019 at 12:05 am'), '2019-12-03T00:05:00Z');
  assert.equal(parseDate('31.12.2019 18:00'), '2019-12-31T18:00:00Z');
  assert.equal(parseDate('12/31/2019 6:00 PM'), '2019-12-31T18:00:00Z');
  assert.equal(parseDate('01-Jan-2004 10:00:00 +0000'), '2004-01-01T10:00:00Z');
});

test('non-English month and day names', () => {
  assert.equal(parseDate('Mi, 14 Mär 2018 12:00:00 +0100'), '2018-03-14T11:00:00Z');
  assert.equal(parseDate('Donnerstag, 3. Mai 2018 08:00:00 +0200'), '2018-05-03T06:00:00Z');
  assert.equal(parseDate('jeu., 15 févr. 2018 09:30:00 +0100'), '2018-02-15T08:30:00Z');
  assert.equal(parseDate('lunes, 7 de enero de 2019 10:00 +0100'), '2019-01-07T09:00:00Z');
  assert.equal(parseDate('giovedì 5 settembre 2019 14:00 +0200'), '2019-09-05T12:00:00Z');
  assert.equal(parseDate('za 1 juni 2019 10:00 +0200'), '2019-06-01T08:00:00Z');
});

test('Unix timestamps (seconds and milliseconds) and IANA zone names', () => {
  assert.equal(parseDate('1513955340'), '2017-12-22T15:09:00Z');
  assert.equal(parseDate('1513955340000'), '2017-12-22T15:09:00Z');
  assert.equal(parseDate('2018-01-20 10:00:00 Europe/Brussels'), '2018-01-20T09:00:00Z');
  assert.equal(parseDate('2018-07-20 10:00:00 Europe/Brussels'), '2018-07-20T08:00:00Z');
  assert.equal(parseDate('2018-07-20 10:00:00 America/New_York'), '2018-07-20T14:00:00Z');
});

test('invalid and out-of-range dates give null; out-of-range offsets are ignored', () => {
  for (const bad of ['', 'not a date', 'yesterday', '2003-13-45', 'Tue, 31 Feb 2003 10:00:00 GMT', '99:99', 'Mon, 32 Jan 2004 10:00 GMT', '2003-12-31T25:00:00Z']) {
    assert.equal(parseDate(bad), null, bad);
  }
  assert.equal(parseDate(null), null);
  assert.equal(parseDate('Tue, 10 Jun 2003 04:00:00 +9900'), '2003-06-10T04:00:00Z');
});
