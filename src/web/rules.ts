// /my/rules: the signed-in user's mute and keep rules (list, add, edit, delete). Only the owner
// ever sees or changes a rule: every store call takes the viewer's id, and another user's rule
// id answers 404 exactly as a missing one. index.ts checks the CSRF token before any POST.
import type { IncomingMessage } from 'node:http';
import { RULE_ACTIONS, RULE_FIELDS, MAX_PATTERN, type RuleAction, type RuleField, type RuleSpec } from '../accounts/rules.ts';
import { isDigestError } from '../core/errors.ts';
import type { Rule } from '../store/types.ts';
import type { Auth } from './auth.ts';
import type { RequestForm } from './form.ts';
import { html, type SafeHtml } from './html.ts';
import { HttpError, intParam, pageOf, type Page, type PageContext } from './pages.ts';

const see = (location: string): Page => ({ status: 303, body: '', location });
const csrfField = (token: string) => html`<input type="hidden" name="csrf" value="${token}">`;

const FIELD_LABEL: Record<RuleField, string> = { title: 'Title', text: 'Text', author: 'Author', outlet: 'Outlet', any: 'Anywhere' };
const ACTION_LABEL: Record<RuleAction, string> = { read: 'Mark read', hide: 'Hide', star: 'Star' };

function describe(r: Rule, outlets: Map<number, string>): SafeHtml {
  const what = r.isRegex ? html`matches <code>/${r.pattern}/</code>` : html`has “${r.pattern}”`;
  const where = r.sourceId === null ? 'all my sources' : (outlets.get(r.sourceId) ?? `source ${r.sourceId}`);
  return r.kind === 'keep'
    ? html`<strong>${ACTION_LABEL[r.action]}</strong> every article of ${where} unless its ${FIELD_LABEL[r.field].toLowerCase()} ${what} (keep rule)`
    : html`<strong>${ACTION_LABEL[r.action]}</strong> articles of ${where} whose ${FIELD_LABEL[r.field].toLowerCase()} ${what}`;
}

async function outletsOf(ctx: PageContext, userId: number): Promise<{ id: number; name: string }[]> {
  return (await ctx.store.listSubscriptions(userId)).map((s) => ({ id: s.source.id, name: s.title ?? s.source.title ?? s.source.url }));
}

function ruleForm(o: { csrf: string; action: string; submit: string; id: string; rule?: Partial<RuleSpec>; outlets: { id: number; name: string }[] }): SafeHtml {
  const r = o.rule ?? {};
  const sel = (on: boolean) => (on ? html` selected` : '');
  return html`<form class="form" method="post" action="${o.action}">
${csrfField(o.csrf)}
<div><label for="${o.id}-pattern">Words or pattern</label>
<input id="${o.id}-pattern" type="text" name="pattern" value="${r.pattern ?? ''}" maxlength="${MAX_PATTERN}" required aria-describedby="${o.id}-pattern-help" autocomplete="off" spellcheck="false">
<p class="meta" id="${o.id}-pattern-help">Words or phrases separated by commas (whole words, any case), or a regular expression (any case; no backreferences or lookaround; at most ${MAX_PATTERN} characters).</p></div>
<div><label class="check"><input type="checkbox" name="regex" value="1"${r.isRegex ? html` checked` : ''}> It is a regular expression</label></div>
<div><label for="${o.id}-field">Look at</label><select id="${o.id}-field" name="field">${RULE_FIELDS.map((f) => html`<option value="${f}"${sel((r.field ?? 'any') === f)}>${FIELD_LABEL[f]}</option>`)}</select></div>
<div><label for="${o.id}-action">Then</label><select id="${o.id}-action" name="action">${RULE_ACTIONS.map((a) => html`<option value="${a}"${sel((r.action ?? 'hide') === a)}>${ACTION_LABEL[a]}</option>`)}</select></div>
<fieldset><legend>Kind</legend>
<label class="check"><input type="radio" name="kind" value="mute"${r.kind !== 'keep' ? html` checked` : ''}> Mute: act on the articles that match</label>
<label class="check"><input type="radio" name="kind" value="keep"${r.kind === 'keep' ? html` checked` : ''}> Keep: act on the articles that match none of my keep rules</label>
</fieldset>
<div><label for="${o.id}-source">For</label><select id="${o.id}-source" name="source"><option value="">All my sources</option>${o.outlets.map((s) => html`<option value="${s.id}"${sel(r.sourceId === s.id)}>${s.name}</option>`)}</select></div>
<div><button type="submit">${o.submit}</button></div>
</form>`;
}

