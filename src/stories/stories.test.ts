import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoryClusterer, capitalisedEntities, specificNumbers, yearsMentioned, eventYear } from './index.ts';
import { CHILE, PERU_BRIEF, PERU } from '../../test/helpers/stories.ts';

// Two write-ups of one event (different outlets, different wording) ...
const QUAKE_A = {
  title: 'Magnitude 6.1 earthquake strikes northern Chile near Iquique',
  text: [
    'Magnitude 6.1 earthquake strikes northern Chile near Iquique',
    'A magnitude 6.1 earthquake struck off the coast of northern Chile on Tuesday, shaking buildings in the port city of Iquique, the US Geological Survey said.',
    'The quake hit at a depth of 20 kilometres about 60 kilometres north-west of Iquique, the USGS said.',
    'Chile\'s national emergency office ONEMI said there were no immediate reports of damage or injuries and no tsunami warning was issued.',
    'Residents of Iquique ran into the streets as the shaking lasted nearly a minute.',
  ].join('\n'),
};
const QUAKE_B = {
  title: 'Strong quake shakes Iquique, no damage reported',
  text: [
    'Strong quake shakes Iquique, no damage reported',
    'A strong earthquake of magnitude 6.1 shook northern Chile on Tuesday, with its epicentre in the Pacific about 60 kilometres from Iquique, according to the USGS.',
    'Emergency agency ONEMI reported no damage and said a tsunami was not expected along the coast of Chile.',
    'People in Iquique left their homes in panic, local radio reported, but power and phone lines kept working.',
  ].join('\n'),
};
// ... and a similar but different event: another earthquake, another country, other details.
const QUAKE_OTHER = {
  title: 'Magnitude 7.4 earthquake hits southern Mexico near Pinotepa',
  text: [
    'Magnitude 7.4 earthquake hits southern Mexico near Pinotepa',
    'A magnitude 7.4 earthquake struck southern Mexico on Friday near the town of Pinotepa Nacional in Oaxaca state, the US Geological Survey said.',
    'Mexico\'s civil protection agency said dozens of homes were damaged in Oaxaca and Guerrero and two people were killed.',
    'Buildings swayed in Mexico City, 350 kilometres away, where the seismic alarm sounded before the shaking arrived.',
    'President Enrique Pena Nieto said the army had been sent to help residents of Pinotepa Nacional.',
  ].join('\n'),
};

test('two write-ups of one event join; a similar different event does not', () => {
  const c = new StoryClusterer();
  const a = c.add({ id: 'a', ...QUAKE_A, source: 'Wire One', published: '2014-03-18T10:00:00Z' });
  const b = c.add({ id: 'b', ...QUAKE_B, source: 'Paper Two', published: '2014-03-18T11:00:00Z' });
  const o = c.add({ id: 'o', ...QUAKE_OTHER, source: 'Wire One', published: '2014-03-18T12:00:00Z' });
  assert.equal(a.isNew, true);
  assert.equal(b.isNew, false);
  assert.equal(b.storyId, a.storyId);
  assert.equal(o.isNew, true);
  assert.notEqual(o.storyId, a.storyId);
  const s = c.story(a.storyId)!;
  assert.equal(s.size, 2);
  assert.deepEqual(s.outlets.map((x) => x.name).sort(), ['Paper Two', 'Wire One']);
  assert.deepEqual(s.timeline.map((x) => x.id), ['a', 'b']);
  assert.equal(s.firstSeen, '2014-03-18T10:00:00.000Z');
  assert.equal(s.lastUpdated, '2014-03-18T11:00:00.000Z');
  assert.ok(s.summary.length >= 2 && s.summary.length <= 3, JSON.stringify(s.summary));
  for (const sent of s.summary) assert.ok(QUAKE_A.text.includes(sent) || QUAKE_B.text.includes(sent), sent);
  assert.equal(c.storyOf('b'), a.storyId);
});

