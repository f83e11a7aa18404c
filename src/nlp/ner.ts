// Named entities (PER / LOC / ORG): averaged-perceptron tagger with BIO Viterbi decoding, weights in
// model/ner.json.gz (trained by scripts/train-ner.ts on ../shared/bench/ner/train), plus
// document-level consistency. Offline, no dependencies.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DigestError } from '../core/errors.ts';
import { inGazetteer, setGazetteer, type GazetteerLists } from './gazetteer.ts';
import { ROLE_HEADS } from './lexicon.ts';
import { TAGS, contextFeatures, isAllCapsSentence, wordFeatures } from './ner-features.ts';
import { splitSentences, tokenize, type Token } from './tokenize.ts';

export type EntityType = 'PER' | 'LOC' | 'ORG';

export interface Entity {
  start: number;
  end: number;
  type: EntityType;
  text: string;
}

/** The serialised model. */
export interface NerModelFile {
  version: 1;
  tags: string[];
  /** (tags+1) x tags: row 0 is the start row, row p+1 is after tag p. */
  trans: number[];
  /** feature -> [tagIndex, weight, tagIndex, weight, ...] (sparse). */
  weights: Record<string, number[]>;
  gazetteer: GazetteerLists;
  attribution?: string;
}

interface LoadedModel {
  nTags: number;
  trans: Float64Array;
  weights: Map<string, Float64Array>;
  wordCache: Map<string, Float64Array>;
}

export const DEFAULT_MODEL_PATH = new URL('./model/ner.json.gz', import.meta.url);

let model: LoadedModel | null = null;

export function loadNerModel(path: string | URL = DEFAULT_MODEL_PATH): void {
  let raw: NerModelFile;
  try {
    const buf = readFileSync(path);
    raw = JSON.parse((buf[0] === 0x1f ? gunzipSync(buf) : buf).toString('utf8')) as NerModelFile;
  } catch (e) {
    throw new DigestError('config', `cannot load the NER model at ${String(path)}: ${(e as Error).message}`, { cause: e });
  }
  useNerModel(raw);
}

export function useNerModel(raw: NerModelFile): void {
  if (raw.tags.join(',') !== TAGS.join(',')) throw new DigestError('config', 'NER model has an unexpected tag set');
  const nTags = TAGS.length;
  const weights = new Map<string, Float64Array>();
  for (const [f, sparse] of Object.entries(raw.weights)) {
    const v = new Float64Array(nTags);
    for (let i = 0; i < sparse.length; i += 2) v[sparse[i]] = sparse[i + 1];
    weights.set(f, v);
  }
  setGazetteer(raw.gazetteer ?? {});
  model = { nTags, trans: Float64Array.from(raw.trans), weights, wordCache: new Map() };
}

function ensureModel(): LoadedModel {
  if (!model) loadNerModel();
  return model!;
}

// Allowed transitions in BIO: I-X only after B-X or I-X.
const ALLOWED: boolean[][] = (() => {
  const t = TAGS as readonly string[];
  return [-1, ...t.map((_, i) => i)].map((p) =>
    t.map((cur) => {
      if (!cur.startsWith('I-')) return true;
      if (p < 0) return false;
      const prev = t[p];
      return prev !== 'O' && prev.slice(2) === cur.slice(2);
    }),
  );
})();

/** Best tag sequence (tag indices) for one tokenised sentence. */
export function tagTokens(tokens: readonly string[]): number[] {
  const m = ensureModel();
  const n = tokens.length;
  if (n === 0) return [];
  const T = m.nTags;
  const allCaps = isAllCapsSentence(tokens);
  const ctx = contextFeatures(tokens);
  const emit = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    const wv = wordVector(m, tokens[i], allCaps);
    for (let t = 0; t < T; t++) emit[i * T + t] = wv[t];
    for (const f of ctx[i]) {
      const w = m.weights.get(f);
      if (!w) continue;
      for (let t = 0; t < T; t++) emit[i * T + t] += w[t];
    }
  }
  return viterbi(emit, n, T, m.trans);
}