async function rulesPage(ctx: PageContext, auth: Auth, o: { status?: number; message?: string; error?: string; draft?: Partial<RuleSpec> } = {}): Promise<Page> {
  const me = auth.viewer!;
  const [rules, outlets] = await Promise.all([ctx.store.listRules(me.id), outletsOf(ctx, me.id)]);
  const names = new Map(outlets.map((s) => [s.id, s.name]));
  const body = html`<header class="page-header"><p class="kicker">My reading</p><h1>Rules</h1>
<p class="meta">Rules act once on every article that arrives in your subscriptions, and on the ones already there when you add, change or delete a rule. Deleting a rule brings back what it hid and unstars what it starred; what it marked read stays read.</p></header>
${o.message ? html`<p class="notice" role="status">${o.message}</p>` : ''}${o.error ? html`<p class="notice error" role="alert">${o.error}</p>` : ''}
<section aria-labelledby="my-rules"><h2 id="my-rules">My rules</h2>
${rules.length
    ? html`<ul class="rules">${rules.map((r) => html`<li>${describe(r, names)}
<a href="/my/rules/${r.id}/edit" aria-label="Edit rule ${r.id}">Edit</a>
<form method="post" action="/my/rules/${r.id}/delete">${csrfField(auth.csrf)}<button type="submit" aria-label="Delete rule ${r.id}">Delete</button></form></li>`)}</ul>`
    : html`<p>No rules yet.</p>`}
</section>
<section aria-labelledby="add-rule"><h2 id="add-rule">Add a rule</h2>
${ruleForm({ csrf: auth.csrf, action: '/my/rules', submit: 'Add rule', id: 'new', rule: o.draft, outlets })}
</section>`;
  return pageOf(ctx, { title: 'Rules', path: '/my/rules', current: 'rules', noindex: true }, body, o.status ?? 200);
}

async function editPage(ctx: PageContext, auth: Auth, rule: Partial<RuleSpec> & { id: number }, o: { status?: number; error?: string } = {}): Promise<Page> {
  const outlets = await outletsOf(ctx, auth.viewer!.id);
  const body = html`<header class="page-header"><p class="kicker">My reading · <a href="/my/rules">Rules</a></p><h1>Edit rule ${rule.id}</h1></header>
${o.error ? html`<p class="notice error" role="alert">${o.error}</p>` : ''}
${ruleForm({ csrf: auth.csrf, action: `/my/rules/${rule.id}`, submit: 'Save rule', id: 'edit', rule, outlets })}`;
  return pageOf(ctx, { title: `Edit rule ${rule.id}`, path: `/my/rules/${rule.id}/edit`, current: 'rules', noindex: true }, body, o.status ?? 200);
}

function specOf(f: URLSearchParams): RuleSpec {
  const source = f.get('source');
  return {
    pattern: f.get('pattern') ?? '',
    isRegex: f.get('regex') === '1',
    field: (f.get('field') ?? 'any') as RuleField,
    action: (f.get('action') ?? 'hide') as RuleAction,
    kind: f.get('kind') === 'keep' ? 'keep' : 'mute',
    sourceId: source ? intParam(source, 'source id', true) : null,
  };
}

const problem = (e: unknown): string | null => (isDigestError(e) && (e.kind === 'usage' || e.kind === 'not_found') ? e.message.replace(/^./, (c) => c.toUpperCase()) + '.' : null);

