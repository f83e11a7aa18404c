import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalizeUrl, DedupeIndex, isNearDuplicate, pickOriginal, fingerprint, wireAgency } from './index.ts';

const ORIGINAL_TITLE = "No compromise on territory after Ukraine talks with US, Russian official says";
const ORIGINAL = [
  'No compromise was reached on the crucial issue of control of Ukrainian territory to end Moscow\'s war, a Russian official has said, after talks between senior US officials and Russian President Vladimir Putin in Moscow.',
  'US President Donald Trump\'s special envoy, Steve Witkoff, and son-in-law Jared Kushner met Putin in the Russian capital on Tuesday, as the United States seeks to broker an end to the deadliest war in Europe since the Second World War.',
  'The discussions lasted almost five hours and ended after midnight. "So far, we haven\'t found a compromise, but some American solutions can be discussed," said top Kremlin aide Yury Ushakov, who attended the meeting.',
  'Although Ushakov described the conversation as "very useful and constructive", he stressed that "a lot of work lies ahead both in Washington and in Moscow".',
  'The US delegation had travelled to the Russian capital to discuss a peace plan, which Washington has updated since its earlier leaked 28-point draft was strongly criticised by Ukraine and its allies for favouring Russia.',
  'The Kremlin has condemned Kyiv and Europe\'s subsequent counter-proposal, with Putin repeatedly saying that it is unacceptable to his country.',
].join('\n\n');

