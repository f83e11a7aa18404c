// Per-user rules and what they do to per-user article state, computed once and served many
// times: when articles are marked analysed (in the same unit of work) and, in bounded
// batches, when a user's rule is added, changed or removed (the back-fill).
//
// article_states.ruled remembers which flags the rules set (1 read, 2 hidden, 4 starred),
// so a rule change can take back what rules did (hidden, starred) without touching what the
// user did, and a flag the user cleared is not set again by the same rule.
// Also here: the per-user schedule of the personal digest (columns on users).
import { compileRules, matchRules, validateRule, type CompiledRule, type Rule, type RuleArticle, type RuleSpec } from '../accounts/rules.ts';
import { DigestError } from '../core/errors.ts';
import { Coordination } from './coordination.ts';
import { ts, type Row } from './schema.ts';
import type { BriefSchedule, Subscription, SubscriptionPatch } from './types.ts';
import { Users } from './users.ts';

const READ = 1;
const HIDDEN = 2;
const STARRED = 4;
/** Articles per back-fill transaction. */
export const RULES_BATCH = 500;

const toRule = (r: Row): Rule => ({
  id: Number(r.id), userId: Number(r.user_id), sourceId: r.source_id == null ? null : Number(r.source_id), field: r.field,
  pattern: r.pattern, isRegex: !!r.is_regex, action: r.action, kind: r.kind, createdAt: ts(r.created_at)!,
});

interface StateRow { read_at: unknown; starred_at: unknown; hidden_at: unknown; ruled: number }

export class Rules extends Users {
  async listRules(userId: number): Promise<Rule[]> {
    return (await this.raw('SELECT * FROM rules WHERE user_id = ? ORDER BY id', [userId])).map(toRule);
  }

  async getRule(userId: number, ruleId: number): Promise<Rule | null> {
    const r = (await this.raw('SELECT * FROM rules WHERE user_id = ? AND id = ?', [userId, ruleId]))[0];
    return r ? toRule(r) : null;
  }

  async addRule(userId: number, spec: RuleSpec): Promise<Rule> {
    const v = validateRule(spec);
    const rule = await this.tx(async (t) => {
      await t.checkRuleSource(userId, v.sourceId);
      const rows = await t.raw('INSERT INTO rules (user_id, source_id, field, pattern, is_regex, action, kind, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *',
        [userId, v.sourceId, v.field, v.pattern, t.dialect.bool(v.isRegex), v.action, v.kind, new Date().toISOString()]);
      return toRule(rows[0]);
    });
    await this.applyRules(userId);
    return rule;
  }

  async updateRule(userId: number, ruleId: number, spec: RuleSpec): Promise<Rule | null> {
    const v = validateRule(spec);
    const rule = await this.tx(async (t) => {
      await t.checkRuleSource(userId, v.sourceId);
      const rows = await t.raw('UPDATE rules SET source_id = ?, field = ?, pattern = ?, is_regex = ?, action = ?, kind = ? WHERE user_id = ? AND id = ? RETURNING *',
        [v.sourceId, v.field, v.pattern, t.dialect.bool(v.isRegex), v.action, v.kind, userId, ruleId]);
      return rows[0] ? toRule(rows[0]) : null;
    });
    if (rule) await this.applyRules(userId);
    return rule;
  }

  async removeRule(userId: number, ruleId: number): Promise<boolean> {
    const rows = await this.raw('DELETE FROM rules WHERE user_id = ? AND id = ? RETURNING id', [userId, ruleId]);
    if (rows.length) await this.applyRules(userId);
    return rows.length > 0;
  }

  private async checkRuleSource(userId: number, sourceId: number | null): Promise<void> {
    if (sourceId === null) return;
    const r = await this.raw('SELECT 1 AS ok FROM subscriptions WHERE user_id = ? AND source_id = ?', [userId, sourceId]);
    if (!r.length) throw new DigestError('not_found', `source ${sourceId} is not among this user's subscriptions: give the id of a source they follow`);
  }

