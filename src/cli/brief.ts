// digest brief: the periodic digest of top stories as Markdown, HTML or e-mail (SMTP).
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import nodemailer from 'nodemailer';
import { buildBrief, renderEmail, renderHtml, renderMarkdown } from '../digest/index.ts';
import { DigestError } from '../core/errors.ts';
import { configFrom, usage } from './context.ts';
import { openApp } from './app.ts';

/** "24h", "2d", "90m", "1w" → milliseconds. */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(m|h|d|w)$/i.exec(s.trim());
  if (!m) throw usage(`--since ${s}: give a duration such as 24h, 2d, 90m or 1w`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2].toLowerCase() as 'm' | 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}

export interface BriefOpts {
  since: string;
  limit: string;
  format: string;
  out?: string;
  to?: string;
  from: string;
  smtp?: string;
}

export async function runBrief(opts: BriefOpts, cmd: Command): Promise<void> {
  const since = new Date(Date.now() - parseDuration(opts.since));
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw usage(`--limit ${opts.limit}: give a whole number of stories`);
  if (!['markdown', 'html', 'email'].includes(opts.format)) throw usage(`--format ${opts.format}: use markdown, html or email`);
  const smtp = opts.smtp ?? process.env.DIGEST_SMTP_URL;
  if (opts.to && !smtp) throw usage('--to needs an SMTP server: give --smtp smtp://host:port or set DIGEST_SMTP_URL');
  const cfg = configFrom(cmd);
  const app = await openApp(cfg);
  try {
    const baseUrl = cfg.web.baseUrl ?? `http://localhost:${cfg.web.port}`;
    const brief = await buildBrief(app.store, { since, limit, baseUrl, siteTitle: cfg.web.siteTitle });
    if (opts.to) {
      const transport = nodemailer.createTransport(smtp!);
      try {
        await transport.sendMail({ envelope: { from: opts.from.replace(/^.*<|>.*$/g, ''), to: opts.to }, raw: renderEmail(brief, { from: opts.from, to: opts.to }) });
      } catch (e) {
        throw new DigestError('network', `sending the digest by SMTP failed: ${(e as Error).message}`, { subject: smtp });
      } finally {
        transport.close();
      }
      process.stdout.write(`sent ${brief.items.length} stories to ${opts.to}\n`);
      return;
    }
    const text = opts.format === 'html' ? renderHtml(brief) : opts.format === 'email' ? renderEmail(brief, { from: opts.from, to: 'reader@localhost' }) : renderMarkdown(brief);
    if (opts.out) writeFileSync(opts.out, text);
    else process.stdout.write(text);
  } finally {
    await app.close();
  }
}