/** Summed weights of a word's own features, cached (bounded) per model. */
function wordVector(m: LoadedModel, w: string, allCaps: boolean): Float64Array {
  const key = (allCaps ? '1' : '0') + w;
  let v = m.wordCache.get(key);
  if (v) return v;
  v = new Float64Array(m.nTags);
  for (const f of wordFeatures(w, allCaps)) {
    const x = m.weights.get(f);
    if (!x) continue;
    for (let t = 0; t < m.nTags; t++) v[t] += x[t];
  }
  if (m.wordCache.size > 200_000) m.wordCache.clear();
  m.wordCache.set(key, v);
  return v;
}

export function viterbi(emit: Float64Array, n: number, T: number, trans: Float64Array): number[] {
  const score = new Float64Array(n * T);
  const back = new Int32Array(n * T);
  for (let t = 0; t < T; t++) score[t] = ALLOWED[0][t] ? emit[t] + trans[t] : -Infinity;
  for (let i = 1; i < n; i++) {
    for (let t = 0; t < T; t++) {
      let best = -Infinity;
      let arg = 0;
      for (let p = 0; p < T; p++) {
        if (!ALLOWED[p + 1][t]) continue;
        const s = score[(i - 1) * T + p] + trans[(p + 1) * T + t];
        if (s > best) {
          best = s;
          arg = p;
        }
      }
      score[i * T + t] = best + emit[i * T + t];
      back[i * T + t] = arg;
    }
  }
  let best = -Infinity;
  let arg = 0;
  for (let t = 0; t < T; t++) {
    if (score[(n - 1) * T + t] > best) {
      best = score[(n - 1) * T + t];
      arg = t;
    }
  }
  const out = new Array<number>(n);
  out[n - 1] = arg;
  for (let i = n - 1; i > 0; i--) out[i - 1] = back[i * T + out[i]];
  return out;
}

interface TokSpan {
  s: number; // first token
  e: number; // after last token
  type: string; // PER LOC ORG MISC
  /** Set by a post-rule (teams, datelines): weighs more in document votes. */
  ruled?: boolean;
}

function spansFromTags(tags: number[]): TokSpan[] {
  const out: TokSpan[] = [];
  let cur: TokSpan | null = null;
  for (let i = 0; i < tags.length; i++) {
    const tag = TAGS[tags[i]];
    if (tag.startsWith('B-') || (tag.startsWith('I-') && (!cur || cur.type !== tag.slice(2)))) {
      if (cur) out.push(cur);
      cur = { s: i, e: i + 1, type: tag.slice(2) };
    } else if (tag.startsWith('I-') && cur) cur.e = i + 1;
    else {
      if (cur) out.push(cur);
      cur = null;
    }
  }
  if (cur) out.push(cur);
  return out;
}

interface SentenceWork {
  text: string;
  offset: number;
  tokens: Token[];
  spans: TokSpan[];
  allCaps: boolean;
}

const isCapWord = (w: string) => /^\p{Lu}/u.test(w);
const STOP_CAP = new Set(['the', 'a', 'an', 'he', 'she', 'it', 'they', 'we', 'i', 'but', 'and', 'in', 'on', 'at', 'mr', 'mrs', 'ms', 'dr']);

