// After an article is stored: recognise copies (dedupe), group it into a story (stories),
// and find who said what and who is involved (nlp). The in-memory indexes are rebuilt
// from the store's recent articles at start-up, so a restart changes nothing.
//
// Several processes may share one store (PostgreSQL). Ingest only stores articles (pending
// analysis); analysePending() analyses them in id order while holding the store lease
// 'analysis', so one process at a time changes stories. The counter 'analysis' is bumped
// after each batch: a process that sees it moved since its own last bump knows another
// process changed stories and rebuilds its indexes from the store before going on.
import { randomUUID } from 'node:crypto';
import type { Article, ExtractedArticle } from '../core/types.ts';
import type { Logger } from '../core/log.ts';
import type { Store, EntityMention, NewQuote } from '../store/types.ts';
import { DedupeIndex, pickOriginal, type CopyCandidate } from '../dedupe/index.ts';
import { StoryClusterer, type StoryClustererOptions, type StoryInfo } from '../stories/index.ts';
import { analyseArticle, canonicalEntity, loadNerModel } from '../nlp/index.ts';

export interface Analysers {
  /** Loads what analysis needs (the NER model, the indexes' window) ahead of a pass. */
  warm(): Promise<void>;
  /** Analyses one stored article now (and marks it analysed), outside the lease. */
  analyse(article: Article, extracted: ExtractedArticle | null): Promise<void>;
  /**
   * Analyses the store's pending articles under the 'analysis' lease, in batches. When
   * another process holds the lease it returns at once (that process will analyse them),
   * unless `wait` is set: then it waits for the lease while articles are still pending.
   * Returns how many articles this call analysed.
   */
  analysePending(opts?: { wait?: boolean }): Promise<number>;
  close(): Promise<void>;
}

export const ANALYSIS_LEASE = 'analysis';
export const ANALYSIS_COUNTER = 'analysis';

export interface AnalyseOptions {
  /** How far back the indexes are rebuilt from the store at start-up (default 14 days). */
  windowDays?: number;
  now?: () => Date;
  /** Options of the story clusterer (its defaults otherwise). */
  clusterer?: StoryClustererOptions;
  /** Seconds the 'analysis' lease lasts unless renewed (renewed per batch; default 60). */
  leaseSec?: number;
  /** Pending articles taken per batch (default 50). */
  batchSize?: number;
  /** Lease owner id (default: random per analysers instance, i.e. per process). */
  owner?: string;
  /** Longest analysePending({ wait: true }) waits for another process's lease (default 2 × leaseSec). */
  maxWaitMs?: number;
}

/** "Hot" ranking: outlets and velocity count, and every 12 hours of recency is worth about as much as doubling the outlets. */
export function storyScore(info: { outlets: number; recentArticles: number; lastUpdated: string | null }): number {
  const t = info.lastUpdated ? Date.parse(info.lastUpdated) / 1000 : 0;
  return Math.log2(1 + info.outlets) + 0.5 * Math.log2(1 + info.recentArticles) + t / 43_200;
}

function candidate(a: Article, originalUrl?: string | null): CopyCandidate {
  return {
    id: a.id,
    url: a.url,
    canonicalUrl: a.canonicalUrl,
    published: a.published,
    byline: a.byline,
    siteName: a.siteName ?? a.sourceTitle ?? null,
    originalUrl: originalUrl ?? null,
  } as CopyCandidate;
}

