// Bench adapters for `digest bench quotes|ner`: read the inputs of a data dir (never its gold),
// run the extractors, return the prediction file's JSON text.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractEntitiesFromSentences, extractQuotes, type QuoteKind } from '../src/nlp/index.ts';

async function readJsonl<T>(path: string): Promise<T[]> {
  const txt = await readFile(path, 'utf8');
  return txt
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/**
 * Quotes for every doc of `dataDir/docs.jsonl`: {"<id>": [{quote,start,end,speaker,role,kind,cue}]}.
 * `kinds` keeps only some kinds (e.g. ['direct'] to score the quote-mark extractor on its own).
 */
export async function benchQuotes(dataDir: string, kinds?: readonly QuoteKind[]): Promise<{ output: string; items: number }> {
  const docs = await readJsonl<{ id: string; text: string }>(join(dataDir, 'docs.jsonl'));
  const out: Record<string, { quote: string; start: number; end: number; speaker: string | null; role: string | null; kind: string; cue: string | null }[]> = {};
  for (const d of docs) {
    out[d.id] = extractQuotes(d.text, { indirect: !kinds || kinds.includes('indirect') }).filter((q) => !kinds || kinds.includes(q.kind)).map((q) => ({
      quote: q.quote,
      start: q.start,
      end: q.end,
      speaker: q.speaker,
      role: q.speakerRole,
      kind: q.kind,
      cue: q.cue,
    }));
  }
  return { output: JSON.stringify(out), items: docs.length };
}

/** Entities for every sentence of `dataDir/sentences.jsonl`, with consistency inside each doc. */
export async function benchNer(dataDir: string): Promise<{ output: string; items: number }> {
  const rows = await readJsonl<{ id: string; doc?: string; text: string }>(join(dataDir, 'sentences.jsonl'));
  const byDoc = new Map<string, { id: string; text: string }[]>();
  for (const r of rows) {
    const k = r.doc ?? r.id;
    let a = byDoc.get(k);
    if (!a) byDoc.set(k, (a = []));
    a.push(r);
  }
  const out: Record<string, { start: number; end: number; type: string }[]> = {};
  for (const sents of byDoc.values()) {
    const ents = extractEntitiesFromSentences(sents.map((s) => s.text));
    sents.forEach((s, i) => {
      out[s.id] = ents[i].map((e) => ({ start: e.start, end: e.end, type: e.type }));
    });
  }
  return { output: JSON.stringify(out), items: rows.length };
}
