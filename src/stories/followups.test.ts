// Coverage of one event over several days by different outlets: the first report, a rising death
// toll, a day of mourning. Each outlet writes names its own way ("Prime Minister Elin Marsh",
// "Marsh"; "Port-Vallon" opening a headline, "PORT-VALLON –" as a dateline; accents or not), and
// the numbers change from one day to the next. It must stay one story; a different earthquake
// elsewhere, the same week, must not join it. (Faithful short texts written for this test.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoryClusterer, capitalisedEntities, type StoryArticle } from './index.ts';

const DAY1: StoryArticle = {
  id: 'd1',
  source: 'Coast Herald',
  published: '2026-03-03T06:10:00Z',
  title: 'Magnitude 6.4 earthquake strikes off Port-Vallon, at least seven dead',
  text: [
    'PORT-VALLON – A strong earthquake struck off the coast early on Tuesday, killing at least seven people in Port-Vallon and bringing down houses in the old harbour quarter.',
    'The National Geophysics Office said the quake measured 6.4 and was centred 18 kilometres out to sea, at a shallow depth. It struck at 3.40 a.m., while most residents slept.',
    '“The walls were swaying like washing on a line,” said Maëlle Roussin, 47, who fled with her children to the Place des Pêcheurs.',
    'Prefect Gaspard Tellier said at least 45 people had been taken to hospital and that rescue teams were searching the rubble of two apartment blocks on the rue de la Marine.',
    'The coast road to Sainte-Anne was closed by a landslide and trains were halted while engineers checked bridges.',
  ].join('\n\n'),
};

const DAY2: StoryArticle = {
  id: 'd2',
  source: 'National Ledger',
  published: '2026-03-04T09:30:00Z',
  title: 'Port-Vallon quake death toll rises to 15 as rescuers dig through collapsed flats',
  text: [
    'Port-Vallon’s death toll rose to 15 on Wednesday after rescuers pulled more bodies from the collapsed apartment blocks on the rue de la Marine, officials said.',
    'Regional prefect Gaspard Tellier said 1,200 people had spent the night in gymnasiums and tents, and that 3 people were still unaccounted for.',
    'Prime Minister Elin Marsh visited the harbour quarter and promised emergency funds for rebuilding. “Nobody will be left alone with this,” she told residents.',
    'Seismologists at the National Geophysics Office recorded more than 60 aftershocks overnight, the strongest of magnitude 4.8.',
    'The landslide that cut the coast road to Sainte-Anne was being cleared by army engineers, and the village was reached by boat.',
  ].join('\n\n'),
};

const DAY3: StoryArticle = {
  id: 'd3',
  source: 'Valley Courier',
  published: '2026-03-05T17:45:00Z',
  title: 'Port-Vallon mourns its dead as toll reaches 21; aftershock rattles the harbour',
  text: [
    'PORT-VALLON – The death toll from Tuesday’s earthquake reached 21 on Thursday after two more victims were found under the rubble on the rue de la Marine. Two people remain missing.',
    'Prime Minister Marsh declared Saturday a day of national mourning. Flags flew at half-mast across the country.',
    'On the steps of the church of Saint-Éloi, residents left candles for the victims, among them Joël Ferrand, 68, a retired ferryman known to everyone in the harbour.',
    'A magnitude 5.1 aftershock shook the coast on Thursday morning. Prefect Gaspard Tellier ordered two more buildings on the Place des Pecheurs evacuated as a precaution.',
    'The coast road to Sainte-Anne reopened in the afternoon, and the regional council said a relief fund had raised 2.1 million by the evening.',
  ].join('\n\n'),
};

const ELSEWHERE: StoryArticle = {
  id: 'x',
  source: 'National Ledger',
  published: '2026-03-04T14:00:00Z',
  title: 'Magnitude 5.9 earthquake hits mountain villages near Kesh, killing four',
  text: [
    'KESH – An earthquake of magnitude 5.9 struck the mountains north of Kesh on Wednesday afternoon, killing four people and damaging hundreds of mud-brick homes, the Highland Disaster Authority said.',
    'Governor Tamsin Aldous said rescue teams were struggling to reach three villages in the Orva valley after rockfalls blocked the only road.',
    '“We have no electricity and no water,” said Rafi Dunmore, a shepherd in the village of Lesk, by telephone. Families were sleeping in the open in freezing temperatures.',
    'The authority said 30 people were injured and that helicopters would fly in tents and blankets at first light.',
    'The quake was felt as far away as the provincial capital, where office workers ran into the streets.',
  ].join('\n\n'),
};

test('names as outlets write them: a hyphenated place opening a sentence, a dateline, titles before names, accents', () => {
  const e = capitalisedEntities(DAY2.title + '\n' + DAY2.text);
  assert.ok(e.includes('port-vallon'), e.join('|'));
  assert.ok(e.includes('gaspard tellier'), e.join('|'));
  assert.ok(e.includes('elin marsh'), e.join('|'));
  assert.ok(!e.some((x) => x.includes('minister')), e.join('|'));
  const d = capitalisedEntities(DAY1.text ?? '');
  assert.ok(d.includes('port-vallon'));
  assert.ok(d.includes('place des pecheurs'), d.join('|')); // "Pêcheurs" and "Pecheurs" are one name
  assert.ok(capitalisedEntities(DAY3.text ?? '').includes('place des pecheurs'));
  // a capitalised common word opening a sentence is still not a name
  assert.ok(!capitalisedEntities('Seismologists counted aftershocks. Families slept outside.').includes('seismologists'));
});

test('a rising death toll over three days, by different outlets, stays one story; another quake does not join', () => {
  // in order of publication, and in the order a single pass over the feeds may bring them (newest first)
  for (const order of [[DAY1, DAY2, ELSEWHERE, DAY3], [DAY3, ELSEWHERE, DAY2, DAY1]]) {
    const c = new StoryClusterer();
    const rs = new Map(order.map((a) => [a.id, c.add(a)]));
    const quake = c.storyOf('d1');
    const names = order.map((a) => `${a.id}:${c.storyOf(a.id)}@${rs.get(a.id)!.score.toFixed(2)}`).join(' ');
    assert.equal(c.storyOf('d2'), quake, names);
    assert.equal(c.storyOf('d3'), quake, names);
    assert.notEqual(c.storyOf('x'), quake, names);
    assert.equal(c.story(quake!)!.outlets.length, 3);
  }
});

test('numbers that change over days do not count against a follow-up, but do between same-time reports', () => {
  // The same two reports (no time decay, to see the numbers alone), dated a day apart or undated:
  // undated, the differing numbers (7 vs 15 dead, 45 vs 1,200 people) count in full and the match is lower.
  const scoreOf = (undated: boolean) => {
    const c = new StoryClusterer({ threshold: 0.01, textDecayMs: Number.POSITIVE_INFINITY });
    const strip = (a: StoryArticle) => (undated ? { ...a, published: null } : a);
    c.add(strip(DAY1));
    return c.add(strip(DAY2)).score;
  };
  const dated = scoreOf(false);
  const undated = scoreOf(true);
  assert.ok(dated > undated + 0.02, `${dated} vs ${undated}`);
  // with the former settings (12 h decay for full articles too, differing numbers counted in full)
  // the day-two report started a story of its own
  const old = new StoryClusterer({ textDecayMs: 12 * 3600_000, numberChangeMs: 0 });
  old.add(DAY1);
  assert.equal(old.add(DAY2).isNew, true);
  const now = new StoryClusterer();
  now.add(DAY1);
  assert.equal(now.add(DAY2).isNew, false);
});
