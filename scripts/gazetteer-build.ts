// Builds the gazetteer lists that the trainer stores inside the NER model file.
// Run only at training time (scripts/train-ner.ts); the tagger reads the lists from the model,
// so these dev dependencies are not needed at run time.
// Sources (all MIT): human-names (first names, en/de/fr/it/es/nl), city-timezones (cities and
// provinces, from Natural Earth populated places), countries-list (countries, capitals), plus the
// short hand-written lists below.

import { createRequire } from 'node:module';
import type { GazetteerLists } from '../src/nlp/gazetteer.ts';

const require = createRequire(import.meta.url);

// Region and geography names not in the country/city lists.
const REGIONS = [
  'europe', 'asia', 'africa', 'america', 'north america', 'south america', 'latin america', 'central america',
  'middle east', 'near east', 'far east', 'balkans', 'caribbean', 'gulf', 'persian gulf', 'scandinavia',
  'west bank', 'gaza', 'gaza strip', 'golan heights', 'kashmir', 'chechnya', 'siberia', 'crimea', 'donbas',
  'east timor', 'kurdistan', 'tibet', 'taiwan', 'hong kong', 'britain', 'great britain', 'england', 'scotland',
  'wales', 'northern ireland', 'ulster', 'bosnia', 'herzegovina', 'kosovo', 'the netherlands', 'holland',
  'south korea', 'north korea', 'russia', 'united states', 'u.s.', 'us', 'usa', 'u.k.', 'uk', 'united kingdom',
  'soviet union', 'ussr', 'mediterranean', 'atlantic', 'pacific', 'indian ocean', 'baltic', 'black sea',
  'red sea', 'antarctica', 'arctic', 'oceania', 'sahara', 'amazon', 'himalayas', 'alps', 'washington',
  'new england', 'midwest', 'silicon valley', 'wall street', 'capitol hill', 'west', 'east',
];

// Nationalities and other adjectives of places: MISC in CoNLL terms, not LOC.
const DEMONYMS = [
  'american', 'british', 'english', 'scottish', 'welsh', 'irish', 'french', 'german', 'italian', 'spanish',
  'portuguese', 'dutch', 'belgian', 'swiss', 'austrian', 'swedish', 'norwegian', 'danish', 'finnish', 'icelandic',
  'polish', 'czech', 'slovak', 'hungarian', 'romanian', 'bulgarian', 'greek', 'turkish', 'cypriot', 'russian',
  'ukrainian', 'belarusian', 'lithuanian', 'latvian', 'estonian', 'georgian', 'armenian', 'azerbaijani',
  'kazakh', 'uzbek', 'tajik', 'afghan', 'pakistani', 'indian', 'bangladeshi', 'sri lankan', 'nepali', 'chinese',
  'japanese', 'korean', 'vietnamese', 'thai', 'cambodian', 'burmese', 'malaysian', 'indonesian', 'filipino',
  'australian', 'new zealander', 'canadian', 'mexican', 'cuban', 'brazilian', 'argentine', 'argentinian',
  'chilean', 'peruvian', 'colombian', 'venezuelan', 'bolivian', 'ecuadorean', 'ecuadorian', 'uruguayan',
  'paraguayan', 'panamanian', 'jamaican', 'haitian', 'egyptian', 'libyan', 'tunisian', 'algerian', 'moroccan',
  'sudanese', 'ethiopian', 'somali', 'kenyan', 'ugandan', 'tanzanian', 'rwandan', 'burundian', 'congolese',
  'nigerian', 'ghanaian', 'senegalese', 'liberian', 'south african', 'zimbabwean', 'zambian', 'angolan',
  'mozambican', 'israeli', 'palestinian', 'lebanese', 'syrian', 'jordanian', 'iraqi', 'iranian', 'saudi',
  'kuwaiti', 'yemeni', 'omani', 'qatari', 'emirati', 'arab', 'kurdish', 'serbian', 'serb', 'croatian', 'croat',
  'bosnian', 'slovenian', 'albanian', 'macedonian', 'montenegrin', 'european', 'asian', 'african', 'latin',
  'soviet', 'yugoslav', 'scandinavian', 'balkan', 'caribbean', 'western', 'eastern', 'muslim', 'christian',
  'jewish', 'catholic', 'protestant', 'islamic', 'hindu', 'sikh', 'buddhist', 'shi\'ite', 'sunni', 'democrat',
  'republican', 'democratic', 'republicans', 'democrats', 'americans', 'russians', 'germans', 'israelis',
  'palestinians', 'serbs', 'croats', 'muslims', 'kurds', 'chechen', 'chechens', 'taleban', 'taliban',
];

