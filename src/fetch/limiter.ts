// Politeness: a global concurrency limit, a per-host concurrency limit and a minimum interval
// between the starts of two requests to the same host. Waiters are served in arrival order
// per host; a host that must wait does not hold up other hosts.

import { DigestError } from '../core/errors.ts';

interface HostState {
  active: number;
  lastStart: number;
  intervalMs: number | null; // per-host override (robots.txt Crawl-delay)
}

interface Waiter {
  host: string;
  resolve: (release: () => void) => void;
  reject: (err: Error) => void;
}

export class HostLimiter {
  private active = 0;
  private readonly hosts = new Map<string, HostState>();
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly globalConcurrency: number,
    private readonly perHostConcurrency: number,
    private readonly perHostIntervalMs: number,
  ) {}

  /** Raise the minimum interval for one host (never below the default). */
  setHostInterval(host: string, ms: number): void {
    const st = this.state(host);
    st.intervalMs = Math.max(this.perHostIntervalMs, ms);
  }

  /** Wait for a slot for `host`; call the returned function when the request is over. */
  acquire(host: string): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(this.closedError());
      this.queue.push({ host, resolve, reject });
      this.pump();
    });
  }

  /** Stop granting slots; every request still waiting fails. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const w of this.queue.splice(0)) w.reject(this.closedError());
  }

  private closedError(): Error {
    return new DigestError('network', 'fetcher closed');
  }

  private state(host: string): HostState {
    let st = this.hosts.get(host);
    if (!st) {
      st = { active: 0, lastStart: -Infinity, intervalMs: null };
      this.hosts.set(host, st);
    }
    return st;
  }

  private pump(): void {
    if (this.closed) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const now = Date.now();
    let nextAt = Infinity;
    const blockedHosts = new Set<string>();
    for (let i = 0; i < this.queue.length && this.active < this.globalConcurrency; ) {
      const w = this.queue[i];
      if (blockedHosts.has(w.host)) {
        i++;
        continue;
      }
      const st = this.state(w.host);
      const interval = st.intervalMs ?? this.perHostIntervalMs;
      const readyAt = st.lastStart + interval;
      if (st.active >= this.perHostConcurrency) {
        blockedHosts.add(w.host);
        i++;
        continue;
      }
      if (readyAt > now) {
        blockedHosts.add(w.host);
        nextAt = Math.min(nextAt, readyAt);
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      st.active++;
      st.lastStart = now;
      this.active++;
      let released = false;
      w.resolve(() => {
        if (released) return;
        released = true;
        st.active--;
        this.active--;
        this.pump();
      });
    }
    if (nextAt !== Infinity && this.queue.length) {
      this.timer = setTimeout(() => this.pump(), Math.max(1, nextAt - Date.now()));
    }
    // forget idle hosts now and then so the map does not grow without bound
    if (this.hosts.size > 5000) {
      for (const [h, st] of this.hosts) if (st.active === 0 && now - st.lastStart > 60_000 && st.intervalMs === null) this.hosts.delete(h);
    }
  }
}