  /**
   * Back-fill: evaluates the user's rules over the articles of their subscriptions (of one
   * source with `sourceId`), `batch` articles per transaction. Returns the number of
   * articles whose state changed.
   */
  async applyRules(userId: number, opts: { sourceId?: number; batch?: number } = {}): Promise<number> {
    const compiled = compileRules(await this.listRules(userId));
    const batch = Math.max(1, opts.batch ?? RULES_BATCH);
    let after = 0;
    let changed = 0;
    for (;;) {
      const rows = await this.raw(
        `SELECT a.id, a.source_id, a.title, a.text, a.byline, a.site_name, s.title AS source_title
         FROM articles a JOIN subscriptions u ON u.source_id = a.source_id AND u.user_id = ? JOIN sources s ON s.id = a.source_id
         WHERE a.id > ?${opts.sourceId !== undefined ? ' AND a.source_id = ?' : ''} ORDER BY a.id LIMIT ?`,
        opts.sourceId !== undefined ? [userId, after, opts.sourceId, batch] : [userId, after, batch]);
      if (!rows.length) break;
      changed += await this.tx((t) => t.writeRuled(userId, compiled, rows));
      after = Number(rows[rows.length - 1].id);
      if (rows.length < batch) break;
    }
    return changed;
  }

  /** Applies every subscribed user's rules to these articles (the hook of markAnalysed). */
  async applyRulesToArticles(articleIds: number[]): Promise<number> {
    if (!articleIds.length) return 0;
    const marks = articleIds.map(() => '?').join(', ');
    const arts = await this.raw(
      `SELECT a.id, a.source_id, a.title, a.text, a.byline, a.site_name, s.title AS source_title
       FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id IN (${marks}) ORDER BY a.id`, articleIds);
    if (!arts.length) return 0;
    const sourceIds = [...new Set(arts.map((a) => Number(a.source_id)))];
    const subs = await this.raw(
      `SELECT DISTINCT u.user_id, u.source_id FROM subscriptions u
       WHERE u.source_id IN (${sourceIds.map(() => '?').join(', ')}) AND EXISTS (SELECT 1 FROM rules r WHERE r.user_id = u.user_id)`, sourceIds);
    const byUser = new Map<number, Set<number>>();
    for (const s of subs) {
      const u = Number(s.user_id);
      if (!byUser.has(u)) byUser.set(u, new Set());
      byUser.get(u)!.add(Number(s.source_id));
    }
    let changed = 0;
    for (const [userId, sources] of byUser) {
      const compiled = compileRules(await this.listRules(userId));
      changed += await this.writeRuled(userId, compiled, arts.filter((a) => sources.has(Number(a.source_id))));
    }
    return changed;
  }

  /** Subscribing (also through subscribeUrl) applies the user's rules to the source's articles already stored. */
  override async subscribe(userId: number, sourceId: number, patch: SubscriptionPatch = {}): Promise<Subscription> {
    const sub = await super.subscribe(userId, sourceId, patch);
    if ((await this.raw('SELECT id FROM rules WHERE user_id = ? LIMIT 1', [userId])).length) await this.applyRules(userId, { sourceId });
    return sub;
  }

  /** Marks analysed and applies rules in one unit of work. */
  override async markAnalysed(ids: number[]): Promise<void> {
    if (!ids.length) return;
    await this.tx(async (t) => {
      await Coordination.prototype.markAnalysed.call(t, ids);
      await t.applyRulesToArticles(ids);
    });
  }