const HEADLINES: Array<[string, string, string]> = [
  // [id, headline, story]
  ['h1', 'Fed official Plosser says weak data caused by weather, should not slow taper', 'fed'],
  ['h2', "Fed's Plosser sees high bar for change in pace of tapering", 'fed'],
  ['h3', "McDonald's February global sales drop as US struggles", 'mcd'],
  ['h4', 'Plosser: Fed may have to accelerate tapering pace', 'fed'],
  ['h5', "McDonald's US sales fall 1.4 per cent in February", 'mcd'],
  ['h6', "McDonald's sales slip as Americans' eating habits shift", 'mcd'],
  ['h7', "Fed's Plosser expects unemployment to fall to 6.2% by end of 2014", 'fed'],
];

test('headlines alone cluster, and the headline shown is the most central one', () => {
  const c = new StoryClusterer();
  const got = new Map<string, number>();
  HEADLINES.forEach(([id, title], i) => {
    got.set(id, c.add({ id, title, published: new Date(Date.UTC(2014, 2, 10, 17, i)).toISOString(), source: 'S' + i }).storyId);
  });
  for (const [id, , story] of HEADLINES) {
    for (const [id2, , story2] of HEADLINES) {
      assert.equal(c.resolve(got.get(id)!) === c.resolve(got.get(id2)!), story === story2, `${id} vs ${id2}`);
    }
  }
  const fed = c.story(got.get('h1')!)!;
  assert.equal(fed.size, 4);
  assert.ok(fed.headline.includes('Plosser'));
  assert.ok(fed.keywords.includes('plosser'));
  const rel = c.relatedStories(got.get('h1')!, 3);
  assert.ok(rel.every((r) => r.storyId !== c.resolve(got.get('h1')!)));
});

test('stories keep their ids as they grow; a merge reports and redirects the absorbed id', () => {
  // Low join threshold off, so bridging coverage first opens its own story and then merges.
  const c = new StoryClusterer({ headlineThreshold: 0.99, headlineMergeThreshold: 0.3 });
  const t = (m: number) => new Date(Date.UTC(2014, 2, 10, 12, m)).toISOString();
  const s1 = c.add({ id: 1, title: 'Juan Pablo picks Nikki in Bachelor finale', published: t(0) }).storyId;
  const again = c.add({ id: 2, title: 'Juan Pablo picks Nikki in Bachelor finale', published: t(1) });
  assert.equal(again.storyId, s1);
  assert.equal(again.isNew, false);
  const s2 = c.add({ id: 3, title: 'Bachelor finale: Juan Pablo and Nikki', published: t(2) });
  let merged = s2.merged;
  if (!merged) merged = c.add({ id: 4, title: 'Bachelor finale: Juan Pablo and Nikki', published: t(3) }).merged;
  assert.ok(merged, 'expected a merge');
  assert.equal(merged!.into, s1, 'the bigger, older story keeps its id');
  assert.equal(c.resolve(merged!.from), s1);
  assert.equal(c.story(merged!.from)!.id, s1);
  assert.equal(c.storyOf(3), s1);
});

test('memory stays flat beyond the window: old stories are evicted and handed out', () => {
  const evicted: number[] = [];
  const c = new StoryClusterer({ windowMs: 3600_000, onEvict: (s) => evicted.push(s.id) });
  // eviction runs every 64 additions, so at most window + 64 minutes of stories are live
  // 300 distinct recurring topics of made-up words, one article a minute for 2000 minutes
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const word = () => Array.from({ length: 6 }, () => 'bcdfghklmnprstvz'[Math.floor(rnd() * 16)] + 'aeiou'[Math.floor(rnd() * 5)]).join('');
  const topics = Array.from({ length: 300 }, () => [word(), word(), word()].join(' '));
  for (let i = 0; i < 2000; i++) {
    c.add({ id: i, title: `${topics[i % 300]} ${word()}`, published: new Date(Date.UTC(2014, 0, 1) + i * 60_000).toISOString() });
  }
  assert.ok(c.activeStories <= 130, `active ${c.activeStories}`);
  assert.ok(evicted.length > 0);
  assert.equal(c.story(evicted[0]), undefined);
});

