// Worker-thread side of the extraction pool (see pool.ts): one page per message.
import { parentPort } from 'node:worker_threads';
import { extractArticle, type ExtractOptions } from './extract.ts';
import { isDigestError } from '../core/errors.ts';

interface Task {
  id: number;
  html: string;
  url: string;
  opts: ExtractOptions;
}

parentPort?.on('message', (t: Task) => {
  try {
    const article = extractArticle(t.html, t.url, t.opts);
    parentPort!.postMessage({ id: t.id, ok: true, article });
  } catch (e) {
    const kind = isDigestError(e) ? e.kind : 'extract';
    parentPort!.postMessage({ id: t.id, ok: false, kind, message: e instanceof Error ? e.message : String(e) });
  }
});
