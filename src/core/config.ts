// One typed table of settings: defaults < config file < DIGEST_* environment < flags.
// Validated with zod; every problem is reported with the setting's path and what to do.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DigestError } from './errors.ts';
import { DEFAULT_FETCH_SETTINGS as F, type FetchSettings } from '../fetch/options.ts';

const cidr = z
  .string()
  .regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'expected a CIDR range such as 127.0.0.1/32 or ::1/128');

const siteRule = z.object({
  keep: z.array(z.string()).default([]),
  drop: z.array(z.string()).default([]),
});

export const configSchema = z.object({
  /** Folder holding the SQLite database and other state. */
  dataDir: z.string().default('./data'),
  database: z
    .object({
      driver: z.enum(['sqlite', 'postgres']).default('sqlite'),
      /** SQLite file; relative paths are inside dataDir. */
      path: z.string().default('digest.db'),
      /** PostgreSQL connection string (driver "postgres"). */
      url: z.string().optional(),
      schema: z.string().optional(),
    })
    .default({ driver: 'sqlite', path: 'digest.db' }),
  /** The fetcher's settings: defaults and meaning in fetch/options.ts (FetchSettings). */
  fetch: z
    .object({
      userAgent: z.string().min(1).default(F.userAgent),
      connectTimeoutMs: z.number().int().positive().default(F.connectTimeoutMs),
      timeoutMs: z.number().int().positive().default(F.timeoutMs),
      maxBytes: z.number().int().positive().default(F.maxBytes),
      maxRedirects: z.number().int().min(0).max(20).default(F.maxRedirects),
      perHostConcurrency: z.number().int().positive().default(F.perHostConcurrency),
      perHostIntervalMs: z.number().int().min(0).default(F.perHostIntervalMs),
      globalConcurrency: z.number().int().positive().default(F.globalConcurrency),
      retries: z.number().int().min(0).max(10).default(F.retries),
      respectRobots: z.boolean().default(F.respectRobots),
      /** Address ranges (CIDR) that may be fetched although private; empty by default. */
      allowPrivateRanges: z.array(cidr).default(() => [...F.allowPrivateRanges]),
    })
    .prefault({}),
  schedule: z
    .object({
      defaultIntervalSec: z.number().int().positive().default(1800),
      minIntervalSec: z.number().int().positive().default(300),
      maxIntervalSec: z.number().int().positive().default(86_400),
      /** Seconds between scheduler passes in `digest run`. */
      tickSec: z.number().int().positive().default(60),
      /** Seconds a pass claims a source for; renewed every sixth of it while the pass works on it. */
      claimSec: z.number().positive().default(30),
      /** Seconds the 'analysis' lease lasts; renewed every third of it while a process analyses. */
      analysisLeaseSec: z.number().positive().default(15),
    })
    .prefault({}),
  extract: z
    .object({
      timeoutMs: z.number().int().positive().default(15_000),
      /** Per-site overrides: host name → CSS selectors to keep or drop. */
      sites: z.record(z.string(), siteRule).default({}),
    })
    .prefault({}),
  web: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8080),
      /** Public URL of the site, used in feeds out; defaults to http://host:port. */
      baseUrl: z.string().url().optional(),
      siteTitle: z.string().default('Occasional Digest'),
      /** True: the shared digest is readable without signing in; false: every page, feed and API needs a session or app password. */
      public: z.boolean().default(true),
    })
    .prefault({}),
  websub: z
    .object({
      /**
       * Public base URL hubs can reach for WebSub callbacks (`<base>/websub/<sourceId>`), e.g.
       * https://digest.example.org. Unset: web.baseUrl is used; neither set: no subscriptions.
       */
      callbackBase: z.string().url().optional(),
      /** Set false to never subscribe, even with a base URL. */
      enabled: z.boolean().default(true),
      /** Lease asked of hubs, in seconds (they may grant another). */
      leaseSeconds: z.number().int().positive().default(10 * 86_400),
      /** Largest pushed body accepted, in bytes. */
      maxPushBytes: z.number().int().positive().default(5 * 1024 * 1024),
    })
    .prefault({}),
  log: z
    .object({
      level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;

// The config's fetch section is exactly the fetcher's settings, so it is passed through whole.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _fetchSectionIsFetchSettings: Same<Config['fetch'], FetchSettings> = true;
void _fetchSectionIsFetchSettings;

/** Environment variables and the setting each one sets. */
export const ENV_VARS: Record<string, { path: string[]; type: 'string' | 'number' | 'boolean' | 'list' }> = {
  DIGEST_DATA_DIR: { path: ['dataDir'], type: 'string' },
  DIGEST_DATABASE_URL: { path: ['database', 'url'], type: 'string' },
  DIGEST_DATABASE_PATH: { path: ['database', 'path'], type: 'string' },
  DIGEST_USER_AGENT: { path: ['fetch', 'userAgent'], type: 'string' },
  DIGEST_FETCH_TIMEOUT_MS: { path: ['fetch', 'timeoutMs'], type: 'number' },
  DIGEST_FETCH_MAX_BYTES: { path: ['fetch', 'maxBytes'], type: 'number' },
  DIGEST_FETCH_ALLOW_PRIVATE: { path: ['fetch', 'allowPrivateRanges'], type: 'list' },
  DIGEST_RESPECT_ROBOTS: { path: ['fetch', 'respectRobots'], type: 'boolean' },
  DIGEST_HOST: { path: ['web', 'host'], type: 'string' },
  DIGEST_PORT: { path: ['web', 'port'], type: 'number' },
  DIGEST_BASE_URL: { path: ['web', 'baseUrl'], type: 'string' },
  DIGEST_SITE_TITLE: { path: ['web', 'siteTitle'], type: 'string' },
  DIGEST_WEB_PUBLIC: { path: ['web', 'public'], type: 'boolean' },
  DIGEST_WEBSUB_CALLBACK_BASE: { path: ['websub', 'callbackBase'], type: 'string' },
  DIGEST_WEBSUB: { path: ['websub', 'enabled'], type: 'boolean' },
  DIGEST_LOG_LEVEL: { path: ['log', 'level'], type: 'string' },
};

type Json = Record<string, unknown>;

function setPath(obj: Json, path: string[], value: unknown): void {
  let cur = obj;
  for (const k of path.slice(0, -1)) {
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Json;
  }
  cur[path[path.length - 1]] = value;
}

function mergeDeep(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' && !Array.isArray(out[k])) {
      out[k] = mergeDeep(out[k] as Json, v as Json);
    } else if (v !== undefined) {
      out[k] = v;
    }
  }
  return out;
}