test('capitalised entities and specific numbers', () => {
  const e = capitalisedEntities('The actor Matt Smith was named on Saturday. Fans of Doctor Who cheered in the United Kingdom.');
  assert.ok(e.includes('matt smith'));
  assert.ok(e.includes('doctor who'));
  assert.ok(e.includes('united kingdom'));
  assert.ok(!e.includes('the'));
  assert.deepEqual(specificNumbers('A 6.1 quake on June 13 killed 1,200 people and 3 dogs'), ['6.1', '13', '1200', '5/13']);
});

test('seed rebuilds the window from stored assignments; new ids continue above them', () => {
  const c = new StoryClusterer();
  c.seed({ id: 'a', ...QUAKE_A, published: '2014-03-18T10:00:00Z' }, 41);
  c.seed({ id: 'o', ...QUAKE_OTHER, published: '2014-03-18T10:30:00Z' }, 42);
  const b = c.add({ id: 'b', ...QUAKE_B, published: '2014-03-18T11:00:00Z' });
  assert.equal(b.storyId, 41);
  assert.equal(b.isNew, false);
  const n = c.add({ id: 'n', title: 'Parliament approves new budget for schools and hospitals', published: '2014-03-18T11:30:00Z' });
  assert.equal(n.isNew, true);
  assert.equal(n.storyId, 43);
  assert.deepEqual(c.story(41)!.timeline.map((x) => x.id), ['a', 'b']);
});

test('years mentioned and the year a text is about', () => {
  assert.deepEqual(yearsMentioned('Published on: 11 November 2011 - about 2,000 people, a rise since 2010'), [2011, 2011, 2010]);
  assert.deepEqual(yearsMentioned('The 2008-09 season; $2013 in fees; 2012% is not a year; 1500 people'), [2008]);
  assert.equal(eventYear(yearsMentioned('27/09/2013 - the first vote since 2008, after 2008 and 2012')), 2013);
  assert.equal(eventYear(yearsMentioned('He took over in 2005 and left in 2008.')), 2008); // tie: the later year
  assert.equal(eventYear([]), undefined);
});

// Two undated write-ups of a similar event in different years (as in ECB+, where texts carry no dates).
const VOTE_2008 = {
  title: 'Turkmenistan votes in parliamentary election',
  text: [
    'Turkmenistan votes in parliamentary election',
    'Voters in Turkmenistan cast ballots on Sunday, December 14, 2008 in a parliamentary election hailed by the government as a step towards democracy.',
    'A total of 288 candidates ran for 125 seats in the Majlis, the parliament in Ashgabat, according to the Central Election Commission.',
    'Western observers said the election under the new constitution of 2008 was not free, and opposition groups in exile called for a boycott.',
    'President Kurbanguly Berdymukhamedov voted at a polling station in Ashgabat and promised reforms.',
  ].join('\n'),
};
const VOTE_2013 = {
  title: 'Turkmenistan to hold parliamentary election with two parties',
  text: [
    'Turkmenistan to hold parliamentary election with two parties',
    'Published on Friday, 27 September 2013.',
    'Parliamentary elections in Turkmenistan, set for December 15, 2013, will for the first time be held with two parties, the Central Election Commission in Ashgabat said.',
    'The new Party of Industrialists and Entrepreneurs, founded in 2013, will field candidates against the ruling Democratic Party.',
    'Observers from the OSCE were invited to watch the campaign, state television reported.',
  ].join('\n'),
};

