// A description of the bundled sample, for tests and the demo command: which article is
// where, which story it belongs to, and which pages are copies of which.
import { buildSite, OUTLETS } from './site/build.ts';
import { OUTLET_IDS, type OutletId } from './site/model.ts';

export interface DemoSampleArticle {
  /** URL path on the demo server (join it to the server's `url`). */
  path: string;
  outlet: OutletId;
  outletName: string;
  title: string;
  authors: string[];
  published: string;
  /** Key shared by every article covering the same event; null for single items. */
  story: string | null;
  /** Path of the article this page copies (republished copy or wire carriage). */
  copyOf: string | null;
  wire: boolean;
  /** 'jsonld-only': body only in JSON-LD; 'bot-check': the page is a bot wall. */
  special: 'jsonld-only' | 'bot-check' | null;
}

export function describeDemoSample(): {
  outlets: Array<{ id: OutletId; name: string; home: string; feed: string; format: string; charset: string }>;
  articles: DemoSampleArticle[];
} {
  const site = buildSite();
  return {
    outlets: OUTLET_IDS.map((id) => {
      const o = OUTLETS[id];
      return { id, name: o.name, home: o.home, feed: o.feedPath, format: o.feedFormat, charset: o.charset };
    }),
    articles: site.articles.map((a) => ({
      path: a.path,
      outlet: a.outlet,
      outletName: OUTLETS[a.outlet].name,
      title: a.title,
      authors: [...a.authors],
      published: a.published,
      story: a.story,
      copyOf: a.copyOf,
      wire: a.wire,
      special: a.special,
    })),
  };
}
