// Shared by the sync APIs (Google Reader, Fever): what they need from the web app.
import type { Store } from '../store/types.ts';
import type { FeedChoice } from '../jobs/findfeeds.ts';

export interface SyncDeps {
  store: Store;
  now: () => Date;
  /** Feed discovery for quickadd (absent: quickadd answers numResults 0). */
  findFeeds?: (url: string) => Promise<FeedChoice[]>;
  /** Fetches a source just subscribed to, in the background (absent: the scheduler does it). */
  fetchNow?: (sourceId: number) => void;
}

export interface SyncReply {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

export class BadRequest extends Error {
  constructor(message: string, readonly status = 400) {
    super(message);
  }
}

export const text = (status: number, body: string, headers?: Record<string, string>): SyncReply => ({ status, type: 'text/plain; charset=utf-8', body, headers });
export const json = (status: number, v: unknown, headers?: Record<string, string>): SyncReply => ({ status, type: 'application/json; charset=utf-8', body: JSON.stringify(v), headers });

/** A positive safe integer from a parameter, or a 400. */
export function intParam(v: string | null | undefined, name: string, min = 0): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (!/^\d{1,16}$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < min) throw new BadRequest(`${name} must be a whole number >= ${min}, not ${JSON.stringify(v.slice(0, 40))}`);
  return Number(v);
}
