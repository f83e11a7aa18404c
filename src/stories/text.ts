// Features for story clustering: content terms, capitalised-phrase entities and numbers.

const STOP = new Set(
  (
    'a about above after again against all also am an and any are aren as at be because been before being below ' +
    'between both but by can cannot could couldn did didn do does doesn doing don down during each few for from ' +
    'further had hadn has hasn have haven having he her here hers herself him himself his how i if in into is isn it ' +
    'its itself just let ll me more most mustn my myself no nor not now of off on once only or other ought our ours ' +
    'ourselves out over own re same shan she should shouldn so some such than that the their theirs them themselves ' +
    'then there these they this those through to too under until up us ve very was wasn we were weren what when ' +
    'where which while who whom why will with won would wouldn you your yours yourself yourselves ' +
    'says said say saying told tells tell according will would may might must shall one two new via get gets got ' +
    'like just also still even yet much many make makes made take takes took back first last year years day days ' +
    'time week weeks month months today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday ' +
    'mr mrs ms dr am pm re s t d m ll ve'
  ).split(/\s+/),
);

/** Words that start a sentence in capitals without naming anything. */
const CAP_STOP = new Set(
  ('The A An This That These Those It Its He She They We I You His Her Their Our But And Or If When While After ' +
    'Before As In On At For From By With Without To Of Not No Yes So Then There Here What Who Why How Where Which ' +
    'Mr Mrs Ms Dr Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June ' +
    'July August September October November December Today Yesterday Tomorrow Meanwhile However Also Still One Two ' +
    'Some Many Most All Both Each Every Any Other Another More Less According Police Officials Authorities')
    .split(/\s+/),
);

/** Light English stemmer: plural and possessive endings, a few verb endings. */
export function stem(w: string): string {
  if (w.length <= 3) return w;
  if (w.endsWith("'s") || w.endsWith('’s')) w = w.slice(0, -2);
  if (w.length > 4 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length > 4 && (w.endsWith('sses') || w.endsWith('shes') || w.endsWith('ches') || w.endsWith('xes'))) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 5 && w.endsWith('ed') && !w.endsWith('eed')) return w.slice(0, -2);
  return w;
}