/** Same name, same type across a document; surnames of people named in full are people. */
function harmonise(sents: SentenceWork[]): void {
  const votes = new Map<string, Map<string, number>>();
  const surnames = new Set<string>();
  const key = (s: SentenceWork, sp: TokSpan) =>
    s.tokens
      .slice(sp.s, sp.e)
      .map((t) => t.text.toLowerCase())
      .join(' ');
  for (const s of sents) {
    for (const sp of s.spans) {
      const k = key(s, sp);
      const w = sp.ruled ? 2 : s.allCaps ? 0.5 : 1;
      let m = votes.get(k);
      if (!m) votes.set(k, (m = new Map()));
      m.set(sp.type, (m.get(sp.type) ?? 0) + w);
      if (sp.type === 'PER' && sp.e - sp.s >= 2 && !s.allCaps) surnames.add(s.tokens[sp.e - 1].text.toLowerCase());
    }
  }
  // first words of multi-word organisations ("Jones Medical Industries Inc" → "Jones" alone is the company)
  const orgHeads = new Set<string>();
  for (const s of sents) for (const sp of s.spans) if (sp.type === 'ORG' && sp.e - sp.s >= 2 && !s.allCaps) {
    const w = s.tokens[sp.s].text.toLowerCase();
    if (!/^(?:the|new|national|united|first|south|north|east|west|central|american|british|european|international|world|general|royal|state|federal)$/.test(w)) orgHeads.add(w);
  }
  const major = (k: string): [string, number] | null => {
    const m = votes.get(k);
    if (!m) return null;
    let best: [string, number] | null = null;
    for (const [t, c] of m) if (!best || c > best[1]) best = [t, c];
    return best;
  };
  for (const s of sents) {
    // relabel to the document's majority
    for (const sp of s.spans) {
      const k = key(s, sp);
      const mj = major(k);
      if (mj && mj[0] !== sp.type) {
        const own = votes.get(k)!.get(sp.type) ?? 0;
        if (mj[1] > own) sp.type = mj[0];
      }
      if (sp.e - sp.s === 1 && sp.type !== 'PER' && surnames.has(k) && !inGazetteer(k, 'CTRY')) sp.type = 'PER';
      else if (sp.e - sp.s === 1 && sp.type === 'PER' && orgHeads.has(k) && !surnames.has(k)) sp.type = 'ORG';
    }
    // tag untagged capitalised words that the document already knows
    const tagged = new Uint8Array(s.tokens.length);
    for (const sp of s.spans) for (let i = sp.s; i < sp.e; i++) tagged[i] = 1;
    for (let i = 0; i < s.tokens.length; i++) {
      if (tagged[i]) continue;
      const w = s.tokens[i].text;
      if (!isCapWord(w) || STOP_CAP.has(w.toLowerCase())) continue;
      // longest known phrase starting here (up to 4 tokens)
      let done = false;
      for (let n = Math.min(4, s.tokens.length - i); n >= 1 && !done; n--) {
        let ok = true;
        for (let k = i; k < i + n; k++) if (tagged[k]) ok = false;
        if (!ok) continue;
        const k = s.tokens
          .slice(i, i + n)
          .map((t) => t.text.toLowerCase())
          .join(' ');
        const mj = major(k);
        let type: string | null = mj && mj[1] >= 1 ? mj[0] : null;
        if (!type && n === 1 && surnames.has(k)) type = 'PER';
        if (type && type !== 'MISC') {
          // only when the phrase is bounded (not part of a longer capitalised run)
          const nextCap = i + n < s.tokens.length && isCapWord(s.tokens[i + n].text) && !s.allCaps;
          if (nextCap) continue;
          s.spans.push({ s: i, e: i + n, type });
          for (let q = i; q < i + n; q++) tagged[q] = 1;
          i += n - 1;
          done = true;
        }
      }
    }
    s.spans.sort((a, b) => a.s - b.s);
  }
}

const SPORT_BEFORE = new Set(['beat', 'beats', 'v', 'vs', 'vs.', 'v.', 'defeated', 'drew', 'draw', 'against', 'host', 'hosts', 'visit']);
const SCORE_RE = /^\d{1,3}(?:-\d{1,3})?$/;
const UNIT_AFTER = new Set(['percent', '%', 'pct', 'per', 'km', 'miles', 'million', 'billion', 'people', 'years', 'kg', 'tonnes', 'dollars']);

/**
 * Places that stand for sports teams (county and city clubs: "Somerset 83 and 174",
 * "Leicestershire beat Somerset") are organisations; countries stay places (CoNLL convention).
 */
