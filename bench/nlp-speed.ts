// Throughput of entities + quotes on one core: npx tsx bench/nlp-speed.ts [docs.jsonl]
// Reads only the texts ({id, text} per line), e.g. ../shared/bench/quotes/dev/docs.jsonl.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyseArticle, extractEntities } from '../src/nlp/index.ts';

export interface SpeedResult {
  articles: number;
  chars: number;
  wallMs: number;
  cpuMs: number;
  articlesPerSec: number;
  articlesPerCpuSec: number;
}

export function measureSpeed(texts: readonly string[], rounds = 1): SpeedResult {
  extractEntities('Warm up the model in London.'); // model load is not counted
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) for (const t of texts) analyseArticle(t);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const n = texts.length * rounds;
  return {
    articles: n,
    chars: texts.reduce((a, t) => a + t.length, 0) * rounds,
    wallMs,
    cpuMs,
    articlesPerSec: n / (wallMs / 1000),
    articlesPerCpuSec: n / (cpuMs / 1000),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = process.argv[2] ?? '../shared/bench/quotes/dev/docs.jsonl';
  const texts = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const r = measureSpeed(texts, 2);
  console.log(
    `nlp speed: ${r.articles} articles (avg ${Math.round(r.chars / r.articles)} chars), wall ${r.wallMs.toFixed(0)} ms = ${r.articlesPerSec.toFixed(1)} articles/s, cpu ${r.cpuMs.toFixed(0)} ms = ${r.articlesPerCpuSec.toFixed(1)} articles/s per core`,
  );
}
