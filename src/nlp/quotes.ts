// Who said what: direct, mixed and indirect quotes with their speakers, roles, channels and stances.
// Rule-based over tokens: quote marks, speech cues ("said", "told", "according to"), the subject of
// each cue (before it, or after it when inverted: "said top Kremlin aide Yury Ushakov"), and one speaker
// registry per article (surnames and pronouns resolved to the most recent fitting speaker).

import { inGazetteer } from './gazetteer.ts';
import { CHANNEL_RE, CUE_GAP, DETERMINERS, NP_STOP, PRONOUNS, ROLE_HEADS, TAKES_OBJECT, attribLemma, cueLemma, isAttributionOnly, isWeakCue, stanceOf, type Stance } from './lexicon.ts';
import { extractEntities, type Entity } from './ner.ts';
import { SpeakerRegistry, genderOfTitle, isCap, isName, roleAfter, roleBefore, type Gender, type PersonEntry, type SpeakerType } from './speakers.ts';
import { splitSentences, tokenize, type Span, type Token } from './tokenize.ts';

export type QuoteKind = 'direct' | 'mixed' | 'indirect';

export interface Quote {
  /** The statement as written (quote marks included for direct quotes). */
  quote: string;
  start: number;
  end: number;
  kind: QuoteKind;
  /** Canonical speaker: full name for people ("Yury Ushakov"), the phrase for others ("Kyiv", "a senior figure in Kyiv"). */
  speaker: string | null;
  speakerRole: string | null;
  speakerType: SpeakerType | null;
  /** How it was said: "told the AFP news agency", "on social media". */
  channel: string | null;
  /** The cue as written ("said", "according to", "wrote"). */
  cue: string | null;
  stance: Stance | null;
  /** The quote-marked parts of a mixed quote. */
  fragments?: { start: number; end: number; text: string }[];
  /** Registry id of the speaker when a person (same id = same person in this article). */
  speakerId?: number | null;
}

export interface ExtractQuotesOptions {
  /** Entities of the text when already computed (offsets into the same text). */
  entities?: Entity[];
  /** Include indirect (reported) speech. Default true. */
  indirect?: boolean;
}

interface QSpan {
  start: number; // offset of the opening mark
  end: number; // after the closing mark (or paragraph end when unclosed)
  closed: boolean;
  words: number;
}

interface Sent {
  start: number;
  end: number;
  tokens: Token[];
  /** for each token, index of the quote span containing it, or -1 */
  inQ: number[];
  qs: QSpan[];
  para: number;
  paraStartsWithQuote: boolean;
}

interface Speaker {
  text: string | null; // canonical
  role: string | null;
  type: SpeakerType | null;
  person: PersonEntry | null;
  /** token range of the subject phrase in the sentence */
  s: number;
  e: number;
}

interface Frame {
  cueTok: number; // first token of the cue
  cueEnd: number; // after the cue tokens
  cueText: string;
  lemma: string;
  speaker: Speaker;
  /** content region in tokens [cs, ce) */
  cs: number;
  ce: number;
  channel: string | null;
  order: number;
  /** Short content allowed (the head of a statement split by a parenthetical attribution). */
  short?: boolean;
  /** The rest of a statement split by a parenthetical attribution ("..., Mr. Obama often says, is the greatest threat"). */
  continues?: boolean;
  /** Cue whose stance this frame carries ("Kyiv has denied the development, saying that ..." → deny). */
  stanceLemma?: string;
}

