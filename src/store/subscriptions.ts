// Subscriptions: each user follows shared sources (fetched once however many follow them)
// under their own folder and title. A source a user added from the web (and nobody else
// follows) goes away with its last subscriber; a source the instance added (CLI, config,
// OPML via the CLI) stays whoever unsubscribes.
import type { NewSource } from '../core/types.ts';
import { DigestError } from '../core/errors.ts';
import type { Subscription, SubscriptionPatch } from './types.ts';
import { Coordination } from './coordination.ts';
import { toSource, ts, type Row } from './schema.ts';

/** Articles of the user's subscriptions (a, s = subscription), leaving out copies whose original the user also follows. */
export const MINE = `FROM articles a JOIN subscriptions s ON s.source_id = a.source_id AND s.user_id = ?
  LEFT JOIN article_states st ON st.user_id = s.user_id AND st.article_id = a.id`;
export const notCopy = (user: string) => `(a.duplicate_of IS NULL OR NOT EXISTS (SELECT 1 FROM articles o JOIN subscriptions so ON so.source_id = o.source_id AND so.user_id = ${user} WHERE o.id = a.duplicate_of))`;

function clean(v: string | null | undefined): string | null {
  const t = v?.replace(/\s+/g, ' ').trim();
  return t ? t.slice(0, 200) : null;
}

export class Subscriptions extends Coordination {
  private async subRows(userId: number, sourceId?: number): Promise<Subscription[]> {
    const c = this.dialect.pg ? ' COLLATE "C"' : '';
    const rows = await this.raw(
      `SELECT src.*, sub.folder AS sub_folder, sub.title AS sub_title, sub.created_at AS sub_created_at,
        (SELECT COUNT(*) FROM articles x WHERE x.source_id = src.id) AS article_count,
        (SELECT COUNT(*) FROM articles a LEFT JOIN article_states st ON st.user_id = sub.user_id AND st.article_id = a.id
          WHERE a.source_id = sub.source_id AND st.read_at IS NULL AND st.hidden_at IS NULL AND ${notCopy('sub.user_id')}) AS unread
      FROM subscriptions sub JOIN sources src ON src.id = sub.source_id
      WHERE sub.user_id = ?${sourceId !== undefined ? ' AND sub.source_id = ?' : ''}
      ORDER BY lower(COALESCE(sub.folder, ''))${c}, lower(COALESCE(sub.title, src.title, src.url))${c}, src.id`,
      sourceId !== undefined ? [userId, sourceId] : [userId],
    );
    return rows.map((r: Row) => ({
      userId, source: toSource(r), folder: r.sub_folder ?? null, title: r.sub_title ?? null,
      createdAt: ts(r.sub_created_at)!, unread: Number(r.unread),
    }));
  }

  async subscribe(userId: number, sourceId: number, patch: SubscriptionPatch = {}): Promise<Subscription> {
    const folder = clean(patch.folder), title = clean(patch.title);
    const set: string[] = [];
    if (patch.folder !== undefined) set.push('folder = excluded.folder');
    if (patch.title !== undefined) set.push('title = excluded.title');
    await this.raw(
      `INSERT INTO subscriptions (user_id, source_id, folder, title, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id, source_id) DO ${set.length ? `UPDATE SET ${set.join(', ')}` : 'NOTHING'}`,
      [userId, sourceId, folder, title, new Date().toISOString()],
    );
    const got = await this.getSubscription(userId, sourceId);
    if (!got) throw new DigestError('not_found', `there is no source ${sourceId} to subscribe to`);
    return got;
  }

  async subscribeUrl(userId: number, s: NewSource, patch: SubscriptionPatch = {}): Promise<{ subscription: Subscription; sourceCreated: boolean; wasSubscribed: boolean }> {
    return this.tx(async (t) => {
      let src = await t.findSourceByUrl(s.url);
      const sourceCreated = !src;
      if (!src) {
        src = await t.addSource(s);
        await t.db.updateTable('sources').set({ added_from_web: t.dialect.bool(true) }).where('id', '=', src.id).execute();
      }
      const wasSubscribed = !!(await t.db.selectFrom('subscriptions').select('source_id').where('user_id', '=', userId).where('source_id', '=', src.id).executeTakeFirst());
      const subscription = await t.subscribe(userId, src.id, patch);
      return { subscription, sourceCreated, wasSubscribed };
    });
  }

  async unsubscribe(userId: number, sourceId: number): Promise<{ removed: boolean; sourceDeleted: boolean }> {
    return this.tx(async (t) => {
      const del = await t.db.deleteFrom('subscriptions').where('user_id', '=', userId).where('source_id', '=', sourceId).executeTakeFirst();
      if (Number(del.numDeletedRows) === 0) return { removed: false, sourceDeleted: false };
      const src = await t.db.selectFrom('sources').select('added_from_web').where('id', '=', sourceId).executeTakeFirst();
      const left = await t.subscriberCount(sourceId);
      if (src && src.added_from_web && left === 0) {
        await t.removeSource(sourceId);
        return { removed: true, sourceDeleted: true };
      }
      return { removed: true, sourceDeleted: false };
    });
  }

  async getSubscription(userId: number, sourceId: number): Promise<Subscription | null> {
    return (await this.subRows(userId, sourceId))[0] ?? null;
  }

  async listSubscriptions(userId: number): Promise<Subscription[]> {
    return this.subRows(userId);
  }

  async updateSubscription(userId: number, sourceId: number, patch: SubscriptionPatch): Promise<boolean> {
    const set: Record<string, string | null> = {};
    if (patch.folder !== undefined) set.folder = clean(patch.folder);
    if (patch.title !== undefined) set.title = clean(patch.title);
    if (Object.keys(set).length === 0) return !!(await this.getSubscription(userId, sourceId));
    const r = await this.db.updateTable('subscriptions').set(set).where('user_id', '=', userId).where('source_id', '=', sourceId).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async renameFolder(userId: number, from: string, to: string | null): Promise<number> {
    const r = await this.db.updateTable('subscriptions').set({ folder: clean(to) }).where('user_id', '=', userId).where('folder', '=', from).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async deleteFolder(userId: number, folder: string): Promise<number> {
    return this.renameFolder(userId, folder, null);
  }

  async subscriberCount(sourceId: number): Promise<number> {
    const r = await this.db.selectFrom('subscriptions').select((eb) => eb.fn.countAll().as('n')).where('source_id', '=', sourceId).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
