// Records shared by every stage of the pipeline. Stages exchange these plain values;
// nothing here does I/O.

/** One HTTP(S) document as the fetch stage hands it on. */
export interface FetchedDocument {
  /** URL asked for. */
  requestUrl: string;
  /** URL after redirects. */
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** True when the server answered 304 Not Modified to a conditional GET. */
  notModified: boolean;
  etag: string | null;
  lastModified: string | null;
  /** Milliseconds the whole exchange took. */
  elapsedMs: number;
}

/** Normalised feed, the shape of ../shared/bench/feeds/README.md. */
export interface Feed {
  title: string | null;
  link: string | null;
  description: string | null;
  language: string | null;
  author: string | null;
  items: FeedItem[];
  /** Extras the pipeline uses (not scored). */
  image?: string | null;
  /** RSS <ttl> in minutes. */
  ttl?: number | null;
  /** RSS <skipHours> (0-23, UTC). */
  skipHours?: number[];
  /** WebSub hub and self URLs when the feed names them. */
  hub?: string | null;
  self?: string | null;
}

export interface Enclosure {
  url: string;
  type: string | null;
  length: number | null;
}

export interface FeedItem {
  id: string | null;
  title: string | null;
  link: string | null;
  summary: string | null;
  content: string | null;
  author: string | null;
  /** ISO 8601 instant. */
  published: string | null;
  updated: string | null;
  enclosures: Enclosure[];
  categories: string[];
  /** Extras (not scored). */
  image?: string | null;
}

export interface LeadImage {
  url: string;
  caption: string | null;
  credit: string | null;
  alt?: string | null;
}

/** What the extract stage returns for one HTML page. */
export interface ExtractedArticle {
  title: string | null;
  /** Byline(s) as written, joined with ", ". */
  byline: string | null;
  /** ISO 8601 with zone. */
  published: string | null;
  modified: string | null;
  /** Body text: blocks separated by "\n\n". */
  text: string;
  /** Sanitised body HTML with absolute URLs. */
  html: string;
  leadImage: LeadImage | null;
  siteName: string | null;
  section: string | null;
  lang: string | null;
  canonicalUrl: string | null;
  description: string | null;
  /** Links the page names as the original ("Source link", "Originally published at"). */
  originalUrl?: string | null;
  /** How the body was found, e.g. "dom", "jsonld", "feed". */
  method: string;
}

export type SourceKind = 'feed' | 'sitemap';

export interface Source {
  id: number;
  url: string;
  kind: SourceKind;
  title: string | null;
  siteUrl: string | null;
  folder: string | null;
  etag: string | null;
  lastModified: string | null;
  lastFetchedAt: string | null;
  /** HTTP status of the last fetch (0 when no response). */
  lastStatus: number | null;
  /** Kind of the last error (see ErrorKind), null when the last fetch went well. */
  lastErrorKind: string | null;
  lastError: string | null;
  errorCount: number;
  nextDueAt: string | null;
  /** Seconds between fetches, adapted to the source. */
  intervalSec: number;
  /** Gone (404/410) sources are kept but not fetched. */
  disabled: boolean;
  createdAt: string;
  articleCount?: number;
  /** WebSub (push) subscription, when the feed names a hub. Filled in by the stores. */
  websubHub?: string | null;
  /** The topic subscribed to (the feed's self URL, else its URL). */
  websubTopic?: string | null;
  /** HMAC secret given to the hub; pushed content must be signed with it. */
  websubSecret?: string | null;
  /** ISO instant the hub's lease ends (set when the hub verifies). */
  websubLeaseUntil?: string | null;
  websubState?: WebSubState | null;
  /** ISO instant of the last subscription request sent to the hub. */
  websubRequestedAt?: string | null;
  /** Added by a user from the web (goes with its last subscriber); false: the instance's (CLI, config). */
  addedFromWeb?: boolean;
}

/** pending: asked the hub, waiting for its verification; active: verified; denied: the hub refused. */
export type WebSubState = 'pending' | 'active' | 'denied';

export type NewSource = Pick<Source, 'url'> & Partial<Pick<Source, 'kind' | 'title' | 'siteUrl' | 'folder'>>;

export interface Article {
  id: number;
  sourceId: number;
  /** URL the feed gave (after redirects). */
  url: string;
  canonicalUrl: string | null;
  guid: string | null;
  title: string;
  byline: string | null;
  published: string | null;
  /** True when the feed and page gave no date and `published` is the time first seen. */
  publishedIsFallback: boolean;
  fetchedAt: string;
  text: string;
  html: string;
  summary: string | null;
  leadImage: LeadImage | null;
  siteName: string | null;
  section: string | null;
  lang: string | null;
  /** "page" (extracted from the article page) or "feed" (the feed's own content). */
  extractedFrom: 'page' | 'feed';
  extractionMethod: string | null;
  extractionError: string | null;
  /** Article this one is a copy of, when dedupe recognised it. */
  duplicateOf: number | null;
  storyId: number | null;
  /** Link the page names as its original (ExtractedArticle.originalUrl), kept for analysis. */
  originalUrl?: string | null;
  /** When analysis (copies, stories, quotes) was done; null while pending. Filled in by the stores. */
  analysedAt?: string | null;
  /** Failed analysis attempts so far, and the last error (cleared once analysed). Filled in by the store. */
  analysisAttempts?: number;
  analysisError?: string | null;
  /** Name of the source (joined in by the store). */
  sourceTitle?: string | null;
}

export type NewArticle = Omit<Article, 'id' | 'duplicateOf' | 'storyId' | 'sourceTitle' | 'analysedAt' | 'analysisAttempts' | 'analysisError'> &
  Partial<Pick<Article, 'duplicateOf' | 'storyId'>>;

/** Attempts at analysing an article (copies, story, quotes) before it is left alone and shown with its error on its source's page. */
export const MAX_ANALYSIS_ATTEMPTS = 5;