const OPEN = new Set(['“', '«', '„']);
const CLOSE = new Set(['”', '»']);
const QUOTE_TOKEN = /^[“”"«»„']$/;
const PUNCT = /^[,.;:!?…—–\-()[\]]$/;

const CLOSE_OF: Record<string, string> = { '“': '”', '«': '»', '„': '“' };
const countClose = (text: string, from: number, to: number) => {
  let n = 0;
  for (let i = from; i < to; i++) if (CLOSE.has(text[i])) n++;
  return n;
};

function findQuoteSpans(text: string, ps: number, pe: number, carry: { in: boolean; out: boolean } = { in: false, out: false }): QSpan[] {
  const out: QSpan[] = [];
  // a quote opened in an earlier paragraph and closed in this one (sources that break lines inside quotes)
  let open = carry.in ? ps : -1;
  let straight = false;
  let depth = 0;
  carry.out = false;
  for (let i = ps; i < pe; i++) {
    const ch = text[i];
    if (OPEN.has(ch)) {
      if (open < 0 || straight) {
        // a curly opening inside a straight one: the straight mark was stray
        open = i;
        straight = false;
        depth = 0;
      } else if (/\s/.test(text[i - 1] ?? ' ') && text.indexOf(CLOSE_OF[ch] ?? '”', i + 1) >= 0 && countClose(text, i + 1, pe) >= 2) {
        // a quote inside the quote ("what he calls “hell” than live ..."), closed before the outer one
        depth++;
      }
    } else if (CLOSE.has(ch) && depth > 0 && open >= 0 && !straight) {
      depth--;
    } else if (CLOSE.has(ch)) {
      if (open < 0 && (i === ps || /\s/.test(text[i - 1])) && /[\p{L}\p{N}]/u.test(text[i + 1] ?? '') && text.indexOf(ch, i + 1) > 0 && text.indexOf(ch, i + 1) < pe) {
        // a closing mark typed as the opening one ("”Fear. I am truly afraid ...”")
        open = i;
        straight = false;
      } else if (open >= 0 && !straight) {
        out.push({ start: open, end: i + 1, closed: true, words: 0 });
        open = -1;
      }
    } else if ((ch === "'" && text[i + 1] === "'") || ch === '"') {
      const two = ch === "'";
      if (two) {
        if (open < 0) {
          open = i;
          straight = true;
        } else if (straight) {
          out.push({ start: open, end: i + 2, closed: true, words: 0 });
          open = -1;
        }
        i++;
        continue;
      }
      if (open < 0) {
        open = i;
        straight = true;
      } else if (straight || (i > 0 && /\S/.test(text[i - 1]) && (i + 1 >= pe || /[\s,.;:!?)—–-]/.test(text[i + 1])))) {
        // a straight mark also closes a curly opening ("“Immunity deals ... FBI," Chaffetz said)
        out.push({ start: open, end: i + 1, closed: true, words: 0 });
        open = -1;
      }
    }
  }
  // an unclosed quote runs on into the next paragraph, which then opens with a quote mark; otherwise the mark was stray
  const nextPara = /^\n+\s*(["“«]|'')?/.exec(text.slice(pe, pe + 8));
  if (open >= 0 && pe - open > 1 && (!nextPara || nextPara[1] || pe >= text.length)) out.push({ start: open, end: pe, closed: false, words: 0 });
  else if (open >= 0 && !straight && pe - open > 1 && nextPara && /^[^“”"«»]{0,1500}”/.test(text.slice(pe, pe + 1600))) {
    // the next curly mark after this paragraph closes it: the quote runs on over the line breaks
    out.push({ start: open, end: pe, closed: false, words: 0 });
    carry.out = true;
  }
  for (const q of out) q.words = (text.slice(q.start, q.end).match(/[\p{L}\p{N}]+/gu) ?? []).length;
  // markup that leaked into the text (tweet embeds, attributes) is not speech
  // a nickname inside a name (Marcia "Cia" Price) is not a quote
  const nickname = (q: QSpan) => q.words <= 2 && /\p{Lu}[\p{L}.]*\s+$/u.test(text.slice(Math.max(ps, q.start - 20), q.start)) && /^\s+\p{Lu}/u.test(text.slice(q.end, q.end + 3)) && /^.\p{Lu}/u.test(text.slice(q.start, q.end));
  return out.filter((q) => q.words > 0 && !nickname(q) && !/[<>=]/.test(text.slice(q.start, q.end)) && !/=\s*$/.test(text.slice(Math.max(ps, q.start - 2), q.start)));
}

function buildSentences(text: string): Sent[] {
  const out: Sent[] = [];
  const paraRe = /[^\n]+/g;
  let pm: RegExpExecArray | null;
  let para = 0;
  const carry = { in: false, out: false };
  while ((pm = paraRe.exec(text)) !== null) {
    const ps = pm.index;
    const pe = ps + pm[0].length;
    carry.in = carry.out;
    const qs = findQuoteSpans(text, ps, pe, carry);
    const raw = splitSentences(pm[0]).map((s) => ({ start: s.start + ps, end: s.end + ps }));
    // merge sentences split inside a quote
    const merged: Span[] = [];
    for (const s of raw) {
      const prev = merged[merged.length - 1];
      if (prev && qs.some((q) => q.start < prev.end && q.end > s.start && q.end - q.start < 1500)) prev.end = s.end;
      else if (prev && /[?!]\s*["”]$|[.]["”]$/.test(text.slice(prev.start, prev.end)) && startsWithAttribution(text, s)) prev.end = s.end;
      else merged.push({ ...s });
    }
    const paraStartsWithQuote = /^\s*(?:["“«]|'')/.test(pm[0]);
    for (const s of merged) {
      const tokens = tokenize(text, s.start, s.end);
      const sq = qs.filter((q) => q.start < s.end && q.end > s.start);
      const inQ = tokens.map((t) => sq.findIndex((q) => t.start >= q.start && t.end <= q.end));
      out.push({ start: s.start, end: s.end, tokens, inQ, qs: sq, para, paraStartsWithQuote });
    }
    para++;
  }
  return out;
}

const lower = (t: Token) => t.text.toLowerCase();
const TIME_NOUN = /^(?:week|month|year|weekend|morning|afternoon|evening|night|day|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight)$/i;

/** "Clinton said.", "he asked, ..." right after a sentence that ends with a closing quote. */
function startsWithAttribution(text: string, s: Span): boolean {
  const toks = tokenize(text, s.start, Math.min(s.end, s.start + 120));
  for (let i = 0; i < Math.min(toks.length, 7); i++) {
    const w = toks[i].text;
    if (/^[,.;:!?“”"]$/.test(w)) return false;
    if (i > 0 && cueLemma(w.toLowerCase()) && !isCap(w)) {
      // only a short attribution: "Clinton said.", "he asked, ...", "Trump said at a rally."
      let k = i + 1;
      while (k < toks.length && k - i <= 8 && !/^[.,;!?]$/.test(toks[k].text)) {
        if (/^(?:that|[“"])$/i.test(toks[k].text)) return false;
        k++;
      }
      return k >= toks.length || /^[.,;!?]$/.test(toks[k].text);
    }
    if (i === 0 && !isCap(w)) return false;
  }
  return false;
}
const TITLE_LIKE = /^(?:Foreign|Affairs|Defen[cs]e|Interior|Finance|State|Prime|Vice|Deputy|Former|Minister|President|Secretary|Senator|Governor|Chancellor|General|Chief|Ambassador|Envoy|Aide|Director|Chairman|Leader|Judge|Mayor|Rep\.?|Sen\.?|Gov\.?|Gen\.?|Attorney|Speaker|Justice|Commissioner|Spokesman|Spokeswoman|Adviser|Advisor)$/;

export function extractQuotes(text: string, opts: ExtractQuotesOptions = {}): Quote[] {
  const entities = opts.entities ?? extractEntities(text);
  const withIndirect = opts.indirect !== false;
  const sents = buildSentences(text);
  const registry = new SpeakerRegistry(firstNameGender);
  const entAt = (s: number, e: number) => entities.filter((x) => x.start >= s && x.end <= e);

  // pre-pass: people named in the text and the roles written around them
  for (const s of sents) {
    for (const ent of entities) {
      if (ent.type !== 'PER' || ent.start < s.start || ent.end > s.end) continue;
      const ti = s.tokens.findIndex((t) => t.start === ent.start);
      const te = s.tokens.findIndex((t) => t.end === ent.end);
      if (ti < 0 || te < 0) continue;
      if (s.inQ[ti] >= 0 && s.qs[s.inQ[ti]]?.closed) continue; // names inside quotes are not registered with roles
      if (/\sand\s|&/.test(ent.text)) continue;
      const role = roleBefore(s.tokens, ti, text) ?? roleAfter(s.tokens, te + 1, text);
      const titles = ti > 0 ? [s.tokens[ti - 1].text] : [];
      registry.add(ent.text, ent.start, role, titles);
    }
  }
  // mentions are re-walked in order below; reset mention positions
  for (const p of registry.persons) p.lastMention = -1;

  const quotes: Quote[] = [];
  let lastSpeaker: Speaker | null = null;
  let lastSpeakerPara = -10;
  let order = 0;

  for (let si = 0; si < sents.length; si++) {
    const s = sents[si];
    const toks = s.tokens;
    const frames: Frame[] = [];

    const resolveNP = (a: number, b: number): Speaker | null => analyseSpeaker(text, s, a, b, registry, entAt);

    // a transcript paragraph '"PENCE: Well, look, ...' (the opening mark is often never closed): the whole
    // paragraph is the speaker's turn
    {
      const lineStart = text.lastIndexOf('\n', s.start - 1) + 1;
      const m = /^\s*["“]?\s*([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}):\s+/.exec(text.slice(lineStart, lineStart + 60));
      if (m && /^\s*$/.test(text.slice(lineStart, s.start)) && m[1].length >= 3) {
        let paraEnd = text.indexOf('\n', s.start);
        if (paraEnd < 0) paraEnd = text.length;
        const st = lineStart + m[0].length;
        let en = paraEnd;
        while (en > st && /[\s"”]/.test(text[en - 1])) en--;
        if ((text.slice(st, en).match(/[\p{L}\p{N}]+/gu) ?? []).length >= 4) {
          const label = m[1].toLowerCase().replace(/(^|[\s'’-])\p{L}/gu, (x) => x.toUpperCase());
          const p = registry.find(label);
          const name = p ? p.name : label;
          if (p) p.lastSpoke = st;
          quotes.push({ quote: text.slice(st, en), start: st, end: en, kind: 'direct', speaker: name, speakerRole: p?.role ?? null, speakerType: 'person', channel: null, cue: ':', stance: null, speakerId: p?.id ?? null });
          lastSpeaker = { text: name, role: p?.role ?? null, type: 'person', person: p ?? null, s: -1, e: -1 };
          lastSpeakerPara = s.para;
          while (si + 1 < sents.length && sents[si + 1].start < paraEnd) si++;
          continue;
        }
      }
    }
    // a headline or lead-in "Source: statement" ("Poll: Clinton and Trump in dead heat", "Sanders: Clinton needs to ...")
    const head = headlineSource(text, s);
    if (head) {
      const sp = resolveNP(0, head.colon);
      // a bare capitalised name before the colon is taken as the source ("Sanders:", "Politifact:")
      const named = sp && (sp.type === 'person' || sp.type === 'org' || (sp.type === 'unnamed' && head.colon === 1));
      if (sp && named) {
        const spText = sp.text ?? text.slice(toks[0].start, toks[head.colon - 1].end);
        const a = toks[head.colon + 1].start;
        let b = toks[toks.length - 1].end;
        while (b > a && /[.!?\s]/.test(text[b - 1])) b--;
        const quoted = s.qs.some((q) => q.start >= a && q.end <= b + 2);
        quotes.push({ quote: text.slice(a, b), start: a, end: b, kind: quoted ? 'mixed' : 'indirect', speaker: spText, speakerRole: sp.role, speakerType: sp.type, channel: null, cue: ':', stance: null, speakerId: sp.person?.id ?? null });
        continue;
      }
    }

    // cues
    for (let i = 0; i < toks.length; i++) {
      if (s.inQ[i] >= 0) continue;
      const lw = lower(toks[i]);
      let cueEnd = i + 1;
      let lemma: string | null;
      if (lw === 'according' && i + 1 < toks.length && lower(toks[i + 1]) === 'to') {
        lemma = 'according';
        cueEnd = i + 2;
      } else {
        lemma = cueLemma(lw) ?? attribLemma(lw);
        if (!lemma) continue;
        // a base form is a verb only after a pronoun, a plural, a modal or an auxiliary ("they want", "experts say",
        // "would hope"), not in "a government plan" or "a June report"
        if (lw === lemma && (isAttributionOnly(lemma) || isWeakCue(lw)) && !(i > 0 && (BASE_OK.test(toks[i - 1].text) || /[^s']s$/.test(toks[i - 1].text)))) continue;
        if (isAttributionOnly(lemma)) {
          const nx = i + 1 < toks.length ? lower(toks[i + 1]) : '';
          // phrasal uses: "showed up", "believe in", "called into", "thought of"
          if (/^(?:up|off|around|out|into|back|in|of|about|it)$/.test(nx) && !(lemma === 'find' && nx === 'out')) continue;
          // a base form is a verb only after a pronoun, modal or auxiliary ("they want", "would hope"), not in "a government plan"

          // a view held inside content already reported ("said she thinks ...") belongs to that content
          if (frames.some((pf) => pf.cs <= i && i < pf.ce && pf.ce > pf.cueTok)) continue;
        }
        // "called for", "called on": the particle belongs to the cue
        if (lemma === 'call' && i + 1 < toks.length && /^(?:for|on|upon)$/i.test(toks[i + 1].text)) cueEnd = i + 2;
        if (i > 0 && isCap(toks[i].text)) continue; // "Post", "Said" inside names
        // "called" etc. are not cues; skip nouns: "the claim", "a statement", "his warning"
        if (i > 0 && (DETERMINERS.has(lower(toks[i - 1])) || /^(?:alleged|so-called)$/.test(lw)) && !/^(?:said|told)$/.test(lw)) continue;
        if (lw.endsWith('ing') && i > 0 && /^(?:the|a|an|his|her|their|of|in|without)$/i.test(toks[i - 1].text)) continue;
        // "for saying that ...", "began by saying he would ...": only with a clause after it
        if (lw.endsWith('ing') && i > 0 && /^(?:by|for|from|after|before)$/i.test(toks[i - 1].text) && (!(i + 1 < toks.length && /^(?:that|he|she|they|it|we|i)$/i.test(toks[i + 1].text)) || frames.some((pf) => pf.cs <= i && i < pf.ce))) continue;
      }
      const f = buildFrame(text, s, i, cueEnd, lemma, resolveNP, frames, registry);
      if (f && f.speaker.s >= 0 && /^(?:who|which)$/.test(toks[f.speaker.s].text) && frames.some((pf) => pf.cs <= i && i < pf.ce && pf.ce > pf.cueTok)) continue;
      if (f && isAttributionOnly(lemma) && (!attributionSubjectOk(toks, f, lemma) || (f.ce <= f.cueTok && !EVIDENCE_CUE.has(lemma)))) continue;
      // "called a meeting", "called his mom to break the news", "called bigwigs to the stage": not naming
      if (f && lemma === 'call' && cueEnd === i + 1 && f.cs < toks.length && (/^(?:a|an)$/i.test(toks[f.cs].text) || toks.slice(f.cs, Math.min(f.ce, f.cs + 5)).some((t, k) => s.inQ[f.cs + k] < 0 && lower(t) === 'to'))) continue;
      if (f && isAttributionOnly(lemma)) f.ce = trimAttribTail(s, f.cs, f.ce, hasThat(s, f));
      if (f && isWeakCue(lw) && (f.speaker.type === 'unnamed' || f.speaker.type === null) && f.speaker.e - f.speaker.s > 2) continue;
      if (f && f.speaker.type === 'unnamed' && f.speaker.s >= 2 && f.speaker.s < i && /^(?:through|in|at|on|from|outside|near|across|along)$/i.test(toks[f.speaker.s - 1].text)) {
        // "Protesters marching through the streets chanted ...": the subject is the noun before the participle
        const part = f.speaker.s - 2;
        if (/^\p{Ll}+ing$/u.test(toks[part].text) && part > 0) {
          const a = npStartBefore(s, part);
          const sp = a < part ? resolveNP(a, part) : null;
          if (sp && (sp.person || sp.type === 'org' || (sp.type === 'unnamed' && sourceLike(toks, { ...sp, s: a, e: part })))) f.speaker = { ...sp, s: a, e: f.speaker.e };
        }
      }
      const relSubject = !!f && f.speaker.s >= 0 && f.speaker.e === f.speaker.s + 1 && /^(?:who|which)$/.test(toks[f.speaker.s].text); // antecedent checked already
      // "according to his body mass index": a measure, not a source
      if (f && lemma === 'according' && f.speaker.type === 'unnamed' && f.speaker.s >= 0 && !sourceLike(toks, f.speaker) && !toks.slice(f.speaker.s, f.speaker.e).some((t) => /\p{Lu}/u.test(t.text) && !DETERMINERS.has(t.text.toLowerCase()))) continue;
      if (f && f.speaker.type === 'unnamed' && lemma !== 'according' && lw !== 'said' && lw !== 'says' && lw !== 'say' && lw !== 'told' && !relSubject && !sourceLike(toks, f.speaker)) continue;
      if (f && /ing$/.test(lw) && i > 0 && toks[i - 1].text === ',' && frames.length) {
        const pf = frames[frames.length - 1];
        let words = 0;
        for (let k = pf.cueEnd; k < i; k++) if (!PUNCT.test(toks[k].text)) words++;
        if (words < 4 && stanceOf(pf.lemma)) {
          f.stanceLemma = pf.lemma;
          f.cueText = pf.cueText;
        }
      }
      if (f) {
        f.order = order++;
        frames.push(f);
        i = cueEnd - 1;
      }
    }
    // nominal cues: "Trump's claim that ...", "the police's earlier assertion that ...", "a warning by the agency that ..."
    if (withIndirect) {
      for (let i = 1; i + 2 < toks.length; i++) {
        if (s.inQ[i] >= 0 || !NOUN_CUE.test(toks[i].text) || lower(toks[i + 1]) !== 'that' || s.inQ[i + 1] >= 0) continue;
        if (frames.some((f) => f.cs <= i && i < f.ce)) continue; // inside content already reported
        // the speaker: a possessor before the noun ("Trump's", "his", "Tulsa police's earlier")
        let k = i - 1;
        while (k > 0 && /^(?:earlier|latest|repeated|initial|original|new|own|false|baseless|unfounded|frequent|recent|controversial|public|infamous|widely|first)$/i.test(toks[k].text)) k--;
        let sp: Speaker | null = null;
        if (/^['’]s$/.test(toks[k].text) && k > 0) {
          const e = k;
          const a = npStartBefore(s, e);
          if (a < e) sp = resolveNP(a, e);
        } else if (/^(?:his|her|their|its)$/i.test(toks[k].text)) {
          const pr = lower(toks[k]) === 'his' ? 'he' : lower(toks[k]) === 'her' ? 'she' : null;
          const p = pr ? registry.resolvePronoun(pr, toks[k].start) : null;
          sp = p ? { text: p.name, role: p.role, type: 'person', person: p, s: k, e: k + 1 } : { text: null, role: null, type: null, person: null, s: k, e: k + 1 };
        }
        if (!sp || !(sp.person || sp.type === 'org' || sp.type === 'place' || sp.type === 'person' || (sp.type === 'unnamed' && sourceLike(toks, sp)))) continue;
        const cs = i + 2;
        let ce = toks.length;
        for (let m = cs; m < toks.length; m++) if (s.inQ[m] < 0 && /^[.;!?]$/.test(toks[m].text)) { ce = m; break; }
        // "Contrary to Trump's claim that A, B ...": the main clause after the comma is not part of it
        for (let m = cs + 2; m < ce - 2; m++) {
          const comma = (s.inQ[m] < 0 && toks[m].text === ',') || (QUOTE_TOKEN.test(toks[m].text) && toks[m - 1].text === ',' && s.inQ[m + 1] < 0);
          if (comma && mainClauseAt(s, m + 1, ce)) { ce = m; break; }
        }
        // a relative clause ("the claim that he made") is not a reported content: it lacks its object
        const clause = toks.slice(cs, ce);
        if (clause.length < 4 || (clause.length <= 5 && /^[a-z]+ed$|^(?:made|gave|put|told|said)$/.test(clause[clause.length - 1].text))) continue;
        frames.push({ cueTok: i, cueEnd: i + 2, cueText: toks[i].text, lemma: lower(toks[i]).replace(/s$/, ''), speaker: sp, cs, ce, channel: null, order: order++ });
      }
    }
    // "Caddell continued:" / "The New York Times reports:" introducing a quotation in the next paragraph
    if (!frames.length && !s.qs.length && toks.length >= 3 && toks[toks.length - 1].text === ':' && toks.length <= 12) {
      const c = toks.findIndex((t, k) => k > 0 && !isCap(t.text) && (cueLemma(lower(t)) || attribLemma(lower(t))));
      if (c > 0) {
        let e = c;
        while (e > 0 && CUE_GAP.has(lower(toks[e - 1]))) e--;
        const sp = e > 0 ? resolveNP(npStartBefore(s, e), e) : null;
        if (sp && sp.text && (sp.person || sp.type === 'org')) {
          lastSpeaker = sp;
          lastSpeakerPara = s.para;
        }
      }
    }
    // "Speaker: “quote”" at the start of a sentence
    if (!frames.length && s.qs.length) {
      const colon = toks.findIndex((t, k) => t.text === ':' && s.inQ[k] < 0);
      if (colon > 0 && colon <= 6 && colon + 1 < toks.length && s.inQ[colon + 1] >= 0) {
        const sp = resolveNP(0, colon);
        if (sp && sp.text && (sp.person || sp.type === 'org')) {
          frames.push({ cueTok: colon, cueEnd: colon + 1, cueText: ':', lemma: 'say', speaker: sp, cs: colon + 1, ce: toks.length, channel: null, order: order++ });
        }
      }
    }
    // bound forward regions by the next frame's subject
    frames.sort((a, b) => a.cueTok - b.cueTok);
    const absorbed = new Set<Frame>();
    for (let k = 0; k < frames.length; k++) {
      const f = frames[k];
      for (let m = 0; m < frames.length; m++) {
        if (m === k) continue;
        const g = frames[m];
        const gStart = Math.min(g.speaker.s >= 0 ? g.speaker.s : g.cueTok, g.cueTok);
        // a relative clause inside the content ("a source who told him ...") does not end it
        const relative = g.speaker.s >= 0 && /^(?:who|which)$/.test(toks[g.speaker.s].text);
        // a weak cue inside the content ("said he would not answer questions") does not end it
        const nested = isWeakCue(g.cueText) && !(gStart > 0 && /^[.?!”"]$/.test(toks[gStart - 1].text));
        // "said the management never told them ...": a negated report by the content's own subject stays in it
        const ownNegated = gStart === f.cs && f.cs > f.cueTok && negated(s, g.cueTok);
        // "claimed that Crutcher had refused to ...": a view or intention of the content's own subject is part of it
        const ownView = gStart === f.cs && f.cs > f.cueTok && isAttributionOnly(g.lemma) && !isAttributionOnly(f.lemma) && toks[f.cs - 1]?.text !== ',';
        if (ownNegated) absorbed.add(g);
        if (gStart >= f.cs && gStart < f.ce && g.cueTok > f.cueTok && !relative && !nested && !ownNegated && !ownView) {
          let e = gStart;
          while (e > f.cs && PUNCT.test(toks[e - 1].text) && toks[e - 1].text !== '”') e--;
          f.ce = e;
        }
      }
    }
    for (const g of absorbed) frames.splice(frames.indexOf(g), 1);

    // a view or intention reported inside another frame's content belongs to it ("Clinton plans to visit
    // Charlotte on Sunday, according to a campaign aide")
    for (let k = frames.length - 1; k >= 0; k--) {
      const f = frames[k];
      if (!isAttributionOnly(f.lemma)) continue;
      const lo = Math.min(f.cueTok, f.speaker.s >= 0 ? f.speaker.s : f.cueTok);
      if (frames.some((g) => g !== f && !isAttributionOnly(g.lemma) && g.cs <= lo && f.ce <= g.ce && g.ce > g.cs)) frames.splice(k, 1);
    }
    // "After campaign aides insisted that A, the campaign has ...": a frame inside an opening subordinate
    // clause reports only up to the comma where the main clause starts
    if (toks.length && SUBORDINATE_OPENER.test(toks[0].text)) {
      for (const f of frames) {
        if (f.cueTok > 8 || f.ce <= f.cueTok) continue;
        for (let k = f.cs + 2; k < f.ce - 2; k++) {
          if (s.inQ[k] >= 0 || toks[k].text !== ',') continue;
          if (mainClauseAt(s, k + 1, f.ce)) {
            f.ce = k;
            break;
          }
        }
      }
    }

    const covered = new Set<number>();
    for (const f of frames) {
      while (f.ce > f.cs && s.inQ[f.ce - 1] < 0 && (/^[,;:—–-]$/.test(toks[f.ce - 1].text) || /^(?:with|and|but|or|as|while|after|before|because|in|on|at|to|of|for)$/i.test(toks[f.ce - 1].text))) f.ce--;
      if (f.ce <= f.cs) continue;
      const sp = f.speaker;
      if (sp.person) sp.person.lastSpoke = toks[f.cueTok].start;
      const stance = stanceOf(f.stanceLemma ?? (f.lemma === 'according' ? null : f.lemma));
      const base = {
        speaker: sp.text,
        speakerRole: sp.role,
        speakerType: sp.type,
        channel: f.channel,
        cue: f.cueText,
        stance,
        speakerId: sp.person?.id ?? null,
      };
      // quote spans inside the region
      const qIdx = new Set<number>();
      let plain = 0;
      for (let k = f.cs; k < f.ce; k++) {
        if (s.inQ[k] >= 0) qIdx.add(s.inQ[k]);
        else if (!PUNCT.test(toks[k].text) && !QUOTE_TOKEN.test(toks[k].text) && lower(toks[k]) !== 'that') plain++;
      }
      const cStart = toks[f.cs].start;
      const cEnd = toks[f.ce - 1].end;
      if (qIdx.size && plain === 0) {
        for (const qi of qIdx) {
          const q = s.qs[qi];
          covered.add(qi);
          quotes.push({ quote: text.slice(q.start, q.end), start: q.start, end: q.end, kind: 'direct', ...base });
        }
      } else if (qIdx.size) {
        for (const qi of qIdx) covered.add(qi);
        const qsIn = [...qIdx].map((qi) => s.qs[qi]);
        let st = Math.min(cStart, ...qsIn.map((q) => q.start));
        let en = Math.max(cEnd, ...qsIn.map((q) => Math.min(q.end, s.end)));
        // "saying during the debate last week, “That makes me smart,” when ...": a leading adjunct before the quote
        const q0 = qsIn.reduce((a, q) => (q.start < a.start ? q : a));
        if (st < q0.start && ADJUNCT_LEAD.test(text.slice(st, q0.start))) st = q0.start;
        en = mixedEnd(text, s, qsIn, en, st);
        const whole = qsIn.length === 1 && st === qsIn[0].start && en === Math.min(qsIn[0].end, s.end);
        quotes.push({
          quote: text.slice(st, en),
          start: st,
          end: en,
          kind: whole ? 'direct' : 'mixed',
          ...base,
          fragments: qsIn.map((q) => ({ start: q.start, end: q.end, text: text.slice(q.start, q.end) })),
        });
      } else if (withIndirect && plain >= (f.short ? 1 : 3) && !(isWeakCue(f.cueText) && !hasThat(s, f)) && !(NOT_CONTENT_START.test(toks[leadTime(s, f)].text) && !(f.continues && /^(?:is|was|are|were|has|have|had)$/i.test(toks[f.cs].text)) && !(lower(toks[f.cs]) === 'to' && TO_CONTENT_OK.has(f.lemma))) && !negated(s, f.cueTok)) {
        // skip a leading time phrase ("told African-Americans this weekend he would ...", "announced on Friday the arrest of ...")
        const cs2 = leadTime(s, f);
        const ce1 = f.lemma !== 'according' && !/^(?:he|she|they|it|we|i|you)$/i.test(toks[cs2].text) ? coordEnd(s, cs2, f.ce) : f.ce;
        const ce2 = clauseEnd(s, cs2, ce1);
        const a = toks[cs2].start;
        const b = toks[ce2 - 1].end;
        quotes.push({ quote: text.slice(a, b), start: a, end: b, kind: 'indirect', ...base });
      }
      if (sp.text) {
        lastSpeaker = sp;
        lastSpeakerPara = s.para;
      }
    }
    // quotes with no cue in their sentence: continuation of the last speaker
    for (let qi = 0; qi < s.qs.length; qi++) {
      if (covered.has(qi)) continue;
      const q = s.qs[qi];
      if (q.start < s.start) continue; // belongs to the previous sentence
      const atStart = /^\s*$/.test(text.slice(s.start, q.start));
      // a transcript turn: '"PENCE: Well, look, ...'
      const turn = atStart ? /^(["“']+\s*)([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}):\s+/.exec(text.slice(q.start, Math.min(q.end, q.start + 60))) : null;
      if (turn && q.words >= 4) {
        const label = turn[2].toLowerCase().replace(/(^|[\s'’-])\p{L}/gu, (x) => x.toUpperCase());
        const p = registry.find(label);
        const st = q.start + turn[0].length;
        const name = p ? p.name : label;
        if (p) p.lastSpoke = st;
        quotes.push({ quote: text.slice(st, q.end), start: st, end: q.end, kind: 'direct', speaker: name, speakerRole: p?.role ?? null, speakerType: 'person', channel: null, cue: ':', stance: null, speakerId: p?.id ?? null });
        covered.add(qi);
        lastSpeaker = { text: name, role: p?.role ?? null, type: 'person', person: p ?? null, s: -1, e: -1 };
        lastSpeakerPara = s.para;
        continue;
      }
      // "“...” ― Pamela Padilla"
      const dash = /^\s*[―—–-]\s*((?:\p{Lu}[\p{L}.'’-]*\s?){1,4})/u.exec(text.slice(q.end, Math.min(text.length, q.end + 60)));
      if (dash && q.words >= 3) {
        const name = dash[1].trim();
        const p = registry.add(name, q.end);
        p.lastSpoke = q.end;
        quotes.push({ quote: text.slice(q.start, q.end), start: q.start, end: q.end, kind: 'direct', speaker: p.name, speakerRole: p.role, speakerType: 'person', channel: null, cue: '―', stance: null, speakerId: p.id });
        covered.add(qi);
        continue;
      }
      // a quote later in a sentence whose attribution came before it ("“A,” Tester said, referring to X, “B.”")
      const prior = frames.filter((f) => toks[f.cueTok].end <= q.start && f.speaker.text);
      if (prior.length && q.words >= 3 && !/(?:['’]s|\b(?:on|of|in|titled|called|named|dubbed|book|film|show|song|program|programme|album|movie|series|headlined))\s*$/i.test(text.slice(Math.max(s.start, q.start - 12), q.start))) {
        const f = prior[prior.length - 1];
        quotes.push({ quote: text.slice(q.start, q.end), start: q.start, end: q.end, kind: 'direct', speaker: f.speaker.text, speakerRole: f.speaker.role, speakerType: f.speaker.type, channel: f.channel, cue: f.cueText, stance: null, speakerId: f.speaker.person?.id ?? null });
        covered.add(qi);
        continue;
      }
      // a partial quote in a clause whose subject is a person: "Clinton called half of Trump's supporters “deplorables.”"
      if (!atStart && !frames.length && q.words <= 40) {
        const m = partialQuoteFrame(text, s, qi, resolveNP);
        if (m) {
          const { sp, cs, ce, verb } = m;
          const st = Math.min(toks[cs].start, q.start);
          const en = Math.max(toks[ce - 1].end, Math.min(q.end, s.end));
          const inside = s.qs.filter((x) => x.start >= st && x.end <= en);
          inside.forEach((x) => covered.add(s.qs.indexOf(x)));
          if (sp.person) sp.person.lastSpoke = q.start;
          quotes.push({
            quote: text.slice(st, en), start: st, end: en, kind: 'mixed', speaker: sp.text, speakerRole: sp.role, speakerType: sp.type,
            channel: null, cue: verb, stance: null, speakerId: sp.person?.id ?? null,
            fragments: inside.map((x) => ({ start: x.start, end: x.end, text: text.slice(x.start, x.end) })),
          });
          if (sp.text) {
            lastSpeaker = sp;
            lastSpeakerPara = s.para;
          }
          continue;
        }
      }
      // a byline promotion ("Follow Pam Key on Twitter @pamkey") is not a statement
      if (/^["“']*\s*(?:Follow|Like|Subscribe to)\b[^.]{0,60}\b(?:Twitter|Facebook|Instagram|YouTube)\b/.test(text.slice(q.start, q.end))) continue;
      const longEnough = q.words >= 4 || (q.words >= 2 && s.para === lastSpeakerPara);
      if (!atStart || !longEnough || !lastSpeaker || s.para - lastSpeakerPara > 2) continue;
      if (frames.length) continue;
      const sp = lastSpeaker;
      if (sp.person) sp.person.lastSpoke = q.start;
      // a quote that goes on with no cue of its own is one statement per sentence
      {
        const piece = q;
        quotes.push({
          quote: text.slice(piece.start, piece.end),
          start: piece.start,
          end: piece.end,
          kind: 'direct',
          speaker: sp.text,
          speakerRole: sp.role,
          speakerType: sp.type,
          channel: null,
          cue: null,
          stance: null,
          speakerId: sp.person?.id ?? null,
        });
      }
      lastSpeakerPara = s.para;
    }
    // people mentioned in this sentence (for pronouns)
    for (const ent of entities) {
      if (ent.type !== 'PER' || ent.start < s.start || ent.end > s.end) continue;
      const p = registry.find(ent.text);
      if (p) {
        p.lastMention = ent.start;
        // subject: the name opens the sentence (after an optional title/role) outside quotes
        const ti = s.tokens.findIndex((t) => t.start === ent.start);
        if (ti >= 0 && ti <= 4 && s.inQ[ti] < 0 && s.tokens.slice(0, ti).every((t) => isCap(t.text) || ROLE_HEADS.has(t.text.toLowerCase()) || /^(?:the|a|an|former|top|senior)$/i.test(t.text))) p.lastSubject = ent.start;
      }
    }
  }
  quotes.sort((a, b) => a.start - b.start);
  // drop exact duplicates
  return quotes.filter((q, i) => i === 0 || q.start !== quotes[i - 1].start || q.end !== quotes[i - 1].end);
}

/**
 * "Pence: Gennifer Flowers Won't Be at Debate": a paragraph that opens with one to three capitalised words, a
 * colon and at least three words of statement. Returns the index of the colon token.
 */
function headlineSource(text: string, s: Sent): { colon: number } | null {
  const toks = s.tokens;
  const lineStart = text.lastIndexOf('\n', s.start - 1) + 1;
  if (!/^\s*$/.test(text.slice(lineStart, s.start))) return null;
  const c = toks.findIndex((t) => t.text === ':');
  if (c < 1 || c > 3 || toks.length - c < 4) return null;
  for (let k = 0; k < c; k++) if (s.inQ[k] >= 0 || !/^\p{Lu}[\p{L}.'’-]*$/u.test(toks[k].text) || /^\p{Lu}[\p{Lu}.'’-]+$/u.test(toks[k].text)) return null;
  // not a label ("Update:", "Note:", "Photo:") or a time ("12:30")
  if (c === 1 && /^(?:Update|Updated|Note|Editor|Photo|Video|Watch|Read|Related|Source|Sources|Correction|Advertisement|Image|Credit|Listen|Subscribe|Breaking|Exclusive|Analysis|Opinion|Commentary|Editorial|Live|Transcript|Summary|Background|Tags|Topics|Filed|Posted|Share|Q|A)$/.test(toks[0].text)) return null;
  if (/^\d/.test(toks[c + 1].text)) return null;
  return { colon: c };
}

/** Words that cannot open reported content ("respond to requests", "said when she resigned", "says is a lie"). */
const NOT_CONTENT_START = /^(?:to|on|in|at|for|with|from|when|after|before|during|by|while|as|is|was|are|were|has|have|had|be|been|and|or|under|amid|following|despite|compared|unlike|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight)$/i;
const TO_CONTENT_OK = new Set(['want', 'plan', 'decline', 'refuse', 'seek', 'intend', 'expect', 'hope', 'call', 'promise', 'pledge', 'vow', 'urge', 'ask', 'warn', 'threaten', 'agree', 'tell', 'advise', 'plead', 'beg', 'demand', 'propose', 'suggest']);

/**
 * Content of a non-speech attribution cue is its complement ("cited X", "called for X"): it ends before a
 * dash or semicolon, a participle clause (", contradicting ..."), and for object complements also before a
 * second predicate ("and has since left"), an adverbial clause ("after ..."), or a time/place adjunct
 * ("in a statement", "on Twitter").
 */
function trimAttribTail(s: Sent, cs: number, ce: number, clause = false): number {
  const toks = s.tokens;
  for (let k = cs + 1; k < ce; k++) {
    if (s.inQ[k] >= 0) continue;
    const w = toks[k].text;
    const nx = k + 1 < ce && s.inQ[k + 1] < 0 ? lower(toks[k + 1]) : '';
    if (w === '—' || w === '--' || w === ';') return k;
    if (w === ',' && /^\p{Ll}+ing$/u.test(nx) && !/^(?:including|according|during)$/.test(nx) && k - cs >= 3) return k;
    if (w === ',' && nx === 'but' && k - cs >= 3) return k;
    // ", with RealClearPolitics showing her ahead": an absolute construction after the content
    if (w === ',' && nx === 'with' && k - cs >= 3 && toks.slice(k + 2, Math.min(ce, k + 6)).some((t) => /^\p{Ll}+ing$/u.test(t.text))) return k;
    if (clause) continue;
    if (w === ',' && /^(?:where|which|who|whose)$/.test(nx) && k - cs >= 2) return k;
    if (/^(?:and|but)$/i.test(w) && /^(?:has|have|had|is|was|will|would|also|then|later)$/.test(nx)) return k;
    if (/^(?:while|when|after|before|because|since|although|though|until)$/i.test(w) && k - cs >= 3) return k;
    // "condemned the launch as Pyongyang fired three missiles": a clause, not the "as" of a description
    if (w === 'as' && k - cs >= 3 && k + 2 < ce && (isCap(toks[k + 1].text) || /^(?:he|she|they|it|we)$/.test(toks[k + 1].text)) && (PAST_VERB.test(toks[k + 2].text) || /^(?:is|was|are|were|has|had|have|will|would)$/.test(toks[k + 2].text))) return k;
    if (/^(?:in|on|during|at)$/i.test(w) && /^(?:a|an|last|this|next)$/.test(nx) && k - cs >= 2) return k;
    if (/^(?:in|on)$/i.test(w) && /^(?:twitter|facebook|tweets|early-morning)$/i.test(nx)) return k;
  }
  return ce;
}

/**
 * A mixed statement ends with its last quoted words when what follows is an adjunct of the frame
 * (", citing ...", " and said ...", " during a campaign stop ...", " — a metaphor ...").
 */
const ADJUNCT_LEAD = /^(?:during|at|on|in|after|before|while|when|last|this|earlier|later)\b[^“”"]{0,60},\s*$/i;

function mixedEnd(text: string, s: Sent, qsIn: QSpan[], en: number, st = -1): number {
  const lastQ = Math.max(...qsIn.map((q) => Math.min(q.end, s.end)));
  if (lastQ >= en) return en;
  // '... “Women in Power,” answering questions': the comma sits inside the closing mark
  const tail = text.slice(lastQ, en);
  const commaInside = /,\s*["”']+$/.test(text.slice(Math.max(0, lastQ - 3), lastQ));
  const lastTok = s.tokens.findIndex((t) => t.start >= lastQ);
  if (lastTok > 0) {
    const c = coordEnd(s, Math.max(0, lastTok - 3), s.tokens.findIndex((t) => t.end >= en) + 1 || s.tokens.length);
    if (c < s.tokens.length && s.tokens[c].start >= lastQ && s.tokens[c].start < en) return Math.max(lastQ, s.tokens[c - 1].end);
  }
  const words = (tail.match(/[\p{L}\p{N}]+/gu) ?? []).length;
  if (words < 2) return en;
  if (/^\s*(?:[,;—–]|--|\s-\s)/.test(tail) || /^\s*(?:and|but)\s+\p{Ll}+(?:ed|s)\b/u.test(tail)) return lastQ;
  // a participle clause after the statement (", implicitly putting his name on the line")
  const part = /(?:^|,)\s+(?:\p{Ll}+ly\s+)?(?!including|according|during|something|nothing|anything|everything)\p{Ll}+ing\b(?!\s*(?:and|or|[,.;]))/u.exec(tail);
  if (part && (part.index > 0 || commaInside)) return lastQ + part.index;
  if (commaInside && /^\s*(?:and|but)\s+(?:he|she|they|it|we|i)\b/.test(tail)) return lastQ;
  // the content is the quote itself followed by an adverbial clause: '“Don't you do it,” until gunshots are heard'
  if (qsIn.length === 1 && st === qsIn[0].start && /^,?\s*(?:until|as|when|while|before|after|because)\b/.test(tail)) return lastQ;
  return en;
}

const FINITE = /^(?:is|was|are|were|has|have|had|will|would|can|could|should|may|might|must|did|does|do|said|says|told|\p{Ll}{3,}(?:ed|es))$/u;

/**
 * Reported content is one complement clause: it ends before a semicolon, a non-restrictive relative or
 * concessive clause (", which ...", ", although ...", ", even as ..."), a sentence-final attribution tail
 * (", according to ..."), and a coordinated clause with a subject of its own (", and the union stepped in",
 * "and Democrats accused ...", ", but he refuses ...").
 */
function clauseEnd(s: Sent, cs: number, ce: number): number {
  const toks = s.tokens;
  for (let k = cs + 3; k < ce - 1; k++) {
    if (s.inQ[k] >= 0) continue;
    const w = toks[k].text;
    const nx = s.inQ[k + 1] < 0 ? lower(toks[k + 1]) : '';
    if (w === ';') return k;
    if (w !== ',' && !/^(?:and|but)$/.test(w)) continue;
    if (w === ',' && /^(?:although|though|whereas)$/.test(nx)) return k;
    if (w === ',' && nx === 'even' && k + 2 < ce && /^(?:as|though|while)$/.test(lower(toks[k + 2]))) return k;
    if (w === ',' && nx === 'according' && k + 2 < ce && lower(toks[k + 2]) === 'to') return k;
    // coordination with a new subject: [,] and|but <subject of 1–4 words> <finite verb>
    const c = w === ',' ? k + 1 : k;
    if (!/^(?:and|but)$/.test(lower(toks[c] ?? toks[k]))) continue;
    if (w === ',' && c >= ce - 1) continue;
    const first = toks[c + 1];
    if (!first || s.inQ[c + 1] >= 0) continue;
    const fl = first.text.toLowerCase();
    // "and that ...", "and one ..." continue the same report; "and the fourth person ..." may be a noun phrase
    const isBut = lower(toks[c]) === 'but';
    const subjStart = PRONOUNS.has(fl) || isCap(first.text) || (isBut && DETERMINERS.has(fl) && fl !== 'that' && fl !== 'one');
    if (!subjStart) continue;
    // the content already has its own verb ("Trump said Clinton and her allies lied" is one clause)
    if (!toks.slice(cs, k).some((t, i) => s.inQ[cs + i] < 0 && FINITE.test(t.text))) continue;
    for (let j = c + 2; j < Math.min(ce, c + 7); j++) {
      if (s.inQ[j] >= 0 || /^[,.;:]$/.test(toks[j].text)) break;
      if (FINITE.test(toks[j].text) || (j === c + 2 && /^(?:also|then|later|still|now|never|only|again|quickly|almost)$/.test(toks[j].text))) {
        if (j === c + 2 && /^(?:also|then|later|still|now|never|only|again|quickly|almost)$/.test(toks[j].text) && !(j + 1 < ce && FINITE.test(toks[j + 1].text))) break;
        return w === ',' ? k : k;
      }
      if (!(isCap(toks[j].text) || /^\p{Ll}+$/u.test(toks[j].text))) break;
    }
  }
  return ce;
}

const PAST_VERB = /^(?:said|told|made|took|gave|offered|went|came|got|kept|left|put|sent|spent|met|held|brought|thought|found|saw|wrote|called|\p{Ll}{3,}ed)$/u;

/** "claimed A, but offered no proof" / "urged X to Y, and criticized Z": a second predicate of the frame's subject ends the content. */
function coordEnd(s: Sent, cs: number, ce: number): number {
  const toks = s.tokens;
  for (let k = cs + 3; k < ce - 1; k++) {
    if (s.inQ[k] >= 0 || !/^(?:and|but)$/.test(toks[k].text)) continue;
    const prev = toks[k - 1].text;
    const nx = toks[k + 1].text;
    if (s.inQ[k + 1] >= 0 || !PAST_VERB.test(nx)) continue;
    if (/ed$/.test(prev) || PAST_VERB.test(prev) || /^(?:was|were|is|are|be|been|has|have|had|being)$/i.test(prev)) continue;
    // the coordinated verb must not share an auxiliary or subject inside the content ("he was arrested and charged")
    if (toks.slice(cs, k).some((t, i) => s.inQ[cs + i] < 0 && /^(?:was|were|been|being)$/.test(t.text))) continue;
    return prev === ',' ? k - 1 : k;
  }
  return ce;
}

/** Nouns that report a statement when a that-clause follows ("the claim that ...", "his warning that ..."). */
const NOUN_CUE = /^(?:claims?|assertions?|allegations?|arguments?|suggestions?|warnings?|promises?|pledges?|insistence|contention|accusations?|charges?|statements?|remarks?|comments?|reports?|findings?|conclusions?|announcements?|predictions?|assurances?|admission|denials?|view|belief|declaration|argument|prediction|message|testimony)$/i;

const BASE_OK = /^(?:i|we|they|you|would|will|could|should|might|may|must|can|do|did|does|to|n't|not|also|still|often|now|never|always|and|or|who|that|which|people)$/i;

const SUBORDINATE_OPENER = /^(?:after|while|although|though|when|whereas|because|since|before|if|once|as)$/i;

/** A main clause starts at k: a subject (pronoun, name or determiner phrase) followed soon by a finite verb. */
function mainClauseAt(s: Sent, k: number, end: number): boolean {
  const toks = s.tokens;
  if (k >= end || s.inQ[k] >= 0) return false;
  const w = toks[k].text;
  if (!(/^(?:he|she|they|it|we|i|the|a|an|his|her|their|its|this|that|these|those)$/i.test(w) || isCap(w))) return false;
  for (let m = k + 1; m < Math.min(end, k + 7); m++) {
    if (s.inQ[m] >= 0 || /^[,;:]$/.test(toks[m].text)) return false;
    if (/^(?:is|was|are|were|has|have|had|will|would|can|could|should|may|might|must|did|does|do)$/.test(toks[m].text)) return true;
    if (m <= k + 3 && (PAST_VERB.test(toks[m].text) || /^(?:began|became|knew|ran|stood|won|lost|paid|set|felt|bought|grew|fell|rose)$/.test(toks[m].text))) return true;
    // a present-tense verb after a noun: "America's prison system accounts for ..."
    if (m >= k + 2 && /^\p{Ll}{3,}s$/u.test(toks[m].text) && !/ss$/.test(toks[m].text) && /^(?:for|to|a|an|the|that|more|less|about|in|on|at|with|by|\d.*)$/i.test(toks[m + 1]?.text ?? '') && /^\p{Ll}+[^s]$/u.test(toks[m - 1].text)) return true;
  }
  return false;
}

/** Start of the content after a leading time phrase ("this weekend", "on Friday"). */
function leadTime(s: Sent, f: Frame): number {
  const toks = s.tokens;
  const k = f.cs;
  if (k + 2 < f.ce && s.inQ[k] < 0 && /^(?:this|last|next|on|earlier|later)$/i.test(toks[k].text) && TIME_NOUN.test(toks[k + 1].text)) return k + 2;
  return k;
}

/** "did not immediately respond", "never said": no statement was made. */
function negated(s: Sent, cue: number): boolean {
  for (let k = cue - 1; k >= 0 && k >= cue - 3; k--) {
    const w = lower(s.tokens[k]);
    if (w === 'not' || w === "n't" || w === 'n’t' || w === 'never') return true;
    if (!CUE_GAP.has(w)) break;
  }
  return false;
}

function hasThat(s: Sent, f: Frame): boolean {
  return f.cs > 0 && lower(s.tokens[f.cs - 1]) === 'that';
}

let genderOf: ((first: string) => Gender) | null = null;
function firstNameGender(first: string): Gender {
  if (!genderOf) {
    genderOf = (w: string) => {
      const lw = w.toLowerCase();
      const m = inGazetteer(lw, '_MALE');
      const f = inGazetteer(lw, '_FEMALE');
      return m && !f ? 'm' : f && !m ? 'f' : null;
    };
  }
  return genderOf(first);
}

const SOURCE_HEAD = /^(?:sources?|officials?|spokesm[ae]n|spokeswom[ae]n|spokespersons?|statements?|reports?|polls?|surveys?|study|studies|analysis|analyses|campaign|group|committee|experts?|critics?|analysts?|aides?|advisers?|advisors?|supporters?|opponents?|lawyers?|attorneys?|people|residents?|witnesses?|police|authorities|officers?|government|ministry|agency|office|administration|department|court|judge|company|firm|network|newspaper|paper|website|site|magazine|letter|memo|document|documents|records?|data|researchers?|scientists?|economists?|observers?|leaders?|members?|democrats|republicans|voters|americans|ad|video|book|article|story|editorial|figure|person|man|woman|men|women|family|friends?|colleagues?|neighbou?rs?|doctors?|activists?|protesters|organizers|organisers|party|union|council|board|commission|panel|army|military|forces|troops|ministers?)$/i;

const INTENTION_CUE = new Set(['want', 'plan', 'seek', 'intend', 'refuse', 'decline']);

/** Evidence cues ("a poll shows", "the study found") take documents and groups as subjects. */
const EVIDENCE_CUE = new Set(['show', 'find']);

const DOCUMENT_HEAD = /^(?:polls?|averages?|maps?|surveys?|complaints?|statistics|indictments?|lawsuits?|affidavits?|accounts?|logs?|emails?|messages?|tweets?|posts?|study|studies|analysis|analyses|reports?|data|video|videos|footage|slides?|research|records?|transcripts?|audits?|review|investigation|documents?|charts?|figures|numbers|results|estimates?|models?|projections?|tally|count|census|filings?|documents|evidence|photos?|images?|recordings?|tests?|letter|memo|brief|ruling|findings)$/i;

/** Subject of a non-speech attribution cue: a person, organisation or place, or for evidence cues a source-like phrase. */
function attributionSubjectOk(toks: Token[], f: Frame, lemma: string): boolean {
  const sp = f.speaker;
  const first = f.cs < toks.length ? toks[f.cs].text : '';
  const thatClause = f.cs > 0 && lower(toks[f.cs - 1]) === 'that';
  // intentions report a plan only with an infinitive ("plans to", not "planned the murders")
  if (INTENTION_CUE.has(lemma) && lower(toks[f.cs] ?? toks[0]) !== 'to') return false;
  // "attacked a police station" is not an attack in words
  if (lemma === 'attack' && (sp.type !== 'person' || /^(?:a|an)$/i.test(first))) return false;
  if (sp.type === 'person' || sp.type === 'org' || sp.type === 'place') {
    // people "find" things ("Luck found Wayne for a touchdown"); they report findings with a that-clause
    if (lemma === 'find' && !thatClause) return false;
    return true;
  }
  if (sp.type !== 'unnamed' || sp.e <= sp.s) return false;
  // groups and roles ("Democrats called ...", "critics believe ...", "one of the doctors called ...")
  if (!EVIDENCE_CUE.has(lemma)) return sp.e - sp.s <= 4 && sourceLike(toks, sp) && !DOCUMENT_HEAD.test(toks[sp.e - 1].text);
  let h = sp.e - 1;
  for (let k = sp.s + 1; k < sp.e; k++) if (/^(?:in|at|from|of|for|with|on|by)$/i.test(toks[k].text)) { h = k - 1; break; }
  return DOCUMENT_HEAD.test(toks[h].text);
}

/** An unnamed subject that can make a statement ("a source", "officials", "the report"). */
function sourceLike(toks: Token[], sp: Speaker): boolean {
  if (sp.e <= sp.s || sp.s < 0) return true;
  // the head comes before a prepositional phrase: "the defence ministry in Kyiv", "officials at the agency"
  let h = sp.e - 1;
  for (let k = sp.s + 1; k < sp.e; k++) if (/^(?:in|at|from|of|for|with|on)$/i.test(toks[k].text) || /^\p{Ll}+ing$/u.test(toks[k].text)) { h = k - 1; break; }
  const head = toks[h].text;
  const lh = head.toLowerCase();
  // plural nouns of people by their suffix: "environmentalists", "lawmakers", "physicians", "investors"
  const peoplePlural = /^\p{Ll}{3,}(?:ists|ers|ians|ors|ants|ents)$/u.test(head) && !/^(?:others|numbers|matters|orders|letters|papers|waters|borders|centers|centres|corners|members)$/.test(head);
  return SOURCE_HEAD.test(head) || DOCUMENT_HEAD.test(head) || ROLE_HEADS.has(lh) || peoplePlural || (lh.endsWith('s') && ROLE_HEADS.has(lh.slice(0, -1)));
}

/** Build the frame of a cue: its subject and its content region. */
function buildFrame(
  text: string,
  s: Sent,
  cue: number,
  cueEnd: number,
  lemma: string,
  resolveNP: (a: number, b: number) => Speaker | null,
  frames: Frame[],
  registry: SpeakerRegistry,
): Frame | null {
  const toks = s.tokens;
  const n = toks.length;
  const cueText = text.slice(toks[cue].start, toks[cueEnd - 1].end);
  const isAccording = lemma === 'according';
  const isIng = /ing$/i.test(toks[cue].text) && !isAccording;

  let speaker: Speaker | null = null;
  let after = cueEnd; // first token after the cue frame
  let backward = false;

  if (isAccording) {
    // "according to X, CONTENT" or "CONTENT, according to X"
    let e = cueEnd;
    while (e < n && s.inQ[e] < 0 && !/^[,.;:]$/.test(toks[e].text) && !(e > cueEnd && NP_STOP.has(lower(toks[e])) && lower(toks[e]) !== 'of') && !(e > cueEnd + 1 && /^(?:released|published|conducted|taken|issued|cited)$/.test(toks[e].text))) e++;
    let via: string | null = null;
    if (e + 1 < n && lower(toks[e]) === 'by' && /ed$/i.test(toks[e - 1].text) && e - 1 > cueEnd) {
      let e2 = e + 1;
      while (e2 < n && s.inQ[e2] < 0 && !/^[,.;:]$/.test(toks[e2].text) && e2 - e < 6) e2++;
      via = text.slice(toks[e - 1].start, toks[e2 - 1].end);
      e = e - 1;
    }
    speaker = resolveNP(cueEnd, e);
    if (!speaker) return null;
    if (via) {
      const ce0 = cue;
      let ce = ce0;
      while (ce > 0 && /^[,]$/.test(toks[ce - 1].text)) ce--;
      if (cue > 0) return { cueTok: cue, cueEnd, cueText, lemma, speaker, cs: startOfClause(s, ce), ce, channel: via, order: 0 };
    }
    const atStart = cue === 0 || (cue <= 2 && /^[,]$/.test(toks[cue - 1]?.text ?? ''));
    if (atStart) {
      // "According to a new report by Politico, CONTENT": the source phrase runs on to the comma
      if (e < n && toks[e].text !== ',') {
        let c = e;
        while (c < n && c - e < 10 && s.inQ[c] < 0 && !/^[,.;:]$/.test(toks[c].text)) c++;
        if (c < n && toks[c].text === ',' && c - e < 10) {
          speaker = resolveNP(cueEnd, c) ?? speaker;
          e = c;
        }
      }
      after = e < n && toks[e].text === ',' ? e + 1 : e;
      return finishForward(text, s, cue, cueEnd, cueText, lemma, speaker, after, null);
    }
    let ce = cue;
    while (ce > 0 && /^[,]$/.test(toks[ce - 1].text)) ce--;
    const cs = trimLead(s, startOfClause(s, ce), ce);
    return { cueTok: cue, cueEnd, cueText, lemma, speaker, cs, ce, channel: null, order: 0 };
  }

  // subject before the cue (skip adverbs/auxiliaries)
  let j = cue - 1;
  let gaps = 0;
  const contractedAux = (k: number) => k >= 1 && s.inQ[k] < 0 && (/^['’](?:re|ve|d|ll)$/i.test(toks[k].text) || (/^['’]s$/.test(toks[k].text) && /^(?:he|she|it|who|that|there)$/i.test(toks[k - 1].text)));
  // "appeared to suggest", "seems to acknowledge": a raising verb before the cue
  const raising = (k: number) => k >= 1 && lower(toks[k]) === 'to' && /^(?:appeared|appears|appear|seemed|seems|seem)$/i.test(toks[k - 1].text) && s.inQ[k] < 0;
  while (j >= 0 && (CUE_GAP.has(lower(toks[j])) || contractedAux(j) || raising(j)) && s.inQ[j] < 0 && gaps < 3) {
    j -= raising(j) ? 2 : 1;
    gaps++;
  }
  // passive "was confirmed", possessive "Trump's tweets": not speech frames
  if (j >= 0 && j < cue - 1 && /^(?:was|were|is|are|be|been|being)$/i.test(toks[cue - 1].text) && /ed$/i.test(toks[cue].text)) return null;
  if (j >= 0 && /^['’]s$/.test(toks[j].text)) return null;
  // time adverbials between subject and cue: "Trump this week also said", "Clinton on Monday said"
  while (j >= 1 && TIME_NOUN.test(toks[j].text) && /^(?:this|last|next|on|early|late|earlier|later|that)$/i.test(toks[j - 1].text) && s.inQ[j] < 0) {
    j -= 2;
    while (j >= 0 && CUE_GAP.has(lower(toks[j])) && s.inQ[j] < 0) j--;
  }
  const prevTok = j >= 0 ? toks[j].text : '';
  if (j >= 0 && /^(?:and|but)$/i.test(prevTok) && frames.length && s.inQ[j] < 0) {
    // "... and said that ..." – same subject as the previous cue
    speaker = { ...frames[frames.length - 1].speaker, s: j, e: j + 1 };
    after = cueEnd;
  } else if (j > 0 && /^(?:and|but)$/i.test(prevTok) && s.inQ[j] < 0 && !isIng && lower(toks[cue]) !== lemma && !toks.slice(0, j).some((t, k) => s.inQ[k] >= 0 || /^(?:who|which|that|whose)$/i.test(t.text))) {
    // "Jane Ortiz turns to the crowd and says ...": the subject of the sentence, when it is a person or organisation
    const sub = subjectOfSentence(s, j, resolveNP);
    if (sub && (sub.person || sub.type === 'org')) {
      speaker = { ...sub, s: j, e: j + 1 };
      after = cueEnd;
    }
  } else if (isIng && (prevTok === ',' || j < 0 || /^(?:by|for|from|after|before)$/i.test(prevTok))) {
    // ", saying that ..." – the subject of the sentence / of the previous frame
    const prevFrame = frames[frames.length - 1];
    speaker = prevFrame ? prevFrame.speaker : subjectOfSentence(s, cue, resolveNP);
    if (!speaker) return null;
    speaker = { ...speaker, s: -1, e: -1 };
  }
  if (!speaker && j >= 0 && prevTok === ',' && !(cueEnd < n && s.inQ[cueEnd] >= 0)) {
    // "Benjamin J. Rhodes, one of the president's closest aides, recalled ..." – the sentence opens with the speaker
    const c0 = startOfClause(s, j);
    let firstComma = c0;
    while (firstComma < j && toks[firstComma].text !== ',' && s.inQ[firstComma] < 0) firstComma++;
    const opener = toks.slice(c0, firstComma);
    const nameOpener = opener.length >= 1 && (opener.every((t) => isName(t.text)) ? opener.length <= 5 : opener.length <= 7 && isName(opener[opener.length - 1].text) && opener.every((t) => isName(t.text) || /^\p{Ll}[\p{Ll}-]*$/u.test(t.text)) && !opener.some((t) => NP_STOP.has(lower(t))));
    const midClean = !toks.slice(firstComma + 1, j).some((t, i) => s.inQ[firstComma + 1 + i] >= 0 || cueLemma(lower(t)));
    if (firstComma < j && toks[firstComma].text === ',' && nameOpener && midClean) {
      const sp = resolveNP(c0, firstComma);
      if (sp?.person) {
        const roleTxt = text.slice(toks[firstComma + 1].start, toks[j - 1].end);
        const role = /^(?:the|a|an|one)\b/i.test(roleTxt) && (j - firstComma) <= 14 ? roleTxt.replace(/^(?:the|a|an)\s+/i, '') : null;
        if (role && !sp.person.role) sp.person.role = role;
        speaker = { ...sp, role: sp.role ?? role, s: c0, e: j };
        after = cueEnd;
      }
    }
  }
  if (!speaker && j >= 0 && (prevTok === ',' || QUOTE_TOKEN.test(prevTok) || s.inQ[j] >= 0)) {
    // inverted: '..., said top Kremlin aide Yury Ushakov'
    const nextLw = cueEnd < n ? lower(toks[cueEnd]) : '.';
    const canInvert = !TAKES_OBJECT.has(lemma) && nextLw !== 'that' && nextLw !== ':' && !(cueEnd < n && s.inQ[cueEnd] >= 0) && !PRONOUNS.has(nextLw) && !/^(?:the|a|an|this|his|her|their)$/.test(nextLw === 'the' && prevTok !== ',' ? '' : prevTok === ',' && /^(?:this|his|her|their)$/.test(nextLw) ? nextLw : '');
    if (canInvert || prevTok !== ',') {
      let e = cueEnd;
      while (e < n && s.inQ[e] < 0 && !/^[,.;:!?]$/.test(toks[e].text) && !(NP_STOP.has(lower(toks[e])) && lower(toks[e]) !== 'of') && e - cueEnd < 10) e++;
      if (e > cueEnd) speaker = resolveNP(cueEnd, e);
      // '..., said one GOP source in the room.': an unnamed source closing the sentence
      const closesSentence = (from: number): boolean => {
        let words = 0;
        for (let k = from; k < n; k++) {
          if (s.inQ[k] >= 0) return false;
          if (/^[.!?]$/.test(toks[k].text)) return k === n - 1 || words === 0;
          if (k === from && !/^(?:in|at|from|of|for|on|with|close|familiar|who|,)$/i.test(toks[k].text)) return false;
          if (!PUNCT.test(toks[k].text)) words++;
        }
        return words <= 10;
      };
      const unnamedTail = !!speaker && speaker.type === 'unnamed' && !isAttributionOnly(lemma) && speaker.s >= 0 && sourceLike(toks, { ...speaker, s: cueEnd, e }) && closesSentence(e);
      if (speaker && (prevTok !== ',' || speaker.person || speaker.type === 'org' || speaker.type === 'place' || PRONOUNS.has(nextLw) || unnamedTail)) {
        backward = true;
        after = e;
      } else speaker = null;
    }
    if (!speaker && prevTok === ',' && j > 0) {
      // "Yury Ushakov, a top Kremlin aide, said ..." / "The defence minister, Tom Becker, told ..."
      const npS = npStartBefore(s, j);
      if (npS < j) {
        const sp = resolveNP(npS, j);
        if (sp?.person) {
          speaker = sp;
          const appo = appositiveBefore(s, npS - 1 >= 0 && toks[npS - 1]?.text === ',' ? npS - 1 : -1);
          if (appo) {
            const role = text.slice(toks[appo[0]].start, toks[appo[1] - 1].end).replace(/^(?:the|a|an)\s+/i, '');
            if (!sp.person.role) sp.person.role = role;
            speaker = { ...sp, role: sp.role ?? role, s: appo[0] };
          }
        } else if (sp && npS >= 2 && toks[npS - 1].text === ',') {
          let nameS = npS - 1;
          while (nameS > 0 && isName(toks[nameS - 1].text) && s.inQ[nameS - 1] < 0) nameS--;
          const sp2 = nameS < npS - 1 ? resolveNP(nameS, npS - 1) : null;
          if (sp2?.person) {
            const role = text.slice(toks[npS].start, toks[j - 1].end).replace(/^(?:the|a|an)\s+/i, '');
            if (!sp2.person.role) sp2.person.role = role;
            speaker = { ...sp2, role: sp2.role ?? role, e: j };
          }
        }
        if (!speaker) {
          // "Democratic nominee Hillary Clinton, at a later press gaggle, said, ..."
          let segEnd = j;
          for (let hop = 0; hop < 6 && !speaker; hop++) {
            let segStart = segEnd;
            while (segStart > 0 && toks[segStart - 1].text !== ',' && s.inQ[segStart - 1] < 0 && segEnd - segStart < 10) segStart--;
            const atSentStart = segStart === 0 || s.inQ[segStart - 1] >= 0;
            if (atSentStart && segEnd - segStart <= 10) {
              const sp = resolveNP(segStart, segEnd);
              const contentFollows = !tailIsShort(s, cueEnd) && !tailIsAdjunct(s, cueEnd);
              if (sp?.person || (sp && contentFollows && (sp.type === 'org' || sp.type === 'place' || (sp.type === 'unnamed' && sourceLike(toks, { ...sp, s: segStart, e: segEnd }))))) speaker = { ...sp, s: segStart, e: segEnd };
              break;
            }
            if (segStart === 0 || toks[segStart - 1].text !== ',') break;
            segEnd = segStart - 1;
          }
        }
        if (speaker) {
          const b0 = speaker.s > 0 ? toks[speaker.s - 1].text : '';
          if (speaker.s > 0 && (QUOTE_TOKEN.test(b0) || s.inQ[speaker.s - 1] >= 0)) backward = true;
          after = cueEnd;
        }
      }
    }
    if (!speaker) return null;
  } else if (speaker) {
    // set above (coordination / participle)
  } else if (j >= 1 && /^(?:who|which)$/.test(toks[j].text) && s.inQ[j] < 0) {
    // "an architect who said ...", "the study, which found ...": the relative pronoun stands for the noun before it
    let e = j;
    if (toks[e - 1].text === ',') e--;
    let npS = npStartBefore(s, e);
    if (npS >= e) return null;
    // "met the critics, who ...": the antecedent starts at its determiner
    for (let k = npS + 1; k < e - 1; k++) if (/^(?:the|a|an)$/i.test(toks[k].text) && /^\p{Ll}+$/u.test(toks[k - 1].text) && !/^(?:of|and)$/.test(toks[k - 1].text)) { npS = k; break; }
    const ante = resolveNP(npS, e);
    if (!ante || !(ante.person || ante.type === 'org' || (ante.type === 'unnamed' && sourceLike(toks, ante)))) return null;
    if (toks[j].text === 'which' && ante.type === 'person') return null;
    return finishForward(text, s, cue, cueEnd, cueText, lemma, { ...ante, s: j, e: j + 1 }, cueEnd, registry);
  } else if (j >= 0 && /^it$/i.test(toks[j].text) && s.inQ[j] < 0 && (j === 0 || /^[,;:]$/.test(toks[j - 1].text)) && /^(?:say|state|note|write|warn|add)$/.test(lemma)) {
    // "It says the campaign violated ...": a document or institution named before; the speaker stays unknown
    return finishForward(text, s, cue, cueEnd, cueText, lemma, { text: null, role: null, type: null, person: null, s: j, e: j + 1 }, cueEnd, registry);
  } else if (j >= 0) {
    const npS = npStartBefore(s, j + 1);
    if (npS > j) return null;
    speaker = resolveNP(npS, j + 1);
    if (!speaker) return null;
    // appositive "Name, a top aide, said"
    if (!speaker.person && npS >= 2 && toks[npS - 1].text === ',' && speaker.type === 'unnamed') {
      const nameE = npS - 1;
      let nameS = nameE;
      while (nameS > 0 && isName(toks[nameS - 1].text) && s.inQ[nameS - 1] < 0) nameS--;
      if (nameS < nameE) {
        const sp2 = resolveNP(nameS, nameE);
        if (sp2?.person) {
          const role = text.slice(toks[npS].start, toks[j].end).replace(/^(?:the|a|an)\s+/i, '');
          if (!sp2.person.role) sp2.person.role = role;
          speaker = { ...sp2, role: sp2.role ?? role };
        }
      }
    }
    // CONTENT, SUBJECT said.  → backward when a comma/quote precedes the subject and little follows
    const before = speaker.s > 0 ? toks[speaker.s - 1].text : '';
    // '... change.” She adds, “...”': a quote that ends its own sentence is not the content of the next subject
    const endsSentence = speaker.s > 1 && /^[.?!]$/.test(toks[speaker.s - 2].text) && QUOTE_TOKEN.test(before) && isCap(toks[speaker.s].text) && cueEnd < n && (toks[cueEnd].text === ',' || toks[cueEnd].text === ':') && cueEnd + 1 < n && s.inQ[cueEnd + 1] >= 0;
    if (speaker.s > 0 && !endsSentence && (QUOTE_TOKEN.test(before) || s.inQ[speaker.s - 1] >= 0)) backward = true;
    else if (speaker.s > 0 && before === ',') {
      const appo = appositiveBefore(s, speaker.s - 1);
      if (appo && speaker.person) {
        // "The country's defence minister, Tom Becker, told ..." – the phrase before is the role
        const role = text.slice(toks[appo[0]].start, toks[appo[1] - 1].end).replace(/^(?:the|a|an)\s+/i, '');
        if (!speaker.person.role) speaker.person.role = role;
        speaker = { ...speaker, role: speaker.role ?? role, s: appo[0] };
      } else backward = tailIsShort(s, cueEnd) || tailIsAdjunct(s, cueEnd);
    }
    after = cueEnd;
  } else {
    return null;
  }

  let paren = false;
  if (backward && speaker.s > 0 && speaker.s < cue && cueEnd + 1 < n && toks[cueEnd].text === ',' && s.inQ[cueEnd + 1] < 0) {
    // "The museum, Mr. Bush said, celebrated ...": the statement goes on after the attribution
    const k = cueEnd + 1;
    let words = 0;
    let hasQ = false;
    for (let q = k; q < n; q++) {
      if (s.inQ[q] >= 0) hasQ = true;
      else if (!PUNCT.test(toks[q].text)) words++;
    }
    const gerundSubject = /ing$/i.test(toks[k].text) && toks.slice(k + 1).some((t) => /^(?:would|will|is|was|are|were|can|could|has|have|had|may|might)$/.test(t.text));
    if (words >= 3 && !hasQ && (!/ing$/i.test(toks[k].text) || gerundSubject) && !ADJUNCT_START.has(lower(toks[k]))) {
      let ce = n;
      while (ce > k && /^[.!?;]$/.test(toks[ce - 1].text)) ce--;
      frames.push({ cueTok: cue, cueEnd, cueText, lemma, speaker, cs: k, ce, channel: null, order: 0, continues: true });
      paren = true;
    } else if (hasQ && /^\p{Ll}+$/u.test(toks[k].text) && !ADJUNCT_START.has(lower(toks[k])) && !/ing$/.test(toks[k].text)) {
      // "African-Americans, he said, can ''rock like Jimi''": the head is a statement, the quotes are taken on their own
      paren = true;
    }
  }
  if (backward) {
    let ce = speaker.s >= 0 ? speaker.s : cue;
    if (ce > cue) ce = cue; // inverted
    while (ce > 0 && (toks[ce - 1].text === ',' || toks[ce - 1].text === '—')) ce--;
    let cs = startOfClause(s, ce);
    // "The museum, Mr. Bush said, celebrated ...": the part before the parenthetical attribution is content too, however short
    if (paren && ce > cs && s.inQ[cs] < 0) return { cueTok: cue, cueEnd, cueText, lemma, speaker, cs, ce, channel: null, order: 0, short: true };
    // "After some challenges, A, an official said": the clause after the opening adjunct is the content
    const cs2 = trimLead(s, cs, ce);
    if (cs2 > cs && contentIsAdjunct(s, cs, ce) && !contentIsAdjunct(s, cs2, ce)) cs = cs2;
    if (contentIsAdjunct(s, cs, ce)) {
      if (speaker.s >= 0 && speaker.s < cue) return finishForward(text, s, cue, cueEnd, cueText, lemma, speaker, cueEnd, registry);
      return null;
    }
    let channel = channelAfter(text, s, after);
    if (TAKES_OBJECT.has(lemma) && after < n && s.inQ[after] < 0 && !/^[,.;:]$/.test(toks[after].text)) {
      let e = after;
      while (e < n && s.inQ[e] < 0 && !/^[,.;:]$/.test(toks[e].text) && e - after < 6 && !(e > after && NP_STOP.has(lower(toks[e])) && lower(toks[e]) !== 'of')) e++;
      channel = cueText + ' ' + text.slice(toks[after].start, toks[e - 1].end);
    }
    const f: Frame = { cueTok: cue, cueEnd, cueText, lemma, speaker, cs, ce, channel, order: 0 };
    // '“A,” he said, “B.”' – the quote right after the attribution is the same speaker's
    let k = after;
    while (k < n && s.inQ[k] < 0 && /^[,:]$/.test(toks[k].text)) k++;
    if (k < n && s.inQ[k] >= 0 && k > after - 1 && k - after <= 1) {
      const qi = s.inQ[k];
      let e2 = k;
      while (e2 < n && s.inQ[e2] === qi) e2++;
      frames.push({ cueTok: cue, cueEnd, cueText, lemma, speaker, cs: k, ce: e2, channel, order: 0 });
    }
    return f;
  }
  return finishForward(text, s, cue, cueEnd, cueText, lemma, speaker, after, registry);
}

function finishForward(
  text: string,
  s: Sent,
  cue: number,
  cueEnd: number,
  cueText: string,
  lemma: string,
  speaker: Speaker,
  after: number,
  _registry: SpeakerRegistry | null,
): Frame | null {
  const toks = s.tokens;
  const n = toks.length;
  let cs = after;
  let channel: string | null = null;
  // addressee: "told reporters", "told the AFP news agency"
  if (TAKES_OBJECT.has(lemma) && cs < n && s.inQ[cs] < 0) {
    let e = cs;
    while (e < n && s.inQ[e] < 0 && !/^[,.;:]$/.test(toks[e].text) && lower(toks[e]) !== 'that' && e - cs < 6) {
      const lw = lower(toks[e]);
      if (e > cs && (NP_STOP.has(lw) || PRONOUNS.has(lw) || DETERMINERS.has(lw)) && lw !== 'of') break;
      if (e > cs && PRONOUNS.has(lower(toks[cs]))) break;
      e++;
    }
    if (e > cs) {
      channel = cueText + ' ' + text.slice(toks[cs].start, toks[e - 1].end);
      cs = e;
    }
  }
  const ch = channelAfter(text, s, cs);
  if (ch) channel = channel ?? ch;
  // skip to "that" when it comes soon after an adjunct ("said on Tuesday that ...", not "stressed the raid that")
  const adjunctFirst = cs < n && (lower(toks[cs]) === 'that' || ADJUNCT_START.has(lower(toks[cs])) || TIME_NOUN.test(toks[cs].text) || CUE_GAP.has(lower(toks[cs])) || /^(?:last|this|again|publicly|privately|repeatedly|recently|flatly|also|then|now|once)$/i.test(toks[cs].text));
  let skipped = false;
  for (let k = cs; adjunctFirst && k < Math.min(n, cs + 14); k++) {
    if (s.inQ[k] >= 0) break;
    // the search passes adjuncts only, not a clause of its own ("agreed to clean up the land that ...")
    if (k > cs && k >= cs + 9 && (/^(?:he|she|it|they|we|i|to)$/i.test(toks[k].text) || cueLemma(lower(toks[k])))) break;
    if (k > cs && lower(toks[cs]) === 'to' && TO_CONTENT_OK.has(lemma) && k >= cs + 2) break;
    if (lower(toks[k]) === 'that' && !(k + 1 < n && /^[,.;]$/.test(toks[k + 1].text))) {
      // "rejected that argument in a ruling": a determiner, not a complementizer
      const det = k + 2 <= n && /^\p{Ll}+$/u.test(toks[k + 1]?.text ?? '') && (k + 2 >= n || /^(?:[,.;]|in|on|at|for|with|by|from|of|and|but)$/.test(toks[k + 2].text)) && !/^(?:is|was|he|she|it|they|we|i)$/.test(toks[k + 1].text);
      if (det) break;
      cs = k + 1;
      skipped = true;
      break;
    }
    if (/^[.;]$/.test(toks[k].text)) break;
  }
  // "said after the convention he would ...": a short adjunct, then the reported clause opens with a pronoun
  if (!skipped && cs < n && /^(?:after|before|during|at|on|in|since|following|last|this|earlier|later)$/i.test(toks[cs].text)) {
    for (let k = cs + 2; k < Math.min(n - 1, cs + 8); k++) {
      if (s.inQ[k] >= 0 || /^[,.;:]$/.test(toks[k].text)) break;
      if (/^(?:he|she|they|it|we|i)$/i.test(toks[k].text) && /^\p{Ll}/u.test(toks[k + 1].text) && !NP_STOP.has(lower(toks[k + 1])) || (/^(?:he|she|they|it|we|i)$/i.test(toks[k].text) && /^(?:would|will|was|is|had|has|could|can|did|does|were|are)$/.test(toks[k + 1].text))) {
        cs = k;
        break;
      }
    }
  }
  while (cs < n && /^[,:—–-]$/.test(toks[cs].text) && s.inQ[cs] < 0) cs++;
  let ce = n;
  while (ce > cs && /^[.!?;]$/.test(toks[ce - 1].text) && s.inQ[ce - 1] < 0) ce--;
  if (ce - cs < 1) {
    // nothing after the cue ("…, he said.") – the content is before
    if (speaker.s > 0) {
      let e = speaker.s;
      while (e > 0 && /^[,—]$/.test(toks[e - 1].text)) e--;
      return { cueTok: cue, cueEnd, cueText, lemma, speaker, cs: startOfClause(s, e), ce: e, channel, order: 0 };
    }
    return null;
  }
  return { cueTok: cue, cueEnd, cueText, lemma, speaker, cs, ce, channel, order: 0 };
}

/** A role-like phrase [a, comma) at the start of the sentence (or right after a quote) before "..., Name, said". */
function appositiveBefore(s: Sent, comma: number): [number, number] | null {
  const toks = s.tokens;
  let a = comma;
  while (a > 0 && s.inQ[a - 1] < 0 && !/^[,.;:!?“”"]$/.test(toks[a - 1].text) && comma - a < 9) a--;
  if (a > 0 && !(s.inQ[a - 1] >= 0 || QUOTE_TOKEN.test(toks[a - 1].text))) return null;
  if (comma - a < 1 || comma - a > 8) return null;
  const seg = toks.slice(a, comma);
  if (seg.some((t) => cueLemma(t.text.toLowerCase()) || CUE_GAP.has(t.text.toLowerCase()))) return null;
  const last = seg[seg.length - 1].text.toLowerCase();
  if (!ROLE_HEADS.has(last)) return null;
  return [a, comma];
}

/** True when what follows the cue is short and quote-free (a time, a place, a channel). */
function tailIsShort(s: Sent, from: number): boolean {
  const toks = s.tokens;
  let words = 0;
  for (let k = from; k < toks.length; k++) {
    if (s.inQ[k] >= 0) return false;
    const lw = lower(toks[k]);
    if (lw === 'that' && words < 6) return false;
    if (/^[.!?]$/.test(lw)) break;
    if (!PUNCT.test(lw)) words++;
  }
  return words <= 12;
}

const ADJUNCT_START = new Set(['after', 'before', 'on', 'in', 'at', 'during', 'when', 'while', 'as', 'according', 'referring', 'noting', 'adding', 'citing', 'following', 'amid', 'despite', 'without', 'with', 'from', 'to', 'via', 'through', 'last', 'this', 'earlier', 'later', 'today', 'yesterday', 'told', 'speaking', 'who', 'which', 'but', 'and', 'although', 'though']);

/** True when what follows the cue starts an adjunct ("after talks ...", ", noting that ...") rather than the content. */
function tailIsAdjunct(s: Sent, from: number): boolean {
  const toks = s.tokens;
  if (from >= toks.length) return true;
  if (s.inQ[from] >= 0) return false;
  const lw = lower(toks[from]);
  if (lw === ',' && from + 1 < toks.length && (s.inQ[from + 1] >= 0 || QUOTE_TOKEN.test(toks[from + 1].text))) return false;
  return lw === ',' || ADJUNCT_START.has(lw) || /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/.test(lw);
}

const TITLE_NOUN = /\b(?:book|memoir|film|movie|documentary|show|series|song|anthem|album|novel|play|program|programme|article|column|essay|op-ed|speech|titled|called|named|dubbed|headlined)\s*,?\s*[“"'‘]*$/i;

const SUBORDINATORS = /^(?:as|when|whenever|while|if|after|before|although|though|because|since|until|once|but|and|so|during|in|on|at|with|without|despite|for|by|from|to|asked|speaking|according|last|this|earlier|later|following|amid|given|unlike|like|among|under|over|through)$/i;

/** Backward content must be a statement, not an adjunct clause ("As a phone rang, the announcer said ..."). */
function contentIsAdjunct(s: Sent, cs: number, ce: number): boolean {
  if (ce <= cs) return true;
  if (s.inQ[cs] >= 0) return false;
  const w = s.tokens[cs].text;
  if (!SUBORDINATORS.test(w)) return false;
  // a short introductory phrase ("On this weekend's broadcast of “Fox News Sunday,”") is an adjunct even with a title in quotes
  if (/^(?:on|in|at|during|after|before)$/i.test(w) && ce - cs <= 14) return true;
  // "In his 2002 book, “Make Your Kid a Millionaire,”": the quote is a title inside the phrase
  const firstQ = s.tokens.findIndex((t, k) => k >= cs && k < ce && s.inQ[k] >= 0);
  if (/^(?:on|in|at|during|after|before)$/i.test(w) && firstQ > cs && firstQ - cs <= 8 && TITLE_NOUN.test(s.tokens.slice(cs, firstQ).map((t) => t.text).join(' '))) return true;
  // "But X said ...": a conjunction followed by a full clause with a quote inside is fine
  for (let k = cs; k < ce; k++) if (s.inQ[k] >= 0) return false;
  return true;
}

/** Content start after a leading conjunction ("And A") or an opening adjunct followed by a clause ("As it stands, A"). */
function trimLead(s: Sent, cs: number, ce: number): number {
  const toks = s.tokens;
  if (cs >= ce || s.inQ[cs] >= 0) return cs;
  if (/^(?:and|but|yet|so)$/i.test(toks[cs].text) && cs + 1 < ce) return cs + 1;
  if (!SUBORDINATORS.test(toks[cs].text) && !/^(?:unlike|like|among|despite)$/i.test(toks[cs].text)) return cs;
  for (let k = cs + 1; k < Math.min(ce - 2, cs + 12); k++) {
    if (s.inQ[k] >= 0) break;
    if (toks[k].text === ',' && mainClauseAt(s, k + 1, ce)) return k + 1;
  }
  return cs;
}

/** Start of the clause that ends at token `e` (sentence start, or after a previous attribution). */
function startOfClause(s: Sent, e: number): number {
  // after the last sentence end (outside quotes) before e: merged sentences keep their own content
  for (let k = e - 1; k >= 0; k--) {
    if (s.inQ[k] >= 0) continue;
    const w = s.tokens[k].text;
    if ((w === '.' || w === '?' || w === '!' || w === ';') && k + 1 < e) return k + 1;
  }
  return 0;
}

function channelAfter(text: string, s: Sent, from: number): string | null {
  if (from >= s.tokens.length) return null;
  const rest = text.slice(s.tokens[from].start, s.end);
  const m = CHANNEL_RE.exec(rest);
  return m ? m[1].replace(/^(?:on|in|via|through)\s+/i, (x) => x.toLowerCase()) : null;
}

/** Start of the noun phrase that ends at token index `end` (exclusive). */
function npStartBefore(s: Sent, end: number): number {
  const toks = s.tokens;
  let i = end;
  let steps = 0;
  while (i > 0 && steps < 9) {
    const t = toks[i - 1];
    const lw = t.text.toLowerCase();
    if (s.inQ[i - 1] >= 0) break;
    if (t.text === ')' && i === end) {
      // "Rep. Gwen Moore (D-Wis.) said": skip the parenthesis
      let k = i - 1;
      while (k > 0 && toks[k].text !== '(' && i - k < 8) k--;
      if (toks[k].text === '(') {
        i = k;
        end = k;
        continue;
      }
    }
    // a nickname inside the name: Maria "Mia" Lopez
    if (/^[“”"]$/.test(t.text) && i >= 4 && /^[“”"]$/.test(toks[i - 3].text) && isCap(toks[i - 2].text) && isCap(toks[i - 4].text) && i < end) {
      i -= 3;
      steps++;
      continue;
    }
    if (/^[,.;:!?()“”"—–]$/.test(t.text)) break;
    if (NP_STOP.has(lw) && !(lw === 'in' || lw === 'at' || lw === 'for' || lw === 'from')) break;
    if ((lw === 'in' || lw === 'at' || lw === 'for' || lw === 'from') && (i - 1 === 0 || i === end)) break;
    if (cueLemma(lw) && i < end) break;
    i--;
    steps++;
  }
  // trim a leading preposition
  while (i < end && /^(?:in|at|for|from|of)$/i.test(toks[i].text)) i++;
  return i;
}

const LEAD_PREP = /^(?:at|in|on|during|after|before|since|speaking|asked|when|while|as|later|earlier|meanwhile|also|but|and|yet|still|then|now|last|this|for)$/i;
const NOT_VERB = /^(?:is|was|are|were|be|been|has|have|had|do|does|did|will|would|can|could|should|may|might|must|and|or|but|of|in|on|at|to|for|with|by|from|as|that|which|who|whose|the|a|an|his|her|its|their|this|these|those|not|also)$/i;

/**
 * Frame for a partial quote with no speech cue: subject NP at the start of the clause (after an optional
 * introductory phrase and comma) + a verb, content from the verb to the end of the clause.
 */
function partialQuoteFrame(
  text: string,
  s: Sent,
  qi: number,
  resolveNP: (a: number, b: number) => Speaker | null,
): { sp: Speaker; cs: number; ce: number; verb: string } | null {
  const toks = s.tokens;
  const q = s.qs[qi];
  const qTok = toks.findIndex((t) => t.start >= q.start);
  if (qTok <= 1) return null;
  let c0 = startOfClause(s, qTok);
  // skip an introductory phrase ("At Monday's debate, ...", "Conversely, ...")
  if (LEAD_PREP.test(toks[c0].text) || (/ly$/i.test(toks[c0].text) && toks[c0 + 1]?.text === ',')) {
    let k = c0;
    while (k < qTok && toks[k].text !== ',' && s.inQ[k] < 0) k++;
    if (k >= qTok - 1) return null;
    c0 = k + 1;
  }
  let i = c0;
  while (i < qTok && s.inQ[i] < 0 && !/^[,.;:()]$/.test(toks[i].text) && !NOT_VERB.test(toks[i].text) && !/^\p{Ll}+(?:ed|s)$/u.test(toks[i].text) && i - c0 < 6) {
    if (i > c0 && !isCap(toks[i].text) && !ROLE_HEADS.has(lower(toks[i])) && !/^(?:he|she|they|it)$/i.test(toks[i - 1].text)) break;
    i++;
  }
  if (i === c0 || i >= qTok) return null;
  let v = i;
  while (v < qTok && CUE_GAP.has(lower(toks[v]))) v++;
  if (v >= qTok || s.inQ[v] >= 0) return null;
  const verb = toks[v].text;
  if (NOT_VERB.test(verb) || isCap(verb) || !/^\p{Ll}+$/u.test(verb) || !/(?:ed|s)$/.test(verb)) return null;
  const sp = resolveNP(c0, i);
  if (!sp || !sp.text || (sp.type !== 'person' && sp.type !== 'org')) return null;
  let ce = toks.length;
  for (let k = qTok; k < toks.length; k++) if (s.inQ[k] < 0 && /^[.;!?]$/.test(toks[k].text)) { ce = k; break; }
  if (ce <= v + 1) return null;
  return { sp, cs: v + 1, ce, verb };
}

/** Subject of the sentence: the noun phrase before the first verb-ish word (used for ", saying ..."). */
function subjectOfSentence(s: Sent, before: number, resolveNP: (a: number, b: number) => Speaker | null): Speaker | null {
  const toks = s.tokens;
  let i = 0;
  while (i < before && s.inQ[i] < 0 && !/^[,.;:]$/.test(toks[i].text) && !CUE_GAP.has(lower(toks[i])) && !cueLemma(lower(toks[i])) && i < 8) {
    // the subject ends before its verb ("Hillary Clinton chimed in on Twitter, saying ...")
    if (i > 0 && /^\p{Ll}+(?:ed|s)$/u.test(toks[i].text) && !ROLE_HEADS.has(lower(toks[i])) && isCap(toks[i - 1].text)) break;
    i++;
  }
  if (i === 0) return null;
  return resolveNP(0, i);
}

/** Who a subject phrase is: a person (registry), an organisation or place, or an unnamed source. */
function analyseSpeaker(
  text: string,
  s: Sent,
  a: number,
  b: number,
  registry: SpeakerRegistry,
  entAt: (s: number, e: number) => Entity[],
): Speaker | null {
  const toks = s.tokens;
  while (a < b && (PUNCT.test(toks[a].text) || QUOTE_TOKEN.test(toks[a].text))) a++;
  while (b > a && (PUNCT.test(toks[b - 1].text) || QUOTE_TOKEN.test(toks[b - 1].text))) b--;
  const open = toks.slice(a, b).findIndex((t) => t.text === '(');
  if (open > 0) b = a + open;
  if (b <= a) return null;
  const phrase = text.slice(toks[a].start, toks[b - 1].end);
  const lw0 = toks[a].text.toLowerCase();
  if (b - a === 1 && PRONOUNS.has(lw0)) {
    if (lw0 === 'he' || lw0 === 'she' || lw0 === 'i') {
      const p = registry.resolvePronoun(lw0, toks[a].start);
      if (p) return { text: p.name, role: p.role, type: 'person', person: p, s: a, e: b };
      return { text: null, role: null, type: 'person', person: null, s: a, e: b };
    }
    return { text: null, role: null, type: null, person: null, s: a, e: b };
  }
  if (/^(?:who|which|that|this|there|it|what)$/i.test(lw0) && b - a === 1) return null;
  const ents = entAt(toks[a].start, toks[b - 1].end);
  // the person: last PER entity not followed by 's, or a trailing run of capitalised words
  let per: Entity | null = null;
  const npEnd = toks[b - 1].end;
  for (const e of ents) {
    if (e.type !== 'PER') continue;
    const after = text.slice(e.end, e.end + 2);
    if (/^['’]s/.test(after)) continue;
    // a name inside a longer phrase is a modifier ("a top Trump surrogate"), not the speaker
    if (e.end !== npEnd && /^\s+\p{Ll}/u.test(text.slice(e.end, npEnd))) continue;
    per = e;
  }
  let nameS = -1;
  let nameE = -1;
  if (per) {
    const and = per.text.lastIndexOf(' and ');
    if (and >= 0) per = { ...per, start: per.start + and + 5, text: per.text.slice(and + 5) };
    nameS = toks.findIndex((t) => t.start === per!.start);
    nameE = toks.findIndex((t) => t.end === per!.end) + 1;
  } else {
    // trailing capitalised run, e.g. "Figueroa", "Mr. Clarke"
    let k = b;
    while (k > a && isName(toks[k - 1].text)) k--;
    while (k < b - 1 && (TITLE_LIKE.test(toks[k].text) || ROLE_HEADS.has(lower(toks[k])))) k++;
    const run = text.slice(toks[k]?.start ?? 0, toks[b - 1].end);
    // "Quina Jones, 25, said": an age after the name makes it a person whatever the tagger thought
    const aged = /^,\s*\d{1,3},/.test(text.slice(toks[b - 1].end, toks[b - 1].end + 8));
    const nonPer = !aged && ents.some((e) => e.type !== 'PER' && e.end > (toks[k]?.start ?? 0));
    const known = k < b ? registry.find(run) : null;
    if (k < b && (known || (!nonPer && !inGazetteer(run, 'CTRY') && !inGazetteer(run, 'CITY') && !/^(?:The|A|An)$/.test(toks[k].text)))) {
      // trusted as a person: known, a first name, or a title before it
      const titled = /^(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|Sir|Dame|Lord|Lady)\.?$/.test(toks[k].text) || (k > a && /^(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|Sir|Dame|Lord|Lady)\.?$/.test(toks[k - 1].text)) || (k > a && ROLE_HEADS.has(lower(toks[k - 1])));
      const nameLike = b - k >= 2 && b - k <= 3 && toks.slice(k, b).every((t) => /^\p{Lu}\p{Ll}/u.test(t.text) && !ROLE_HEADS.has(t.text.toLowerCase())) && !inGazetteer(run, 'ORGN') && !inGazetteer(toks[b - 1].text.toLowerCase(), 'ORGW');
      if (known || titled || nameLike || aged || inGazetteer(toks[k].text, 'FIRST')) {
        nameS = k;
        nameE = b;
      }
    }
  }
  if (nameS >= 0 && nameE > nameS) {
    const nameText = text.slice(toks[nameS].start, toks[nameE - 1].end);
    const roleHere = roleBefore(toks.slice(0, nameE), nameS, text);
    const titles = nameS > 0 ? [toks[nameS - 1].text, toks[nameS].text] : [toks[nameS].text];
    const p = registry.add(nameText, toks[nameS].start, roleHere, titles);
    if (!p.gender) p.gender = genderOfTitle(titles);
    return { text: p.name, role: roleHere ?? p.role, type: 'person', person: p, s: a, e: b };
  }
  // organisation or place speaking
  const last = ents[ents.length - 1];
  const written = phrase;
  if (last && last.type !== 'PER' && last.end === toks[b - 1].end) {
    // "a senior figure in Kyiv" is an unnamed source, "the Kremlin" / "Kyiv" speak for themselves
    const headIsRole = toks.slice(a, b).some((t) => {
      const lw = t.text.toLowerCase();
      return (!isCap(t.text) || t === toks[a]) && (ROLE_HEADS.has(lw) || SOURCE_HEAD.test(lw) || (lw.endsWith('s') && ROLE_HEADS.has(lw.slice(0, -1))));
    });
    if (!headIsRole) return { text: phrase.replace(/^the\s+/i, (x) => x), role: null, type: last.type === 'ORG' ? 'org' : 'place', person: null, s: a, e: b };
  }
  if (b - a === 1 && isCap(toks[a].text) && (inGazetteer(toks[a].text, 'CTRY') || inGazetteer(toks[a].text, 'CITY'))) {
    return { text: phrase, role: null, type: 'place', person: null, s: a, e: b };
  }
  // "the Russian leader", "the 73-year-old", "the Republican nominee": the most recent person
  const headLw = toks[b - 1].text.toLowerCase();
  if (/^(?:the|this)$/i.test(lw0) && b - a <= 5 && (ROLE_HEADS.has(headLw) || /-year-old$/.test(headLw)) && !/s$/.test(headLw) && !/^(?:campaign|member|supporter|critic|chair|head)$/.test(headLw)) {
    const byRole = registry.persons
      .filter((x) => x.role && new RegExp(`\\b${headLw.replace(/[^a-z-]/g, '')}\\b`, 'i').test(x.role) && x.lastMention < toks[a].start)
      .sort((x, y) => Math.max(y.lastMention, y.lastSpoke) - Math.max(x.lastMention, x.lastSpoke))[0];
    const p = byRole ?? registry.resolvePronoun('i', toks[a].start);
    if (p) return { text: p.name, role: p.role, type: 'person', person: p, s: a, e: b };
  }
  if (b - a > 8) return null;
  const hasNoun = toks.slice(a, b).some((t) => /\p{L}{2,}/u.test(t.text));
  if (!hasNoun) return null;
  // "the defence ministry in Kyiv", "the campaign": an organisation without a name
  let h = b - 1;
  for (let k = a + 1; k < b; k++) if (/^(?:in|at|from|of|for|with|on)$/i.test(toks[k].text)) { h = k - 1; break; }
  const orgHead = /^(?:ministry|agency|office|government|administration|department|court|company|firm|network|newspaper|campaign|party|union|council|board|commission|panel|army|military|police|committee|group|institute|university|bank|embassy|parliament|cabinet|authorities|regime|coalition|alliance|organization|organisation|foundation|center|centre)$/i.test(toks[h].text);
  return { text: written, role: null, type: orgHead ? 'org' : 'unnamed', person: null, s: a, e: b };
}

// Re-exported for tests and callers that want the registry view of an article.
export { SpeakerRegistry };
export type { Gender };
