// One call for an article: entities once, quotes on top of them.

import { extractEntities, type Entity } from './ner.ts';
import { extractQuotes, type Quote } from './quotes.ts';

export interface ArticleAnalysis {
  entities: Entity[];
  quotes: Quote[];
}

export function analyseArticle(text: string): ArticleAnalysis {
  const entities = extractEntities(text);
  const quotes = extractQuotes(text, { entities });
  return { entities, quotes };
}