test('with yearPenalty, an undated article about another year starts its own story', () => {
  const plain = new StoryClusterer();
  const a = plain.add({ id: 'a', ...VOTE_2008 });
  const b = plain.add({ id: 'b', ...VOTE_2013 });
  assert.equal(b.storyId, a.storyId, 'same topic: joins without the year check');
  const c = new StoryClusterer({ yearPenalty: 0.4 });
  const a2 = c.add({ id: 'a', ...VOTE_2008 });
  const b2 = c.add({ id: 'b', ...VOTE_2013 });
  assert.equal(b2.isNew, true);
  assert.notEqual(b2.storyId, a2.storyId);
  // a third article about 2008 goes back to the 2008 story
  const d2 = c.add({ id: 'd', title: 'Turkmen election of 2008 criticised', text: VOTE_2008.text.replace('Voters in', 'Monitors said voters in') });
  assert.equal(d2.storyId, a2.storyId);
});

test('summaries drop datelines; headlines drop site and section names', async () => {
  const { stripDateline, cleanHeadline } = await import('./index.ts');
  assert.equal(stripDateline('VOSTRAVA — The mayor said the bridge would reopen on Monday.'), 'The mayor said the bridge would reopen on Monday.');
  assert.equal(stripDateline('VOSTRAVA - The mayor said the bridge would reopen.'), 'The mayor said the bridge would reopen.');
  assert.equal(stripDateline('NEW YORK, March 3 — Stocks fell sharply in early trading on Monday.'), 'Stocks fell sharply in early trading on Monday.');
  assert.equal(stripDateline('LOS ANGELES (Reuters) - Actress Tara Reid has checked into rehab.'), 'Actress Tara Reid has checked into rehab.');
  assert.equal(stripDateline('US - China talks stall again over trade rules and tariffs'), 'US - China talks stall again over trade rules and tariffs');
  assert.equal(stripDateline('NATO - Russia council meets as tensions rise over Ukraine'), 'NATO - Russia council meets as tensions rise over Ukraine');
  assert.equal(cleanHeadline('Capitalism Will Prevent a Cold War Over Ukraine | The Nation'), 'Capitalism Will Prevent a Cold War Over Ukraine');
  assert.equal(cleanHeadline('Plane missing over the sea | World News'), 'Plane missing over the sea');
  assert.equal(cleanHeadline('Opening Bell 10 March | Asian markets slump'), 'Opening Bell 10 March | Asian markets slump');
  assert.equal(cleanHeadline('Stocks fall on weak China data - Reuters', 'Reuters'), 'Stocks fall on weak China data');
  // abbreviations and initials do not end sentences
  const { splitSentences } = await import('./index.ts');
  assert.deepEqual(
    splitSentences('The home church of Alaska Gov. Sarah Palin burned on Friday night. U.S. officials said the fire was set. Firefighters from Wasilla came at once.'),
    ['The home church of Alaska Gov. Sarah Palin burned on Friday night.', 'U.S. officials said the fire was set.', 'Firefighters from Wasilla came at once.'],
  );

  const c = new StoryClusterer();
  const lead = (place: string) =>
    `${place} — The Vostrava city council voted on Tuesday to close the old Kerrin bridge over the river Lamm for repairs.`;
  const t0 = Date.UTC(2014, 2, 10, 8);
  const body = (p: string, extra: string) =>
    [lead(p), extra, 'Engineers found cracks in two of the Kerrin bridge supports during an inspection in February, the council said.',
      'Mayor Ilse Darnow said traffic would be diverted over the Nord bridge while the works last.',
      'Shop owners near the Kerrin bridge said the closure would cost them customers for months.'].join('\n');
  const r1 = c.add({ id: 1, title: 'Vostrava closes Kerrin bridge for repairs | City News', text: 'Published on Monday, 10 March 2014 at 08:15 local time\nKerrin Bridge Closure Hits Shops On Both Banks\n' + body('VOSTRAVA', 'The works will take six months.'), source: 'Daily', published: new Date(t0).toISOString() });
  c.add({ id: 2, title: 'Kerrin bridge to close for repairs | Local News', text: body('VOSTRAVA, March 10', 'Repairs are expected to cost 4 million.'), source: 'Herald', published: new Date(t0 + 3600_000).toISOString() });
  const s = c.story(r1.storyId)!;
  assert.equal(s.size, 2);
  assert.ok(!s.headline.includes('|'), s.headline);
  assert.ok(s.summary.length >= 2, JSON.stringify(s.summary));
  for (const sent of s.summary) assert.ok(!/^VOSTRAVA/.test(sent), sent);
  // date lines and headlines inside the text are not summary sentences
  for (const sent of s.summary) assert.ok(/[.!?]$/.test(sent) && !sent.includes('Published'), sent);
});

