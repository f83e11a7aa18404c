import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { extractInWorker, closeExtractPool, ExtractPool } from './index.ts';
import { DigestError } from '../core/errors.ts';

after(() => closeExtractPool());

const para = '<p>' + 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. '.repeat(12) + '</p>';

/** Either an article or a DigestError('extract'), within the limit. */
async function settles(html: string, limitMs: number): Promise<{ ok: boolean; ms: number; text: string; err?: DigestError }> {
  const t0 = performance.now();
  try {
    const a = await extractInWorker(html, 'https://example.com/p', {}, { timeoutMs: limitMs });
    return { ok: true, ms: performance.now() - t0, text: a.text };
  } catch (e) {
    assert.ok(e instanceof DigestError, 'rejects with DigestError');
    assert.equal((e as DigestError).kind, 'extract');
    return { ok: false, ms: performance.now() - t0, text: '', err: e as DigestError };
  }
}

test('a 10 MB page gives a result within the limit', async () => {
  const varied = Array.from({ length: 400 }, (_, i) => para.replace('Lorem', `Lorem${i}`)).join('');
  const html = '<html><body><article>' + varied.repeat(Math.ceil(10_000_000 / varied.length)) + '</article></body></html>';
  assert.ok(html.length >= 10_000_000);
  const r = await settles(html, 30_000);
  assert.ok(r.ok, r.err?.message);
  assert.ok(r.text.includes('Lorem399'));
});

test('a DOM nested 10,000 deep keeps its text', async () => {
  const html = '<html><body>' + '<div>'.repeat(10_000) + para + '</div>'.repeat(10_000) + '</body></html>';
  const r = await settles(html, 20_000);
  assert.ok(r.ok, r.err?.message);
  assert.ok(r.text.startsWith('Lorem ipsum dolor'));
});

test('malformed HTML still gives the text', async () => {
  const html = '<html><body><p>Hello <b>world<p>again</i></div><table><tr><td>x' + para + '<<<>>>&&&;<script>if (a < b) {</body>';
  const r = await settles(html, 20_000);
  assert.ok(r.ok, r.err?.message);
  assert.ok(r.text.includes('Lorem ipsum dolor'));
});

test('binary junk is a clear extract error', async () => {
  const junk = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256)).toString('latin1');
  const r = await settles(junk, 20_000);
  assert.equal(r.ok, false);
  assert.match(r.err!.message, /binary/);
});

test('a page over its time limit is cut off, and the pool keeps working', async () => {
  const pool = new ExtractPool({ size: 1 });
  try {
    const big = '<html><body>' + para.repeat(20_000) + '</body></html>';
    await assert.rejects(pool.run(big, 'https://example.com/slow', {}, { timeoutMs: 5 }), (e: unknown) => e instanceof DigestError && e.kind === 'extract' && /timed out/.test(e.message));
    const a = await pool.run('<html><body><article>' + para + para.replace('Lorem', 'Second') + '</article></body></html>', 'https://example.com/ok', {}, { timeoutMs: 20_000 });
    assert.ok(a.text.includes('Second ipsum'));
  } finally {
    await pool.close();
  }
});
