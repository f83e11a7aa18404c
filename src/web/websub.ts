// The WebSub callback, /websub/:id:
//   GET  — a hub verifies the subscription we asked for: echo hub.challenge only when the mode
//          and topic match the source's pending subscription (then it is active, with its lease
//          end stored); a denial notice marks it denied; anything else is 404.
//   POST — a hub pushes content: the body (size-capped) must carry a valid X-Hub-Signature-256
//          or X-Hub-Signature made with the source's secret, else 403 and the body is never
//          parsed; valid pushes are handed to `onPush` in the background (202).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/types.ts';
import { verifyIntent, verifySignature } from '../feeds/index.ts';
import { SECURITY_HEADERS } from './respond.ts';

export type PushHandler = (sourceId: number, body: Buffer, headers: Record<string, string>) => Promise<void>;

export interface WebSubOptions {
  store: Store;
  onPush?: PushHandler;
  /** Largest pushed body accepted, bytes. */
  maxPushBytes: number;
  now: () => Date;
  onError: (e: unknown) => void;
}

/** Lease assumed when a hub's verification names none. */
const DEFAULT_LEASE_SEC = 10 * 86_400;
/** Leases longer than this are taken as this (a year). */
const MAX_LEASE_SEC = 365 * 86_400;

function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): number {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
  return status;
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Reads the body up to `cap` bytes; null when it is longer. */
function readCapped(req: IncomingMessage, cap: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      n += c.length;
      if (n > cap) {
        over = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

export function createWebSubHandler(o: WebSubOptions) {
  /** Pushes being ingested, chained per source so two pushes of one feed never interleave. */
  const chains = new Map<number, Promise<void>>();

  function enqueue(sourceId: number, body: Buffer, headers: Record<string, string>): void {
    const onPush = o.onPush!;
    const prev = chains.get(sourceId) ?? Promise.resolve();
    const next = prev.then(() => onPush(sourceId, body, headers)).catch((e) => o.onError(e));
    chains.set(sourceId, next);
    void next.finally(() => {
      if (chains.get(sourceId) === next) chains.delete(sourceId);
    });
  }

  async function verify(res: ServerResponse, id: number, q: URLSearchParams): Promise<number> {
    const source = await o.store.getSource(id);
    const topic = source?.websubTopic;
    if (!source || !topic) return reply(res, 404, 'no subscription here\n');
    const mode = q.get('hub.mode');
    if (mode === 'denied') {
      if (q.get('hub.topic') !== topic || (source.websubState !== 'pending' && source.websubState !== 'active')) {
        return reply(res, 404, 'no such subscription\n');
      }
      await o.store.updateSource(id, { websubState: 'denied' });
      return reply(res, 200, 'ok\n');
    }
    if (source.websubState !== 'pending') return reply(res, 404, 'no pending subscription\n');
    const ok = verifyIntent(q, { topic, mode: 'subscribe' });
    if (!ok) return reply(res, 404, 'mode or topic does not match\n');
    const lease = ok.leaseSeconds !== null && ok.leaseSeconds > 0 ? Math.min(ok.leaseSeconds, MAX_LEASE_SEC) : DEFAULT_LEASE_SEC;
    await o.store.updateSource(id, { websubState: 'active', websubLeaseUntil: new Date(o.now().getTime() + lease * 1000).toISOString() });
    return reply(res, 200, ok.challenge);
  }

  async function push(req: IncomingMessage, res: ServerResponse, id: number): Promise<number> {
    const source = await o.store.getSource(id);
    const secret = source?.websubSecret;
    // 410 tells the hub to drop a subscription we no longer hold.
    if (!source || !secret || (source.websubState !== 'pending' && source.websubState !== 'active')) {
      req.resume();
      return reply(res, 410, 'no subscription here\n', { Connection: 'close' });
    }
    const sig256 = req.headers['x-hub-signature-256'];
    const sig = req.headers['x-hub-signature'];
    const signature = (Array.isArray(sig256) ? sig256[0] : sig256) ?? (Array.isArray(sig) ? sig[0] : sig);
    if (!signature) {
      req.resume();
      return reply(res, 403, 'signature missing\n', { Connection: 'close' });
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > o.maxPushBytes) {
      req.resume();
      return reply(res, 413, 'body too large\n', { Connection: 'close' });
    }
    const body = await readCapped(req, o.maxPushBytes);
    if (body === null) {
      req.resume();
      return reply(res, 413, 'body too large\n', { Connection: 'close' });
    }
    if (!verifySignature(body, signature, secret)) return reply(res, 403, 'signature does not match\n');
    if (!o.onPush) return reply(res, 503, 'pushed content is not ingested by this process\n', { 'Retry-After': '300' });
    enqueue(id, body, flatHeaders(req));
    return reply(res, 202, 'accepted\n');
  }

  return {
    /** Answers /websub/:id; returns the status sent. */
    async handle(req: IncomingMessage, res: ServerResponse, id: number, url: URL): Promise<number> {
      if (req.method === 'GET') return verify(res, id, url.searchParams);
      if (req.method === 'POST') return push(req, res, id);
      req.resume();
      return reply(res, 405, 'use GET (verification) or POST (content)\n', { Allow: 'GET, POST' });
    },
    /** Resolves when every push handed on so far has been ingested. */
    async idle(): Promise<void> {
      while (chains.size) await Promise.allSettled([...chains.values()]);
    },
  };
}
