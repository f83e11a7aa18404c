// Kysely table types (the schema both dialects' migrations build) and row -> record mappers.
// Values are typed as written; on reading, PostgreSQL gives bigint ids as strings, times as
// Date and jsonb as objects, so the mappers normalise (Number, ts, json).
import type { Generated } from 'kysely';
import type { Article, LeadImage, Source, SourceKind } from '../core/types.ts';
import type { FetchLogEntry, QuoteKind, QuoteRecord, SourcePatch, StoryPatch, StoryRecord } from './types.ts';

type Id = Generated<number>;
type Bool = number | boolean;
type N<T> = T | null;

export interface DB {
  sources: {
    id: Id; url: string; kind: Generated<string>; title: N<string>; site_url: N<string>; folder: N<string>;
    etag: N<string>; last_modified: N<string>; last_fetched_at: N<string>; last_status: N<number>;
    last_error_kind: N<string>; last_error: N<string>; error_count: Generated<number>; next_due_at: N<string>;
    interval_sec: Generated<number>; disabled: Generated<Bool>; created_at: string; websub_hub: N<string>;
    websub_topic: N<string>; websub_secret: N<string>; websub_lease_until: N<string>; websub_state: N<string>;
    websub_requested_at: N<string>; added_from_web: Generated<Bool>;
  };
  fetch_log: {
    id: Id; source_id: number; url: string; started_at: string; status: N<number>; outcome: string;
    error: N<string>; new_articles: number; elapsed_ms: number;
  };
  articles: {
    id: Id; source_id: number; url: string; canonical_url: N<string>; guid: N<string>; title: string;
    byline: N<string>; published: N<string>; published_is_fallback: Bool; sort_at: string; fetched_at: string;
    text: string; html: string; summary: N<string>; lead_image: N<string>; site_name: N<string>;
    section: N<string>; lang: N<string>; extracted_from: string; extraction_method: N<string>;
    extraction_error: N<string>; duplicate_of: N<number>; story_id: N<number>; read_at: N<string>;
    original_url: N<string>; analysed_at: N<string>; analysis_attempts: Generated<number>;
    analysis_error: N<string>; analysis_failed_at: N<string>;
  };
  stories: {
    id: Id; title: string; summary: N<string>; first_seen: string; last_updated: string;
    article_count: number; source_count: number; score: number; merged_into: N<number>;
  };
  persons: { id: Id; name: string; name_key: string; type: string };
  person_aliases: { id: Id; person_id: number; alias: string; alias_key: string };
  quotes: {
    id: Id; article_id: number; story_id: N<number>; quote: string; start_pos: number; end_pos: number;
    speaker: N<string>; speaker_role: N<string>; person_id: N<number>; kind: string; stance: N<string>; cue: N<string>;
  };
  article_entities: { article_id: number; person_id: number; count: number };
  leases: { name: string; owner: string; expires_at: unknown; token: number };
  counters: { name: string; value: number };
  users: {
    id: Id; name: string; name_key: string; password_hash: string; admin: Generated<Bool>; created_at: string;
    brief_hour: N<number>; brief_tz: N<string>; brief_to: N<string>; brief_sent_on: N<string>;
  };
  sessions: { id: string; user_id: number; created_at: string; last_seen_at: string; expires_at: string };
  app_passwords: {
    id: Id; user_id: number; name: string; hash: string; scope: Generated<string>; created_at: string; last_used_at: N<string>; fever_key: N<string>;
  };
  login_attempts: { key: string; failures: number; last_at: string };
  subscriptions: { user_id: number; source_id: number; folder: N<string>; title: N<string>; created_at: string };
  article_states: { user_id: number; article_id: number; read_at: N<string>; starred_at: N<string>; hidden_at: N<string>; ruled: Generated<number> };
  rules: {
    id: Id; user_id: number; source_id: N<number>; field: string; pattern: string; is_regex: Bool; action: string; kind: string;
    created_at: string;
  };
  schema_migrations: { version: number; applied_at: unknown };
}

/** Article columns (all but PostgreSQL's search vector), qualified by `a.`. */
export const ARTICLE_COLS = [
  'a.id', 'a.source_id', 'a.url', 'a.canonical_url', 'a.guid', 'a.title', 'a.byline', 'a.published',
  'a.published_is_fallback', 'a.sort_at', 'a.fetched_at', 'a.text', 'a.html', 'a.summary', 'a.lead_image',
  'a.site_name', 'a.section', 'a.lang', 'a.extracted_from', 'a.extraction_method', 'a.extraction_error',
  'a.duplicate_of', 'a.story_id', 'a.original_url', 'a.analysed_at', 'a.analysis_attempts', 'a.analysis_error',
] as const;
/** SELECT of article columns and source title (alias a, s): the hot paths use it as raw SQL, no builder. */
export const ARTICLE_SELECT = `SELECT ${ARTICLE_COLS.join(', ')}, s.title AS source_title FROM articles a JOIN sources s ON s.id = a.source_id`;
/** The same, as RETURNING of an insert into or update of articles. */
export const ARTICLE_RETURNING = `${ARTICLE_COLS.map((c) => c.slice(2)).join(', ')}, (SELECT title FROM sources WHERE sources.id = articles.source_id) AS source_title`;