function teamsFromPlaces(s: SentenceWork): void {
  const toks = s.tokens;
  for (const sp of s.spans) {
    if (sp.type !== 'LOC') continue;
    const phrase = toks.slice(sp.s, sp.e).map((t) => t.text).join(' ');
    if (inGazetteer(phrase, 'CTRY')) continue;
    const next = sp.e < toks.length ? toks[sp.e].text : '';
    const next2 = sp.e + 1 < toks.length ? toks[sp.e + 1].text.toLowerCase() : '';
    const prev = sp.s > 0 ? toks[sp.s - 1].text.toLowerCase() : '';
    const prevPrev = sp.s > 1 ? toks[sp.s - 2].text.toLowerCase() : '';
    const score = SCORE_RE.test(next) && !UNIT_AFTER.has(next2) && !(sp.s === 0 && /^\d{4}-/.test(next));
    const versus = SPORT_BEFORE.has(prev) || (prev === 'to' && prevPrev === 'lost') || (prev === 'with' && prevPrev === 'drew') ||
      ['beat', 'v', 'vs', 'vs.', 'drew', 'defeated', 'beats'].includes(next.toLowerCase());
    if (score || versus) {
      sp.type = 'ORG';
      sp.ruled = true;
    }
  }
  // results and standings lines: "Puchon 2 Chonbuk 1", "Suwan 1 3 0 7 3 6" – untagged names before scores are teams
  const nums = toks.filter((t) => /^\d+(?:[-.]\d+)?$/.test(t.text)).length;
  if (nums < 2) return;
  const tagged = new Uint8Array(toks.length);
  for (const sp of s.spans) for (let i = sp.s; i < sp.e; i++) tagged[i] = 1;
  for (let i = 0; i < toks.length; i++) {
    if (tagged[i] || !/^\p{Lu}[\p{L}'’-]+$/u.test(toks[i].text)) continue;
    let e = i;
    while (e < toks.length && !tagged[e] && /^\p{Lu}[\p{L}'’-]+$/u.test(toks[e].text)) e++;
    const before = i === 0 ? '' : toks[i - 1].text;
    const startsRow = i === 0 || /^\d+(?:[-.]\d+)?$/.test(before) || before === ',' || before === ':';
    const next = e < toks.length ? toks[e].text : '';
    const phrase = toks.slice(i, e).map((t) => t.text).join(' ');
    if (startsRow && SCORE_RE.test(next) && !inGazetteer(phrase, 'CTRY') && !inGazetteer(toks[i].text, 'FIRST') && !inGazetteer(phrase, 'DEM')) {
      s.spans.push({ s: i, e, type: 'ORG', ruled: true });
      for (let k = i; k < e; k++) tagged[k] = 1;
    }
    i = e - 1;
  }
  s.spans.sort((a, b) => a.s - b.s);
}

const TITLE_WORDS = new Set([...ROLE_HEADS, 'foreign', 'affairs', 'defence', 'defense', 'interior', 'finance', 'state',
  'prime', 'vice', 'deputy', 'former', 'us', 'u.s.', 'of', 'economic', 'special', 'chief', 'senior', 'top']);

/** Datelines and section heads: "HONG KONG 1996-08-30", "NICE, France ...", "LONDON (Reuters) -", "FRANCE - Bond futures ...". */
function datelines(s: SentenceWork): void {
  const toks = s.tokens;
  let e = 0;
  while (e < toks.length && e < 4 && /^\p{Lu}[\p{Lu}.'’-]*$/u.test(toks[e].text) && /\p{L}{2}/u.test(toks[e].text)) e++;
  if (e === 0 || e >= toks.length) return;
  const next = toks[e].text;
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(next);
  const wire = next === '(' || next === ',' || next === '-' || next === '—' || isDate;
  if (!wire) return;
  if (next === '-' && !(e + 1 < toks.length && /^\p{Lu}/u.test(toks[e + 1].text))) return;
  // "(" must open a wire or date ("(Reuters)", "(AP)"), "," a region or a date
  if (next === '(' && !(e + 2 < toks.length && /^\p{Lu}/u.test(toks[e + 1].text) && toks[e + 2].text === ')')) return;
  const phrase = toks.slice(0, e).map((t) => t.text).join(' ');
  if (inGazetteer(phrase, 'DEM') || inGazetteer(phrase, 'ORGN')) return;
  const known = inGazetteer(phrase, 'CTRY') || inGazetteer(phrase, 'CITY') || inGazetteer(phrase, 'PROV');
  const dated = isDate || (next === ',' && toks.slice(e).some((t) => /^\d{4}-\d{2}-\d{2}$/.test(t.text)));
  if (!known && !dated && next !== '(') return;
  const kept = s.spans.filter((sp) => sp.s >= e || sp.e <= 0);
  if (kept.length !== s.spans.length || !s.spans.some((sp) => sp.s === 0 && sp.e === e && sp.type === 'LOC')) {
    s.spans = [{ s: 0, e, type: 'LOC', ruled: true }, ...kept];
  }
}

const COMPANY_SUFFIX = /^(?:Co|Co\.|Inc|Inc\.|Corp|Corp\.|Ltd|Ltd\.|Plc|PLC|LLC|AG|SA|NV|GmbH|Group|Holdings|Bhd|Berhad)$/;

/** Company names: "Douglas & Lomason Co", "Lear Corp", "Johnson Controls Inc". */
function companies(s: SentenceWork): void {
  const toks = s.tokens;
  const capWord = (t: string) => /^\p{Lu}/u.test(t);
  // "Shares of Douglas & Lomason Co": a common noun opening the sentence is not part of the name
  for (const sp of s.spans) {
    if (sp.s === 0 && sp.e - sp.s >= 3 && toks[1].text === 'of' && inGazetteer(toks[0].text.toLowerCase(), '_COMMON') && !s.allCaps) sp.s = 2;
  }
  for (const sp of s.spans) {
    let e = sp.e;
    // "X & Y"
    while (e + 1 < toks.length && toks[e].text === '&' && capWord(toks[e + 1].text)) {
      e += 2;
      while (e < toks.length && capWord(toks[e].text) && !COMPANY_SUFFIX.test(toks[e].text) && e - sp.e < 4) e++;
    }
    if (e < toks.length && COMPANY_SUFFIX.test(toks[e].text)) e++;
    if (e > sp.e) {
      sp.e = e;
      sp.type = 'ORG';
      sp.ruled = true;
    }
  }
  // untagged "Lear Corp"
  const tagged = new Uint8Array(toks.length);
  for (const sp of s.spans) for (let i = sp.s; i < sp.e; i++) tagged[i] = 1;
  for (let i = 1; i < toks.length; i++) {
    if (tagged[i] || !/^(?:Co|Inc|Corp|Ltd|Plc|PLC|LLC|AG|GmbH)\.?$/.test(toks[i].text)) continue;
    let b = i;
    while (b > 0 && !tagged[b - 1] && /^\p{Lu}[\p{L}&'’-]*$/u.test(toks[b - 1].text) && i - b < 3) b--;
    if (b < i && !(b === 0 && i - b === 1 && inGazetteer(toks[0].text.toLowerCase(), '_COMMON'))) s.spans.push({ s: b, e: i + 1, type: 'ORG', ruled: true });
  }
  // drop spans swallowed by an extension
  s.spans.sort((a, b) => a.s - b.s || b.e - a.e);
  const out: TokSpan[] = [];
  for (const sp of s.spans) if (!out.length || sp.s >= out[out.length - 1].e) out.push(sp);
  s.spans = out;
}

/** People by form: an initial and a surname ("M. Slater"), or a name followed by a nationality in brackets ("Gete Wami (Ethiopia)"). */
function peopleFromPatterns(s: SentenceWork): void {
  const toks = s.tokens;
  const tagged = new Uint8Array(toks.length);
  for (const sp of s.spans) for (let i = sp.s; i < sp.e; i++) tagged[i] = 1;
  const capWord = (t: string) => /^\p{Lu}[\p{Ll}'’-]+$/u.test(t) || /^\p{Lu}['’]\p{Lu}\p{Ll}+$/u.test(t);
  for (const sp of s.spans) {
    if (sp.type === 'PER') continue;
    const first = toks[sp.s].text;
    const phrase = toks.slice(sp.s, sp.e).map((t) => t.text).join(' ');
    const bracketCountry = sp.e + 2 < toks.length && toks[sp.e].text === '(' && toks[sp.e + 2].text === ')' && inGazetteer(toks[sp.e + 1].text, 'CTRY');
    if ((/^\p{Lu}\.$/u.test(first) && sp.e - sp.s >= 2) || (bracketCountry && sp.e - sp.s >= 2 && !inGazetteer(phrase, 'CTRY') && !inGazetteer(phrase, 'CITY'))) sp.type = 'PER';
  }
  for (let i = 0; i < toks.length; i++) {
    if (tagged[i]) continue;
    // "M. Slater", "J. Adams"
    if (/^\p{Lu}\.$/u.test(toks[i].text) && i + 1 < toks.length && !tagged[i + 1] && capWord(toks[i + 1].text)) {
      let e = i + 2;
      if (e < toks.length && !tagged[e] && capWord(toks[e].text) && !(e + 1 < toks.length && toks[e + 1].text === '(')) e++;
      s.spans.push({ s: i, e, type: 'PER' });
      for (let k = i; k < e; k++) tagged[k] = 1;
      i = e - 1;
      continue;
    }
    // "Gete Wami (Ethiopia)" (also when the tagger cut the name or called part of it something else)
    if (capWord(toks[i].text) && (i === 0 || !capWord(toks[i - 1].text))) {
      let e = i;
      while (e < toks.length && capWord(toks[e].text) && e - i < 3) e++;
      if (e - i >= 2 && e + 2 < toks.length && toks[e].text === '(' && toks[e + 2].text === ')' && inGazetteer(toks[e + 1].text, 'CTRY') && !inGazetteer(toks.slice(i, e).map((t) => t.text).join(' '), 'CTRY')) {
        s.spans = s.spans.filter((sp) => sp.e <= i || sp.s >= e);
        s.spans.push({ s: i, e, type: 'PER', ruled: true });
        for (let k = i; k < e; k++) tagged[k] = 1;
      }
      i = Math.max(i, e - 1);
    }
  }
  s.spans.sort((a, b) => a.s - b.s);
}

function toEntities(s: SentenceWork): Entity[] {
  const out: Entity[] = [];
  for (const sp of s.spans) {
    if (sp.type !== 'PER' && sp.type !== 'LOC' && sp.type !== 'ORG') continue;
    if (sp.type === 'LOC' && sp.e - sp.s === 1 && inGazetteer(s.tokens[sp.s].text, 'DEM') && !inGazetteer(s.tokens[sp.s].text, 'CTRY')) continue; // "Russian": MISC
    if (sp.type === 'PER') {
      // titles are not part of names: "Foreign Affairs Andrii Sybiha" → "Andrii Sybiha"
      while (sp.e - sp.s > 1 && TITLE_WORDS.has(s.tokens[sp.s].text.toLowerCase())) sp.s++;
    }
    const start = s.tokens[sp.s].start;
    const end = s.tokens[sp.e - 1].end;
    out.push({ start, end, type: sp.type, text: s.text.slice(start - s.offset, end - s.offset) });
  }
  return out;
}

function work(text: string, offset: number, tokens: Token[]): SentenceWork {
  const strs = tokens.map((t) => t.text);
  return { text, offset, tokens, spans: spansFromTags(tagTokens(strs)), allCaps: isAllCapsSentence(strs) };
}

/**
 * Entities of one document given as separate sentences (offsets relative to each sentence),
 * with document-level consistency across them.
 */
export function extractEntitiesFromSentences(sentences: readonly string[]): Entity[][] {
  const works = sentences.map((t) => work(t, 0, tokenize(t)));
  works.forEach(teamsFromPlaces);
  works.forEach(peopleFromPatterns);
  works.forEach(datelines);
  works.forEach(companies);
  harmonise(works);
  return works.map(toEntities);
}

/** People, places and organisations in a text (an article), offsets into `text`. */
export function extractEntities(text: string): Entity[] {
  const works = splitSentences(text).map((sp) => work(text.slice(sp.start, sp.end), sp.start, tokenize(text, sp.start, sp.end)));
  works.forEach(teamsFromPlaces);
  works.forEach(peopleFromPatterns);
  works.forEach(datelines);
  works.forEach(companies);
  harmonise(works);
  return works.flatMap(toEntities);
}
