// digest add | import | export | sources | remove (declared in main.ts)
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DigestError, toDigestError } from '../core/errors.ts';
import { MAX_ANALYSIS_ATTEMPTS, type Source } from '../core/types.ts';
import { parseOpml, toOpml } from '../feeds/index.ts';
import { findFeeds, type FeedChoice } from '../jobs/findfeeds.ts';
import { configFrom, usage } from './context.ts';
import { openApp, type App } from './app.ts';
import { table } from './progress.ts';

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

/** Finds the feed behind a URL: the URL itself, the first feed its page links, then common paths. */
export async function resolveFeed(app: App, url: string): Promise<FeedChoice> {
  return (await findFeeds(app.fetcher, url))[0];
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
    if (existing) return await updateExisting(app, existing, opts);
    const found = await resolveFeed(app, url).catch((e) => {
      throw toDigestError(e, 'network', url);
    });
    const again = await app.store.findSourceByUrl(found.url);
    if (again) return await updateExisting(app, again, opts);
    const s = await app.store.addSource({ url: found.url, kind: found.kind, title: opts.title ?? found.title, siteUrl: found.siteUrl, folder: opts.folder ?? null });
    process.stdout.write(`added #${s.id} ${s.title ?? s.url}${found.url !== url ? ` (${found.url})` : ''}\n`);
  } finally {
    await app.close();
  }
}

/** `digest add` of a source the instance has: --folder/--title update it, and it becomes the instance's. */
async function updateExisting(app: App, s: Source, opts: AddOpts): Promise<void> {
  const patch: { folder?: string | null; title?: string | null; addedFromWeb?: boolean } = {};
  if (opts.folder !== undefined) patch.folder = opts.folder.trim() || null;
  if (opts.title !== undefined) patch.title = opts.title.trim() || null;
  const changes = [
    patch.folder !== undefined && patch.folder !== s.folder ? `folder ${patch.folder ?? '(none)'}` : '',
    patch.title !== undefined && patch.title !== s.title ? `title "${patch.title ?? ''}"` : '',
  ].filter(Boolean);
  await app.store.updateSource(s.id, { ...patch, addedFromWeb: false });
  const name = patch.title ?? s.title ?? s.url;
  process.stdout.write(changes.length ? `already subscribed: #${s.id} ${name}; updated ${changes.join(' and ')}\n` : `already subscribed: #${s.id} ${name}\n`);
}

async function sourceRef(app: App, ref: string): Promise<Source> {
  const s = /^\d+$/.test(ref) ? await app.store.getSource(Number(ref)) : await app.store.findSourceByUrl(ref);
  if (!s) throw new DigestError('not_found', `no source ${ref}; see \`digest sources\``);
  return s;
}

export async function rename(ref: string, title: string, cmd: Command): Promise<void> {
  if (!title.trim()) throw usage('give the new title, e.g. digest rename 3 "Harbour Ledger"');
  const app = await openApp(configFrom(cmd));
  try {
    const s = await sourceRef(app, ref);
    await app.store.updateSource(s.id, { title: title.trim() });
    process.stdout.write(`renamed #${s.id} ${s.title ?? s.url} to ${title.trim()}\n`);
  } finally {
    await app.close();
  }
}

export async function move(ref: string, folder: string, cmd: Command): Promise<void> {
  const app = await openApp(configFrom(cmd));
  try {
    const s = await sourceRef(app, ref);
    const to = folder.trim() || null;
    await app.store.updateSource(s.id, { folder: to });
    process.stdout.write(to ? `moved #${s.id} ${s.title ?? s.url} to folder ${to}\n` : `moved #${s.id} ${s.title ?? s.url} out of its folder\n`);
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
      s.folder ?? '',
      s.title ?? '',
      s.url,
      fmtTime(s.lastFetchedAt),
      s.disabled ? 'disabled' : s.lastErrorKind ? `${s.lastErrorKind}${s.lastStatus ? ' ' + s.lastStatus : ''}` : s.lastStatus ? `ok ${s.lastStatus}` : 'new',
      s.lastError ?? '',
      fmtTime(s.nextDueAt),
      String(s.articleCount ?? 0),
    ]);
    process.stdout.write(table(['id', 'folder', 'title', 'url', 'last fetch', 'status', 'last error', 'next due', 'articles'], rows) + '\n');
    const failures = await app.store.analysisFailures({ limit: 50 });
    if (failures.length) {
      const title = new Map(sources.map((x) => [x.id, x.title ?? x.url]));
      const lines = failures.map((f) => {
        const state = f.attempts >= MAX_ANALYSIS_ATTEMPTS ? `given up after ${f.attempts} attempts` : `${f.attempts}/${MAX_ANALYSIS_ATTEMPTS} attempts, retried on the next fetch`;
        return `  #${f.sourceId} ${title.get(f.sourceId) ?? ''}: ${f.url} (${state}): ${f.error.split('\n')[0]}`;
      });
      process.stdout.write(`\narticles whose analysis failed (${failures.length}):\n${lines.join('\n')}\n`);
    }
  } finally {
    await app.close();
  }
}

export async function remove(ref: string, cmd: Command): Promise<void> {
  const app = await openApp(configFrom(cmd));
  try {
    const s = await sourceRef(app, ref);
    await app.store.removeSource(s.id);
    process.stdout.write(`removed #${s.id} ${s.title ?? s.url}\n`);
  } finally {
    await app.close();
  }
}
