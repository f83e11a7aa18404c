// Clustering bench: reads dataDir/articles.jsonl in file order (online, no look-ahead) and
// answers {"<id>": "<story>"} as JSON text. Merged-away stories are resolved to their final id;
// articles a split moved are credited to the story they moved to.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StoryClusterer, type StoryClustererOptions } from '../src/stories/index.ts';

export async function bench(dataDir: string, opts: StoryClustererOptions = {}): Promise<{ output: string; items: number }> {
  const raw = await readFile(join(dataDir, 'articles.jsonl'), 'utf8');
  const c = new StoryClusterer(opts);
  // article → story as the pipeline would keep it: merges are resolved at the end, splits move articles
  const assigned = new Map<string, number>();
  for (const line of raw.split('\n')) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as Record<string, unknown>;
    const r = c.add({
      id: String(o.id),
      title: String(o.title ?? ''),
      text: typeof o.text === 'string' ? o.text : null,
      published: typeof o.published === 'string' ? o.published : null,
      source: typeof o.source === 'string' ? o.source : null,
    });
    assigned.set(String(o.id), r.storyId);
    if (r.split) for (const id of r.split.articleIds) assigned.set(String(id), r.split.into);
  }
  const out: Record<string, string> = {};
  for (const [id, s] of assigned) out[id] = 's' + c.resolve(s);
  return { output: JSON.stringify(out), items: assigned.size };
}
