// Extractive story summaries: 2-3 sentences from the members' leads, chosen by closeness to
// the story centroid, position and non-redundancy.

/** Sentences of a text (one per line when the text is line-broken, otherwise split on punctuation). */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split(/\n+/)) {
    const b = block.trim();
    if (!b) continue;
    for (const s of b.split(/(?<=[.!?]["”’)]?)\s+(?=["“‘(]?\p{Lu})/u)) {
      const t = s.trim();
      if (t.length >= 25 && t.split(/\s+/).length >= 5) out.push(t);
    }
  }
  return out;
}

function cos(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, x] of a) {
    na += x * x;
    const y = b.get(k);
    if (y !== undefined) dot += x * y;
  }
  for (const [, y] of b) nb += y * y;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Pick up to `max` sentences (2-3) that say what the story is about. Members without body text
 * contribute their headlines, so headline-only stories get a summary of distinct headlines.
 */
export function summarize(
  members: Array<{ title: string; lead: string[] }>,
  centroid: Map<string, number>,
  vectorize: (s: string) => Map<string, number>,
  max = 3,
): string[] {
  const cands: Array<{ s: string; v: Map<string, number>; score: number }> = [];
  const seen = new Set<string>();
  const hasText = members.some((m) => m.lead.length > 0);
  for (const m of members.slice(0, 60)) {
    const sents = hasText ? m.lead : [m.title];
    sents.forEach((s, i) => {
      const key = s.toLowerCase().replace(/\W+/g, ' ').trim();
      if (seen.has(key) || (hasText && s === m.title)) return;
      seen.add(key);
      const v = vectorize(s);
      // earlier sentences of an article carry its news; a mild position prior
      cands.push({ s, v, score: cos(v, centroid) * (1 - 0.08 * i) });
    });
  }
  cands.sort((a, b) => b.score - a.score);
  const chosen: typeof cands = [];
  for (const c of cands) {
    if (chosen.length >= max) break;
    if (chosen.some((x) => cos(x.v, c.v) > 0.5)) continue;
    chosen.push(c);
  }
  return chosen.map((c) => c.s);
}
