// Features of the NER tagger, shared by the trainer (scripts/train-ner.ts) and the tagger (ner.ts).
// Pure functions over token strings; no I/O.

import { gazetteerTags } from './gazetteer.ts';

export const TAGS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG', 'B-MISC', 'I-MISC'] as const;
export type Tag = (typeof TAGS)[number];

const UPPER_RE = /\p{Lu}/u;
const LOWER_RE = /\p{Ll}/u;
const DIGIT_RE = /\p{N}/u;

export function wordShape(w: string): string {
  let s = '';
  for (let i = 0; i < w.length; i++) {
    const code = w.charCodeAt(i);
    if (code >= 65 && code <= 90) s += 'X';
    else if (code >= 97 && code <= 122) s += 'x';
    else if (code >= 48 && code <= 57) s += 'd';
    else if (code < 128) s += w[i];
    else {
      const ch = w[i];
      s += UPPER_RE.test(ch) ? 'X' : LOWER_RE.test(ch) ? 'x' : DIGIT_RE.test(ch) ? 'd' : ch;
    }
  }
  return s;
}

export function shortShape(shape: string): string {
  let out = '';
  for (const c of shape) if (out[out.length - 1] !== c) out += c;
  return out;
}

const hasLetter = (w: string) => /\p{L}/u.test(w);
const isUpperWord = (w: string) => hasLetter(w) && w === w.toUpperCase();

/** True when the sentence is written in capitals (a headline): case then says nothing about names. */
export function isAllCapsSentence(tokens: readonly string[]): boolean {
  let letters = 0;
  let upper = 0;
  for (const t of tokens) {
    if (!hasLetter(t)) continue;
    letters++;
    if (isUpperWord(t)) upper++;
  }
  return letters >= 3 && upper / letters > 0.8;
}

const BOUND = '<s>';
const BOUNDE = '</s>';

/**
 * Feature strings for every token of a sentence.
 * `docHints` (optional) gives, per token, the type the same word got elsewhere in the document.
 */
/** Features of a word on its own (cacheable per word and headline flag). */
export function wordFeatures(w: string, allCaps: boolean): string[] {
  const lw = w.toLowerCase();
  const shape = allCaps && hasLetter(w) ? 'AC' : shortShape(wordShape(w));
  const f: string[] = ['b', 'w=' + lw, 'sh=' + shape];
  if (!allCaps) {
    f.push('W=' + w);
    const ls = wordShape(w);
    f.push('lsh=' + (ls.length > 6 ? ls.slice(0, 3) + ls.slice(-3) : ls));
  } else f.push('AC');
  const L = lw.length;
  for (let k = 1; k <= 4 && k < L; k++) {
    f.push('s' + k + '=' + lw.slice(L - k));
    if (k <= 3) f.push('p' + k + '=' + lw.slice(0, k));
  }
  return f;
}

/** Features of a token that depend on its neighbours and position. */
export function contextFeatures(tokens: readonly string[]): string[][] {
  const n = tokens.length;
  const allCaps = isAllCapsSentence(tokens);
  const lower = tokens.map((t) => t.toLowerCase());
  const shapes = tokens.map((t) => (allCaps && hasLetter(t) ? 'AC' : shortShape(wordShape(t))));
  const gaz = gazetteerTags(lower);
  const out: string[][] = [];
  for (let i = 0; i < n; i++) {
    const lw = lower[i];
    const f: string[] = [];
    if (i === 0) f.push('first:' + shapes[i]);
    const p1 = i > 0 ? lower[i - 1] : BOUND;
    const p2 = i > 1 ? lower[i - 2] : BOUND;
    const n1 = i + 1 < n ? lower[i + 1] : BOUNDE;
    const n2 = i + 2 < n ? lower[i + 2] : BOUNDE;
    f.push('w-1=' + p1, 'w+1=' + n1, 'w-2=' + p2, 'w+2=' + n2);
    f.push('w-1w=' + p1 + '|' + lw, 'ww+1=' + lw + '|' + n1);
    const ps = i > 0 ? shapes[i - 1] : BOUND;
    const ns = i + 1 < n ? shapes[i + 1] : BOUNDE;
    f.push('sh-1=' + ps, 'sh+1=' + ns, 'sh-1sh+1=' + ps + '|' + shapes[i] + '|' + ns);
    if (i > 0 && !allCaps) f.push('W-1=' + tokens[i - 1]);
    if (i + 1 < n && !allCaps) f.push('W+1=' + tokens[i + 1]);
    const g = gaz[i];
    if (g) for (const x of g) f.push('gz=' + x);
    if (i > 0) for (const x of gaz[i - 1] ?? []) f.push('gz-1=' + x);
    if (i + 1 < n) for (const x of gaz[i + 1] ?? []) f.push('gz+1=' + x);
    out.push(f);
  }
  return out;
}

/** All features of every token of a sentence (word features + context features). */
export function sentenceFeatures(tokens: readonly string[]): string[][] {
  const allCaps = isAllCapsSentence(tokens);
  const ctx = contextFeatures(tokens);
  return tokens.map((t, i) => [...wordFeatures(t, allCaps), ...ctx[i]]);
}
