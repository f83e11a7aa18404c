// The scheduler of `digest run`: every tick, one pass over the due sources. Passes never
// overlap; a failing pass is logged and the next tick tries again.
import { runPass, type PipelineDeps } from './ingest.ts';

export interface Scheduler {
  /** Resolves when the pass in progress (if any) has finished. */
  stop(): Promise<void>;
  /** Runs one pass now (or waits for the one in progress). */
  tick(): Promise<void>;
}

export function startScheduler(deps: PipelineDeps, opts: { tickSec: number }): Scheduler {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = (): Promise<void> => {
    if (running) return running;
    running = (async () => {
      try {
        await runPass(deps);
      } catch (e) {
        deps.log.error('fetch pass failed', { error: (e as Error).message });
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void tick();
  }, opts.tickSec * 1000);
  timer.unref();
  void tick();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (running) await running;
    },
  };
}
