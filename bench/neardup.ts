// Near-duplicate pair bench: reads dataDir/items.jsonl (id, title, text only) and
// dataDir/pairs.jsonl (a, b only) and answers one {"a","b","dup"} line per pair.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareFingerprints, fingerprint, titleKey, type Fingerprint } from '../src/dedupe/index.ts';

function jsonl(s: string): unknown[] {
  return s.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

export async function bench(dataDir: string): Promise<{ output: string; items: number }> {
  const items = new Map<string, { fp: Fingerprint; tk: string }>();
  for (const o of jsonl(await readFile(join(dataDir, 'items.jsonl'), 'utf8')) as Array<Record<string, unknown>>) {
    const id = String(o.id);
    items.set(id, { fp: fingerprint(String(o.text ?? '')), tk: titleKey(o.title == null ? '' : String(o.title)) });
  }
  const lines: string[] = [];
  for (const p of jsonl(await readFile(join(dataDir, 'pairs.jsonl'), 'utf8')) as Array<Record<string, unknown>>) {
    const a = String(p.a);
    const b = String(p.b);
    const A = items.get(a);
    const B = items.get(b);
    const dup = !!A && !!B && compareFingerprints(A.fp, B.fp, A.tk, B.tk).dup;
    lines.push(JSON.stringify({ a, b, dup }));
  }
  return { output: lines.join('\n') + '\n', items: lines.length };
}
