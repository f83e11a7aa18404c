// Public entry point of the fetch stage.
export {
  createFetcher,
  DEFAULT_FETCH_OPTIONS,
  isBotWall,
  parseRetryAfter,
  classifyError,
  type Fetcher,
  type FetchOptions,
  type FetchRequest,
  type FetchKind,
} from './client.ts';
export {
  checkUrl,
  checkUrlResolved,
  checkAddress,
  refusedReason,
  createPolicy,
  parseCidr,
  guardedLookup,
  type Policy,
  type LookupFn,
  type CheckedUrl,
} from './policy.ts';
export { DEFAULT_FETCH_SETTINGS, DEFAULT_USER_AGENT, type FetchSettings } from './options.ts';
export { parseRobots, type RobotsRules } from './robots.ts';
