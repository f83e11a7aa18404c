// What every command's action shares: the config built from the global flags, usage errors
// and flag parsing. Only the actions import this (it loads the config schema); main.ts, which
// has to answer --help fast, does not.
import type { Command } from 'commander';
import { loadConfig, type Config } from '../core/config.ts';
import { DigestError } from '../core/errors.ts';

export interface GlobalOpts {
  config?: string;
  dataDir?: string;
  databaseUrl?: string;
  logLevel?: string;
  quiet?: boolean;
}

/** Builds the config from the global flags of the command being run. */
export function configFrom(cmd: Command, extra: Record<string, unknown> = {}): Config {
  const g = cmd.optsWithGlobals() as GlobalOpts;
  const overrides: Record<string, unknown> = { ...extra };
  if (g.dataDir) overrides.dataDir = g.dataDir;
  if (g.databaseUrl) overrides.database = { url: g.databaseUrl };
  if (g.logLevel) overrides.log = { level: g.logLevel };
  if (g.quiet) overrides.log = { level: 'warn' };
  return loadConfig({ file: g.config, overrides });
}

export function usage(msg: string): DigestError {
  return new DigestError('usage', msg);
}

/** --port: a whole number from 0 to 65535, or undefined when not given. */
export function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw usage(`--port ${raw}: give a port number from 0 to 65535`);
  return n;
}