const SPLIT_OPTS = { splitBar: 0.45, splitSupport: 3 };

test('split after the fact: the second event leaves the story once its articles accumulate', () => {
  const c = new StoryClusterer(SPLIT_OPTS);
  const byId = new Map([...CHILE, PERU_BRIEF, ...PERU].map((a) => [a.id, a]));
  const order = ['chile0', 'chile1', 'chile2', 'peru0', 'chile3', 'peru1', 'peru2', 'peru3'];
  const results = order.map((id) => [id, c.add(byId.get(id)!)] as const);
  const first = results[0][1].storyId;
  // the brief joined the Chile story at a low score: no way to know yet
  const brief = results.find(([id]) => id === 'peru0')![1];
  assert.equal(brief.storyId, first);
  assert.ok(brief.score < SPLIT_OPTS.splitBar, `brief joined at ${brief.score}`);
  const splits = results.filter(([, r]) => r.split);
  assert.equal(splits.length, 1, 'exactly one split');
  const [atId, r] = splits[0];
  assert.ok(atId.startsWith('peru'));
  assert.equal(r.split!.from, first, 'the older, bigger part keeps its id');
  assert.equal(r.split!.into, r.storyId);
  assert.ok(r.split!.articleIds.includes('peru0'), 'the brief moved with the Peru articles');
  assert.ok(r.split!.articleIds.every((id) => String(id).startsWith('peru')));
  // everything lands where it belongs, and later articles follow
  for (const id of ['peru4', 'chile4', 'peru5']) assert.equal(c.add(byId.get(id)!).storyId, id.startsWith('peru') ? r.storyId : first, id);
  for (const id of byId.keys()) assert.equal(c.storyOf(id), id.startsWith('peru') ? r.storyId : first, id);
  assert.deepEqual(c.story(first)!.timeline.map((x) => x.id).sort(), ['chile0', 'chile1', 'chile2', 'chile3', 'chile4']);
  assert.equal(c.story(r.storyId)!.size, 6);
  // the two parts of a split never merge back
  for (let i = 0; i < 3; i++) assert.equal(c.add({ ...byId.get('peru' + (i + 1))!, id: 'again' + i }).merged, undefined);
});

// Coverage of the Chile quake that shares little wording with the first reports: a brief and follow-ups.
const CHILE_MORE = [
  {
    id: 'cb',
    title: 'Strong earthquake shakes buildings, USGS says',
    text: [
      'Strong earthquake shakes buildings, USGS says',
      'A strong earthquake struck on Tuesday, shaking buildings near the port city of Iquique, the US Geological Survey said.',
      'The quake hit at a depth of 20 kilometres, according to the USGS.',
      'There were no immediate reports of damage or injuries in the Iquique region, officials in Chile said.',
      'Residents ran into the streets as the shaking lasted nearly a minute, local radio reported.',
    ].join('\n'),
  },
  {
    id: 'cf1',
    title: 'Chile inspects schools and hospitals after Iquique quake',
    text: [
      'Chile inspects schools and hospitals after Iquique quake',
      "Engineers inspected schools, hospitals and bridges in Iquique on Wednesday after Tuesday's earthquake, the regional government of Tarapaca said.",
      'Two schools will stay closed while cracks in their walls are checked, and a wing of the regional hospital was evacuated as a precaution.',
      'Several aftershocks rattled the city overnight, the strongest of magnitude 4.9, according to the national seismology centre.',
      'Copper producers in the region said shipments from the port of Iquique were running normally.',
    ].join('\n'),
  },
  {
    id: 'cf2',
    title: 'Aftershocks keep Iquique on edge',
    text: [
      'Aftershocks keep Iquique on edge',
      "Residents of Iquique spent a second night outdoors as aftershocks followed Tuesday's earthquake off northern Chile.",
      "The national seismology centre counted more than 40 aftershocks, and ONEMI, Chile's emergency office, kept shelters open in Tarapaca.",
      'Engineers said the schools closed after the quake could reopen next week once repairs to cracked walls are done.',
      'Fishermen returned to the port, where the navy had briefly cleared boats from the harbour.',
    ].join('\n'),
  },
];

