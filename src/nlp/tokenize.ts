// Tokeniser and sentence splitter shared by the NER tagger and the quote finder.
// Tokens keep their character offsets (JS string indices) into the original text.

export interface Token {
  text: string;
  start: number;
  end: number;
}

// Order matters: abbreviations with dots, clitics, words (with inner - & . ' joins), numbers, single chars.
const TOKEN_RE =
  /(?:\p{L}\.){2,}|(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Lt|Col|Jr|Sr|Prof|Rev|Sgt|Capt|Adm|Mt|Ft|Inc|Corp|Co|Ltd|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec)\.(?=\s|,|$)|\p{Lu}\.(?=\s\p{Lu})|n['’]t\b|['’](?:s|S|re|ve|ll|d|m)\b|[\p{L}\p{N}]+(?:(?:[-&.]|['’](?!(?:s|S|re|ve|ll|d|m|t)\b))[\p{L}\p{N}]+)*|\S/gu;

export function tokenize(text: string, offset = 0, end = text.length): Token[] {
  const out: Token[] = [];
  const slice = offset === 0 && end === text.length ? text : text.slice(offset, end);
  TOKEN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN_RE.exec(slice)) !== null) {
    let t = m[0];
    let s = m.index;
    // split "don't" style: word ending before n't is handled by the lookahead; "can't" → "ca" + "n't"
    if (/n['’]t$/.test(t) && t.length > 3 && /\p{L}/u.test(t[0])) {
      const cut = t.length - 3;
      out.push({ text: t.slice(0, cut), start: offset + s, end: offset + s + cut });
      s += cut;
      t = t.slice(cut);
    }
    out.push({ text: t, start: offset + s, end: offset + s + t.length });
  }
  return out;
}

const ABBREV = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sen', 'rep', 'gov', 'gen', 'lt', 'col', 'sgt', 'capt', 'st', 'jr', 'sr', 'vs',
  'no', 'inc', 'corp', 'co', 'ltd', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov',
  'dec', 'u.s', 'u.n', 'u.k', 'e.g', 'i.e', 'mt', 'ft', 'fig', 'rev', 'adm', 'maj', 'cmdr', 'supt', 'det', 'pres',
  'ariz', 'calif', 'fla', 'ga', 'ill', 'mass', 'mich', 'minn', 'mo', 'nev', 'pa', 'tenn', 'tex', 'va', 'wash', 'wis',
]);

export interface Span {
  start: number;
  end: number;
}

/**
 * Sentence spans over a text: paragraphs ("\n") always split; inside a paragraph a sentence ends
 * at . ! ? (plus closing quotes/brackets) followed by space and an upper-case letter, digit or opening quote,
 * unless the word before the dot is a known abbreviation or a single initial.
 */
export function splitSentences(text: string): Span[] {
  const out: Span[] = [];
  const paraRe = /[^\n]+/g;
  let pm: RegExpExecArray | null;
  while ((pm = paraRe.exec(text)) !== null) {
    const pStart = pm.index;
    const pEnd = pStart + pm[0].length;
    let s = pStart;
    const re = /[.!?…]+["”’')\]]*(?=\s+["“‘'(\[]?[\p{Lu}\p{N}])/gu;
    re.lastIndex = 0;
    const para = pm[0];
    let m: RegExpExecArray | null;
    while ((m = re.exec(para)) !== null) {
      const dotAt = pStart + m.index;
      const e = dotAt + m[0].length;
      if (m[0][0] === '.') {
        // word before the dot
        const before = text.slice(Math.max(s, dotAt - 12), dotAt);
        const wm = /([\p{L}.]+)$/u.exec(before);
        const w = wm ? wm[1].toLowerCase() : '';
        if (w && (ABBREV.has(w) || (w.length === 1 && /\p{Lu}/u.test(wm![1])) || /^(?:\p{L}\.)+\p{L}$/u.test(w))) continue;
      }
      pushTrim(text, s, e, out);
      s = e;
    }
    pushTrim(text, s, pEnd, out);
  }
  return out;
}

function pushTrim(text: string, s: number, e: number, out: Span[]): void {
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (e > s) out.push({ start: s, end: e });
}
