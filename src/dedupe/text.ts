// Text normalisation and content fingerprints for near-copy detection.
//
// A fingerprint is a sorted set of 32-bit hashes of word 5-shingles taken from the
// normalised body, after the republisher's cruft (short boilerplate blocks such as
// "Source link", "Share this:", image credits) is dropped. To keep it small and still
// comparable, only shingles whose hash falls in a fixed residue class are kept
// ("mod-p sampling"): two texts that share a passage share the same sampled shingles,
// so containment estimated on the samples is unbiased, and truncation is handled by
// measuring containment of the smaller text in the larger one.

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '-', mdash: '-', hellip: '...',
  lsquo: "'", rsquo: "'", ldquo: '"', rdquo: '"', pound: '£', euro: '€', copy: '©', reg: '®', eacute: 'é',
};

/** Decode the HTML entities that survive in extracted text ("caf&#233;", "&amp;"). */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp < 0x110000 ? String.fromCodePoint(cp) : m;
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

const WORD_RE = /[\p{L}\p{N}]+/gu;

/** Lower-case word tokens with accents folded and entities decoded. */
export function tokenize(s: string): string[] {
  const t = decodeEntities(s).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  return t.match(WORD_RE) ?? [];
}

/** Lines republishers put around a copied article. Matched against a whole (short) block. */
const BOILERPLATE_RE = new RegExp(
  '^(?:' +
    [
      'source link', 'original source', 'read more(?: at| on| from)?.*', 'continue reading.*', 'exit mobile version',
      'share this:?', 'like this:?', 'related(?: posts| stories| articles)?:?', 'recommended stories',
      'list of \\d+ items.*', 'skip to (?:main )?content', 'site icon.*', 'menu', 'home( » .*)?', 'advertisement',
      'loading\\.*', 'click to (?:share|email|print).*', 'copyright.*', '©.*', 'all rights reserved.*',
      '(?:photo|image|picture|video)(?: caption| credit)?:? .*', '\\((?:photo|image|picture):? .*\\)',
      'image copyright .*', 'pictured(?: above)?:.*', 'getty images', 'reuters', 'ap photo.*', 'afp(?: photo)?',
      'sign up.*', 'subscribe.*', 'follow us.*', 'tags?:.*', 'filed under:?.*', 'posted in .*', 'originally published .*',
    ].join('|') +
    ')$',
  'i',
);

const SENTENCE_SPLIT_RE = /(?<=[.!?…)\]])\s+(?=[\p{Lu}\p{N}("“‘'\[])/u;

function isBoilerplate(s: string): boolean {
  const words = s.split(/\s+/).length;
  return words <= 12 && BOILERPLATE_RE.test(s.replace(/[.…:]+$/, '').trim());
}

/**
 * Body blocks with the cruft removed: blocks split on newlines; tiny blocks (under four words)
 * and boilerplate blocks dropped; boilerplate sentences inside a block (captions and credits
 * that ended up inside a flattened paragraph) dropped too.
 */
export function contentBlocks(text: string): string[] {
  const out: string[] = [];
  for (const raw of decodeEntities(text).split(/\n+/)) {
    const b = raw.trim();
    if (!b) continue;
    if (isBoilerplate(b)) continue;
    if (b.split(/\s+/).length < 4) continue;
    const sents = b.split(SENTENCE_SPLIT_RE);
    if (sents.length > 1 && sents.some(isBoilerplate)) out.push(sents.filter((x) => !isBoilerplate(x)).join(' '));
    else out.push(b);
  }
  return out;
}

/** FNV-1a 32-bit. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface Fingerprint {
  /** Sorted, distinct sampled shingle hashes. */
  hashes: Uint32Array;
  /** Number of distinct shingles before sampling. */
  shingles: number;
  /** Number of content tokens. */
  tokens: number;
  /** Modulus the hashes were sampled with (1 = all shingles kept). */
  sample: number;
}

export interface FingerprintOptions {
  /** Words per shingle (default 5). */
  k?: number;
  /** Keep shingles whose hash % sample === 0 (default 4); texts with few shingles keep all. */
  sample?: number;
}

/** Sampling is off for short texts, so the rule must depend only on the shingle hash. */
const SAMPLE_MIN_SHINGLES = 400;

/** Content fingerprint of an article body (title excluded: republishers change titles). */
export function fingerprint(text: string, opts: FingerprintOptions = {}): Fingerprint {
  const k = opts.k ?? 5;
  const sample = opts.sample ?? 4;
  const toks: number[] = [];
  for (const b of contentBlocks(text)) for (const t of tokenize(b)) toks.push(hashString(t));
  const all = new Set<number>();
  for (let i = 0; i + k <= toks.length; i++) {
    let h = 0x9747b28c;
    for (let j = 0; j < k; j++) h = mix(Math.imul(h ^ toks[i + j], 0x5bd1e995) + j);
    all.add(h);
  }
  if (all.size === 0 && toks.length > 0) {
    let h = 0x9747b28c;
    for (const t of toks) h = mix(Math.imul(h ^ t, 0x5bd1e995));
    all.add(h);
  }
  const kept: number[] = [];
  const doSample = all.size >= SAMPLE_MIN_SHINGLES && sample > 1;
  for (const h of all) if (!doSample || h % sample === 0) kept.push(h);
  const hashes = Uint32Array.from(kept).sort();
  return { hashes, shingles: all.size, tokens: toks.length, sample: doSample ? sample : 1 };
}

/** Size of the intersection of two sorted Uint32Arrays. */
export function intersectSorted(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

/** The hashes of `fp` kept under modulus `m` (a multiple of fp.sample). */
export function resample(fp: Fingerprint, m: number): Uint32Array {
  if (m <= fp.sample) return fp.hashes;
  return fp.hashes.filter((h) => h % m === 0);
}

export interface Overlap {
  shared: number;
  sizeA: number;
  sizeB: number;
  /** shared / min(sizeA, sizeB): how much of the smaller text is in the larger. */
  containment: number;
  /** shared / union (Jaccard). */
  resemblance: number;
}

/** Overlap of two fingerprints, compared under the coarser of their two samplings. */
export function overlap(a: Fingerprint, b: Fingerprint): Overlap {
  const m = Math.max(a.sample, b.sample);
  const ha = resample(a, m);
  const hb = resample(b, m);
  const shared = intersectSorted(ha, hb);
  const mn = Math.min(ha.length, hb.length);
  const union = ha.length + hb.length - shared;
  return {
    shared,
    sizeA: ha.length,
    sizeB: hb.length,
    containment: mn > 0 ? shared / mn : 0,
    resemblance: union > 0 ? shared / union : 0,
  };
}
