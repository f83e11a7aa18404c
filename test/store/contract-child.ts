// Helper process for the contract's "killed half-way" test: opens the store given on the
// command line and ingests a batch in one transaction, but SIGKILLs itself while the
// transaction is open (when it reads the title of item `killAt`). Not a test by itself.
import { writeSync } from 'node:fs';
import { openStore, type StoreOptions } from '../../src/store/index.ts';
import { killBatch } from './contract-data.ts';

const [optsJson, sourceIdStr, killAtStr] = process.argv.slice(2);
const opts = JSON.parse(optsJson) as StoreOptions;
const store = await openStore(opts);
// SQLite: a small page cache (512 KB) so the open transaction spills pages into the WAL
// before the kill, which recovery must then ignore.
store.sqlite?.pragma('cache_size = -512');
const killAt = Number(killAtStr);
const list = killBatch(Number(sourceIdStr)).map((a, i) => {
  if (i !== killAt) return a;
  const copy = { ...a };
  Object.defineProperty(copy, 'title', {
    enumerable: true,
    get() {
      writeSync(2, `killing while item ${i} is being written\n`);
      process.kill(process.pid, 'SIGKILL');
      return a.title;
    },
  });
  return copy;
});
await store.upsertArticles(list);
writeSync(2, 'batch committed (should not happen)\n');
await store.close();
