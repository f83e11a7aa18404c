// After an article is stored: recognise copies, group it into a story, find who said what.
// Filled in as the dedupe, stories and nlp stages land.
import type { Article, ExtractedArticle } from '../core/types.ts';
import type { Logger } from '../core/log.ts';
import type { Store } from '../store/types.ts';

export interface Analysers {
  analyse(article: Article, extracted: ExtractedArticle | null): Promise<void>;
  close(): Promise<void>;
}

export async function createAnalysers(_store: Store, _log: Logger): Promise<Analysers> {
  return {
    async analyse() {},
    async close() {},
  };
}
