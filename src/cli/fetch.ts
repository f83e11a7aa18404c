// digest fetch: one pass over every due source, with a progress bar and a summary.
import type { Command } from 'commander';
import { configFrom } from './context.ts';
import { openApp } from './app.ts';
import { runPass, type PassSummary } from '../jobs/ingest.ts';
import { createProgress } from './progress.ts';

export function formatSummary(s: PassSummary): string {
  const lines = [
    `${s.sources} source(s): ${s.ok} ok, ${s.notModified} not modified, ${s.failed} failed; ${s.newArticles} new article(s) in ${(s.elapsedMs / 1000).toFixed(1)} s`,
  ];
  const kinds = Object.entries(s.errorsByKind);
  if (kinds.length) lines.push(`errors by kind: ${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  for (const r of s.results) {
    if (r.outcome === 'error' && r.error) lines.push(`  ✗ ${r.source.title ?? r.source.url}: ${r.error.describe()}`);
  }
  if (s.itemErrors) lines.push(`${s.itemErrors} item(s) failed; they will be retried on the next pass`);
  return lines.join('\n');
}

export interface FetchOpts {
  all?: boolean;
}

export async function fetchSources(opts: FetchOpts, cmd: Command): Promise<void> {
  const app = await openApp(configFrom(cmd));
  try {
    const sources = opts.all ? (await app.store.listSources()).filter((s) => !s.disabled) : undefined;
    const bar = createProgress('fetching');
    let news = 0;
    const summary = await runPass(app.pipeline, {
      sources,
      onProgress: (done, total, r) => {
        news += r.newArticles;
        bar.update(done, total, `${news} new`);
      },
    });
    bar.done();
    process.stdout.write(formatSummary(summary) + '\n');
    if (summary.sources > 0 && summary.failed === summary.sources) process.exitCode = 1;
  } finally {
    await app.close();
  }
}
