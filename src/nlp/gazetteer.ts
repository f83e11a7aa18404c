// Gazetteer lookups for the NER features. The lists travel inside the model file (built by
// scripts/train-ner.ts), so the tagger needs no package at run time.

/** Lists by label, each entry a lower-case phrase ("new york", "angela"). */
export type GazetteerLists = Record<string, string[]>;

let phrases = new Map<string, string[]>(); // phrase -> labels (features)
let lookupOnly = new Map<string, string[]>(); // phrase -> labels starting with "_" (lookups, not features)
let maxLen = 1;
let firstWords = new Set<string>(); // first words of multi-word phrases

export function setGazetteer(lists: GazetteerLists): void {
  phrases = new Map();
  lookupOnly = new Map();
  firstWords = new Set();
  maxLen = 1;
  for (const [label, items] of Object.entries(lists)) {
    if (label.startsWith('_')) {
      for (const p of items) {
        const key = p.toLowerCase();
        const cur = lookupOnly.get(key);
        if (cur) cur.push(label);
        else lookupOnly.set(key, [label]);
      }
      continue;
    }
    for (const p of items) {
      const key = p.toLowerCase().trim();
      if (!key) continue;
      const n = key.split(' ').length;
      if (n > maxLen) maxLen = Math.min(n, 6);
      if (n > 1) firstWords.add(key.split(' ')[0]);
      const cur = phrases.get(key);
      if (cur) {
        if (!cur.includes(label)) cur.push(label);
      } else phrases.set(key, [label]);
    }
  }
}

/**
 * For each token (lower-cased), the gazetteer labels it falls in, with a B/I position prefix:
 * longest match first, e.g. ["B:LOC"] for "new" and ["I:LOC"] for "york" in "new york".
 */
export function gazetteerTags(lower: readonly string[]): (string[] | null)[] {
  const out: (string[] | null)[] = new Array(lower.length).fill(null);
  if (phrases.size === 0) return out;
  for (let i = 0; i < lower.length; i++) {
    for (let n = firstWords.has(lower[i]) ? Math.min(maxLen, lower.length - i) : 1; n >= 1; n--) {
      const key = n === 1 ? lower[i] : lower.slice(i, i + n).join(' ');
      const labels = phrases.get(key);
      if (!labels) continue;
      for (let k = 0; k < n; k++) {
        const arr = out[i + k] ?? (out[i + k] = []);
        for (const l of labels) {
          const tag = (k === 0 ? 'B:' : 'I:') + l + (n > 1 ? '' : '1');
          if (!arr.includes(tag)) arr.push(tag);
        }
      }
      break;
    }
  }
  return out;
}

/** True when the lower-case phrase is in the list `label`. */
export function inGazetteer(phrase: string, label: string): boolean {
  const key = phrase.toLowerCase();
  return (label.startsWith('_') ? lookupOnly.get(key) : phrases.get(key))?.includes(label) ?? false;
}