const TOKEN_RE = /[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu;

/** Content terms (lower-case, stemmed, stopwords and one-letter tokens dropped). */
export function terms(s: string): string[] {
  const out: string[] = [];
  const low = s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  for (const m of low.matchAll(TOKEN_RE)) {
    let w = m[0].replace(/’/g, "'");
    if (/^\d/.test(w)) continue; // numbers are their own feature
    w = w.replace(/\./g, '');
    if (w.length < 2 || STOP.has(w)) continue;
    w = stem(w);
    if (w.length < 2 || STOP.has(w)) continue;
    out.push(w);
  }
  return out;
}

/** True when most words of a line are capitalised (a Title Case headline). */
export function isTitleCase(s: string): boolean {
  const words = s.match(/\p{L}[\p{L}'’-]*/gu) ?? [];
  const long = words.filter((w) => w.length > 3);
  if (long.length < 3) return false;
  const caps = long.filter((w) => /^\p{Lu}/u.test(w)).length;
  return caps / long.length > 0.7;
}

/** Lower-case words that may sit inside a name ("Bank of Aldermark", "Pointe des Éboulis"). */
const CONNECTOR_RE = /^(?:of|de|des|du|la|le|di|the|and|for|van|von|al|da|del)$/;
/** A word with a capital after a hyphen ("Saint-Clair", "Port-Aubin"): a name wherever it stands. */
const HYPHEN_NAME_RE = /^\p{Lu}\p{Ll}*(?:-\p{Ll}+)*-\p{Lu}/u;
/** An all-capitals word of three letters or more ("SAINT-CLAIR" in a dateline). */
const ALL_CAPS_RE = /^(?=(?:[^\p{L}]*\p{Lu}){3})[\p{Lu}\p{N}.&-]+$/u;

/**
 * Titles and offices written before a name ("Prime Minister Robert Haldane", "Prefect Hélène
 * Dufresne"): one outlet writes them, another does not ("regional prefect Hélène Dufresne",
 * "Haldane"), so the name is kept without them.
 */
const TITLE_WORDS = new Set(
  ('President Vice Prime Minister Deputy Secretary Chancellor Mayor Prefect Governor Senator Sen Rep Representative ' +
    'Congressman Congresswoman Judge Justice Chief Captain Capt General Gen Colonel Col Lieutenant Lt Major Sergeant ' +
    'Sgt Commander Admiral Inspector Detective Officer Constable Superintendent Commissioner Ambassador Envoy ' +
    'Councillor Councilor Alderman Professor Prof Sir Dame Lord Lady King Queen Prince Princess Pope Bishop ' +
    'Archbishop Cardinal Father Rev Reverend Rabbi Imam Sheikh Coach Interior Finance Foreign Home Defence Defense ' +
    'Health Education Economy Economic Energy Environment Transport Trade Labour Labor Agriculture Culture Regional ' +
    'Acting Former Ex Opposition Leader Speaker Spokesman Spokeswoman Spokesperson CEO Chairman Chairwoman Chair')
    .split(/\s+/),
);

/** Lower-case and without accents, so "Céleste" and "Celeste", "SAINT-CLAIR" and "Saint-Clair" match. */
function entityKey(words: string[]): string {
  return words.join(' ').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/**
 * Capitalised phrases ("Tara Reid", "Promises Treatment Center", "South Sudan"), lower-cased and
 * without accents; titles before a name dropped ("Prime Minister Robert Haldane" → "robert haldane").
 * Sentence-initial single words are skipped (capitalised by position only) unless they are names
 * by their form (hyphenated capitals like "Saint-Clair", all capitals like a dateline's
 * "SAINT-CLAIR") or recur capitalised inside a sentence elsewhere in the text.
 * Title Case lines are skipped (everything is capitalised there).
 */
export function entities(text: string): string[] {
  const out: string[] = [];
  /** Single words seen capitalised inside a sentence, and sentence-initial ones waiting for that. */
  const inner = new Set<string>();
  const initial: string[] = [];
  const emit = (cur: string[], startIdx: number, dateline: boolean) => {
    while (cur.length && (CAP_STOP.has(cur[0]) || CONNECTOR_RE.test(cur[0]))) {
      cur.shift();
      startIdx++;
    }
    // a title before a name of two words or more: the name alone
    let k = 0;
    while (k < cur.length && TITLE_WORDS.has(cur[k])) k++;
    if (k > 0 && cur.length - k >= 2 && !CONNECTOR_RE.test(cur[k])) {
      cur.splice(0, k);
      startIdx += k;
    }
    // "Fans of Doctor Who" at the start of a sentence: the first word is only capitalised by position
    if (startIdx === 0 && cur.length > 2 && CONNECTOR_RE.test(cur[1])) {
      cur.splice(0, 2);
      startIdx += 2;
    }
    while (cur.length && CONNECTOR_RE.test(cur[cur.length - 1])) cur.pop();
    if (cur.length > 1) out.push(entityKey(cur));
    else if (cur.length === 1 && cur[0].length > 1) {
      const key = entityKey(cur);
      if (startIdx > 0) {
        out.push(key);
        inner.add(key);
      } else if (HYPHEN_NAME_RE.test(cur[0]) || (dateline && ALL_CAPS_RE.test(cur[0]))) out.push(key);
      else initial.push(key);
    }
  };
  for (const line of text.split(/\n+/)) {
    if (isTitleCase(line)) continue;
    for (const sent of line.split(/(?<=[.!?:;"”])\s+/)) {
      const words = sent.split(/\s+/);
      let cur: string[] = [];
      let startIdx = -1;
      const flush = (endIdx: number) => {
        if (cur.length > 0) {
          // a place in capitals opening the text before a dash: "SAINT-CLAIR – The death toll…"
          const dateline = startIdx === 0 && /^[–—-]+$/.test(words[endIdx] ?? '');
          emit(cur, startIdx, dateline);
        }
        cur = [];
        startIdx = endIdx + 1;
      };
      for (let i = 0; i < words.length; i++) {
        const w = words[i].replace(/^[("“'‘\[]+|[)"”'’\],.;:!?]+$/g, '').replace(/['’]s$/, '');
        const cap = /^\p{Lu}[\p{L}\p{N}.&-]*$/u.test(w);
        const conn = cur.length > 0 && CONNECTOR_RE.test(w);
        if (cap || conn) {
          if (cur.length === 0) startIdx = i;
          cur.push(w);
          if (/[,.;:!?)"”]$/.test(words[i]) && !/^\p{Lu}\.$/u.test(words[i])) flush(i);
        } else flush(i);
      }
      flush(words.length);
    }
  }
  for (const k of initial) if (inner.has(k)) out.push(k);
  return out;
}

const MONTHS = 'january february march april may june july august september october november december'.split(' ');

/**
 * Specific numbers: magnitudes, counts, years, dates ("6.1", "1,200" → "1200", "June 13" → "jun13").
 * Small integers (0-10) are too common to mean anything and are dropped.
 */
export function numbers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?\b|\b\d+(?:\.\d+)?\b/g)) {
    const v = m[0].replace(/[,\s]/g, '');
    const n = Number(v);
    if (!Number.isFinite(n)) continue;
    if (!v.includes('.') && n <= 10) continue;
    out.push(v);
  }
  const low = text.toLowerCase();
  for (const m of low.matchAll(/\b(january|february|march|april|june|july|august|september|october|november|december)\s+(\d{1,2})\b/g)) {
    out.push(MONTHS.indexOf(m[1]).toString() + '/' + m[2]);
  }
  return out;
}

/**
 * Years a text mentions (1950-2049), with repeats. Counts and money ("2,000 people", "$2013")
 * are not years; ranges like "2008-09" count their first year. A year written inside a full date
 * ("August 4, 2013", "4 August 2013", "2013-09-26", "27/09/2013") counts twice: it dates the text.
 */
export function years(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/(^|[^\p{L}\p{N}$£€.,])((?:19[5-9]|20[0-4])\d)(?![\p{L}\p{N}%]|[.,]\d|\s*(?:%|per\s?cent|people|pounds|dollars|euros|units|miles|km|feet|metres|meters|kilometres))/gu)) {
    const y = Number(m[2]);
    out.push(y);
    const before = text.slice(Math.max(0, (m.index ?? 0) - 24), (m.index ?? 0) + m[1].length);
    const after = text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 6);
    if (
      /(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s*$/i.test(before) ||
      /\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s*$/i.test(before) ||
      /\b\d{1,2}[/.-]\d{1,2}[/.-]$/.test(before) ||
      /^-\d{2}-\d{2}/.test(after)
    ) {
      out.push(y);
    }
  }
  return out;
}

/**
 * The year a text is most likely about: the one mentioned most (dates count double); on a tie the
 * latest, since news looks back to earlier years far more often than ahead. Undefined when none.
 */
export function eventYear(ys: number[]): number | undefined {
  if (ys.length === 0) return undefined;
  const c = new Map<number, number>();
  for (const y of ys) c.set(y, (c.get(y) ?? 0) + 1);
  let best = -1;
  let bestN = 0;
  for (const [y, n] of c) if (n > bestN || (n === bestN && y > best)) [best, bestN] = [y, n];
  return best;
}
