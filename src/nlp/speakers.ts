// One speaker registry per article: people named in full, surname-only mentions, their roles as
// written, pronouns resolved to the most recent fitting speaker.

import { DETERMINERS, NP_STOP, ROLE_HEADS } from './lexicon.ts';
import type { Entity } from './ner.ts';
import type { Token } from './tokenize.ts';

export type SpeakerType = 'person' | 'org' | 'place' | 'unnamed';
export type Gender = 'm' | 'f' | null;

export interface PersonEntry {
  id: number;
  /** Fullest form of the name seen ("Vladimir Putin"). */
  name: string;
  words: string[];
  role: string | null;
  gender: Gender;
  /** Char offset of the last mention / last time quoted. */
  lastMention: number;
  lastSpoke: number;
  /** Char offset of the last mention as the subject of a sentence. */
  lastSubject?: number;
}

const ROLE_MODIFIERS = new Set([
  'top', 'special', 'senior', 'former', 'longtime', 'long-time', 'chief', 'deputy', 'acting', 'new', 'then',
  'current', 'veteran', 'key', 'close', 'junior', 'prominent', 'leading', 'outgoing', 'incoming', 'interim',
  'vice', 'assistant', 'associate', 'general', 'executive', 'managing', 'economic', 'foreign', 'defense',
  'defence', 'political', 'presidential', 'press', 'campaign', 'party', 'house', 'state', 'federal', 'national',
  'regional', 'local', 'military', 'security', 'intelligence', 'finance', 'interior', 'justice', 'health',
  'energy', 'trade', 'policy', 'communications', 'spokesman', 'white', 'republican', 'democratic', 'independent',
  'conservative', 'liberal', 'progressive', 'retired', 'legendary', 'famed', 'billionaire', 'first', 'second',
  'lead', 'head', 'own', 'personal', 'high-ranking', 'high', 'ranking', 'majority', 'minority', 'opposition',
  'government', 'cabinet', 'nuclear', 'chief', 'permanent', 'supreme', 'staff', 'legal', 'medical', 'senate',
  'congressional', 'gubernatorial', 'mayoral', 'vice-presidential', 'running', 'envoy', 'minister', 'secretary',
  'director', 'spokeswoman', 'spokesperson', 'u.s.', 'us', 'uk', 'eu', 'un', 'nato', 'ex', 'ex-', 'fellow',
]);

const ADJ_SUFFIX = /(?:al|ic|ian|ean|ese|ish|ive|ior|ary|ern)$/;
const FEMALE_TITLES = new Set(['mrs', 'mrs.', 'ms', 'ms.', 'miss', 'madam', 'queen', 'princess', 'lady', 'dame', 'congresswoman', 'spokeswoman', 'chairwoman', 'businesswoman', 'wife', 'mother', 'daughter', 'actress', 'sister']);
const MALE_TITLES = new Set(['mr', 'mr.', 'sir', 'king', 'prince', 'lord', 'congressman', 'spokesman', 'chairman', 'businessman', 'husband', 'father', 'son', 'brother', 'son-in-law']);

