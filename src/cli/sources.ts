// digest add | import | export | sources | remove (declared in main.ts)
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DigestError, toDigestError } from '../core/errors.ts';
import type { Source } from '../core/types.ts';
import { decodeHtml } from '../core/charset.ts';
import { parseOpml, toOpml, discoverFeeds, COMMON_FEED_PATHS } from '../feeds/index.ts';
import { configFrom, usage } from './context.ts';
import { openApp, type App } from './app.ts';
import { table } from './progress.ts';
import { classifyDocument } from './classify.ts';

function checkUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.includes('://') ? raw : `https://${raw}`);
  } catch {
    throw usage(`"${raw}" is not a URL; give a feed or site URL such as https://example.com/feed.xml`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw usage(`"${raw}": only http and https URLs can be sources`);
  return u.href;
}

/** Finds the feed behind a URL: the URL itself, the feeds its page links, then common paths. */
export async function resolveFeed(app: App, url: string): Promise<{ url: string; kind: 'feed' | 'sitemap'; title: string | null; siteUrl: string | null }> {
  const first = await app.fetcher.fetch(url, { kind: 'feed' });
  const c = classifyDocument(first);
  if (c.kind === 'feed' || c.kind === 'sitemap') return { url: first.url, kind: c.kind, title: c.title, siteUrl: c.siteUrl };
  const candidates: string[] = [];
  if (c.kind === 'html') candidates.push(...discoverFeeds(decodeHtml(first.body, first.headers['content-type']), first.url));
  const origin = new URL(first.url).origin;
  for (const p of COMMON_FEED_PATHS) candidates.push(new URL(p, origin).href);
  const tried = new Set<string>([first.url]);
  for (const cand of candidates) {
    if (tried.has(cand)) continue;
    tried.add(cand);
    try {
      const doc = await app.fetcher.fetch(cand, { kind: 'feed' });
      const k = classifyDocument(doc);
      if (k.kind === 'feed' || k.kind === 'sitemap') return { url: doc.url, kind: k.kind, title: k.title, siteUrl: k.siteUrl ?? first.url };
    } catch {
      // try the next candidate
    }
  }
  throw new DigestError('parse', `no feed found at ${url} (tried the page's <link rel="alternate"> and ${COMMON_FEED_PATHS.length} common paths); give the feed URL itself`, {
    subject: url,
  });
}

function fmtTime(iso: string | null): string {
  return iso ? iso.replace('T', ' ').slice(0, 16) : '-';
}

export interface AddOpts {
  folder?: string;
  title?: string;
}

export async function add(raw: string, opts: AddOpts, cmd: Command): Promise<void> {
  const url = checkUrl(raw);
  const app = await openApp(configFrom(cmd));
  try {
    const existing = await app.store.findSourceByUrl(url);
    if (existing) {
      process.stdout.write(`already subscribed: #${existing.id} ${existing.title ?? existing.url}\n`);
      return;
    }
    const found = await resolveFeed(app, url).catch((e) => {
      throw toDigestError(e, 'network', url);
    });
    const again = await app.store.findSourceByUrl(found.url);
    if (again) {
      process.stdout.write(`already subscribed: #${again.id} ${again.title ?? again.url}\n`);
      return;
    }
    const s = await app.store.addSource({ url: found.url, kind: found.kind, title: opts.title ?? found.title, siteUrl: found.siteUrl, folder: opts.folder ?? null });
    process.stdout.write(`added #${s.id} ${s.title ?? s.url}${found.url !== url ? ` (${found.url})` : ''}\n`);
  } finally {
    await app.close();
  }
}

export async function importOpml(file: string, cmd: Command): Promise<void> {
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch (e) {
    throw usage(`cannot read ${file}: ${(e as Error).message}`);
  }
  const opml = parseOpml(xml);
  const app = await openApp(configFrom(cmd));
  let added = 0;
  let skipped = 0;
  try {
    for (const o of opml.outlines) {
      if (await app.store.findSourceByUrl(o.url)) {
        skipped++;
        continue;
      }
      await app.store.addSource({ url: o.url, kind: 'feed', title: o.title, siteUrl: o.siteUrl, folder: o.folder });
      added++;
    }
  } finally {
    await app.close();
  }
  process.stdout.write(`imported ${added} source(s) from ${file}${skipped ? `, ${skipped} already subscribed` : ''}\n`);
}

export async function exportOpml(cmd: Command): Promise<void> {
  const app = await openApp(configFrom(cmd));
  try {
    const sources = await app.store.listSources();
    process.stdout.write(toOpml(sources, `${app.config.web.siteTitle} subscriptions`));
  } finally {
    await app.close();
  }
}

export interface ListOpts {
  json?: boolean;
}

export async function listSources(opts: ListOpts, cmd: Command): Promise<void> {
  const app = await openApp(configFrom(cmd));
  try {
    const sources = await app.store.listSources();
    if (opts.json) {
      // The WebSub secret is a credential: never printed.
      process.stdout.write(JSON.stringify(sources.map(({ websubSecret: _secret, ...rest }) => rest), null, 2) + '\n');
      return;
    }
    if (!sources.length) {
      process.stdout.write('no sources yet: add one with `digest add <url>` or `digest import <file.opml>`\n');
      return;
    }
    const rows = sources.map((s: Source) => [
      String(s.id),
      s.title ?? '',
      s.url,
      fmtTime(s.lastFetchedAt),
      s.disabled ? 'disabled' : s.lastErrorKind ? `${s.lastErrorKind}${s.lastStatus ? ' ' + s.lastStatus : ''}` : s.lastStatus ? `ok ${s.lastStatus}` : 'new',
      s.lastError ?? '',
      fmtTime(s.nextDueAt),
      String(s.articleCount ?? 0),
    ]);
    process.stdout.write(table(['id', 'title', 'url', 'last fetch', 'status', 'last error', 'next due', 'articles'], rows) + '\n');
  } finally {
    await app.close();
  }
}

export async function remove(ref: string, cmd: Command): Promise<void> {
  const app = await openApp(configFrom(cmd));
  try {
    const s = /^\d+$/.test(ref) ? await app.store.getSource(Number(ref)) : await app.store.findSourceByUrl(ref);
    if (!s) throw new DigestError('not_found', `no source ${ref}; see \`digest sources\``);
    await app.store.removeSource(s.id);
    process.stdout.write(`removed #${s.id} ${s.title ?? s.url}\n`);
  } finally {
    await app.close();
  }
}