// Words that end organisation names.
const ORG_WORDS = [
  'inc', 'inc.', 'corp', 'corp.', 'corporation', 'ltd', 'ltd.', 'plc', 'co', 'co.', 'company', 'group', 'bank',
  'party', 'union', 'council', 'ministry', 'university', 'club', 'fc', 'association', 'agency', 'commission',
  'committee', 'league', 'federation', 'institute', 'airlines', 'airways', 'motors', 'fund', 'organisation',
  'organization', 'army', 'police', 'parliament', 'congress', 'senate', 'court', 'department', 'board',
  'foundation', 'church', 'college', 'united', 'rovers', 'athletic', 'wanderers', 'holdings', 'industries',
  'systems', 'technologies', 'communications', 'press', 'news', 'times', 'post', 'journal', 'network', 'exchange',
  'reserve', 'office', 'service', 'services', 'front', 'movement', 'alliance', 'assembly', 'authority', 'bureau',
  'cabinet', 'guard', 'force', 'forces', 'navy', 'academy', 'hospital', 'school', 'society', 'trust', 'partners',
];

// Well-known organisations, and places that stand for governments.
const ORGS = [
  'kremlin', 'white house', 'pentagon', 'downing street', 'elysee', 'élysée', 'state department', 'congress',
  'senate', 'house of representatives', 'parliament', 'bundestag', 'duma', 'knesset', 'nato', 'united nations',
  'un', 'u.n.', 'european union', 'eu', 'european commission', 'imf', 'world bank', 'who', 'opec', 'fbi', 'cia',
  'nsa', 'reuters', 'afp', 'ap', 'associated press', 'bbc', 'cnn', 'fox news', 'msnbc', 'nbc', 'cbs', 'abc',
  'new york times', 'washington post', 'wall street journal', 'financial times', 'the guardian', 'al jazeera',
  'tass', 'ria novosti', 'interfax', 'xinhua', 'bloomberg', 'politico', 'supreme court', 'federal reserve', 'fed',
  'hamas', 'hezbollah', 'taliban', 'isis', 'al qaeda', 'general staff', 'red cross', 'amnesty international',
  'human rights watch', 'google', 'apple', 'microsoft', 'amazon', 'facebook', 'twitter', 'meta', 'tesla',
];

// Titles and role words that come before people's names.
const PERSON_TITLES = [
  'mr', 'mr.', 'mrs', 'mrs.', 'ms', 'ms.', 'dr', 'dr.', 'prof', 'sir', 'dame', 'lord', 'lady', 'president',
  'minister', 'prime', 'premier', 'chancellor', 'senator', 'sen.', 'rep.', 'gov.', 'governor', 'mayor', 'king',
  'queen', 'prince', 'princess', 'pope', 'general', 'gen.', 'colonel', 'captain', 'coach', 'spokesman',
  'spokeswoman', 'secretary', 'chairman', 'director', 'judge', 'ambassador', 'envoy', 'leader', 'chief',
  'striker', 'midfielder', 'defender', 'goalkeeper', 'manager', 'champion', 'seed', 'aide', 'adviser', 'advisor',
];

function loadJson<T>(id: string): T | null {
  try {
    return require(id) as T;
  } catch {
    return null;
  }
}

export function buildGazetteer(): GazetteerLists {
  const first = new Set<string>();
  const byGender: Record<string, Set<string>> = { male: new Set(), female: new Set() };
  for (const lang of ['en', 'de', 'fr', 'it', 'es', 'nl']) {
    for (const g of ['male', 'female']) {
      const names = loadJson<string[]>(`human-names/data/${g}-human-names-${lang}.json`) ?? [];
      for (const n of names) {
        if (!/^\p{L}[\p{L}'-]+$/u.test(n)) continue;
        first.add(n.toLowerCase());
        if (lang === 'en' || lang === 'de' || lang === 'fr' || lang === 'es') byGender[g].add(n.toLowerCase());
      }
    }
  }
  // names listed under both genders say nothing
  const male = [...byGender.male].filter((n) => !byGender.female.has(n)).sort();
  const female = [...byGender.female].filter((n) => !byGender.male.has(n)).sort();
  const countries = new Set<string>(REGIONS);
  const cities = new Set<string>();
  const provinces = new Set<string>();
  const cl = loadJson<{ countries: Record<string, { name: string; capital: string }> }>('countries-list');
  if (cl) {
    for (const c of Object.values(cl.countries)) {
      countries.add(c.name.toLowerCase());
      if (c.capital) cities.add(c.capital.toLowerCase());
    }
  }
  const ct = loadJson<{ city: string; city_ascii: string; country: string; province: string; pop: number }[]>(
    'city-timezones/data/cityMap.json',
  );
  if (ct) {
    for (const c of ct) {
      cities.add(c.city.toLowerCase());
      cities.add(c.city_ascii.toLowerCase());
      countries.add(c.country.toLowerCase());
      if (c.province) provinces.add(c.province.toLowerCase());
    }
  }
  for (const c of countries) cities.delete(c);
  for (const c of countries) provinces.delete(c);
  const clean = (s: Set<string>) => [...s].filter((x) => x.length > 1 && !/[()]/.test(x)).sort();
  return {
    FIRST: clean(first),
    CTRY: clean(countries),
    CITY: clean(cities),
    PROV: clean(provinces),
    DEM: [...DEMONYMS].sort(),
    ORGW: [...ORG_WORDS].sort(),
    ORGN: [...ORGS].sort(),
    TITLE: [...PERSON_TITLES].sort(),
    // lookups only (labels starting with "_" are not features): first-name gender for pronouns
    _MALE: male,
    _FEMALE: female,
  };
}
