// Column names of the patchable records, shared by both dialects.
import type { SourcePatch, StoryPatch } from './types.ts';

export const SOURCE_COLS: Record<keyof SourcePatch, string> = {
  title: 'title',
  siteUrl: 'site_url',
  folder: 'folder',
  etag: 'etag',
  lastModified: 'last_modified',
  lastFetchedAt: 'last_fetched_at',
  lastStatus: 'last_status',
  lastErrorKind: 'last_error_kind',
  lastError: 'last_error',
  errorCount: 'error_count',
  nextDueAt: 'next_due_at',
  intervalSec: 'interval_sec',
  disabled: 'disabled',
  kind: 'kind',
  url: 'url',
  websubHub: 'websub_hub',
  websubTopic: 'websub_topic',
  websubSecret: 'websub_secret',
  websubLeaseUntil: 'websub_lease_until',
  websubState: 'websub_state',
  websubRequestedAt: 'websub_requested_at',
};

export const STORY_COLS: Record<keyof StoryPatch, string> = {
  title: 'title',
  summary: 'summary',
  firstSeen: 'first_seen',
  lastUpdated: 'last_updated',
  articleCount: 'article_count',
  sourceCount: 'source_count',
  score: 'score',
};
