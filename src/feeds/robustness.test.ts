import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseFeed, parseOpml, parseSitemap } from './index.ts';
import { DigestError } from '../core/errors.ts';
import type { Feed } from '../core/types.ts';

const dir = new URL('./fixtures/', import.meta.url);
const fx = (name: string) => readFileSync(new URL(name, dir));

function timed<T>(fn: () => T): { value: T | undefined; error: unknown; ms: number } {
  const t = performance.now();
  try {
    const value = fn();
    return { value, error: undefined, ms: performance.now() - t };
  } catch (error) {
    return { value: undefined, error, ms: performance.now() - t };
  }
}

test('billion laughs: entities are not expanded recursively, parse stays fast and small', () => {
  const r = timed(() => parseFeed(fx('billion-laughs.xml')));
  assert.ok(r.ms < 1000, `took ${r.ms} ms`);
  const f = r.value as Feed;
  assert.ok(f.title !== null && f.title.length < 1000, 'title not blown up');
  assert.ok(!/lollollol/.test(f.title ?? ''), 'nested entities stay unexpanded');
  // quadratic blow-up: one big entity referenced many times is capped at 1 MiB in total
  const big = 'x'.repeat(4000);
  const refs = '&a;'.repeat(200000);
  const doc = `<!DOCTYPE rss [<!ENTITY a "${big}">]><rss><channel><title>t</title><item><title>${refs}</title></item></channel></rss>`;
  const r2 = timed(() => parseFeed(doc));
  assert.ok(r2.ms < 3000, `took ${r2.ms} ms`);
  assert.ok(((r2.value as Feed).items[0].title ?? '').length < 2_000_000);
});

