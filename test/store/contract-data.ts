// Test data shared by the store contract and its helper process.
import type { NewArticle } from '../../src/core/types.ts';

const WORDS = (
  'government minister said talks would continue next week while officials in the capital ' +
  'denied reports of a breakthrough and analysts warned that markets remained uncertain'
).split(' ');

/** A plausible article; `n` makes url, guid, title and date distinct. */
export function makeArticle(sourceId: number, n: number, over: Partial<NewArticle> = {}): NewArticle {
  const published = new Date(Date.UTC(2024, 4, 1, 8, 0, 0) + n * 60_000).toISOString();
  return {
    sourceId,
    url: `https://news.example/${sourceId}/story-${n}`,
    canonicalUrl: null,
    guid: `guid-${sourceId}-${n}`,
    title: `Story number ${n} from source ${sourceId}`,
    byline: 'A. Reporter',
    published,
    publishedIsFallback: false,
    fetchedAt: '2024-06-01T00:00:00.000Z',
    text: `Paragraph one of story ${n}. ${WORDS.slice(n % 5).join(' ')}.\n\nParagraph two.`,
    html: `<p>Paragraph one of story ${n}.</p><p>Paragraph two.</p>`,
    summary: null,
    leadImage: null,
    siteName: 'Example News',
    section: null,
    lang: 'en',
    extractedFrom: 'page',
    extractionMethod: 'dom',
    extractionError: null,
    ...over,
  };
}

/** A batch big enough (about 3 MB of text, more than the child's page cache) that SQLite spills it to the WAL before commit. */
export function killBatch(sourceId: number): NewArticle[] {
  const out: NewArticle[] = [];
  for (let i = 0; i < 24; i++) {
    const body: string[] = [];
    for (let k = 0; k < 6000; k++) body.push(`${WORDS[(k * 7 + i) % WORDS.length]} ${WORDS[(k * 3) % WORDS.length]} item${i}w${k % 97}`);
    out.push(makeArticle(sourceId, 1000 + i, { text: body.join(' ') + '.' }));
  }
  return out;
}
