// digest extract <file|url> and digest parse-feed <file|url>: one document as JSON.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { decodeHtml } from '../core/charset.ts';
import { DigestError } from '../core/errors.ts';
import { extractArticle } from '../extract/index.ts';
import { parseFeed } from '../feeds/index.ts';
import { createFetcher } from '../fetch/index.ts';
import { configFrom, usage } from './main.ts';
import { fetcherOptions } from './app.ts';

interface Loaded {
  body: Buffer;
  url: string;
  headers: Record<string, string>;
}

async function load(ref: string, cmd: Command, baseUrl: string | undefined, kind: 'page' | 'feed'): Promise<Loaded> {
  if (existsSync(ref)) {
    let body = readFileSync(ref);
    if (ref.endsWith('.gz')) body = (await import('node:zlib')).gunzipSync(body);
    return { body, url: baseUrl ?? pathToFileURL(resolve(ref)).href, headers: {} };
  }
  if (!/^https?:\/\//i.test(ref)) throw usage(`${ref}: no such file, and not an http(s) URL`);
  const cfg = configFrom(cmd);
  const fetcher = createFetcher(fetcherOptions(cfg));
  try {
    const doc = await fetcher.fetch(ref, { kind });
    return { body: doc.body, url: doc.url, headers: doc.headers };
  } finally {
    await fetcher.close();
  }
}

export function registerToolCommands(program: Command): void {
  program
    .command('extract')
    .description('extract one article page and print it as JSON')
    .argument('<file|url>', 'an HTML file (.html or .html.gz) or a page URL')
    .option('--url <url>', 'the page’s address, to resolve relative links when reading a file')
    .option('--text', 'print only the body text')
    .action(async (ref: string, opts: { url?: string; text?: boolean }, cmd: Command) => {
      const doc = await load(ref, cmd, opts.url, 'page');
      const html = decodeHtml(doc.body, doc.headers['content-type']);
      const a = extractArticle(html, doc.url);
      if (!a.text.trim()) throw new DigestError('extract', 'no article text found on the page', { subject: ref });
      process.stdout.write(opts.text ? a.text + '\n' : JSON.stringify(a, null, 2) + '\n');
    });

  program
    .command('parse-feed')
    .description('parse one feed (RSS, Atom, JSON Feed) and print it as normalised JSON')
    .argument('<file|url>', 'a feed file or URL')
    .option('--url <url>', 'the feed’s address, to resolve relative links when reading a file')
    .option('--content-type <type>', 'the Content-Type it was served with (charset), when reading a file')
    .action(async (ref: string, opts: { url?: string; contentType?: string }, cmd: Command) => {
      const doc = await load(ref, cmd, opts.url, 'feed');
      if (opts.contentType) doc.headers['content-type'] = opts.contentType;
      const feed = parseFeed(doc.body, { url: doc.url, headers: doc.headers });
      process.stdout.write(JSON.stringify(feed, null, 2) + '\n');
    });
}