test('a single event is never split, with the split tests on', () => {
  const wary = { splitBar: 0.6, splitSupport: 3 };
  for (const opts of [{}, SPLIT_OPTS, wary]) {
    const c = new StoryClusterer(opts);
    const arts = [CHILE[0], CHILE[1], CHILE_MORE[0], CHILE[2], CHILE_MORE[1], CHILE[3], CHILE_MORE[2], { id: 'qa', ...QUAKE_A }, CHILE[4], { id: 'qb', ...QUAKE_B }];
    // two rounds of the same coverage (reworded copies count as more write-ups of one event)
    const all = [...arts, ...arts.map((a) => ({ ...a, id: a.id + '-2', title: a.title + ', officials say' }))];
    const rs = all.map((a) => c.add(a));
    assert.ok(rs.every((r) => !r.split), JSON.stringify(opts));
    // the split test had something to weigh: some write-ups joined below the bar
    if (opts === wary) assert.ok(rs.filter((r) => !r.isNew && r.score < wary.splitBar).length >= 3, rs.map((r) => r.score.toFixed(2)).join(' '));
    assert.equal(new Set(rs.map((r) => c.resolve(r.storyId))).size, 1, JSON.stringify(opts));
  }
});

test('the two-events test splits a story that mixes two similar events, once both have grown', () => {
  // joins made easy (low bar, no entity gate, no merges): both quakes pile into one story
  const c = new StoryClusterer({ threshold: 0.01, entityGate: 0, mergeThreshold: 0.99 });
  const byId = new Map([...CHILE, ...CHILE_MORE, ...PERU].map((a) => [a.id, a]));
  const order = ['chile0', 'chile1', 'peru1', 'chile2', 'peru2', 'cb', 'peru3', 'chile3', 'peru4', 'chile4', 'peru5', 'cf1'];
  const results = order.map((id) => [id, c.add(byId.get(id)!)] as const);
  const first = results[0][1].storyId;
  const splits = results.filter(([, r]) => r.split);
  assert.equal(splits.length, 1, JSON.stringify(results.map(([id, r]) => [id, r.storyId])));
  const r = splits[0][1];
  assert.equal(r.split!.from, first);
  assert.ok(r.split!.articleIds.length >= 3);
  const moved = new Set(r.split!.articleIds.map(String));
  const peru = (id: string) => id.startsWith('peru');
  const movedPeru = peru([...moved][0]);
  for (const id of moved) assert.equal(peru(id), movedPeru, `moved ${id}`);
  for (const id of order) assert.equal(c.storyOf(id), peru(id) === movedPeru ? r.split!.into : first, id);
  // without the test the story stays mixed
  const off = new StoryClusterer({ threshold: 0.01, entityGate: 0, mergeThreshold: 0.99, splitBic: 0 });
  for (const id of order) assert.equal(off.add(byId.get(id)!).split, undefined);
  assert.equal(off.story(first)!.size, order.length);
});