export async function createAnalysers(store: Store, log: Logger, opts: AnalyseOptions = {}): Promise<Analysers> {
  const now = opts.now ?? (() => new Date());
  let dedupe = new DedupeIndex();
  let clusterer = new StoryClusterer(opts.clusterer);
  /** Clusterer story id → stored story id (identical for stories seeded from the store). */
  let storyIds = new Map<number, number>();
  const owner = opts.owner ?? randomUUID();
  const leaseSec = opts.leaseSec ?? 60;
  const batchSize = opts.batchSize ?? 50;
  /** The 'analysis' counter as of the indexes' last rebuild or this process's last bump. */
  let lastCounter: number | null = null;

  /** Drops the indexes; the next analysis rebuilds them from the store. */
  function reset(): void {
    dedupe = new DedupeIndex();
    clusterer = new StoryClusterer(opts.clusterer);
    storyIds = new Map();
    rebuilt = null;
  }

  // The window is rebuilt from the store (oldest first) when analysis is first needed, so
  // commands that never analyse (sources, export, serve) do not pay for it.
  let rebuilt: Promise<void> | null = null;
  const ready = () => (rebuilt ??= rebuild());
  async function rebuild(): Promise<void> {
    // Read first: should another process analyse while this lists, the next check sees it.
    lastCounter = await store.getCounter(ANALYSIS_COUNTER);
    const since = now().getTime() - (opts.windowDays ?? 14) * 86_400_000;
    const recent: Article[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.listArticles({ limit: 500, cursor });
      // Pending articles are left out: they join the indexes when they are analysed.
      for (const a of page.items) if (Date.parse(a.published ?? a.fetchedAt) >= since && a.analysedAt !== null) recent.push(a);
      cursor = page.items.length && Date.parse(page.items[page.items.length - 1].published ?? '') >= since ? page.next : null;
    } while (cursor);
    recent.reverse();
    for (const a of recent) {
      dedupe.add({ id: a.id, url: a.url, canonicalUrl: a.canonicalUrl, guid: a.guid, title: a.title, text: a.text, published: a.published, byline: a.byline, siteName: a.siteName });
      if (a.storyId !== null && a.duplicateOf === null) {
        const live = await store.getStory(a.storyId);
        const sid = live?.story.id ?? a.storyId;
        clusterer.seed({ id: a.id, title: a.title, text: a.text, published: a.published, source: a.sourceTitle ?? a.siteName }, sid);
        storyIds.set(sid, sid);
      }
    }
    if (recent.length) log.debug('analysers rebuilt', { articles: recent.length, stories: storyIds.size });
  }

  async function saveStory(info: StoryInfo, clusterId: number): Promise<number> {
    const since6h = now().getTime() - 6 * 3_600_000;
    const recentArticles = info.timeline.filter((e) => e.published && Date.parse(e.published) >= since6h).length;
    const fields = {
      title: info.headline,
      firstSeen: info.firstSeen ?? info.lastUpdated ?? now().toISOString(),
      summary: info.summary.join(' '),
      lastUpdated: info.lastUpdated ?? now().toISOString(),
      score: storyScore({ outlets: info.outlets.length, recentArticles, lastUpdated: info.lastUpdated }),
    };
    let id = storyIds.get(clusterId);
    if (id === undefined) {
      const created = await store.createStory(fields);
      id = created.id;
      storyIds.set(clusterId, id);
    } else {
      await store.updateStory(id, fields);
    }
    return id;
  }

  async function assignStory(article: Article): Promise<number | null> {
    const r = clusterer.add({ id: article.id, title: article.title, text: article.text, published: article.published, source: article.sourceTitle ?? article.siteName });
    if (r.merged) {
      const from = storyIds.get(r.merged.from);
      const into = storyIds.get(r.merged.into);
      if (from !== undefined && into !== undefined && from !== into) {
        await store.mergeStories(from, into);
        storyIds.set(r.merged.from, into);
      }
    }
    if (r.split) await applySplit(r.split);
    const info = clusterer.story(r.storyId);
    if (!info) return null;
    const id = await saveStory(info, r.storyId);
    await store.setStory(article.id, id);
    await store.recountStory(id);
    return id;
  }

  /**
   * Two events had been told as one story: the clusterer split off `articleIds` into a new
   * story. They move there (with their copies and quotes); the old story keeps its id.
   */
  async function applySplit(split: { from: number; into: number; articleIds: (string | number)[] }): Promise<void> {
    const fromId = storyIds.get(split.from);
    const intoInfo = clusterer.story(split.into);
    if (fromId === undefined || !intoInfo) return;
    const intoId = await saveStory(intoInfo, split.into);
    const moved = new Set(split.articleIds.map(Number));
    for (const a of await store.storyArticles(fromId)) {
      if (!moved.has(a.id) && !(a.duplicateOf !== null && moved.has(a.duplicateOf))) continue;
      await store.setStory(a.id, intoId);
      const qs = await store.quotesForArticle(a.id);
      if (qs.length) await store.replaceArticleQuotes(a.id, qs.map(({ id: _id, articleId: _a, ...q }) => ({ ...q, storyId: intoId })));
    }
    const fromInfo = clusterer.story(split.from);
    if (fromInfo) await saveStory(fromInfo, split.from);
    await store.recountStory(fromId);
    await store.recountStory(intoId);
    log.info('story split', { story: fromId, into: intoId, articles: moved.size });
  }

  type Found = { canon: ReturnType<typeof canonicalEntity>; quotes: ReturnType<typeof analyseArticle>['quotes'] };

  /** People, places, organisations and quotes of one article (pure: nothing stored yet). */
  function findWhoSaidWhat(article: Article): Found {
    const { entities, quotes } = analyseArticle(article.text);
    // One entity per person/place/organisation, named canonically; the surface forms become aliases.
    const canon = canonicalEntity(entities.map((e) => ({ text: e.text, type: e.type, articleId: article.id })));
    return { canon, quotes };
  }

  /**
   * Stores what findWhoSaidWhat found. A surname alone ("Orlan") in an article that never gives
   * the full name is the story's "Mikhail Orlan" when the story knows exactly one such person.
   */
  async function saveWhoSaidWhat(article: Article, found: Found, storyId: number | null): Promise<void> {
    const fullNames = new Map<string, string | null>();
    const learn = (name: string) => {
      const parts = name.split(/\s+/);
      if (parts.length < 2) return;
      const last = parts[parts.length - 1].toLowerCase();
      const had = fullNames.get(last);
      fullNames.set(last, had === undefined || had === name ? name : null); // null: ambiguous
    };
    if (storyId !== null) for (const e of await store.entitiesForStory(storyId)) if (e.entity.type === 'PER') learn(e.entity.name);
    for (const c of found.canon) if (c.type === 'PER') learn(c.name);
    const full = (name: string, type: string) => (type === 'PER' && !/\s/.test(name) ? (fullNames.get(name.toLowerCase()) ?? name) : name);

    const mentions = new Map<string, EntityMention>();
    for (const c of found.canon) {
      const name = full(c.name, c.type);
      await store.upsertPerson(name, c.type, c.aliases.filter((a) => a !== name));
      const key = `${c.type}:${name}`;
      const m = mentions.get(key);
      if (m) m.count += c.count;
      else mentions.set(key, { name, type: c.type, count: c.count });
    }
    await store.replaceArticleEntities(article.id, [...mentions.values()]);
    const stored: NewQuote[] = [];
    for (const q of found.quotes) {
      let personId: number | null = null;
      let speaker = q.speaker;
      if (speaker && (q.speakerType === 'person' || q.speakerType === 'org' || q.speakerType === 'place')) {
        const type = q.speakerType === 'person' ? 'PER' : q.speakerType === 'org' ? 'ORG' : 'LOC';
        speaker = full(speaker, type);
        personId = (await store.upsertPerson(speaker, type)).id;
      }
      stored.push({
        quote: q.quote,
        start: q.start,
        end: q.end,
        speaker,
        speakerRole: q.speakerRole,
        personId,
        kind: q.kind,
        stance: q.stance,
        cue: q.cue,
        storyId,
      });
    }
    await store.replaceArticleQuotes(article.id, stored);
  }

  let warmed = false;
  let queue: Promise<void> = Promise.resolve();
  return {
    async warm() {
      if (!warmed) loadNerModel();
      warmed = true;
      await ready();
    },
    analyse(article, extracted) {
      // One article at a time: the indexes and the story-id map change between awaits, and
      // two interleaved articles could otherwise create two stored stories for one story.
      return serial(async () => {
        await analyseOne(article, extracted?.originalUrl ?? article.originalUrl ?? null);
        await store.markAnalysed([article.id]);
      });
    },
    analysePending(o = {}) {
      return serial(() => drain(o.wait ?? false));
    },
    async close() {
      await queue;
    },
  };

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn);
    queue = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  async function drain(wait: boolean): Promise<number> {
    const deadline = Date.now() + (opts.maxWaitMs ?? 2 * leaseSec * 1000);
    while (!(await store.acquireLease(ANALYSIS_LEASE, owner, leaseSec))) {
      // Another process holds the lease and will analyse what is pending.
      if (!wait || Date.now() > deadline) return 0;
      await new Promise((r) => setTimeout(r, 100));
      if ((await store.pendingAnalysis(1)).length === 0) return 0;
    }
    let done = 0;
    try {
      for (;;) {
        const counter = await store.getCounter(ANALYSIS_COUNTER);
        if (rebuilt && counter !== lastCounter) {
          // Another process analysed since these indexes were built or last written: stale.
          log.debug('analysis: another process analysed meanwhile; rebuilding indexes', { was: lastCounter, now: counter });
          reset();
        }
        await ready();
        const batch = await store.pendingAnalysis(batchSize);
        if (batch.length === 0) break;
        for (const a of batch) await analyseOne(a, a.originalUrl ?? null);
        await store.markAnalysed(batch.map((a) => a.id));
        lastCounter = await store.bumpCounter(ANALYSIS_COUNTER);
        done += batch.length;
        // Renew for the next batch; should it have been lost (a very slow batch), stop here.
        if (!(await store.acquireLease(ANALYSIS_LEASE, owner, leaseSec))) return done;
      }
    } finally {
      await store.releaseLease(ANALYSIS_LEASE, owner).catch(() => {});
    }
    if (done) log.debug('analysis: pending articles analysed', { articles: done });
    return done;
  }

  async function analyseOne(article: Article, originalUrl: string | null): Promise<void> {
    try {
      await ready();
      const d = dedupe.add({
        id: article.id,
        url: article.url,
        canonicalUrl: article.canonicalUrl,
        guid: article.guid,
        title: article.title,
        text: article.text,
        published: article.published,
        byline: article.byline,
        siteName: article.siteName,
        originalUrl,
      });
      if (d.duplicateOf !== null && d.duplicateOf !== article.id) {
        const first = await store.getArticle(Number(d.duplicateOf));
        if (first) {
          // Credit the original: the one the others name, the canonical, the wire, or the earliest.
          const pick = pickOriginal([candidate(first), candidate(article, originalUrl)]);
          const [original, copy] = pick.id === article.id ? [article, first] : [first, article];
          await store.setDuplicateOf(copy.id, original.id);
          await store.setDuplicateOf(original.id, null);
          if (original.id === article.id) {
            // The newcomer is the original: it takes the story over from its copy.
            await store.setStory(article.id, first.storyId);
          } else if (first.storyId !== null) {
            await store.setStory(article.id, first.storyId);
          }
          const storyId = (await store.getArticle(article.id))?.storyId ?? null;
          if (storyId !== null) await store.recountStory(storyId);
          await saveWhoSaidWhat(article, findWhoSaidWhat(article), storyId);
          log.debug('copy recognised', { article: article.id, original: original.id, reason: d.reason });
          return;
        }
      }
      const found = findWhoSaidWhat(article);
      // The clusterer finds its own name features (capitalised phrases): measured on both
      // clustering sets they group better than the NER entities (0.862/0.915 vs 0.832/0.849),
      // and so the product groups exactly as `digest bench clustering` measures.
      const storyId = await assignStory(article);
      await saveWhoSaidWhat(article, found, storyId);
    } catch (e) {
      log.warn('analysis failed', { article: article.id, url: article.url, error: (e as Error).message });
    }
  }
}
