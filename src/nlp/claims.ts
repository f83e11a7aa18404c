// Claims and denials: statements made with claim/deny/confirm/warn/promise cues, linked across the
// articles of a story when they concern the same event (shared event words and entities) and stand
// on opposite sides ("Russia claimed it had seized Pokrovsk" ↔ "Kyiv has denied the development").

import type { Stance } from './lexicon.ts';

/** A statement as the quote extractor gives it, with where it comes from. */
export interface Statement {
  /** Article the statement is from (any id the caller uses). */
  articleId: string | number;
  quote: string;
  start: number;
  end: number;
  speaker: string | null;
  stance: Stance | null;
  /** Text of the whole sentence around the statement, when known (helps "denied the development"). */
  sentence?: string;
}

export interface ClaimLink {
  claim: Statement;
  response: Statement;
  /** 'disputes' for a denial of a claim, 'confirms' for a confirmation. */
  relation: 'disputes' | 'confirms';
  /** Shared content words/entities that tie them, or "anaphora" when the response points back ("the development"). */
  evidence: string[];
  score: number;
}

const STOP = new Set(
  'a an the of to in on at by for with from and or but that this these those it its is was were be been has have had would will could should may might can said says say told claim claimed claims deny denied denies confirm confirmed he she they we i you his her their our not no than as into about over after before since more most also which who whom what when where there here been being do did does such any some all other'.split(
    ' ',
  ),
);

function stem(w: string): string {
  return w
    .toLowerCase()
    .replace(/['’]s$/, '')
    .replace(/(?:ing|ed|es|s)$/, '')
    .replace(/e$/, '');
}

function contentWords(s: string): Set<string> {
  const out = new Set<string>();
  for (const m of s.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)) {
    const w = m[0].toLowerCase();
    if (STOP.has(w) || w.length < 3) continue;
    out.add(stem(w));
  }
  return out;
}

const ANAPHORIC =
  /\b(?:denied|denies|deny|rejected|rejects|disputed|disputes|dismissed|dismisses|refuted|confirmed|confirms|acknowledged)\s+(?:the|this|that|these|those|such)\s+(?:development|claim|claims|report|reports|allegation|allegations|account|assertion|statement|news|accusation|accusations|charge|charges|suggestion|idea)\b|\b(?:denied|denies|rejected|disputed|dismissed|confirmed)\s+(?:it|this|that)\b/i;

function sameSpeaker(a: Statement, b: Statement): boolean {
  if (!a.speaker || !b.speaker) return false;
  const la = a.speaker.toLowerCase().split(/\s+/).pop();
  const lb = b.speaker.toLowerCase().split(/\s+/).pop();
  return la === lb;
}

/**
 * Pairs of claim ↔ denial (or confirmation) among statements from one or several articles.
 * Within one article a denial that points back ("denied the development") is linked to the nearest
 * earlier claim by someone else; otherwise statements are linked when they share enough event words.
 */
export function linkClaims(statements: readonly Statement[], opts: { minShared?: number } = {}): ClaimLink[] {
  const minShared = opts.minShared ?? 2;
  const claims = statements.filter((s) => s.stance === 'claim' || s.stance === 'promise' || s.stance === 'warn');
  const responses = statements.filter((s) => s.stance === 'deny' || s.stance === 'confirm');
  const links: ClaimLink[] = [];
  const words = new Map<Statement, Set<string>>();
  const wordsOf = (s: Statement) => {
    let w = words.get(s);
    if (!w) words.set(s, (w = contentWords(s.quote)));
    return w;
  };
  for (const r of responses) {
    let best: ClaimLink | null = null;
    const relation = r.stance === 'deny' ? 'disputes' : 'confirms';
    const anaphoric = ANAPHORIC.test(r.sentence ?? '') || ANAPHORIC.test(r.quote);
    for (const c of claims) {
      if (c === r || sameSpeaker(c, r)) continue;
      const shared = [...wordsOf(r)].filter((w) => wordsOf(c).has(w));
      let score = shared.length / Math.max(3, Math.min(wordsOf(r).size, wordsOf(c).size));
      const evidence = shared;
      if (anaphoric && c.articleId === r.articleId && c.start < r.start) {
        // nearest earlier claim in the same article
        const dist = r.start - c.end;
        const anaphoraScore = 1 + 1 / (1 + dist / 500);
        if (anaphoraScore > score) {
          score = anaphoraScore;
          evidence.unshift('anaphora');
        }
      } else if (shared.length < minShared) continue;
      if (!best || score > best.score) best = { claim: c, response: r, relation, evidence, score };
    }
    if (best) links.push(best);
  }
  return links.sort((a, b) => b.score - a.score);
}

/** Statements (with their sentence) from the quotes of one article, ready for linkClaims. */
export function statementsFromQuotes(
  articleId: string | number,
  text: string,
  quotes: readonly { quote: string; start: number; end: number; speaker: string | null; stance: Stance | null }[],
): Statement[] {
  return quotes.map((q) => {
    let s = q.start;
    while (s > 0 && !/[.!?\n]/.test(text[s - 1])) s--;
    let e = q.end;
    while (e < text.length && !/[\n]/.test(text[e]) && !(/[.!?]/.test(text[e]) && /\s/.test(text[e + 1] ?? ' '))) e++;
    return { articleId, quote: q.quote, start: q.start, end: q.end, speaker: q.speaker, stance: q.stance, sentence: text.slice(s, e) };
  });
}
