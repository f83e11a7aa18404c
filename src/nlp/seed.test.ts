// The seed story (../shared/examples/republished-article.*): all 15 hand-annotated quotes with the right
// speaker, the roles of the five named speakers, and the claim with who made and who disputed it.
// Reads the text and its annotation from the shared folder at test time (not copied into the project).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extractQuotes, linkClaims, statementsFromQuotes, type Quote } from './index.ts';

const dir = fileURLToPath(new URL('../../../shared/examples/', import.meta.url));
const have = existsSync(dir + 'republished-article.expected.json');

interface Expected {
  quotes: { quote: string; speaker: string; role?: string; kind: string }[];
  claims: { claim: string; by: string; disputed_by?: string; kind: string }[];
}

const norm = (s: string) =>
  s
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/^[\s"',.;:!?]+|[\s"',.;:!?]+$/g, '');
const lastWord = (s: string | null) => (s ?? '').toLowerCase().replace(/[^a-z\s]/g, '').trim().split(/\s+/).pop();

function findQuote(quotes: Quote[], text: string, want: string): Quote | undefined {
  const w = norm(want);
  const at = text.replace(/[“”]/g, '"').replace(/[‘’]/g, "'").indexOf(w);
  assert.ok(at >= 0, `expected quote not in the text: ${want}`);
  const span = [at, at + w.length];
  return quotes.find((q) => {
    const frags = q.fragments?.length ? q.fragments : [{ start: q.start, end: q.end, text: q.quote }];
    // the quote itself, or one of its quote-marked fragments, covers the expected span (±3 chars)
    if (frags.some((f) => f.start <= span[0] + 3 && f.end >= span[1] - 3 && f.end - f.start <= w.length + 8)) return true;
    // indirect speech: at least half of each overlaps
    const inter = Math.min(q.end, span[1]) - Math.max(q.start, span[0]);
    return inter > 0 && inter >= 0.5 * (q.end - q.start) && inter >= 0.5 * (span[1] - span[0]);
  });
}

test('seed story: every annotated quote is found with its speaker', { skip: !have && 'shared/examples not present' }, () => {
  const text = readFileSync(dir + 'republished-article.txt', 'utf8');
  const exp = JSON.parse(readFileSync(dir + 'republished-article.expected.json', 'utf8')) as Expected;
  const quotes = extractQuotes(text);
  assert.equal(exp.quotes.length, 15);
  const misses: string[] = [];
  for (const e of exp.quotes) {
    const q = findQuote(quotes, text, e.quote);
    if (!q) misses.push(`not found: ${e.quote}`);
    else if (lastWord(q.speaker) !== lastWord(e.speaker)) misses.push(`speaker ${q.speaker} instead of ${e.speaker}: ${e.quote}`);
    else if (e.role && q.speakerRole !== e.role) misses.push(`role ${q.speakerRole} instead of ${e.role} for ${e.speaker}`);
  }
  assert.deepEqual(misses, []);
});

test('seed story: the speakers are named in full and typed', { skip: !have && 'shared/examples not present' }, () => {
  const text = readFileSync(dir + 'republished-article.txt', 'utf8');
  const quotes = extractQuotes(text);
  const people = new Set(quotes.filter((q) => q.speakerType === 'person').map((q) => q.speaker));
  for (const p of ['Yury Ushakov', 'Vladimir Putin', 'Andrii Sybiha', 'Volodymyr Zelenskyy', 'Donald Trump']) assert.ok(people.has(p), p);
  const sybiha = quotes.find((q) => q.speaker === 'Andrii Sybiha' && q.kind === 'direct');
  assert.equal(sybiha?.channel, 'on social media');
  const anon = quotes.find((q) => q.quote.startsWith('Witkoff and Kushner could meet'));
  assert.equal(anon?.speaker, 'a senior figure in Kyiv');
  assert.equal(anon?.speakerType, 'unnamed');
  assert.equal(anon?.channel, 'told the AFP news agency');
  const kyiv = quotes.find((q) => q.speaker === 'Kyiv' && q.stance === 'deny');
  assert.equal(kyiv?.speakerType, 'place');
});

test('seed story: Russia’s claim on Pokrovsk is disputed by Kyiv', { skip: !have && 'shared/examples not present' }, () => {
  const text = readFileSync(dir + 'republished-article.txt', 'utf8');
  const exp = JSON.parse(readFileSync(dir + 'republished-article.expected.json', 'utf8')) as Expected;
  const statements = statementsFromQuotes('seed', text, extractQuotes(text));
  const links = linkClaims(statements);
  const want = exp.claims.find((c) => c.kind === 'claim-and-denial')!;
  const link = links.find((l) => l.relation === 'disputes' && norm(l.claim.quote).includes(norm(want.claim).replace(/^Russia /, '')));
  assert.ok(link, 'claim-and-denial link found');
  assert.equal(link.claim.speaker, want.by);
  assert.equal(link.response.speaker, want.disputed_by);
  // the anonymous and cited sources of the other two claims are kept as such
  for (const c of exp.claims.filter((x) => x.kind !== 'claim-and-denial')) {
    const s = statements.find((x) => norm(x.quote).startsWith(norm(c.claim).slice(0, 30)));
    assert.ok(s, c.claim);
    assert.equal(s.speaker, c.by);
  }
});
