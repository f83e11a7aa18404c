// Stories: online clustering of articles into stories, with stable ids, merges, headlines,
// summaries, outlets, timelines and related stories.
export {
  StoryClusterer,
  type ArticleId,
  type StoryArticle,
  type AddResult,
  type StoryInfo,
  type TimelineEntry,
  type StoryClustererOptions,
} from './cluster.ts';
export { summarize, splitSentences, stripDateline, cleanHeadline } from './summary.ts';
export {
  entities as capitalisedEntities,
  numbers as specificNumbers,
  terms as contentTerms,
  years as yearsMentioned,
  eventYear,
} from './text.ts';
