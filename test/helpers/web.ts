// Test fixture for the web stage: fills a real store with a small, realistic news day
// (five outlets, a story with a republished copy, quotes with a claim and its denial,
// a title carrying markup). Written for these tests; no third-party text.
import type { NewArticle } from '../../src/core/types.ts';
import type { Store } from '../../src/store/types.ts';

/** The clock the fixture is written against: "now" for the web app in tests. */
export const FIXTURE_NOW = new Date('2025-03-05T15:00:00Z');

const at = (hoursAgo: number) => new Date(FIXTURE_NOW.getTime() - hoursAgo * 3600_000).toISOString();

function paragraphs(...ps: string[]): { text: string; html: string } {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return { text: ps.join('\n\n'), html: ps.map((p) => `<p>${esc(p)}</p>`).join('\n') };
}

function article(
  sourceId: number,
  slug: string,
  host: string,
  o: Partial<NewArticle> & { title: string; hoursAgo: number; body: string[] },
): NewArticle {
  const { text, html } = paragraphs(...o.body);
  return {
    sourceId,
    url: `https://${host}/${slug}`,
    canonicalUrl: o.canonicalUrl ?? null,
    guid: `${host}/${slug}`,
    title: o.title,
    byline: o.byline ?? null,
    published: at(o.hoursAgo),
    publishedIsFallback: false,
    fetchedAt: at(o.hoursAgo - 0.2),
    text: o.text ?? text,
    html: o.html ?? html,
    summary: o.summary ?? null,
    leadImage: o.leadImage ?? null,
    siteName: o.siteName ?? null,
    section: o.section ?? null,
    lang: o.lang ?? 'en',
    extractedFrom: o.extractedFrom ?? 'page',
    extractionMethod: o.extractionMethod ?? 'dom',
    extractionError: o.extractionError ?? null,
  };
}

export interface Fixture {
  sources: { harbour: number; northgate: number; valley: number; meridian: number; broken: number };
  articles: {
    envoysHarbour: number;
    envoysNorthgate: number;
    envoysValley: number;
    envoysCopy: number;
    pokrovsk: number;
    markup: number;
    bridge: number;
    reservoir: number;
    feedOnly: number;
    heatwave1: number;
    heatwave2: number;
    europe: number;
    old: number[];
  };
  stories: { envoys: number; heatwave: number; counter: number; merged: number };
  people: { ushakov: number; putin: number };
}

