// Public API of the extract stage.
export { extractArticle, type ExtractOptions, MAX_HTML_CHARS } from './extract.ts';
export { extractInWorker, closeExtractPool, ExtractPool, type PoolOptions, type RunOptions } from './pool.ts';
export { extractMetadata, cleanTitle, isoDate, splitCaptionCredit, type PageMeta } from './metadata.ts';
export { sanitizeHtml } from './sanitize.ts';