  /** Writes the rules' outcome for these article rows of one user; the caller holds a transaction. */
  private async writeRuled(userId: number, compiled: CompiledRule[], arts: Row[]): Promise<number> {
    if (!arts.length) return 0;
    const ids = arts.map((a) => Number(a.id));
    const states = new Map<number, StateRow>();
    const got = await this.raw<Row>(
      `SELECT article_id, read_at, starred_at, hidden_at, ruled FROM article_states WHERE user_id = ? AND article_id IN (${ids.map(() => '?').join(', ')})${this.dialect.pg ? ' FOR UPDATE' : ''}`,
      [userId, ...ids]);
    for (const s of got) states.set(Number(s.article_id), { read_at: s.read_at, starred_at: s.starred_at, hidden_at: s.hidden_at, ruled: Number(s.ruled) });
    const now = new Date().toISOString();
    let changed = 0;
    for (const a of arts) {
      const article: RuleArticle = { sourceId: Number(a.source_id), title: a.title, text: a.text, byline: a.byline, outlet: a.source_title, site: a.site_name };
      const m = compiled.length ? matchRules(compiled, article) : { read: false, hide: false, star: false };
      const old = states.get(Number(a.id)) ?? { read_at: null, starred_at: null, hidden_at: null, ruled: 0 };
      const next = { ...old };
      const flag = (bit: number, on: boolean, col: 'read_at' | 'hidden_at' | 'starred_at', undo: boolean) => {
        if (on && !(next.ruled & bit)) {
          // Set by the rules unless the user had set it already (then it stays theirs).
          if (next[col] == null) {
            next[col] = now;
            next.ruled |= bit;
          }
        } else if (!on && next.ruled & bit) {
          if (undo) next[col] = null;
          next.ruled &= ~bit;
        }
      };
      flag(READ, m.read, 'read_at', false); // read is never taken back
      flag(HIDDEN, m.hide, 'hidden_at', true);
      flag(STARRED, m.star, 'starred_at', true);
      if (next.ruled === old.ruled && next.read_at === old.read_at && next.hidden_at === old.hidden_at && next.starred_at === old.starred_at) continue;
      changed++;
      await this.raw(
        `INSERT INTO article_states (user_id, article_id, read_at, starred_at, hidden_at, ruled) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, article_id) DO UPDATE SET read_at = excluded.read_at, starred_at = excluded.starred_at,
           hidden_at = excluded.hidden_at, ruled = excluded.ruled`,
        [userId, Number(a.id), ts(next.read_at), ts(next.starred_at), ts(next.hidden_at), next.ruled]);
    }
    return changed;
  }

  // --- the personal digest's schedule (columns on users)

  async setBriefSchedule(userId: number, s: BriefSchedule | null): Promise<void> {
    if (s) validateSchedule(s);
    await this.raw('UPDATE users SET brief_hour = ?, brief_tz = ?, brief_to = ? WHERE id = ?', s ? [s.hour, s.timeZone, s.to, userId] : [null, null, null, userId]);
  }

  async getBriefSchedule(userId: number): Promise<BriefSchedule | null> {
    const r = (await this.raw('SELECT brief_hour, brief_tz, brief_to FROM users WHERE id = ?', [userId]))[0];
    return r && r.brief_hour != null ? { hour: Number(r.brief_hour), timeZone: r.brief_tz, to: r.brief_to } : null;
  }

  async briefSchedules(): Promise<(BriefSchedule & { userId: number; name: string; sentOn: string | null })[]> {
    const rows = await this.raw('SELECT id, name, brief_hour, brief_tz, brief_to, brief_sent_on FROM users WHERE brief_hour IS NOT NULL ORDER BY id', []);
    return rows.map((r) => ({ userId: Number(r.id), name: r.name, hour: Number(r.brief_hour), timeZone: r.brief_tz, to: r.brief_to, sentOn: r.brief_sent_on ?? null }));
  }

  /**
   * Claims the user's brief of `day` (their local date, YYYY-MM-DD): true for exactly one
   * caller per user and day, however many processes ask at once (one conditional UPDATE).
   */
  async claimBriefDay(userId: number, day: string): Promise<boolean> {
    const r = await this.raw('UPDATE users SET brief_sent_on = ? WHERE id = ? AND brief_hour IS NOT NULL AND (brief_sent_on IS NULL OR brief_sent_on < ?) RETURNING id', [day, userId, day]);
    return r.length > 0;
  }

  /** Gives a claimed day back (sending failed), so a later pass tries again. */
  async releaseBriefDay(userId: number, day: string, previous: string | null): Promise<void> {
    await this.raw('UPDATE users SET brief_sent_on = ? WHERE id = ? AND brief_sent_on = ?', [previous, userId, day]);
  }
}

export function validateSchedule(s: BriefSchedule): void {
  if (!Number.isInteger(s.hour) || s.hour < 0 || s.hour > 23) throw new DigestError('usage', `brief hour ${s.hour}: give a whole hour from 0 to 23`);
  try {
    new Intl.DateTimeFormat('en', { timeZone: s.timeZone });
  } catch {
    throw new DigestError('usage', `time zone ${JSON.stringify(s.timeZone)} is not known: give an IANA name such as Europe/Paris or UTC`);
  }
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(s.to)) throw new DigestError('usage', `brief address ${JSON.stringify(s.to)}: give an e-mail address such as reader@example.org`);
}
