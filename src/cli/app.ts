// The composition root: builds the store, fetcher and pipeline from a validated config.
// Every command that touches data goes through here, so all of them wire stages alike.
import { mkdirSync } from 'node:fs';
import type { Config } from '../core/config.ts';
import { sqlitePath } from '../core/config.ts';
import { createLogger, type Logger } from '../core/log.ts';
import type { FetchedDocument } from '../core/types.ts';
import { decodeHtml } from '../core/charset.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import { isIP } from 'node:net';
import { checkAddress, createFetcher, createPolicy } from '../fetch/index.ts';
import { discoverFeeds } from '../feeds/index.ts';
import { feedFromDocument } from '../jobs/sourcedoc.ts';
import { extractInWorker, sanitizeHtml } from '../extract/index.ts';
import { htmlToText } from '../core/htmltext.ts';
import type { PipelineDeps } from '../jobs/ingest.ts';
import { createAnalysers } from '../jobs/analyse.ts';

export interface App {
  config: Config;
  store: Store;
  log: Logger;
  fetcher: ReturnType<typeof createFetcher>;
  pipeline: PipelineDeps;
  close(): Promise<void>;
}

export async function openDatabase(config: Config): Promise<Store> {
  if (config.database.driver === 'postgres') {
    return openStore({ driver: 'postgres', url: config.database.url!, schema: config.database.schema });
  }
  const path = sqlitePath(config);
  if (path !== ':memory:') mkdirSync(config.dataDir, { recursive: true });
  return openStore({ driver: 'sqlite', path });
}

/**
 * The URL hubs call back for WebSub: websub.callbackBase, else web.baseUrl unless that is a
 * loopback or private address no hub could reach. Undefined: no subscriptions.
 */
export function websubCallbackBase(config: Config): string | undefined {
  if (!config.websub.enabled) return undefined;
  if (config.websub.callbackBase) return config.websub.callbackBase;
  const base = config.web.baseUrl;
  if (!base) return undefined;
  const host = new URL(base).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return undefined;
  if (isIP(host) && checkAddress(host, createPolicy([]))) return undefined;
  return base;
}

function docText(doc: FetchedDocument): string {
  return decodeHtml(doc.body, doc.headers['content-type'] ?? null);
}

export async function openApp(config: Config, opts: { log?: Logger } = {}): Promise<App> {
  const log = opts.log ?? createLogger(config.log.level);
  const store = await openDatabase(config);
  // The config's fetch section is the fetcher's settings (fetch/options.ts): passed through whole.
  const fetcher = createFetcher(config.fetch);
  const analysers = await createAnalysers(store, log, { leaseSec: config.schedule.analysisLeaseSec });
  const callbackBase = websubCallbackBase(config);
  const pipeline: PipelineDeps = {
    store,
    log,
    schedule: config.schedule,
    claimSec: config.schedule.claimSec,
    fetch: (url, req) => fetcher.fetch(url, req),
    parseFeed: (doc) => feedFromDocument(doc, (url) => fetcher.fetch(url, { kind: 'feed' })),
    extract: async (doc) => {
      const host = new URL(doc.url).hostname;
      const site = config.extract.sites[host];
      return extractInWorker(docText(doc), doc.url, site ? { keepSelectors: site.keep, dropSelectors: site.drop } : {}, {
        timeoutMs: config.extract.timeoutMs,
      });
    },
    fromFeedContent: (html, baseUrl) => {
      const safe = sanitizeHtml(html, baseUrl);
      return { html: safe, text: htmlToText(safe) };
    },
    discover: (doc) => {
      const ct = doc.headers['content-type'] ?? '';
      return /html/i.test(ct) ? discoverFeeds(docText(doc), doc.url) : [];
    },
    analysePending: (o) => analysers.analysePending(o),
    prepare: () => analysers.warm(),
    websub: callbackBase ? { callbackBase, leaseSeconds: config.websub.leaseSeconds } : undefined,
  };
  return {
    config,
    store,
    log,
    fetcher,
    pipeline,
    async close() {
      await analysers.close();
      await fetcher.close();
      await store.close();
    },
  };
}
