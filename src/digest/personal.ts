// The personal digest sent by `digest run`: each user with a schedule (hour of day, IANA time
// zone, address; set by an admin) gets their brief once a day, at or after their hour. Several
// processes may run this at once: the store's claimBriefDay lets exactly one of them send a
// user's brief of a given local day (at most once per user per day; a failed send gives the
// day back so a later check tries again).
import nodemailer from 'nodemailer';
import type { Logger } from '../core/log.ts';
import type { Store } from '../store/types.ts';
import { buildBrief, renderEmail } from './index.ts';

/** The local date (YYYY-MM-DD) and hour (0-23) of `at` in `timeZone`. */
export function localDayHour(at: Date, timeZone: string): { day: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { day: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
}

export interface PersonalBriefOptions {
  smtpUrl: string;
  from: string;
  baseUrl: string;
  siteTitle?: string;
  log: Logger;
  now?: Date;
  /** Period each brief covers (default 24 hours). */
  periodMs?: number;
  limit?: number;
}

/** Sends every brief that is due now; returns the names of the users it was sent to. */
export async function sendDueBriefs(store: Store, opts: PersonalBriefOptions): Promise<string[]> {
  const now = opts.now ?? new Date();
  const sent: string[] = [];
  for (const s of await store.briefSchedules()) {
    let local: { day: string; hour: number };
    try {
      local = localDayHour(now, s.timeZone);
    } catch {
      opts.log.warn('personal digest: unknown time zone; fix it with `digest schedule`', { user: s.name, timeZone: s.timeZone });
      continue;
    }
    if (local.hour < s.hour || (s.sentOn !== null && s.sentOn >= local.day)) continue;
    if (!(await store.claimBriefDay(s.userId, local.day))) continue; // another process has it
    try {
      const brief = await buildBrief(store, {
        since: new Date(now.getTime() - (opts.periodMs ?? 86_400_000)),
        until: now,
        limit: opts.limit ?? 10,
        baseUrl: opts.baseUrl,
        siteTitle: opts.siteTitle,
        userId: s.userId,
      });
      const transport = nodemailer.createTransport(opts.smtpUrl);
      try {
        await transport.sendMail({ envelope: { from: opts.from.replace(/^.*<|>.*$/g, ''), to: s.to }, raw: renderEmail(brief, { from: opts.from, to: s.to, date: now }) });
      } finally {
        transport.close();
      }
      sent.push(s.name);
      opts.log.info('personal digest sent', { user: s.name, stories: brief.items.length });
    } catch (e) {
      await store.releaseBriefDay(s.userId, local.day, s.sentOn).catch(() => {});
      opts.log.warn('personal digest: sending failed; it is tried again at the next check (check DIGEST_SMTP_URL)', { user: s.name, error: (e as Error).message });
    }
  }
  return sent;
}

/** Checks for due briefs every `everySec` (default 60) until stopped. */
export function startBriefSender(store: Store, opts: PersonalBriefOptions & { everySec?: number }): { stop(): Promise<void>; check(): Promise<void> } {
  let running: Promise<void> | null = null;
  const check = (): Promise<void> => {
    running ??= sendDueBriefs(store, { ...opts, now: undefined })
      .then(() => {})
      .catch((e) => opts.log.error('personal digest check failed', { error: (e as Error).message }))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void check(), (opts.everySec ?? 60) * 1000);
  timer.unref();
  void check();
  return {
    check,
    async stop() {
      clearInterval(timer);
      if (running) await running;
    },
  };
}