const isCap = (w: string) => /^\p{Lu}/u.test(w);
const isName = (w: string) => /^\p{Lu}[\p{L}.'’-]*$/u.test(w) || /^(?:\p{Lu}\.)+$/u.test(w);

/**
 * Role written just before a name, from the tokens before index `nameStart`:
 * "top Kremlin aide" [Yury Ushakov], "Ukrainian Minister of Foreign Affairs" [Andrii Sybiha],
 * "US President Donald Trump's special envoy," [Steve Witkoff].
 */
export function roleBefore(tokens: Token[], nameStart: number, text: string): string | null {
  let i = nameStart - 1;
  // appositive "X's special envoy, Steve Witkoff"
  if (i >= 0 && tokens[i].text === ',') i--;
  const end = i;
  let start = -1;
  let hasHead = false;
  for (; i >= 0 && end - i < 9; i--) {
    const w = tokens[i].text;
    const lw = w.toLowerCase();
    if (ROLE_HEADS.has(lw)) {
      hasHead = true;
      start = i;
      continue;
    }
    if (lw === 'of' || lw === '’s' || lw === "'s" || lw === '-' || lw === '&') {
      if (i > 0 && (isCap(tokens[i - 1].text) || ROLE_HEADS.has(tokens[i - 1].text.toLowerCase()))) continue;
      break;
    }
    if (DETERMINERS.has(lw) || NP_STOP.has(lw)) break;
    if (isCap(w)) {
      if (!hasHead && end - i > 3) break;
      start = i;
      continue;
    }
    if (ROLE_MODIFIERS.has(lw) || (ADJ_SUFFIX.test(lw) && lw.length > 4)) {
      start = i;
      continue;
    }
    break;
  }
  if (!hasHead || start < 0) return null;
  // the role must end with a head or a capitalised title word
  while (start <= end && (tokens[start].text === '’s' || tokens[start].text === "'s" || tokens[start].text.toLowerCase() === 'of')) start++;
  let e = end;
  while (e >= start && !(ROLE_HEADS.has(tokens[e].text.toLowerCase()) || isCap(tokens[e].text))) e--;
  if (e < start) return null;
  const role = text.slice(tokens[start].start, tokens[e].end);
  if (/^(?:mr|mrs|ms|dr)\.?$/i.test(role)) return null;
  return role;
}

/** Role in an appositive after a name: "Yury Ushakov, a top Kremlin aide," → "top Kremlin aide". */
export function roleAfter(tokens: Token[], nameEnd: number, text: string): string | null {
  if (nameEnd >= tokens.length || tokens[nameEnd].text !== ',') return null;
  let i = nameEnd + 1;
  if (i < tokens.length && DETERMINERS.has(tokens[i].text.toLowerCase())) i++;
  const s = i;
  let lastHead = -1;
  for (; i < tokens.length && i - s < 10; i++) {
    const w = tokens[i].text;
    if (w === ',' || w === '.' || w === ';' || w === ')' || w === '(' || /^[“”"]$/.test(w)) break;
    const lw = w.toLowerCase();
    if (NP_STOP.has(lw) && lw !== 'for' && lw !== 'at') break;
    if (ROLE_HEADS.has(lw)) lastHead = i;
  }
  if (lastHead < 0 || i >= tokens.length || tokens[i].text !== ',') {
    if (lastHead < 0) return null;
    if (i < tokens.length && tokens[i].text !== ',' && tokens[i].text !== '.') return null;
  }
  let e = i - 1;
  while (e > s && /^[,.]$/.test(tokens[e].text)) e--;
  if (e < s) return null;
  return text.slice(tokens[s].start, tokens[e].end);
}

export function genderOfTitle(words: string[]): Gender {
  for (const w of words) {
    const lw = w.toLowerCase();
    if (FEMALE_TITLES.has(lw)) return 'f';
    if (MALE_TITLES.has(lw)) return 'm';
  }
  return null;
}

export class SpeakerRegistry {
  readonly persons: PersonEntry[] = [];
  private firstNameGender: (w: string) => Gender;

  constructor(firstNameGender: (w: string) => Gender = () => null) {
    this.firstNameGender = firstNameGender;
  }

  /** Strip titles ("Mr.", "President") and possessives from a name as written. */
  static cleanName(name: string): string {
    let n = name.replace(/[’']s$/u, '').trim();
    n = n.replace(/^(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|Sir|Dame|Lord|Lady|President|Senator|Governor|Minister|Chancellor|Premier|King|Queen|Prince|Pope|Judge|Mayor)\.?\s+)+/u, '');
    return n.trim();
  }

  find(name: string): PersonEntry | null {
    const words = SpeakerRegistry.cleanName(name).split(/\s+/).filter(Boolean);
    if (!words.length) return null;
    const lw = words.map((w) => w.toLowerCase());
    const last = lw[lw.length - 1];
    let best: PersonEntry | null = null;
    for (const p of this.persons) {
      const pl = p.words.map((w) => w.toLowerCase());
      if (pl[pl.length - 1] !== last && !(lw.length === 1 && pl[0] === last && pl.length > 1 && false)) continue;
      // first names must agree when both are given
      if (lw.length > 1 && pl.length > 1 && pl[0] !== lw[0] && pl[0][0] !== lw[0][0]) continue;
      if (!best || p.lastMention > best.lastMention) best = p;
    }
    return best;
  }

  /** Add or update a person; returns the entry. */
  add(nameAsWritten: string, at: number, role: string | null = null, titleWords: string[] = []): PersonEntry {
    const clean = SpeakerRegistry.cleanName(nameAsWritten);
    const words = clean.split(/\s+/).filter(Boolean);
    let p = this.find(clean);
    if (!p) {
      p = { id: this.persons.length + 1, name: clean, words, role: null, gender: null, lastMention: at, lastSpoke: -1 };
      this.persons.push(p);
    } else if (words.length > p.words.length) {
      p.name = clean;
      p.words = words;
    }
    if (at > p.lastMention) p.lastMention = at;
    if (role && !p.role) p.role = role;
    if (!p.gender) p.gender = genderOfTitle([...titleWords, ...(role ? role.split(/\s+/) : [])]) ?? (p.words.length > 1 ? this.firstNameGender(p.words[0]) : null);
    return p;
  }

  /** The person a pronoun stands for at offset `at`: the most recent fitting speaker, else the most recent fitting mention. */
  resolvePronoun(pronoun: string, at: number): PersonEntry | null {
    const pr = pronoun.toLowerCase();
    if (pr !== 'he' && pr !== 'she' && pr !== 'i') return null;
    const want: Gender = pr === 'he' ? 'm' : pr === 'she' ? 'f' : null;
    const fits = (p: PersonEntry) => !want || !p.gender || p.gender === want;
    let speaker: PersonEntry | null = null;
    let mention: PersonEntry | null = null;
    for (const p of this.persons) {
      if (!fits(p)) continue;
      if (p.lastSpoke >= 0 && p.lastSpoke < at && (!speaker || p.lastSpoke > speaker.lastSpoke)) speaker = p;
      if (p.lastMention < at && (!mention || p.lastMention > mention.lastMention)) mention = p;
    }
    let subject: PersonEntry | null = null;
    for (const p of this.persons) {
      if (!fits(p) || p.lastSubject === undefined || p.lastSubject >= at) continue;
      if (!subject || p.lastSubject > (subject.lastSubject ?? -1)) subject = p;
    }
    // the subject of a sentence after the last quote takes over ("Ban condemned ... “...,” he told reporters")
    if (speaker && subject && subject !== speaker && (subject.lastSubject ?? -1) > speaker.lastSpoke) return subject;
    if (speaker && mention && mention !== speaker) {
      // a person named after the last quote, clearly closer, wins when the speaker is far back
      if (mention.lastMention - speaker.lastSpoke > 600) return mention;
    }
    return speaker ?? mention;
  }
}

/** Name-like run of capitalised tokens ending at `end` (exclusive) inside [lo, end). */
export function nameRunBefore(tokens: Token[], lo: number, end: number): number {
  let i = end;
  while (i > lo && (isName(tokens[i - 1].text) || (i - 2 >= lo && tokens[i - 1].text.toLowerCase() === 'de'))) i--;
  return i;
}

export { isName, isCap };

/** Type of a speaker phrase that is not a person, from the entities inside it. */
export function typeFromEntities(ents: Entity[]): SpeakerType | null {
  if (!ents.length) return null;
  const e = ents[ents.length - 1];
  return e.type === 'PER' ? 'person' : e.type === 'ORG' ? 'org' : 'place';
}
