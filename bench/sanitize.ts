// Bench adapter for ../shared/bench/sanitize: reads DIR/cases.jsonl and DIR/benign.jsonl (inputs
// only) and returns {"<id>": "<sanitised html>"} as JSON text for score.mjs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sanitizeHtml } from '../src/extract/index.ts';

async function readJsonl(file: string): Promise<Array<{ id: string; html: string }>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const o = JSON.parse(l) as { id: string; html: string };
      return { id: String(o.id), html: String(o.html ?? '') };
    });
}

export async function bench(dataDir: string): Promise<{ output: string; items: number }> {
  const rows = [...(await readJsonl(join(dataDir, 'cases.jsonl'))), ...(await readJsonl(join(dataDir, 'benign.jsonl')))];
  const out: Record<string, string> = {};
  for (const r of rows) out[r.id] = sanitizeHtml(r.html);
  return { output: JSON.stringify(out), items: rows.length };
}