/** /my/rules and /admin/briefs routes; null when the path is not one of them. */
export async function rulesRoute(ctx: PageContext, req: IncomingMessage, url: URL, form: RequestForm, auth: Auth): Promise<Page | null> {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const briefs = path === '/admin/briefs' || path.startsWith('/admin/briefs/');
  if (path !== '/my/rules' && !path.startsWith('/my/rules/') && !briefs) return null;
  const post = req.method === 'POST';
  if (!auth.viewer) {
    if (post) throw new HttpError(403, 'Sign in first.');
    return see(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  const me = auth.viewer;
  let m: RegExpExecArray | null;
  if (briefs) return briefsRoute(ctx, url, path, post, form, auth);
  if (path === '/my/rules') {
    if (!post) {
      const done = url.searchParams.get('done');
      return rulesPage(ctx, auth, { message: ({ added: 'The rule was added and applied.', saved: 'The rule was saved and applied again.', deleted: 'The rule was deleted.' } as Record<string, string>)[done ?? ''] });
    }
    const spec = specOf(form.fields);
    try {
      await ctx.store.addRule(me.id, spec);
    } catch (e) {
      const msg = problem(e);
      if (msg) return rulesPage(ctx, auth, { status: 400, error: msg, draft: spec });
      throw e;
    }
    return see('/my/rules?done=added');
  }
  if ((m = /^\/my\/rules\/([^/]+)\/edit$/.exec(path))) {
    if (post) throw new HttpError(405, 'POST is not allowed here.');
    const rule = await ctx.store.getRule(me.id, intParam(m[1], 'rule id', true));
    if (!rule) throw new HttpError(404, 'You have no rule with that id.');
    return editPage(ctx, auth, rule);
  }
  if (!post) throw new HttpError(405, 'GET is not allowed here; use the forms on the rules page.');
  if ((m = /^\/my\/rules\/([^/]+)\/delete$/.exec(path))) {
    if (!(await ctx.store.removeRule(me.id, intParam(m[1], 'rule id', true)))) throw new HttpError(404, 'You have no rule with that id.');
    return see('/my/rules?done=deleted');
  }
  if ((m = /^\/my\/rules\/([^/]+)$/.exec(path))) {
    const id = intParam(m[1], 'rule id', true);
    const spec = specOf(form.fields);
    try {
      if (!(await ctx.store.updateRule(me.id, id, spec))) throw new HttpError(404, 'You have no rule with that id.');
    } catch (e) {
      const msg = problem(e);
      if (msg) return editPage(ctx, auth, { ...spec, id }, { status: 400, error: msg });
      throw e;
    }
    return see('/my/rules?done=saved');
  }
  throw new HttpError(404, `Nothing lives at ${path}.`);
}

// ---------------------------------------------------------------- /admin/briefs

async function briefsPage(ctx: PageContext, auth: Auth, o: { status?: number; message?: string; error?: string } = {}): Promise<Page> {
  const users = await ctx.store.listUsers();
  const schedules = new Map((await ctx.store.briefSchedules()).map((s) => [s.userId, s]));
  const c = auth.csrf;
  const body = html`<header class="page-header"><p class="kicker">Administration</p><h1>Personal digests</h1>
<p class="meta">Each user's digest of their subscriptions (without what their rules hide or they have read) is sent once a day at their hour by <code>digest run</code>, over the SMTP server of <code>DIGEST_SMTP_URL</code>.</p></header>
${o.message ? html`<p class="notice" role="status">${o.message}</p>` : ''}${o.error ? html`<p class="notice error" role="alert">${o.error}</p>` : ''}
<table class="data-table"><thead><tr><th scope="col">User</th><th scope="col">Schedule</th><th scope="col">Last sent</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody>
${users.map((u) => {
    const s = schedules.get(u.id);
    return html`<tr><th scope="row">${u.name}</th><td>${s ? `${String(s.hour).padStart(2, '0')}:00 ${s.timeZone} to ${s.to}` : 'not sent'}</td><td>${s?.sentOn ?? '-'}</td><td>
<form method="post" action="/admin/briefs/${u.id}">${csrfField(c)}
<label for="hour-${u.id}">Hour</label><input id="hour-${u.id}" type="number" name="hour" min="0" max="23" value="${s ? String(s.hour) : '7'}" required>
<label for="tz-${u.id}">Time zone</label><input id="tz-${u.id}" type="text" name="tz" value="${s?.timeZone ?? 'UTC'}" required spellcheck="false">
<label for="to-${u.id}">Address</label><input id="to-${u.id}" type="email" name="to" value="${s?.to ?? ''}" required autocomplete="off">
<button type="submit" aria-label="Schedule the digest of ${u.name}">Schedule</button></form>
${s ? html`<form method="post" action="/admin/briefs/${u.id}/off">${csrfField(c)}<button type="submit" aria-label="Stop the digest of ${u.name}">Stop</button></form>` : ''}
</td></tr>`;
  })}
</tbody></table>`;
  return pageOf(ctx, { title: 'Personal digests', path: '/admin/briefs', current: 'admin', noindex: true }, body, o.status ?? 200);
}

async function briefsRoute(ctx: PageContext, url: URL, path: string, post: boolean, form: RequestForm, auth: Auth): Promise<Page> {
  if (!auth.viewer!.admin) throw new HttpError(403, 'Only administrators schedule personal digests.');
  if (path === '/admin/briefs') {
    if (post) throw new HttpError(405, 'POST is not allowed here.');
    const done = url.searchParams.get('done');
    return briefsPage(ctx, auth, { message: done === 'scheduled' ? 'The digest is scheduled.' : done === 'stopped' ? 'The digest is no longer sent.' : undefined });
  }
  if (!post) throw new HttpError(405, 'GET is not allowed here; use the forms on the personal digests page.');
  const m = /^\/admin\/briefs\/([^/]+)(\/off)?$/.exec(path);
  if (!m) throw new HttpError(404, `Nothing lives at ${path}.`);
  const user = await ctx.store.getUser(intParam(m[1], 'user id', true));
  if (!user) throw new HttpError(404, 'There is no user with that id.');
  if (m[2]) {
    await ctx.store.setBriefSchedule(user.id, null);
    return see('/admin/briefs?done=stopped');
  }
  const f = form.fields;
  const hour = /^\d{1,2}$/.test(f.get('hour') ?? '') ? Number(f.get('hour')) : NaN;
  try {
    await ctx.store.setBriefSchedule(user.id, { hour, timeZone: (f.get('tz') ?? '').trim(), to: (f.get('to') ?? '').trim() });
  } catch (e) {
    const msg = problem(e);
    if (msg) return briefsPage(ctx, auth, { status: 400, error: msg });
    throw e;
  }
  return see('/admin/briefs?done=scheduled');
}
