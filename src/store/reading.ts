// Reading state (the caller decides which ids: e.g. an article and its copies).
import { Coordination } from './coordination.ts';

export class Reading extends Coordination {
  async markRead(articleIds: number[], read = true): Promise<void> {
    if (articleIds.length === 0) return;
    const at = new Date().toISOString();
    await this.db.updateTable('articles').set((eb) => ({ read_at: read ? eb.fn.coalesce('read_at', eb.val(at)) : null }))
      .where('id', 'in', articleIds).execute();
  }

  async isRead(articleId: number): Promise<boolean> {
    const r = await this.db.selectFrom('articles').select('read_at').where('id', '=', articleId).executeTakeFirst();
    return !!r && r.read_at != null;
  }

  async readArticleIds(articleIds: number[]): Promise<number[]> {
    if (articleIds.length === 0) return [];
    const rows = await this.db.selectFrom('articles').select('id').where('read_at', 'is not', null).where('id', 'in', articleIds).orderBy('id').execute();
    return rows.map((r) => Number(r.id));
  }
}