test('external entities and external DTDs are never fetched or expanded', async () => {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.end('<!ENTITY leak "LEAKED">');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const doc = `<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://127.0.0.1:${port}/ext.dtd" [
 <!ENTITY file SYSTEM "file:///etc/passwd">
 <!ENTITY net SYSTEM "http://127.0.0.1:${port}/entity">
 <!ENTITY % pe SYSTEM "http://127.0.0.1:${port}/pe.dtd"> %pe;
]>
<rss version="2.0"><channel><title>A &file; B &net; C &leak;</title></channel></rss>`;
    const f = parseFeed(doc);
    assert.equal(f.title, 'A &file; B &net; C &leak;');
    const f2 = parseFeed(fx('xxe.xml'));
    assert.ok(!/root:/.test(JSON.stringify(f2)));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(hits, 0, 'no request reached the server');
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('pathological structure: deep nesting, huge attribute lists, unclosed everything', () => {
  const deep = '<rss><channel><title>deep</title><item><title>i</title><description>' + '<div>'.repeat(100000) + 'x' + '</div>'.repeat(100000) + '</description></item></channel></rss>';
  const r = timed(() => parseFeed(deep));
  assert.equal(r.error, undefined, String(r.error));
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
  const attrs = '<rss><channel><title' + ' a="1"'.repeat(50000) + '>t</title></channel></rss>';
  assert.equal(parseFeed(attrs).title, 't');
  const unclosed = '<rss><channel><title>open<item><title>never closed<description>&lt;b&gt;x';
  const f = parseFeed(unclosed);
  assert.ok(Array.isArray(f.items));
});

// ---- fuzzing ---------------------------------------------------------------------------

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = ['<', '>', '&', '&amp;', '&#x0;', '&#99999999;', '<![CDATA[', ']]>', '<!--', '-->', '<!DOCTYPE x [', '<?xml', '"', "'", '</', '/>', '\u0000', '\uFFFE', '<item>', '</item>', '<entry>', '{', '}', '[', '"items":', '\xff\xfe'];

function mutate(src: Buffer, r: () => number): Buffer {
  const kind = Math.floor(r() * 5);
  const n = src.length;
  if (n === 0) return src;
  switch (kind) {
    case 0: // truncate
      return src.subarray(0, Math.floor(r() * n));
    case 1: {
      // flip bytes
      const b = Buffer.from(src);
      const flips = 1 + Math.floor(r() * 20);
      for (let i = 0; i < flips; i++) b[Math.floor(r() * n)] = Math.floor(r() * 256);
      return b;
    }
    case 2: {
      // shuffle tags: swap two random tags
      const s = src.toString('latin1');
      const tags = [...s.matchAll(/<[^<>]{0,200}>/g)];
      if (tags.length < 2) return src.subarray(0, Math.floor(n / 2));
      const a = tags[Math.floor(r() * tags.length)];
      const b = tags[Math.floor(r() * tags.length)];
      if (a.index === b.index) return src;
      const [x, y] = (a.index as number) < (b.index as number) ? [a, b] : [b, a];
      const xi = x.index as number;
      const yi = y.index as number;
      if (xi + x[0].length > yi) return src;
      const out = s.slice(0, xi) + y[0] + s.slice(xi + x[0].length, yi) + x[0] + s.slice(yi + y[0].length);
      return Buffer.from(out, 'latin1');
    }
    case 3: {
      // insert hostile snippets
      let s = src.toString('latin1');
      const k = 1 + Math.floor(r() * 5);
      for (let i = 0; i < k; i++) {
        const at = Math.floor(r() * s.length);
        s = s.slice(0, at) + SNIPPETS[Math.floor(r() * SNIPPETS.length)] + s.slice(at);
      }
      return Buffer.from(s, 'latin1');
    }
    default: {
      // duplicate or delete a random span
      const a = Math.floor(r() * n);
      const b = Math.min(n, a + Math.floor(r() * 400));
      return r() < 0.5 ? Buffer.concat([src.subarray(0, b), src.subarray(a, b), src.subarray(b)]) : Buffer.concat([src.subarray(0, a), src.subarray(b)]);
    }
  }
}

test('fuzz: thousands of mutated feeds each give a Feed or a typed DigestError, quickly', () => {
  const seeds = readdirSync(dir)
    .filter((f) => /\.(xml|json|opml|html)$/.test(f))
    .map((f) => fx(f));
  for (const f of readdirSync(new URL('feedparser/', dir))) if (f.endsWith('.xml')) seeds.push(fx(`feedparser/${f}`));
  const r = rng(20240501);
  const N = 4000;
  let feeds = 0;
  let errors = 0;
  let worst = 0;
  const started = performance.now();
  for (let i = 0; i < N; i++) {
    let doc: Buffer = seeds[i % seeds.length];
    const rounds = 1 + Math.floor(r() * 3);
    for (let k = 0; k < rounds; k++) doc = mutate(doc, r);
    const t = performance.now();
    try {
      const f = parseFeed(doc, { url: 'https://example.org/feed', headers: i % 7 === 0 ? { 'content-type': 'text/xml; charset=utf-16' } : {} });
      assert.ok(Array.isArray(f.items), 'items is an array');
      for (const it of f.items) {
        assert.ok(Array.isArray(it.enclosures) && Array.isArray(it.categories));
        if (it.published !== null) assert.ok(!Number.isNaN(Date.parse(it.published)), it.published);
      }
      JSON.stringify(f);
      feeds++;
    } catch (e) {
      if (!(e instanceof DigestError)) throw new Error(`mutation ${i} threw a non-DigestError: ${(e as Error)?.stack}`, { cause: e });
      assert.equal(e.kind, 'parse');
      errors++;
    }
    // the other parsers of this module must not crash either
    for (const other of [parseOpml, parseSitemap]) {
      try {
        other(doc);
      } catch (e) {
        if (!(e instanceof DigestError)) throw new Error(`mutation ${i}: ${other.name} threw ${(e as Error)?.stack}`, { cause: e });
      }
    }
    worst = Math.max(worst, performance.now() - t);
  }
  const total = performance.now() - started;
  assert.equal(feeds + errors, N);
  assert.ok(feeds > N / 2, `most mutants still parse (${feeds} of ${N})`);
  assert.ok(worst < 500, `slowest mutant took ${worst.toFixed(0)} ms`);
  assert.ok(total < 15000, `fuzzing took ${total.toFixed(0)} ms`);
});

test('names that collide with Object.prototype are ordinary names', () => {
  const doc = `<rss version="2.0" xmlns:x="constructor"><channel><title>&constructor; &__proto__; &toString;</title>
    <item><title>t</title><pubDate>1 constructor 2004 10:00 toString</pubDate><description>&lt;constructor href="x"&gt;a&lt;/constructor&gt; &lt;a href="/p"&gt;b&lt;/a&gt; &amp;hasOwnProperty;</description>
    <x:constructor>y</x:constructor><__proto__>z</__proto__></item></channel></rss>`;
  const f = parseFeed(doc, { url: 'https://e.org/' });
  assert.equal(f.title, '&constructor; &__proto__; &toString;');
  assert.equal(f.items[0].published, null);
  assert.equal(f.items[0].summary, '<constructor href="x">a</constructor> <a href="https://e.org/p">b</a> &amp;hasOwnProperty;');
});
