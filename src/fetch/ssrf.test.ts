// Runs every case of ../shared/bench/ssrf/cases.jsonl against the real fetcher (or, for "allow"
// cases that would need the internet, against the policy check the fetcher runs before it
// connects). Follows the bench README: a listener on 127.0.0.1:PORT (also [::1]:PORT when the
// host has IPv6), one on 127.0.0.2:PORT2 that must never see a connection, stub resolvers,
// rebinding sequences and redirects answered by the PORT listener.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DigestError } from '../core/errors.ts';
import { createFetcher, checkUrlResolved, createPolicy, type LookupFn } from './index.ts';

interface Case {
  id: string;
  url: string;
  verdict: 'refuse' | 'allow';
  config: 'default' | 'loopback';
  tier: 'required' | 'recommended';
  why: string;
  resolve?: string[];
  resolve_sequence?: string[][];
  connect?: boolean;
  redirect?: { status: number; location: string };
}

const CASES_FILE = process.env.DIGEST_SSRF_CASES ?? fileURLToPath(new URL('../../../shared/bench/ssrf/cases.jsonl', import.meta.url));
const PROFILES: Record<Case['config'], string[]> = { default: [], loopback: ['127.0.0.1/32', '::1/128'] };

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
const closeServer = (s: http.Server) =>
  new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  });

function stubResolver(c: Case): LookupFn & { calls: string[] } {
  let step = 0;
  const calls: string[] = [];
  const fn = ((hostname, options, callback) => {
    calls.push(hostname);
    let answers: string[] | undefined;
    if (c.resolve_sequence) answers = c.resolve_sequence[Math.min(step++, c.resolve_sequence.length - 1)];
    else answers = c.resolve;
    if (!answers) {
      const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return process.nextTick(() => callback(err, options.all ? [] : '', 0));
    }
    const list = answers.map((address) => ({ address, family: isIP(address) }));
    process.nextTick(() => (options.all ? callback(null, list) : callback(null, list[0].address, list[0].family)));
  }) as LookupFn & { calls: string[] };
  fn.calls = calls;
  return fn;
}

test('SSRF bench: every case gets its verdict', async (t) => {
  if (!existsSync(CASES_FILE)) {
    t.skip(`no ${CASES_FILE} (set DIGEST_SSRF_CASES to the bench file)`);
    return;
  }
  const cases: Case[] = readFileSync(CASES_FILE, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Case);
  assert.equal(cases.length, 121, 'the bench has 121 cases');

  let redirects = new Map<string, { status: number; location: string }>();
  let hits1 = 0;
  let hits2 = 0;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const r = redirects.get(req.url ?? '');
    if (r) {
      res.writeHead(r.status, { location: r.location });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end('<rss version="2.0"><channel><title>t</title></channel></rss>');
  };
  const s1 = http.createServer(handler);
  s1.on('connection', () => hits1++);
  const port = await listen(s1, 0, '127.0.0.1');
  const s1v6 = http.createServer(handler);
  s1v6.on('connection', () => hits1++);
  let haveV6 = true;
  try {
    await listen(s1v6, port, '::1');
  } catch {
    haveV6 = false;
  }
  const s2 = http.createServer(handler);
  s2.on('connection', () => hits2++);
  const port2 = await listen(s2, 0, '127.0.0.2');
  const sub = (s: string) => s.replaceAll('{PORT}', String(port)).replaceAll('{PORT2}', String(port2));

  const tally: Record<string, { n: number; failures: string[]; refused: number; allowed: number }> = {
    required: { n: 0, failures: [], refused: 0, allowed: 0 },
    recommended: { n: 0, failures: [], refused: 0, allowed: 0 },
  };
  try {
    for (const c of cases) {
      const url = sub(c.url);
      if (c.id === 'cfg-loop-v6' && !haveV6) {
        t.diagnostic(`skip ${c.id}: no ::1 on this host`);
        continue;
      }
      redirects = new Map();
      if (c.redirect) redirects.set(new URL(url).pathname, { status: c.redirect.status, location: sub(c.redirect.location) });
      if (c.id === 'redir-chain') redirects.set('/loop', { status: 302, location: `http://127.0.0.1:${port}/loop` });
      const lookup = stubResolver(c);
      const before1 = hits1;
      const before2 = hits2;
      let outcome: 'allow' | 'refuse' | string;
      let detail = '';
      if (c.verdict === 'allow' && !c.connect) {
        // A public address: no internet in tests, so ask the same check the fetcher runs
        // before it opens a socket.
        try {
          await checkUrlResolved(url, createPolicy(PROFILES[c.config]), lookup);
          outcome = 'allow';
        } catch (e) {
          outcome = e instanceof DigestError && e.kind === 'refused' ? 'refuse' : `error ${String(e)}`;
          detail = String((e as Error).message);
        }
      } else {
        const fetcher = createFetcher({
          allowPrivateRanges: PROFILES[c.config],
          lookup,
          retries: 0,
          perHostIntervalMs: 0,
          respectRobots: false,
          connectTimeoutMs: 2000,
          timeoutMs: 3000,
          maxRedirects: 5,
        });
        try {
          const doc = await fetcher.fetch(url, { kind: 'feed' });
          outcome = doc.status === 200 ? 'allow' : `status ${doc.status}`;
        } catch (e) {
          if (e instanceof DigestError && (e.kind === 'refused' || e.kind === 'too_many_redirects')) outcome = 'refuse';
          else outcome = `error ${e instanceof DigestError ? e.kind : ''} ${String((e as Error).message)}`;
          detail = String((e as Error).message);
        } finally {
          fetcher.close();
        }
      }
      const problems: string[] = [];
      if (outcome !== c.verdict) problems.push(`got ${outcome}`);
      if (hits2 !== before2) problems.push('the 127.0.0.2 listener received a connection');
      if (c.verdict === 'refuse' && !c.redirect && hits1 !== before1) problems.push('a refused URL reached the 127.0.0.1 listener');
      if (c.verdict === 'allow' && c.connect && hits1 === before1) problems.push('allowed but never connected');
      if (c.resolve_sequence && lookup.calls.length < 2) problems.push('rebinding case: the connect-time lookup never ran');
      const bucket = tally[c.tier];
      bucket.n++;
      if (problems.length) bucket.failures.push(`${c.id} (${c.url}; expected ${c.verdict}): ${problems.join('; ')} ${detail}`);
      else if (c.verdict === 'refuse') bucket.refused++;
      else bucket.allowed++;
    }
  } finally {
    await Promise.all([closeServer(s1), closeServer(s2), haveV6 ? closeServer(s1v6) : Promise.resolve()]);
  }
  for (const tier of ['required', 'recommended']) {
    const b = tally[tier];
    console.log(`ssrf ${tier}: refused-correctly ${b.refused}, allowed-correctly ${b.allowed}`);
    console.log(`ssrf failures ${b.failures.length} of ${b.n} (${tier})`);
    for (const f of b.failures) console.log(`  FAIL ${f}`);
  }
  assert.deepEqual([...tally.required.failures, ...tally.recommended.failures], []);
});
