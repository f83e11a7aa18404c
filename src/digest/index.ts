// The periodic digest: the top stories of a period, rendered as Markdown or as an e-mail
// (multipart text + HTML), for `digest brief`. Selection reads the store; rendering is pure.
import type { Store, StoryRecord, QuoteRecord } from '../store/types.ts';
import type { Article } from '../core/types.ts';

export interface BriefItem {
  title: string;
  /** Link to the story or article page on the digest site. */
  url: string;
  summary: string | null;
  outlets: string[];
  articleCount: number;
  lastUpdated: string;
  /** Up to two attributed quotes. */
  quotes: { speaker: string; quote: string }[];
  /** The coverage: each outlet's article with its original link. */
  coverage: { title: string; url: string; source: string }[];
}

export interface Brief {
  title: string;
  since: string;
  until: string;
  items: BriefItem[];
}

export interface BriefOptions {
  since: Date;
  until?: Date;
  limit?: number;
  baseUrl: string;
  siteTitle?: string;
  /**
   * The personal digest of this user: only their subscriptions' articles, without the ones
   * their rules hid, and only stories and articles they have not read yet.
   */
  userId?: number;
}

const outletOf = (a: Article) => a.sourceTitle ?? a.siteName ?? new URL(a.url).hostname;

function pickQuotes(quotes: QuoteRecord[]): { speaker: string; quote: string }[] {
  const seen = new Set<string>();
  const out: { speaker: string; quote: string }[] = [];
  for (const q of quotes) {
    if (!q.speaker || q.kind === 'indirect') continue;
    const key = q.quote.toLowerCase().replace(/\W+/g, ' ').trim();
    if (seen.has(key) || key.split(' ').length < 5) continue;
    seen.add(key);
    out.push({ speaker: q.speakerRole ? `${q.speaker}, ${q.speakerRole}` : q.speaker, quote: q.quote });
    if (out.length === 2) break;
  }
  return out;
}

/** The stories (or, where articles have no story yet, the articles) of the period, best first. */
export async function buildBrief(store: Store, opts: BriefOptions): Promise<Brief> {
  const until = opts.until ?? new Date();
  const limit = opts.limit ?? 10;
  const base = opts.baseUrl.replace(/\/$/, '');
  const inPeriod = (iso: string | null) => !!iso && Date.parse(iso) >= opts.since.getTime() && Date.parse(iso) <= until.getTime();
  const items: BriefItem[] = [];
  const coveredArticles = new Set<number>();
  const userId = opts.userId;
  const followed = userId === undefined ? null : new Set((await store.listSubscriptions(userId)).map((s) => s.source.id));
  /** For a user: their subscriptions' articles they can see (not hidden), and whether any is unread. */
  const mine = async (arts: Article[]): Promise<{ visible: Article[]; unread: boolean }> => {
    if (userId === undefined) return { visible: arts, unread: true };
    const own = arts.filter((a) => followed!.has(a.sourceId));
    const states = new Map((await store.articleStates(userId, own.map((a) => a.id))).map((x) => [x.articleId, x]));
    const visible = own.filter((a) => !states.get(a.id)?.hiddenAt);
    return { visible, unread: visible.some((a) => !states.get(a.id)?.readAt) };
  };
  const stories: StoryRecord[] = [];
  if (userId === undefined) {
    let cursor: string | null = null;
    do {
      const page = await store.listStories({ limit: 100, cursor });
      stories.push(...page.items.filter((s) => inPeriod(s.lastUpdated)));
      cursor = page.next;
    } while (cursor && stories.length < limit * 3);
  } else {
    stories.push(...(await store.userStories(userId, { limit: Math.min(500, limit * 10) })).filter((s) => inPeriod(s.lastUpdated)));
  }
  for (const s of stories) {
    if (items.length >= limit) break;
    const arts = await store.storyArticles(s.id);
    arts.forEach((a) => coveredArticles.add(a.id));
    const { visible, unread } = await mine(arts);
    if (userId !== undefined && (!visible.length || !unread)) continue;
    const originals = visible.filter((a) => a.duplicateOf === null);
    const shown = userId === undefined || originals.length ? originals : visible;
    items.push({
      title: s.title,
      url: `${base}/stories/${s.id}`,
      summary: s.summary,
      outlets: [...new Set(shown.map(outletOf))],
      articleCount: userId === undefined ? s.articleCount : visible.length,
      lastUpdated: s.lastUpdated,
      quotes: pickQuotes(await store.quotesForStory(s.id)),
      coverage: shown.slice(0, 8).map((a) => ({ title: a.title, url: a.canonicalUrl ?? a.url, source: outletOf(a) })),
    });
  }
  if (items.length < limit) {
    const page = userId === undefined ? await store.listArticles({ limit: 200, hideCopies: true }) : await store.listUserArticles(userId, { limit: 200, unread: true });
    const { visible } = await mine(page.items);
    for (const a of visible) {
      if (items.length >= limit) break;
      if (coveredArticles.has(a.id) || a.storyId !== null || !inPeriod(a.published)) continue;
      items.push({
        title: a.title,
        url: `${base}/articles/${a.id}`,
        summary: a.summary ?? (a.text.split('\n\n')[0]?.slice(0, 300) || null),
        outlets: [outletOf(a)],
        articleCount: 1,
        lastUpdated: a.published ?? a.fetchedAt,
        quotes: pickQuotes(await store.quotesForArticle(a.id)),
        coverage: [{ title: a.title, url: a.canonicalUrl ?? a.url, source: outletOf(a) }],
      });
    }
  }
  return { title: opts.siteTitle ?? 'Occasional Digest', since: opts.since.toISOString(), until: until.toISOString(), items };
}

