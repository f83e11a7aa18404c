// digest extract <file|url> and digest parse-feed <file|url>: one document as JSON (declared in main.ts).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { decodeHtml } from '../core/charset.ts';
import { DigestError } from '../core/errors.ts';
import { extractArticle } from '../extract/index.ts';
import { parseFeed } from '../feeds/index.ts';
import { createFetcher } from '../fetch/index.ts';
import { configFrom, usage } from './context.ts';

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
  const fetcher = createFetcher(cfg.fetch);
  try {
    const doc = await fetcher.fetch(ref, { kind });
    return { body: doc.body, url: doc.url, headers: doc.headers };
  } finally {
    await fetcher.close();
  }
}

export interface ExtractOpts {
  url?: string;
  text?: boolean;
}

export async function extract(ref: string, opts: ExtractOpts, cmd: Command): Promise<void> {
  const doc = await load(ref, cmd, opts.url, 'page');
  const html = decodeHtml(doc.body, doc.headers['content-type']);
  const a = extractArticle(html, doc.url);
  if (!a.text.trim()) throw new DigestError('extract', 'no article text found on the page', { subject: ref });
  process.stdout.write(opts.text ? a.text + '\n' : JSON.stringify(a, null, 2) + '\n');
}

export interface ParseFeedOpts {
  url?: string;
  contentType?: string;
}

export async function parseFeedCommand(ref: string, opts: ParseFeedOpts, cmd: Command): Promise<void> {
  const doc = await load(ref, cmd, opts.url, 'feed');
  if (opts.contentType) doc.headers['content-type'] = opts.contentType;
  const feed = parseFeed(doc.body, { url: doc.url, headers: doc.headers });
  process.stdout.write(JSON.stringify(feed, null, 2) + '\n');
}
