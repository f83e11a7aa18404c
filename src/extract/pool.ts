// A small worker_threads pool for extraction, so one pathological page (huge, deeply nested,
// binary) cannot block or take down the caller: each page has a time limit, a worker that
// overruns it or dies is replaced, and the caller gets a DigestError('extract').
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { ExtractedArticle } from '../core/types.ts';
import { DigestError, type ErrorKind } from '../core/errors.ts';
import type { ExtractOptions } from './extract.ts';

export interface PoolOptions {
  /** Worker threads (default: cores - 1, at least 1, at most 4). */
  size?: number;
  /** Heap limit per worker in MB (default 512). */
  maxHeapMb?: number;
}

export interface RunOptions {
  /** Time limit for one page (default 20 s). */
  timeoutMs?: number;
}

interface Pending {
  id: number;
  html: string;
  url: string;
  opts: ExtractOptions;
  timeoutMs: number;
  resolve: (a: ExtractedArticle) => void;
  reject: (e: DigestError) => void;
}

interface Slot {
  worker: Worker;
  job: Pending | null;
  timer: NodeJS.Timeout | null;
}

// The worker module beside this one: worker.js in the build (dist/), worker.ts when the sources
// run through tsx (the tests).
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './worker.ts' : './worker.js', import.meta.url);

export class ExtractPool {
  private readonly size: number;
  private readonly maxHeapMb: number;
  private slots: Slot[] = [];
  private queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(opts: PoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? Math.min(4, Math.max(1, availableParallelism() - 1)));
    this.maxHeapMb = opts.maxHeapMb ?? 512;
  }

  run(html: string, url: string, opts: ExtractOptions = {}, run: RunOptions = {}): Promise<ExtractedArticle> {
    if (this.closed) return Promise.reject(new DigestError('extract', 'extraction pool is closed', { subject: url }));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, html, url, opts, timeoutMs: run.timeoutMs ?? 20_000, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new DigestError('extract', 'extraction pool closed', { subject: p.url }));
    const slots = this.slots.splice(0);
    for (const s of slots) {
      if (s.timer) clearTimeout(s.timer);
      if (s.job) s.job.reject(new DigestError('extract', 'extraction pool closed', { subject: s.job.url }));
      s.job = null;
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const resourceLimits = { maxOldGenerationSizeMb: this.maxHeapMb, stackSizeMb: 8 };
    // The build runs the compiled worker.js as it is. From the sources (tests, through tsx) the
    // entry is a one-line loader: on Node 20 the --import in execArgv does not reach the
    // worker's module loader, so tsx is registered explicitly before worker.ts is imported.
    const worker = FROM_SOURCE
      ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`, {
          eval: true,
          execArgv: ['--import', 'tsx'],
          resourceLimits,
        })
      : new Worker(WORKER_URL, { resourceLimits });
    const slot: Slot = { worker, job: null, timer: null };
    worker.on('message', (m: { id: number; ok: boolean; article?: ExtractedArticle; kind?: ErrorKind; message?: string }) => {
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      this.finish(slot);
      if (m.ok && m.article) job.resolve(m.article);
      else job.reject(new DigestError(m.kind ?? 'extract', m.message ?? 'extraction failed', { subject: job.url }));
      this.pump();
    });
    const onDeath = (why: string): void => {
      const job = slot.job;
      this.drop(slot);
      if (job) job.reject(new DigestError('extract', `extraction worker ${why}`, { subject: job.url }));
      this.pump();
    };
    worker.on('error', (e) => onDeath(`failed: ${e.message}`));
    worker.on('exit', (code) => {
      if (this.slots.includes(slot)) onDeath(`exited (code ${code})`);
    });
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
  }

  private drop(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.worker.terminate().catch(() => undefined);
  }

  private pump(): void {
    if (this.closed) return;
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.job);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      const s = slot;
      s.timer = setTimeout(() => {
        if (s.job !== job) return;
        this.drop(s);
        job.reject(new DigestError('extract', `extraction timed out after ${job.timeoutMs} ms`, { subject: job.url }));
        this.pump();
      }, job.timeoutMs);
      s.worker.postMessage({ id: job.id, html: job.html, url: job.url, opts: job.opts });
    }
  }
}

let shared: ExtractPool | null = null;

/** Extract in a worker thread with a time limit; rejects with DigestError('extract') on timeout or crash. */
export function extractInWorker(html: string, url: string, opts: ExtractOptions = {}, run: RunOptions = {}): Promise<ExtractedArticle> {
  if (!shared) shared = new ExtractPool();
  return shared.run(html, url, opts, run);
}

/** Stop the shared pool's workers (tests, shutdown). */
export async function closeExtractPool(): Promise<void> {
  const p = shared;
  shared = null;
  if (p) await p.close();
}