/** Fill `store` (migrated, empty). `imageBase` is where lead images are served from. */
export async function seedStore(store: Store, imageBase = 'https://images.example'): Promise<Fixture> {
  const harbour = await store.addSource({ url: 'https://harbourledger.example/feed.xml', title: 'Harbour Ledger', siteUrl: 'https://harbourledger.example/' });
  const northgate = await store.addSource({ url: 'https://northgatewire.example/rss', title: 'Northgate Wire', siteUrl: 'https://northgatewire.example/' });
  const valley = await store.addSource({ url: 'https://valleyobserver.example/atom.xml', title: 'Valley Observer', siteUrl: 'https://valleyobserver.example/' });
  const meridian = await store.addSource({ url: 'https://meridiandaily.example/feed.json', title: 'Meridian Daily', siteUrl: 'https://meridiandaily.example/', folder: 'Republishers' });
  const broken = await store.addSource({ url: 'https://gone.example/feed', title: 'Coastal Courier', siteUrl: 'https://gone.example/' });

  await store.updateSource(harbour.id, { lastFetchedAt: at(0.4), lastStatus: 200, nextDueAt: at(-0.6) });
  await store.updateSource(northgate.id, { lastFetchedAt: at(0.5), lastStatus: 304, nextDueAt: at(-0.3) });
  await store.updateSource(valley.id, { lastFetchedAt: at(0.7), lastStatus: 200, nextDueAt: at(-1) });
  await store.updateSource(meridian.id, { lastFetchedAt: at(1), lastStatus: 200, nextDueAt: at(-2) });
  await store.updateSource(broken.id, {
    lastFetchedAt: at(0.3),
    lastStatus: 503,
    lastErrorKind: 'http',
    lastError: 'HTTP 503 Service Unavailable from https://gone.example/feed',
    errorCount: 3,
    nextDueAt: at(-4),
  });

  for (const [h, status, outcome, error] of [
    [8.3, 200, 'ok', null],
    [4.3, 503, 'http', 'HTTP 503 Service Unavailable from https://gone.example/feed'],
    [2.3, 503, 'http', 'HTTP 503 Service Unavailable from https://gone.example/feed'],
    [0.3, 503, 'http', 'HTTP 503 Service Unavailable from https://gone.example/feed'],
  ] as const) {
    await store.logFetch({ sourceId: broken.id, url: broken.url, startedAt: at(h), status, outcome, error, newArticles: 0, elapsedMs: 420 });
  }
  await store.logFetch({ sourceId: harbour.id, url: harbour.url, startedAt: at(0.4), status: 200, outcome: 'ok', error: null, newArticles: 3, elapsedMs: 180 });

  const envoyBody = [
    'US envoys met President Vladimir Putin in Moscow on Tuesday for nearly five hours of talks on a plan to end the war in Ukraine, the Kremlin said, but no compromise was reached on the future of occupied territory.',
    '“So far, we have not found a compromise on the territory,” top Kremlin aide Yury Ushakov told reporters after the meeting, adding that “some American proposals seem more or less acceptable”.',
    'Putin said earlier that Europe was “on the side of war” and accused European governments of obstructing the American effort.',
    'Ukraine’s foreign minister answered on social media that Moscow was “wasting the world’s time”. The full document is at https://harbourledger.example/documents/2025/03/peace-framework-draft-twenty-eight-points-annotated-version-final.pdf for readers who want the detail.',
    'Russia claimed on Monday that its forces had seized the eastern city of Pokrovsk, a logistics hub. Kyiv has denied the development, saying fighting continues in the northern districts.',
  ];
  const envoysHarbour = (
    await store.upsertArticle(
      article(harbour.id, 'world/2025/03/04/envoys-putin-moscow-talks', 'harbourledger.example', {
        title: 'US envoys meet Putin in Moscow over Ukraine peace plan',
        hoursAgo: 22,
        byline: 'Mara Ellison and Tomas Berg',
        section: 'World',
        siteName: 'Harbour Ledger',
        body: envoyBody,
        leadImage: {
          url: `${imageBase}/kremlin-talks.svg`,
          caption: 'The US delegation arrives at the Kremlin on Tuesday evening.',
          credit: 'Photo: Harbour Ledger',
          alt: 'A line of dark cars outside a red brick wall at dusk',
        },
      }),
    )
  ).article;
  const envoysNorthgate = (
    await store.upsertArticle(
      article(northgate.id, '2025/03/04/kremlin-no-compromise-territory', 'northgatewire.example', {
        title: 'Kremlin says no compromise found on territory after five-hour meeting',
        hoursAgo: 20,
        byline: 'Northgate Wire staff',
        section: 'World',
        siteName: 'Northgate Wire',
        body: [
          'The Kremlin said no compromise had been found on territory after a five-hour meeting between President Vladimir Putin and two US envoys in Moscow.',
          '“So far, we have not found a compromise on the territory,” Yury Ushakov, a top Kremlin aide, said.',
          'President Volodymyr Zelenskyy said Ukraine wanted a “dignified peace” and would not recognise any occupied land as Russian.',
        ],
      }),
    )
  ).article;
  const envoysValley = (
    await store.upsertArticle(
      article(valley.id, 'news/envoys-leave-moscow', 'valleyobserver.example', {
        title: 'Envoys leave Moscow without a deal as Europe pushes back',
        hoursAgo: 6,
        byline: 'Ines Okafor',
        section: 'World',
        siteName: 'Valley Observer',
        body: [
          'American envoys left Moscow on Wednesday without an agreement, while European leaders rejected Putin’s charge that they were on the side of war.',
          'Donald Trump called the situation “a mess” in remarks at the White House but said talks would continue.',
        ],
      }),
    )
  ).article;
  const copyBody = [...envoyBody, 'This article was originally published by Harbour Ledger. Sign up for our newsletter to get stories like this in your inbox.'];
  const envoysCopy = (
    await store.upsertArticle(
      article(meridian.id, 'republished/us-envoys-meet-putin', 'meridiandaily.example', {
        title: 'US envoys meet Putin in Moscow over Ukraine peace plan | Meridian Daily',
        hoursAgo: 18,
        byline: 'Mara Ellison and Tomas Berg',
        section: 'World',
        siteName: 'Meridian Daily',
        body: copyBody,
      }),
    )
  ).article;
  const pokrovsk = (
    await store.upsertArticle(
      article(northgate.id, '2025/03/03/pokrovsk-claim', 'northgatewire.example', {
        title: 'Russia claims capture of Pokrovsk; Kyiv denies it',
        hoursAgo: 44,
        section: 'World',
        siteName: 'Northgate Wire',
        body: [
          'Russia’s defence ministry claimed its troops had taken full control of Pokrovsk, a city in the Donetsk region.',
          'Ukraine’s general staff denied the claim and said its units were still holding positions in the north of the city.',
        ],
      }),
    )
  ).article;
  const markup = (
    await store.upsertArticle(
      article(harbour.id, 'tech/html-in-feeds', 'harbourledger.example', {
        title: 'Why <script> tags & "quotes" still break news feeds',
        hoursAgo: 3,
        byline: 'Pat <b>Nguyen</b>',
        section: 'Technology',
        siteName: 'Harbour Ledger',
        body: [
          'Feed readers still meet titles carrying raw markup such as <script>alert(1)</script>, and every one of them must escape it before it reaches a page.',
          'Developers of the reservoir monitoring project said the same escaping bug had affected their dashboards.',
        ],
      }),
    )
  ).article;
  const bridge = (
    await store.upsertArticle(
      article(valley.id, 'local/harbour-bridge-reopens', 'valleyobserver.example', {
        title: 'Harbour bridge reopens after eight months of repairs',
        hoursAgo: 2,
        byline: 'Ines Okafor',
        section: 'Local',
        siteName: 'Valley Observer',
        body: [
          'The harbour bridge reopened to traffic on Wednesday morning after eight months of repairs to its corroded steel deck.',
          'City engineers said the bridge would carry buses again from next week.',
        ],
      }),
    )
  ).article;
  const reservoir = (
    await store.upsertArticle(
      article(harbour.id, 'science/reservoir-levels', 'harbourledger.example', {
        title: 'Reservoir levels rise after the wettest February in a decade',
        hoursAgo: 27,
        section: 'Science',
        siteName: 'Harbour Ledger',
        body: [
          'Reservoir levels across the region rose to 84 per cent of capacity after the wettest February in ten years, the water authority said.',
          'Hydrologists warned that a dry spring could still bring restrictions by late summer.',
        ],
      }),
    )
  ).article;
  const feedOnly = (
    await store.upsertArticle(
      article(meridian.id, 'briefs/market-close', 'meridiandaily.example', {
        title: 'Markets close higher as energy shares rally',
        hoursAgo: 5,
        section: 'Business',
        siteName: 'Meridian Daily',
        extractedFrom: 'feed',
        extractionError: 'no article body found on the page',
        body: ['Stock markets closed higher on Wednesday, led by a rally in energy shares after oil prices rose for a third day.'],
      }),
    )
  ).article;
  const heatwave1 = (
    await store.upsertArticle(
      article(valley.id, 'weather/heatwave-southern-hemisphere', 'valleyobserver.example', {
        title: 'Heatwave grips southern farms as temperatures pass 44C',
        hoursAgo: 30,
        section: 'Environment',
        siteName: 'Valley Observer',
        body: ['Farmers in the south reported crop losses as temperatures passed 44C for a fourth day in a row.'],
      }),
    )
  ).article;
  const heatwave2 = (
    await store.upsertArticle(
      article(northgate.id, '2025/03/04/heatwave-farms', 'northgatewire.example', {
        title: 'Farmers count losses as heatwave enters fourth day',
        hoursAgo: 26,
        section: 'Environment',
        siteName: 'Northgate Wire',
        body: ['The heatwave entered its fourth day on Tuesday, with farmers counting losses of wheat and fruit crops.'],
      }),
    )
  ).article;
  const europe = (
    await store.upsertArticle(
      article(valley.id, 'world/europe-counter-proposal', 'valleyobserver.example', {
        title: 'European leaders draft a counter-proposal to the Putin peace plan talks',
        hoursAgo: 10,
        section: 'World',
        siteName: 'Valley Observer',
        body: ['European leaders began drafting their own peace plan for Ukraine, saying any deal agreed with Putin in Moscow must include security guarantees.'],
      }),
    )
  ).article;
  // Older items, so the home page pages and feeds have more than one screen.
  const old: number[] = [];
  const oldTitles = [
    'City council approves new cycle lanes on the ring road',
    'Library extends opening hours during exam season',
    'Ferry timetable changes from Monday',
    'Museum returns a carved panel to its community of origin',
    'School meals contract goes to a local cooperative',
    'Tram line extension wins planning approval',
  ];
  for (let i = 0; i < oldTitles.length; i++) {
    const src = [harbour.id, northgate.id, valley.id][i % 3];
    const host = ['harbourledger.example', 'northgatewire.example', 'valleyobserver.example'][i % 3];
    const a = await store.upsertArticle(
      article(src, `local/older-${i}`, host, {
        title: oldTitles[i],
        hoursAgo: 50 + i * 7,
        section: 'Local',
        body: [`${oldTitles[i]}, officials said on ${['Monday', 'Sunday', 'Saturday'][i % 3]}.`, 'More details are expected later this week.'],
      }),
    );
    old.push(a.article.id);
  }

  await store.setDuplicateOf(envoysCopy.id, envoysHarbour.id);

  const envoys = await store.createStory({
    title: 'US envoys meet Putin in Moscow over the peace plan',
    summary:
      'US envoys met Vladimir Putin in Moscow for five hours of talks on a plan to end the war in Ukraine. The Kremlin said no compromise was found on territory. Europe rejected Putin’s charge that it was on the side of war.',
    firstSeen: at(44),
    lastUpdated: at(6),
    articleCount: 5,
    sourceCount: 4,
    score: 10,
  });
  for (const id of [envoysHarbour.id, envoysNorthgate.id, envoysValley.id, envoysCopy.id, pokrovsk.id]) await store.setStory(id, envoys.id);
  const heatwave = await store.createStory({
    title: 'Heatwave hits southern farms',
    summary: 'Temperatures passed 44C for a fourth day, and farmers reported losses of wheat and fruit.',
    firstSeen: at(30),
    lastUpdated: at(26),
    articleCount: 2,
    sourceCount: 2,
    score: 4,
  });
  for (const id of [heatwave1.id, heatwave2.id]) await store.setStory(id, heatwave.id);
  const counter = await store.createStory({
    title: 'Europe drafts its own peace plan',
    summary: 'European leaders began drafting a counter-proposal with security guarantees for Ukraine.',
    firstSeen: at(10),
    lastUpdated: at(10),
    articleCount: 1,
    sourceCount: 1,
    score: 2,
  });
  await store.setStory(europe.id, counter.id);
  // A story that was merged into the envoys story: its id must redirect.
  const merged = await store.createStory({ title: 'Putin meets US delegation', firstSeen: at(23), lastUpdated: at(21), score: 1 });
  await store.mergeStories(merged.id, envoys.id);

  const ushakov = await store.upsertPerson('Yury Ushakov', 'PER', ['Ushakov']);
  const putin = await store.upsertPerson('Vladimir Putin', 'PER', ['Putin']);
  const zelenskyy = await store.upsertPerson('Volodymyr Zelenskyy', 'PER', ['Zelenskyy']);
  const trump = await store.upsertPerson('Donald Trump', 'PER', ['Trump']);
  const q = (quote: string, speaker: string, personId: number | null, speakerRole: string | null, extra: { kind?: 'direct' | 'mixed' | 'indirect'; stance?: string; cue?: string } = {}) => ({
    quote,
    start: 0,
    end: quote.length,
    speaker,
    speakerRole,
    personId,
    kind: extra.kind ?? ('direct' as const),
    stance: extra.stance ?? null,
    cue: extra.cue ?? 'said',
  });
  const noCompromise = 'So far, we have not found a compromise on the territory,';
  await store.replaceArticleQuotes(envoysHarbour.id, [
    q(noCompromise, 'Yury Ushakov', ushakov.id, 'top Kremlin aide'),
    q('on the side of war', 'Vladimir Putin', putin.id, 'President', { kind: 'mixed' }),
    q('wasting the world’s time', 'Ukraine’s foreign minister', null, 'Ukrainian Minister of Foreign Affairs', { cue: 'wrote on social media' }),
    q('its forces had seized the eastern city of Pokrovsk', 'Russia', null, null, { kind: 'indirect', stance: 'claim', cue: 'claimed' }),
    q('the development in Pokrovsk; fighting continues in the northern districts', 'Kyiv', null, null, { kind: 'indirect', stance: 'deny', cue: 'denied' }),
  ]);
  await store.replaceArticleQuotes(envoysNorthgate.id, [
    q(noCompromise, 'Yury Ushakov', ushakov.id, 'a top Kremlin aide'),
    q('dignified peace', 'Volodymyr Zelenskyy', zelenskyy.id, 'President', { kind: 'mixed' }),
  ]);
  await store.replaceArticleQuotes(pokrovsk.id, [
    q('its troops had taken full control of Pokrovsk', 'Russia’s defence ministry', null, null, { kind: 'indirect', stance: 'claim', cue: 'claimed' }),
  ]);
  await store.replaceArticleQuotes(envoysValley.id, [q('a mess', 'Donald Trump', trump.id, 'US President', { kind: 'mixed', cue: 'called' })]);
  await store.replaceArticleEntities(envoysHarbour.id, [
    { name: 'Yury Ushakov', type: 'PER', count: 2 },
    { name: 'Vladimir Putin', type: 'PER', count: 2 },
    { name: 'Moscow', type: 'LOC', count: 2 },
    { name: 'Ukraine', type: 'LOC', count: 2 },
  ]);
  await store.replaceArticleEntities(envoysNorthgate.id, [
    { name: 'Yury Ushakov', type: 'PER', count: 1 },
    { name: 'Vladimir Putin', type: 'PER', count: 1 },
    { name: 'Moscow', type: 'LOC', count: 1 },
    { name: 'Volodymyr Zelenskyy', type: 'PER', count: 1 },
  ]);
  await store.replaceArticleEntities(envoysValley.id, [
    { name: 'Moscow', type: 'LOC', count: 1 },
    { name: 'Vladimir Putin', type: 'PER', count: 1 },
    { name: 'Donald Trump', type: 'PER', count: 1 },
  ]);
  // The counter-proposal shares people and places with the envoys story; the heatwave none.
  await store.replaceArticleEntities(europe.id, [
    { name: 'Vladimir Putin', type: 'PER', count: 1 },
    { name: 'Moscow', type: 'LOC', count: 1 },
    { name: 'Ukraine', type: 'LOC', count: 1 },
  ]);

  return {
    sources: { harbour: harbour.id, northgate: northgate.id, valley: valley.id, meridian: meridian.id, broken: broken.id },
    articles: {
      envoysHarbour: envoysHarbour.id,
      envoysNorthgate: envoysNorthgate.id,
      envoysValley: envoysValley.id,
      envoysCopy: envoysCopy.id,
      pokrovsk: pokrovsk.id,
      markup: markup.id,
      bridge: bridge.id,
      reservoir: reservoir.id,
      feedOnly: feedOnly.id,
      heatwave1: heatwave1.id,
      heatwave2: heatwave2.id,
      europe: europe.id,
      old,
    },
    stories: { envoys: envoys.id, heatwave: heatwave.id, counter: counter.id, merged: merged.id },
    people: { ushakov: ushakov.id, putin: putin.id },
  };
}
