// digest rule add | list | remove, digest schedule (declared in main.ts): a user's mute/keep
// rules and the schedule of their personal digest, from the command line (an operator's tool:
// whoever runs the CLI can act for any user).
import type { Command } from 'commander';
import { DigestError } from '../core/errors.ts';
import type { RuleAction, RuleField, RuleSpec } from '../accounts/rules.ts';
import type { Rule, Store } from '../store/types.ts';
import { configFrom, usage } from './context.ts';
import { openDatabase } from './app.ts';
import { table } from './progress.ts';

async function withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openDatabase(configFrom(cmd));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function userId(store: Store, name: string | undefined): Promise<number> {
  if (!name) throw usage('give the user with --user NAME (see `digest user list`)');
  const u = await store.getUserByName(name);
  if (!u) throw new DigestError('not_found', `no user "${name}": see \`digest user list\`, or add one with \`digest user add ${name}\``);
  return u.id;
}

export const describeRule = (r: Rule) =>
  `${r.kind === 'keep' ? `keep only matching, else ${r.action}` : r.action} · ${r.field} ${r.isRegex ? `/${r.pattern}/` : `“${r.pattern}”`}${r.sourceId !== null ? ` · source ${r.sourceId}` : ''}`;

export interface RuleAddOpts {
  user?: string;
  field: string;
  action: string;
  regex?: boolean;
  keep?: boolean;
  source?: string;
}

export async function ruleAdd(pattern: string, opts: RuleAddOpts, cmd: Command): Promise<void> {
  const source = opts.source === undefined ? null : Number(opts.source);
  if (source !== null && !(Number.isInteger(source) && source > 0)) throw usage(`--source ${opts.source}: give a source id (see \`digest sources\`)`);
  const spec: RuleSpec = { field: opts.field as RuleField, action: opts.action as RuleAction, pattern, isRegex: !!opts.regex, kind: opts.keep ? 'keep' : 'mute', sourceId: source };
  await withStore(cmd, async (store) => {
    const uid = await userId(store, opts.user);
    const r = await store.addRule(uid, spec);
    process.stdout.write(`rule ${r.id} added for ${opts.user}: ${describeRule(r)}\n`);
  });
}

export async function ruleList(opts: { user?: string; json?: boolean }, cmd: Command): Promise<void> {
  await withStore(cmd, async (store) => {
    const rules = await store.listRules(await userId(store, opts.user));
    if (opts.json) {
      process.stdout.write(JSON.stringify(rules, null, 2) + '\n');
      return;
    }
    if (!rules.length) {
      process.stdout.write(`${opts.user} has no rules; add one with \`digest rule add --user ${opts.user} WORDS\`\n`);
      return;
    }
    process.stdout.write(table(['id', 'kind', 'action', 'field', 'pattern', 'source'], rules.map((r) => [String(r.id), r.kind, r.action, r.field, r.isRegex ? `/${r.pattern}/` : r.pattern, r.sourceId === null ? 'all' : String(r.sourceId)])) + '\n');
  });
}

export async function ruleRemove(id: string, opts: { user?: string }, cmd: Command): Promise<void> {
  const n = Number(id);
  if (!Number.isInteger(n) || n < 1) throw usage(`"${id}" is not a rule id: see \`digest rule list --user NAME\``);
  await withStore(cmd, async (store) => {
    if (!(await store.removeRule(await userId(store, opts.user), n))) throw new DigestError('not_found', `${opts.user} has no rule ${n}: see \`digest rule list --user ${opts.user}\``);
    process.stdout.write(`rule ${n} removed\n`);
  });
}

export interface ScheduleOpts {
  user?: string;
  hour?: string;
  tz: string;
  to?: string;
  off?: boolean;
}

export async function schedule(opts: ScheduleOpts, cmd: Command): Promise<void> {
  await withStore(cmd, async (store) => {
    if (!opts.user) {
      const all = await store.briefSchedules();
      if (!all.length) process.stdout.write('no personal digests are scheduled; schedule one with `digest schedule --user NAME --hour 7 --tz Europe/Paris --to ADDRESS`\n');
      else process.stdout.write(table(['user', 'hour', 'time zone', 'to', 'last sent'], all.map((s) => [s.name, String(s.hour), s.timeZone, s.to, s.sentOn ?? '-'])) + '\n');
      return;
    }
    const uid = await userId(store, opts.user);
    if (opts.off) {
      await store.setBriefSchedule(uid, null);
      process.stdout.write(`the personal digest of ${opts.user} is no longer sent\n`);
      return;
    }
    if (opts.hour === undefined || !opts.to) throw usage('give --hour H (0-23) and --to ADDRESS (and --tz ZONE, default UTC), or --off');
    const hour = Number(opts.hour);
    await store.setBriefSchedule(uid, { hour, timeZone: opts.tz, to: opts.to });
    process.stdout.write(`the personal digest of ${opts.user} goes to ${opts.to} daily at ${String(hour).padStart(2, '0')}:00 ${opts.tz} (sent by \`digest run\` when DIGEST_SMTP_URL is set)\n`);
  });
}
