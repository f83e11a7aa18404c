// Who said what: quotes with speakers and roles, claims and denials, people, places and organisations.
// Pure TypeScript, offline. The NER weights ship in ./model (see model/ATTRIBUTION.md).

export { extractQuotes, type Quote, type QuoteKind, type ExtractQuotesOptions } from './quotes.ts';
export { SpeakerRegistry, type PersonEntry, type SpeakerType } from './speakers.ts';
export { linkClaims, statementsFromQuotes, type Statement, type ClaimLink } from './claims.ts';
export { cueKind, isAttributionOnly, type Stance } from './lexicon.ts';
export {
  extractEntities,
  extractEntitiesFromSentences,
  loadNerModel,
  type Entity,
  type EntityType,
} from './ner.ts';
export { canonicalEntity, cleanPersonName, entityKey, type Mention, type CanonicalEntity } from './canonical.ts';
export { analyseArticle, type ArticleAnalysis } from './analyse.ts';
