// The `digest` command. Exit codes: 0 ok, 1 failure, 2 usage error.
import { Command, CommanderError, Option } from 'commander';
import { loadConfig, type Config } from '../core/config.ts';
import { DigestError, isDigestError } from '../core/errors.ts';
import { registerSourceCommands } from './sources.ts';
import { registerFetchCommands } from './fetch.ts';
import { registerServeCommands } from './serve.ts';
import { registerToolCommands } from './tools.ts';
import { registerBenchCommand } from './bench.ts';
import { registerBriefCommand } from './brief.ts';

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

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('digest')
    .description('Occasional Digest: a self-hosted news digest engine.')
    .version('0.1.0')
    .option('-c, --config <file>', 'JSON config file (default: $DIGEST_CONFIG or ./digest.config.json)')
    .option('-d, --data-dir <dir>', 'data folder holding the database (default ./data; $DIGEST_DATA_DIR)')
    .option('--database-url <url>', 'PostgreSQL URL instead of SQLite ($DIGEST_DATABASE_URL)')
    .addOption(new Option('--log-level <level>', 'log level').choices(['debug', 'info', 'warn', 'error']))
    .option('-q, --quiet', 'only warnings and errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerSourceCommands(program);
  registerFetchCommands(program);
  registerServeCommands(program);
  registerToolCommands(program);
  registerBriefCommand(program);
  registerBenchCommand(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (isDigestError(e)) {
      process.stderr.write(`digest: ${e.describe()}\n`);
      return e.kind === 'usage' || e.kind === 'config' ? 2 : 1;
    }
    process.stderr.write(`digest: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

export function usage(msg: string): DigestError {
  return new DigestError('usage', msg);
}
