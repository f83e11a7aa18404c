// Public API of the feeds stage: bytes → normalised Feed, plus OPML, discovery, sitemaps
// and WebSub helpers. Other stages import only from here.

export { parseFeed, applyFallbacks, titleFromText, stableId, authorName, type ParseFeedOptions } from './parse.ts';
export { decodeFeedBytes, charsetFromContentType, stripIllegalXmlChars, type DecodedFeed } from './decode.ts';
export { parseDate } from './dates.ts';
export { parseOpml, toOpml, type OpmlDocument, type OpmlOutline, type OpmlSource } from './opml.ts';
export { discoverFeeds, commonFeedUrls, looksLikeFeed, COMMON_FEED_PATHS, FEED_TYPES } from './discover.ts';
export { parseSitemap, type SitemapResult, type ParseSitemapOptions } from './sitemap.ts';
export { buildSubscribeRequest, verifyIntent, verifySignature, signBody, newSecret, type SubscribeRequest } from './websub.ts';
export { normalizeHtml } from './html.ts';