// The same article on a republishing site: title suffix, smart quotes, cruft, a caption, the last paragraph dropped.
const COPY_TITLE = '‘No compromise’ on territory after Ukraine talks with US, Russian official says | Russia-Ukraine war News';
const COPY = [
  'Site icon Occasional Digest',
  'Skip to content',
  ORIGINAL.split('\n\n')[0].replace(/"/g, '“'),
  'Photo: Getty Images',
  ORIGINAL.split('\n\n')[1],
  'Recommended Stories',
  'list of 3 itemsend of list',
  ORIGINAL.split('\n\n')[2].replace(/"/g, '”'),
  ORIGINAL.split('\n\n')[3],
  ORIGINAL.split('\n\n')[4],
  'Source link',
  'Exit mobile version',
].join('\n\n');

// A different write-up of the same event: same facts and names, own wording.
const REWRITE_TITLE = 'Putin and Trump envoys end five-hour Kremlin meeting without territorial deal';
const REWRITE = [
  'Russian President Vladimir Putin held nearly five hours of talks in the Kremlin with Donald Trump\'s envoy Steve Witkoff and Jared Kushner, but the two sides failed to agree on the future of occupied Ukrainian land.',
  'Kremlin foreign policy adviser Yury Ushakov told reporters after midnight that no compromise had yet been found, although some American proposals could be discussed further.',
  'Washington revised its peace plan after an earlier 28-point version leaked and was criticised in Kyiv and European capitals as too favourable to Moscow.',
  'Putin has dismissed a European counter-proposal as unacceptable and accused Europe of siding with war.',
].join('\n\n');

test('canonicalizeUrl folds tracking, amp, hosts, slashes, fragments, ports and query order', () => {
  const table: Array<[string, string]> = [
    ['https://www.example.com/news/story-1/?utm_source=rss&utm_medium=feed', 'https://example.com/news/story-1'],
    ['http://example.com/news/story-1#comments', 'https://example.com/news/story-1'],
    ['https://m.example.com/news/story-1', 'https://example.com/news/story-1'],
    ['https://example.com:443/news/story-1?fbclid=abc&gclid=x', 'https://example.com/news/story-1'],
    ['http://example.com:80/news/story-1', 'https://example.com/news/story-1'],
    ['https://example.com/amp/news/story-1', 'https://example.com/news/story-1'],
    ['https://example.com/news/story-1/amp/', 'https://example.com/news/story-1'],
    ['https://example.com/news/story-1?amp', 'https://example.com/news/story-1'],
    ['https://example.com/news/story-1.amp.html', 'https://example.com/news/story-1.html'],
    ['https://EXAMPLE.com//news//story-1', 'https://example.com/news/story-1'],
    ['https://example.com/a?b=2&a=1', 'https://example.com/a?a=1&b=2'],
    ['https://example.com/a?id=7&utm_campaign=x', 'https://example.com/a?id=7'],
    ['https://example.com:8080/a/', 'https://example.com:8080/a'],
    ['https://example.com/section/index.html', 'https://example.com/section'],
    ['https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/story-1/amp', 'https://example.com/news/story-1'],
  ];
  for (const [input, want] of table) assert.equal(canonicalizeUrl(input), want, input);
  // meaningful differences stay
  assert.notEqual(canonicalizeUrl('https://example.com/a?id=7'), canonicalizeUrl('https://example.com/a?id=8'));
  assert.notEqual(canonicalizeUrl('https://example.com/News/A'), canonicalizeUrl('https://example.com/news/a'));
  assert.equal(canonicalizeUrl('not a url'), 'not a url');
});

test('a syndicated copy with cruft, caption and title suffix is a near duplicate', () => {
  const v = isNearDuplicate({ title: ORIGINAL_TITLE, text: ORIGINAL }, { title: COPY_TITLE, text: COPY });
  assert.equal(v.dup, true);
  assert.ok(v.containment > 0.9, `containment ${v.containment}`);
});

test('a truncated copy ("continue reading") is still a copy', () => {
  const paras = ORIGINAL.split('\n\n');
  const truncated = paras.slice(0, 3).join('\n\n') + '\n\nContinue reading at the original publisher...';
  assert.equal(isNearDuplicate({ title: ORIGINAL_TITLE, text: ORIGINAL }, { title: ORIGINAL_TITLE, text: truncated }).dup, true);
});

test('two write-ups of the same event are not copies', () => {
  const v = isNearDuplicate({ title: ORIGINAL_TITLE, text: ORIGINAL }, { title: REWRITE_TITLE, text: REWRITE });
  assert.equal(v.dup, false);
  assert.ok(v.containment < 0.3, `containment ${v.containment}`);
});

test('fingerprint ignores boilerplate blocks and entity-encoded characters', () => {
  const a = fingerprint('The caf&#233; opened its doors on Monday to more than two hundred guests from the town.');
  const b = fingerprint('Skip to content\n\nThe café opened its doors on Monday to more than two hundred guests from the town.\n\nShare this:');
  assert.deepEqual(Array.from(a.hashes), Array.from(b.hashes));
});

test('DedupeIndex: exact by canonical URL and guid, near by content, new stories stay new', () => {
  const ix = new DedupeIndex();
  const r1 = ix.add({ id: 1, url: 'https://news.example/world/talks', title: ORIGINAL_TITLE, text: ORIGINAL, published: '2025-12-03T08:00:00Z' });
  assert.deepEqual(r1, { duplicateOf: null, reason: null });
  const r2 = ix.add({ id: 2, url: 'https://www.news.example/world/talks/?utm_source=twitter', title: ORIGINAL_TITLE, text: 'x' });
  assert.equal(r2.duplicateOf, 1);
  assert.equal(r2.reason, 'url');
  const r3 = ix.add({ id: 3, url: 'https://other.example/p/1', guid: 'tag:news.example,2025:talks', title: 'x', text: '' });
  assert.equal(r3.duplicateOf, null);
  const r4 = ix.add({ id: 4, url: 'https://third.example/p/9', guid: 'tag:news.example,2025:talks', title: 'y', text: '' });
  assert.equal(r4.duplicateOf, 3);
  assert.equal(r4.reason, 'guid');
  const r5 = ix.add({ id: 5, url: 'https://republisher.example/no-compromise', title: COPY_TITLE, text: COPY, published: '2025-12-03T09:30:00Z' });
  assert.equal(r5.duplicateOf, 1);
  assert.equal(r5.reason, 'content');
  const r6 = ix.add({ id: 6, url: 'https://wire.example/putin-envoys', title: REWRITE_TITLE, text: REWRITE, published: '2025-12-03T10:00:00Z' });
  assert.equal(r6.duplicateOf, null);
  // a copy of the copy is credited to the group's original
  const r7 = ix.add({ id: 7, url: 'https://fourth.example/x', canonicalUrl: 'https://republisher.example/no-compromise', title: 'z', text: '' });
  assert.equal(r7.duplicateOf, 1);
  assert.equal(r7.reason, 'canonical-url');
});

test('DedupeIndex forgets items outside its window and survives a snapshot round trip', () => {
  const ix = new DedupeIndex({ windowMs: 86400_000 });
  ix.add({ id: 'a', url: 'https://n.example/1', title: ORIGINAL_TITLE, text: ORIGINAL, published: '2025-12-01T00:00:00Z' });
  ix.add({ id: 'b', url: 'https://n.example/2', title: REWRITE_TITLE, text: REWRITE, published: '2025-12-03T00:00:00Z' });
  assert.equal(ix.size, 1);
  assert.equal(ix.add({ id: 'c', title: COPY_TITLE, text: COPY, published: '2025-12-03T01:00:00Z' }).duplicateOf, null);
  const snap = JSON.parse(JSON.stringify(ix.snapshot()));
  const back = DedupeIndex.restore(snap, { windowMs: 86400_000 });
  assert.equal(back.size, ix.size);
  const r = back.add({ id: 'd', url: 'https://n.example/2?utm_medium=email', title: '', text: '', published: '2025-12-03T02:00:00Z' });
  assert.equal(r.duplicateOf, 'b');
  assert.equal(back.add({ id: 'e', title: REWRITE_TITLE + ' - Wire', text: REWRITE, published: '2025-12-03T03:00:00Z' }).duplicateOf, 'b');
});

test('pickOriginal: named original, rel=canonical, wire byline, earliest', () => {
  assert.deepEqual(
    pickOriginal([
      { id: 1, url: 'https://copy.example/a', published: '2025-12-03T07:00:00Z', originalUrl: 'https://orig.example/story' },
      { id: 2, url: 'https://orig.example/story?utm_source=x', published: '2025-12-03T08:00:00Z' },
    ]),
    { id: 2, reason: 'named-original', wire: null },
  );
  assert.equal(
    pickOriginal([
      { id: 1, url: 'https://copy.example/a', canonicalUrl: 'https://orig.example/story', published: '2025-12-03T07:00:00Z' },
      { id: 2, url: 'https://orig.example/story', published: '2025-12-03T08:00:00Z' },
    ]).reason,
    'canonical',
  );
  const wire = pickOriginal([
    { id: 1, url: 'https://a.example/1', byline: 'By Jane Doe, Associated Press', siteName: 'Daily A', published: '2025-12-03T07:00:00Z' },
    { id: 2, url: 'https://apnews.com/x', byline: 'Jane Doe', siteName: 'AP News', published: '2025-12-03T07:30:00Z' },
    { id: 3, url: 'https://b.example/1', byline: 'The Associated Press', siteName: 'Daily B', published: '2025-12-03T06:50:00Z' },
  ]);
  assert.deepEqual(wire, { id: 2, reason: 'wire', wire: 'Associated Press' });
  assert.equal(wireAgency('Reporting by Tom Balmforth; Reuters'), 'Reuters');
  assert.equal(wireAgency('Staff writer'), null);
  assert.deepEqual(
    pickOriginal([
      { id: 'x', published: '2025-12-03T09:00:00Z' },
      { id: 'y', published: '2025-12-03T08:00:00+00:00' },
      { id: 'z', published: null },
    ]),
    { id: 'y', reason: 'earliest', wire: null },
  );
});
