// Copies: URL canonicalisation, content fingerprints, the dedupe index and original attribution.
export { canonicalizeUrl } from './url.ts';
export { fingerprint, overlap, contentBlocks, tokenize, decodeEntities, type Fingerprint, type Overlap } from './text.ts';
export {
  DedupeIndex,
  isNearDuplicate,
  compareFingerprints,
  titleKey,
  type DedupeId,
  type DedupeItem,
  type DedupeReason,
  type DedupeResult,
  type DedupeIndexOptions,
  type DedupeSnapshot,
  type NearDupOptions,
  type NearDupVerdict,
} from './dedupe.ts';
export { pickOriginal, wireAgency, type CopyCandidate, type OriginalChoice, type OriginalReason } from './original.ts';
