// The read/star toggles and "mark all as read" forms that the shared pages (pages.ts) and
// the personal pages (reader.ts) both show to a signed-in viewer; every form carries the CSRF token.
import type { Article } from '../core/types.ts';
import { html, type SafeHtml } from './html.ts';
import type { PageContext } from './pages.ts';

export const csrfField = (ctx: PageContext) => html`<input type="hidden" name="csrf" value="${ctx.csrf}">`;

/** Read and star toggles of one article (the article page; items of my lists). */
export async function articleStateForms(ctx: PageContext, a: Article, back: string, opts: { autoread?: boolean } = {}): Promise<SafeHtml> {
  if (!ctx.viewer) return html``;
  const [st] = await ctx.store.articleStates(ctx.viewer.id, [a.id]);
  return stateForms(ctx, a.id, !!st?.readAt, !!st?.starredAt, back, opts);
}

export function stateForms(ctx: PageContext, id: number, read: boolean, starred: boolean, back: string, opts: { autoread?: boolean } = {}): SafeHtml {
  return html`<div class="state-forms">
<form method="post" action="/articles/${id}/read" data-action="read"${opts.autoread && !read ? html` data-autoread` : ''}>${csrfField(ctx)}<input type="hidden" name="back" value="${back}"><input type="hidden" name="read" value="${read ? '0' : '1'}"><button type="submit" class="small">${read ? 'Mark unread' : 'Mark read'}</button></form>
<form method="post" action="/articles/${id}/star" data-action="star">${csrfField(ctx)}<input type="hidden" name="back" value="${back}"><input type="hidden" name="star" value="${starred ? '0' : '1'}"><button type="submit" class="small" aria-pressed="${starred ? 'true' : 'false'}">${starred ? 'Unstar' : 'Star'}</button></form>
</div>`;
}

/** A "mark all as read" button for a scope (fields: source, folder, story, day, before). */
export function markAllForm(ctx: PageContext, scope: Record<string, string>, label: string, back: string, opts: { main?: boolean } = {}): SafeHtml {
  return html`<form method="post" action="/my/mark-read" class="mark-all"${opts.main ? html` data-action="mark-all"` : ''}>${csrfField(ctx)}<input type="hidden" name="back" value="${back}">${Object.entries(scope).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<button type="submit" class="small">${label}</button></form>`;
}
