// The types the jobs share: what a pass needs (PipelineDeps), what one source's fetch gives
// (SourceResult), and the WebSub settings. Types only, so every job module can import them.
import type { Article, ExtractedArticle, Feed, FetchedDocument, Source } from '../core/types.ts';
import type { DigestError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { Store } from '../store/types.ts';
import type { ScheduleBounds } from './schedule.ts';

export interface WebSubSettings {
  /** Public base URL hubs call back: `<callbackBase>/websub/<sourceId>`. */
  callbackBase: string;
  /** Lease asked of the hub, in seconds (default 10 days). */
  leaseSeconds?: number;
}

export interface FetchRequest {
  etag?: string | null;
  lastModified?: string | null;
  kind?: 'feed' | 'page' | 'robots' | 'other';
  method?: 'GET' | 'POST';
  body?: Buffer | string;
  headers?: Record<string, string>;
}

export interface PipelineDeps {
  store: Store;
  fetch: (url: string, req?: FetchRequest) => Promise<FetchedDocument>;
  /** Parses a feed or news sitemap into the normalised Feed. Throws DigestError('parse'). */
  parseFeed: (doc: FetchedDocument) => Feed | Promise<Feed>;
  /** Extracts an article page (bytes already fetched). Throws DigestError('extract'). */
  extract: (doc: FetchedDocument) => Promise<ExtractedArticle>;
  /** Turns feed-supplied HTML into safe HTML and text (for the fallback). */
  fromFeedContent: (html: string, baseUrl: string) => { html: string; text: string };
  /**
   * Called once per pass before the first analysis (loads the model, rebuilds indexes): with
   * given sources before the first fetch, with claimed sources after the first one is fetched.
   */
  prepare?: () => Promise<void> | void;
  /** Most time one source may take in a pass; items left over wait for the next pass (default 5 min). */
  sourceBudgetMs?: number;
  /** Called for each new or updated article, after it is stored (inline analysis; optional). */
  analyse?: (article: Article, extracted: ExtractedArticle | null) => Promise<void>;
  /**
   * Analyses the store's pending articles (see Analysers.analysePending): called after each
   * source of a pass, and with wait=true once at its end.
   */
  analysePending?: (opts?: { wait?: boolean }) => Promise<unknown>;
  /** Feed URLs a page links to, used to say what to subscribe to instead. */
  discover?: (doc: FetchedDocument) => string[];
  log: Logger;
  schedule: ScheduleBounds;
  now?: () => Date;
  /** Most items taken from one feed in one pass. */
  maxItemsPerSource?: number;
  /** Most sources claimed by one pass (default 500). */
  maxSourcesPerPass?: number;
  /**
   * Seconds a pass claims a source for (default CLAIM_SEC, 30); its heartbeat renews the claims
   * of the sources in flight every claimSec / 6, so a killed pass's claims run out this soon.
   */
  claimSec?: number;
  /** How many sources are worked on at once (hosts are rate-limited by the fetcher). */
  concurrency?: number;
  /** WebSub: subscribe to hubs that feeds name (absent: never subscribe). */
  websub?: WebSubSettings;
}

export interface SourceResult {
  source: Source;
  outcome: 'ok' | 'not_modified' | 'error';
  newArticles: number;
  itemErrors: number;
  /** Items left for the next pass because the source used up its time budget. */
  deferred?: number;
  error?: DigestError;
}