function envValue(name: string, raw: string, type: 'string' | 'number' | 'boolean' | 'list'): unknown {
  switch (type) {
    case 'string':
      return raw;
    case 'number': {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new DigestError('config', `${name}=${JSON.stringify(raw)} is not a number`);
      return n;
    }
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      throw new DigestError('config', `${name}=${JSON.stringify(raw)} is not a boolean (use true or false)`);
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
  }
}

export interface LoadConfigOptions {
  /** Path of a JSON config file; default: $DIGEST_CONFIG, else ./digest.config.json when present. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Overrides from command-line flags, as a partial config object. */
  overrides?: Json;
}

/** Loads, merges and validates the configuration. Throws DigestError('config') naming the bad setting. */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  let fromFile: Json = {};
  const file = opts.file ?? env.DIGEST_CONFIG ?? (existsSync('digest.config.json') ? 'digest.config.json' : undefined);
  if (file) {
    if (!existsSync(file)) throw new DigestError('config', `config file ${file} does not exist`);
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Json;
    } catch (e) {
      throw new DigestError('config', `config file ${file} is not valid JSON: ${(e as Error).message}`);
    }
  }
  let fromEnv: Json = {};
  for (const [name, spec] of Object.entries(ENV_VARS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    fromEnv = mergeDeep(fromEnv, {});
    setPath(fromEnv, spec.path, envValue(name, raw, spec.type));
  }
  const merged = mergeDeep(mergeDeep(fromFile, fromEnv), opts.overrides ?? {});
  // A postgres:// URL implies the postgres driver unless a driver was chosen explicitly.
  const db = (merged.database ?? {}) as Json;
  if (typeof db.url === 'string' && /^postgres(ql)?:\/\//.test(db.url) && db.driver === undefined) {
    merged.database = { ...db, driver: 'postgres' };
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DigestError('config', `invalid configuration${file ? ` (file ${file})` : ''}:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  if (cfg.database.driver === 'postgres' && !cfg.database.url) {
    throw new DigestError('config', 'database.driver is "postgres" but database.url (DIGEST_DATABASE_URL) is not set');
  }
  if (cfg.schedule.minIntervalSec > cfg.schedule.maxIntervalSec) {
    throw new DigestError('config', 'schedule.minIntervalSec must not exceed schedule.maxIntervalSec');
  }
  return cfg;
}

/** Absolute path of the SQLite file for a config. */
export function sqlitePath(cfg: Config): string {
  if (cfg.database.path === ':memory:') return ':memory:';
  return resolve(cfg.dataDir, cfg.database.path);
}