const mdEscape = (s: string) => s.replace(/([\\`*_[\]<>#|])/g, '\\$1');
const day = (iso: string) => new Date(iso).toUTCString().slice(0, 16);

export function renderMarkdown(b: Brief): string {
  const out = [`# ${mdEscape(b.title)}: ${day(b.until)}`, '', `_${b.items.length} stories since ${day(b.since)}_`, ''];
  b.items.forEach((it, i) => {
    out.push(`## ${i + 1}. [${mdEscape(it.title)}](${it.url})`, '');
    if (it.summary) out.push(mdEscape(it.summary), '');
    for (const q of it.quotes) out.push(`> ${mdEscape(q.quote)}  `, `> — ${mdEscape(q.speaker)}`, '');
    out.push(`${it.articleCount} article(s) from ${it.outlets.map(mdEscape).join(', ')}:`, '');
    for (const c of it.coverage) out.push(`- [${mdEscape(c.title)}](${c.url}) (${mdEscape(c.source)})`);
    out.push('');
  });
  return out.join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderHtml(b: Brief): string {
  const parts = b.items.map(
    (it) => `<h2 style="font-size:18px;margin:24px 0 4px"><a href="${esc(it.url)}">${esc(it.title)}</a></h2>
${it.summary ? `<p style="margin:4px 0">${esc(it.summary)}</p>` : ''}
${it.quotes.map((q) => `<blockquote style="margin:8px 0;padding-left:10px;border-left:3px solid #ccc">${esc(q.quote)}<br><small>— ${esc(q.speaker)}</small></blockquote>`).join('')}
<p style="margin:4px 0;color:#555;font-size:13px">${it.articleCount} article(s): ${it.coverage.map((c) => `<a href="${esc(c.url)}">${esc(c.source)}</a>`).join(' · ')}</p>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(b.title)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:640px;margin:auto;padding:12px;line-height:1.5">
<h1 style="font-size:22px">${esc(b.title)}: ${esc(day(b.until))}</h1>
${parts.join('\n')}
</body></html>`;
}

function encodeHeader(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

function base64Lines(s: string): string {
  return (Buffer.from(s, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** An RFC 5322 message with text and HTML alternatives, ready for SMTP or a .eml file. */
export function renderEmail(b: Brief, opts: { from: string; to: string; subject?: string; date?: Date }): string {
  const boundary = `=_digest_${Math.random().toString(36).slice(2)}`;
  const subject = opts.subject ?? `${b.title}: ${b.items.length} stories, ${day(b.until)}`;
  return [
    `From: ${opts.from}`,
    `To: ${opts.to}`,
    `Subject: ${encodeHeader(subject)}`,
    `Date: ${(opts.date ?? new Date()).toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(renderMarkdown(b)),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(renderHtml(b)),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