/** Column of a patchable field (siteUrl -> site_url), for the fields a patch may set. */
export const column = (key: string) => key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
export const SOURCE_PATCH = new Set<keyof SourcePatch>(['title', 'siteUrl', 'folder', 'etag', 'lastModified', 'lastFetchedAt',
  'lastStatus', 'lastErrorKind', 'lastError', 'errorCount', 'nextDueAt', 'intervalSec', 'disabled', 'kind', 'url', 'websubHub',
  'websubTopic', 'websubSecret', 'websubLeaseUntil', 'websubState', 'websubRequestedAt', 'addedFromWeb']);
export const STORY_PATCH = new Set<keyof StoryPatch>(['title', 'summary', 'firstSeen', 'lastUpdated', 'articleCount', 'sourceCount', 'score']);

export type Row = Record<string, any>;

/** An instant as the store hands it out: a UTC ISO string. */
export const ts = (v: unknown): string | null => (v == null ? null : v instanceof Date ? v.toISOString() : String(v));
export const num = (v: unknown): number | null => (v == null ? null : Number(v));

export function toSource(r: Row): Source {
  const s: Source = {
    id: Number(r.id), url: r.url, kind: r.kind as SourceKind, title: r.title, siteUrl: r.site_url, folder: r.folder,
    etag: r.etag, lastModified: r.last_modified, lastFetchedAt: ts(r.last_fetched_at), lastStatus: r.last_status,
    lastErrorKind: r.last_error_kind, lastError: r.last_error, errorCount: r.error_count,
    nextDueAt: ts(r.next_due_at), intervalSec: r.interval_sec, disabled: !!r.disabled, createdAt: ts(r.created_at)!,
    websubHub: r.websub_hub ?? null, websubTopic: r.websub_topic ?? null, websubSecret: r.websub_secret ?? null,
    websubLeaseUntil: ts(r.websub_lease_until), websubState: r.websub_state ?? null,
    websubRequestedAt: ts(r.websub_requested_at), addedFromWeb: !!r.added_from_web,
  };
  if (r.article_count !== undefined) s.articleCount = Number(r.article_count);
  return s;
}

export function toArticle(r: Row): Article {
  return {
    id: Number(r.id), sourceId: Number(r.source_id), url: r.url, canonicalUrl: r.canonical_url, guid: r.guid,
    title: r.title, byline: r.byline, published: r.published, publishedIsFallback: !!r.published_is_fallback,
    fetchedAt: ts(r.fetched_at)!, text: r.text, html: r.html, summary: r.summary,
    leadImage: typeof r.lead_image === 'string' ? (JSON.parse(r.lead_image) as LeadImage) : (r.lead_image ?? null),
    siteName: r.site_name, section: r.section, lang: r.lang, extractedFrom: r.extracted_from,
    extractionMethod: r.extraction_method, extractionError: r.extraction_error, duplicateOf: num(r.duplicate_of),
    storyId: num(r.story_id), originalUrl: r.original_url ?? null, analysedAt: ts(r.analysed_at),
    analysisAttempts: Number(r.analysis_attempts ?? 0), analysisError: r.analysis_error ?? null,
    sourceTitle: r.source_title ?? null,
  };
}

export function toStory(r: Row): StoryRecord {
  return {
    id: Number(r.id), title: r.title, summary: r.summary, firstSeen: ts(r.first_seen)!,
    lastUpdated: ts(r.last_updated)!, articleCount: Number(r.article_count), sourceCount: Number(r.source_count),
    score: Number(r.score), mergedInto: num(r.merged_into),
  };
}

export function toQuote(r: Row): QuoteRecord {
  return {
    id: Number(r.id), articleId: Number(r.article_id), storyId: num(r.story_id), quote: r.quote, start: r.start_pos,
    end: r.end_pos, speaker: r.speaker, speakerRole: r.speaker_role, personId: num(r.person_id),
    kind: r.kind as QuoteKind, stance: r.stance, cue: r.cue,
  };
}

export function toFetch(r: Row): FetchLogEntry {
  return {
    sourceId: Number(r.source_id), url: r.url, startedAt: ts(r.started_at)!, status: r.status, outcome: r.outcome,
    error: r.error, newArticles: r.new_articles, elapsedMs: r.elapsed_ms,
  };
}
