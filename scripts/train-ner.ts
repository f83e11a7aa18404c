// Trains the NER tagger (averaged structured perceptron, BIO Viterbi) and writes src/nlp/model/ner.json.gz.
// Usage: npx tsx scripts/train-ner.ts [--data ../shared/bench/ner/train] [--epochs 8] [--out src/nlp/model/ner.json.gz]
//        [--corpora wikigold,gum,uner-ewt,uner-pud,btc] [--upper 0.15] [--seed 1] [--prune 0.1]
// Single process, deterministic for a given seed. Never trains on ner/dev or the held-out set.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { setGazetteer, type GazetteerLists } from '../src/nlp/gazetteer.ts';
import { TAGS, sentenceFeatures } from '../src/nlp/ner-features.ts';
import { viterbi, type NerModelFile } from '../src/nlp/ner.ts';
import { buildGazetteer } from './gazetteer-build.ts';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith('--')) args.set(a.slice(2), process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[++i] : 'true');
}
const dataDir = resolve(args.get('data') ?? join(root, '..', 'shared', 'bench', 'ner', 'train'));
const epochs = Number(args.get('epochs') ?? 8);
const outPath = resolve(args.get('out') ?? join(root, 'src', 'nlp', 'model', 'ner.json.gz'));
const corpora = (args.get('corpora') ?? 'wikigold,gum,uner-ewt,uner-pud,btc').split(',');
const upperFrac = Number(args.get('upper') ?? 0.15);
const pruneAt = Number(args.get('prune') ?? 0.1);
let seed = Number(args.get('seed') ?? 1);
const rand = () => {
  // mulberry32
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

if (/[/\\]dev[/\\]?$/.test(dataDir) || dataDir.includes('heldout')) throw new Error('refusing to train on an evaluation set');

interface Sent {
  tokens: string[];
  tags: number[];
}
const tagIndex = new Map<string, number>(TAGS.map((t, i) => [t, i]));
const sents: Sent[] = [];
for (const c of corpora) {
  const lines = readFileSync(join(dataDir, c, 'train.jsonl'), 'utf8').split('\n').filter(Boolean);
  for (const l of lines) {
    const r = JSON.parse(l) as { tokens: string[]; tags: string[] };
    if (!r.tokens.length) continue;
    const tags = r.tags.map((t) => tagIndex.get(t) ?? 0);
    sents.push({ tokens: r.tokens, tags });
    // headline augmentation: the same sentence in capitals (news headlines, datelines)
    if (rand() < upperFrac && r.tags.some((t) => t !== 'O')) sents.push({ tokens: r.tokens.map((t) => t.toUpperCase()), tags });
  }
}
console.log(`sentences ${sents.length} (corpora ${corpora.join(',')})`);

const gazetteer: GazetteerLists = buildGazetteer();
// lookup-only list (not a feature): words written in lower case outside names at least 5 times
{
  const lowerCounts = new Map<string, number>();
  for (const s of sents) s.tokens.forEach((t, i) => {
    if (s.tags[i] === 0 && /^\p{Ll}[\p{Ll}'-]+$/u.test(t)) lowerCounts.set(t, (lowerCounts.get(t) ?? 0) + 1);
  });
  gazetteer._COMMON = [...lowerCounts].filter(([, c]) => c >= 5).map(([w]) => w).sort();
}
setGazetteer(gazetteer);
console.log(`gazetteer ${Object.entries(gazetteer).map(([k, v]) => `${k}:${v.length}`).join(' ')}`);

// feature interning (features seen at least twice)
const counts = new Map<string, number>();
const featStrs: string[][][] = sents.map((s) => sentenceFeatures(s.tokens));
for (const fs of featStrs) for (const tf of fs) for (const f of tf) counts.set(f, (counts.get(f) ?? 0) + 1);
const fid = new Map<string, number>();
const names: string[] = [];
for (const [f, c] of counts) if (c >= 2) { fid.set(f, names.length); names.push(f); }
counts.clear();
const feats: Int32Array[][] = featStrs.map((fs) => fs.map((tf) => Int32Array.from(tf.map((f) => fid.get(f) ?? -1).filter((x) => x >= 0))));
featStrs.length = 0;
console.log(`features ${names.length}`);

const T = TAGS.length;
const W = new Float64Array(names.length * T);
const U = new Float64Array(names.length * T); // for averaging
const TR = new Float64Array((T + 1) * T);
const TU = new Float64Array((T + 1) * T);
let c = 1;

const order = sents.map((_, i) => i);
for (let ep = 0; ep < epochs; ep++) {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  let errs = 0;
  let toks = 0;
  for (const si of order) {
    const s = sents[si];
    const F = feats[si];
    const n = s.tokens.length;
    const emit = new Float64Array(n * T);
    for (let i = 0; i < n; i++) for (const f of F[i]) for (let t = 0; t < T; t++) emit[i * T + t] += W[f * T + t];
    const pred = viterbi(emit, n, T, TR);
    toks += n;
    let same = true;
    for (let i = 0; i < n; i++) if (pred[i] !== s.tags[i]) { same = false; errs++; }
    if (!same) {
      for (let i = 0; i < n; i++) {
        const g = s.tags[i], p = pred[i];
        if (g !== p) {
          for (const f of F[i]) {
            W[f * T + g] += 1; U[f * T + g] += c;
            W[f * T + p] -= 1; U[f * T + p] -= c;
          }
        }
        const gp = i === 0 ? 0 : s.tags[i - 1] + 1;
        const pp = i === 0 ? 0 : pred[i - 1] + 1;
        if (gp !== pp || g !== p) {
          TR[gp * T + g] += 1; TU[gp * T + g] += c;
          TR[pp * T + p] -= 1; TU[pp * T + p] -= c;
        }
      }
    }
    c++;
  }
  console.log(`epoch ${ep + 1}: token error ${(errs / toks).toFixed(4)}`);
}

// average, prune, write
const weights: Record<string, number[]> = {};
let kept = 0;
for (let f = 0; f < names.length; f++) {
  const sparse: number[] = [];
  for (let t = 0; t < T; t++) {
    const v = W[f * T + t] - U[f * T + t] / c;
    if (Math.abs(v) >= pruneAt) sparse.push(t, Math.round(v * 100) / 100);
  }
  if (sparse.length) { weights[names[f]] = sparse; kept++; }
}
const trans = Array.from(TR, (v, i) => Math.round((v - TU[i] / c) * 100) / 100);
const model: NerModelFile = {
  version: 1,
  tags: [...TAGS],
  trans,
  weights,
  gazetteer,
  attribution: 'See ATTRIBUTION.md beside this file: trained on wikigold, GUM, Universal NER (EWT, PUD) and the Broad Twitter Corpus.',
};
mkdirSync(dirname(outPath), { recursive: true });
const gz = gzipSync(Buffer.from(JSON.stringify(model)), { level: 9 });
writeFileSync(outPath, gz);
console.log(`wrote ${outPath}: ${kept} features, ${(gz.length / 1e6).toFixed(2)} MB`);
