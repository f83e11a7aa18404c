// digest serve (web only), digest run (scheduler + web), digest demo (bundled sample); declared in main.ts.
import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { configFrom, parsePort } from './context.ts';
import { openApp, type App } from './app.ts';
import { createWebApp } from '../web/index.ts';
import { findFeeds } from '../jobs/findfeeds.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import { runPass } from '../jobs/ingest.ts';
import { ingestPushed } from '../jobs/websub.ts';
import { formatSummary } from './fetch.ts';
import { createProgress } from './progress.ts';
import { startDemoServer } from '../demo/index.ts';
import { startBriefSender } from '../digest/personal.ts';

async function serveWeb(app: App, opts: { ingestPushes?: boolean; startingUp?: () => string | undefined } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const { host, port: p, baseUrl, siteTitle, public: isPublic } = app.config.web;
  const web = createWebApp({
    store: app.store,
    siteTitle,
    baseUrl: baseUrl ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${p}`,
    log: app.log,
    public: isPublic,
    // WebSub pushes are ingested where the pipeline runs (digest run).
    onPush: opts.ingestPushes
      ? async (sourceId, body, headers) => {
          const source = await app.store.getSource(sourceId);
          if (source) await ingestPushed(app.pipeline, source, body, headers);
        }
      : undefined,
    maxPushBytes: app.config.websub.maxPushBytes,
    startingUp: opts.startingUp,
    findFeeds: (url) => findFeeds(app.fetcher, url),
    // A source a reader app subscribed to is fetched at once where the pipeline runs.
    fetchNow: opts.ingestPushes
      ? (sourceId) => {
          void (async () => {
            const source = await app.store.getSource(sourceId);
            if (source) await runPass(app.pipeline, { sources: [source] });
          })().catch((e: unknown) => app.log.warn('fetching a new subscription failed', { sourceId, error: e instanceof Error ? e.message : String(e) }));
        }
      : undefined,
  });
  const srv = await web.listen(p, host);
  app.log.info(`serving the digest at ${srv.url}`);
  return srv;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

export interface ServeOpts {
  port?: string;
  host?: string;
}

export async function serve(opts: ServeOpts, cmd: Command): Promise<void> {
  const app = await openApp(configFrom(cmd, { web: { port: parsePort(opts.port), host: opts.host } }));
  const srv = await serveWeb(app);
  await untilSignal();
  await srv.close();
  await app.close();
}

export async function run(opts: ServeOpts, cmd: Command): Promise<void> {
  const app = await openApp(configFrom(cmd, { web: { port: parsePort(opts.port), host: opts.host } }));
  const srv = await serveWeb(app, { ingestPushes: true });
  const sched = startScheduler(app.pipeline, { tickSec: app.config.schedule.tickSec });
  // Personal digests go out by SMTP at each user's hour (digest schedule), when a server is set.
  const smtpUrl = process.env.DIGEST_SMTP_URL;
  const { baseUrl, host, port, siteTitle } = app.config.web;
  const briefs = smtpUrl
    ? startBriefSender(app.store, {
        smtpUrl,
        from: process.env.DIGEST_SMTP_FROM ?? 'Occasional Digest <digest@localhost>',
        baseUrl: baseUrl ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
        siteTitle,
        log: app.log,
        everySec: Number(process.env.DIGEST_BRIEF_CHECK_SEC) || 60,
      })
    : null;
  await untilSignal();
  await briefs?.stop();
  await sched.stop();
  await srv.close();
  await app.close();
}

export interface DemoOpts {
  port?: string;
  serve: boolean;
}

export async function demo(opts: DemoOpts, cmd: Command): Promise<void> {
  // Each outlet of the sample gets an address of its own (127.0.0.11, .12, …), like real sites.
  const sample = await startDemoServer({ host: '127.0.0.1', hosts: 'per-outlet' });
  const dataDir = (cmd.optsWithGlobals() as { dataDir?: string }).dataDir ?? './data/demo';
  // The sample's port differs on every run, so the demo starts from an empty folder.
  rmSync(dataDir, { recursive: true, force: true });
  const cfg = configFrom(cmd, {
    dataDir,
    web: { port: parsePort(opts.port) ?? 8080 },
    // The sample is served on loopback: allow exactly that, and fetch it briskly.
    fetch: { allowPrivateRanges: ['127.0.0.0/8', '::1/128'], perHostIntervalMs: 50, perHostConcurrency: 4, respectRobots: true },
  });
  const app = await openApp(cfg);
  let srv: { url: string; close(): Promise<void> } | undefined;
  try {
    // The digest listens at once: /healthz answers (with the article count so far) while the
    // sample is ingested, and the pages answer 503 "almost ready" until all of it is in.
    let progress = '';
    let ready = false;
    if (opts.serve) srv = await serveWeb(app, { startingUp: () => (ready ? undefined : `The demo is ingesting its sample of news sources${progress}.`) });
    for (const url of sample.feeds) {
      if (!(await app.store.findSourceByUrl(url))) await app.store.addSource({ url, kind: url.includes('sitemap') ? 'sitemap' : 'feed' });
    }
    const feedSet = new Set(sample.feeds);
    const sources = (await app.store.listSources()).filter((s) => feedSet.has(s.url));
    const bar = createProgress('ingesting sample');
    const summary = await runPass(app.pipeline, {
      sources,
      onProgress: (d, t, r) => {
        progress = ` (${d} of ${t} sources done)`;
        bar.update(d, t, r.source.url);
      },
    });
    bar.done();
    ready = true;
    process.stdout.write(formatSummary(summary) + '\n');
    process.stdout.write(`${await app.store.countArticles()} article(s) in ${cfg.database.driver === 'postgres' ? 'PostgreSQL' : cfg.dataDir}\n`);
    if (!srv) return;
    // A demo account (an administrator) with a fresh password: the digest stays public, so
    // reading needs no sign-in; signing in shows the account and admin pages.
    const { addUser, setPassword } = await import('../accounts/index.ts');
    const demoPassword = (await import('node:crypto')).randomBytes(9).toString('base64url');
    const existing = await app.store.getUserByName('demo');
    if (existing) {
      await setPassword(app.store, existing.id, demoPassword);
      await app.store.updateUser(existing.id, { admin: true });
    } else await addUser(app.store, 'demo', demoPassword, { admin: true });
    process.stdout.write(`\nOccasional Digest demo: open ${srv.url}  (Ctrl-C to stop)\n`);
    process.stdout.write(`Sign in as demo with password ${demoPassword} (an administrator, made for this demo only)\n`);
    await untilSignal();
  } finally {
    await srv?.close();
    await app.close();
    await sample.close();
  }
}
