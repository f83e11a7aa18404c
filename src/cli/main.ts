// The `digest` command. Exit codes: 0 ok, 1 failure, 2 usage error.
//
// This module only declares the commands: each action imports its module when it runs, so
// `digest --help` (and any one command) loads commander and what that command needs, not the
// whole pipeline.
import { Command, CommanderError, Option } from 'commander';
import { isDigestError } from '../core/errors.ts';
import { BENCH_TASKS, COMPARE } from './bench-tasks.ts';
import type { AddOpts, ListOpts } from './sources.ts';
import type { FetchOpts } from './fetch.ts';
import type { DemoOpts, ServeOpts } from './serve.ts';
import type { ExtractOpts, ParseFeedOpts } from './tools.ts';
import type { BriefOpts } from './brief.ts';
import type { BenchOpts } from './bench.ts';

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

  // digest add | import | export | sources | remove (sources.ts)
  program
    .command('add')
    .description('subscribe to a feed URL, or a site URL whose feed is discovered')
    .argument('<url>', 'feed, news sitemap or site URL')
    .option('--folder <name>', 'folder to file it under')
    .option('--title <title>', 'title to show instead of the feed’s own')
    .action(async (raw: string, opts: AddOpts, cmd: Command) => (await import('./sources.ts')).add(raw, opts, cmd));
  program
    .command('import')
    .description('subscribe to every feed of an OPML file (folders kept)')
    .argument('<file>', 'OPML 1.0 or 2.0 file')
    .action(async (file: string, _o: unknown, cmd: Command) => (await import('./sources.ts')).importOpml(file, cmd));
  program
    .command('export')
    .description('write every source as OPML 2.0 to standard output')
    .action(async (_o: unknown, cmd: Command) => (await import('./sources.ts')).exportOpml(cmd));
  program
    .command('sources')
    .description('list sources with their health')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: ListOpts, cmd: Command) => (await import('./sources.ts')).listSources(opts, cmd));
  program
    .command('remove')
    .description('unsubscribe from a source (and delete its articles)')
    .argument('<id|url>', 'source id (see `digest sources`) or URL')
    .action(async (ref: string, _o: unknown, cmd: Command) => (await import('./sources.ts')).remove(ref, cmd));

  // digest fetch (fetch.ts)
  program
    .command('fetch')
    .description('fetch every due source once (all sources with --all)')
    .option('--all', 'fetch every source, due or not')
    .action(async (opts: FetchOpts, cmd: Command) => (await import('./fetch.ts')).fetchSources(opts, cmd));

  // digest serve | run | demo (serve.ts)
  program
    .command('serve')
    .description('serve the web digest (no fetching)')
    .option('-p, --port <n>', 'port (default 8080; $DIGEST_PORT)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .action(async (opts: ServeOpts, cmd: Command) => (await import('./serve.ts')).serve(opts, cmd));
  program
    .command('run')
    .description('fetch sources on their schedule and serve the web digest (the normal way to run it)')
    .option('-p, --port <n>', 'port (default 8080; $DIGEST_PORT)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .action(async (opts: ServeOpts, cmd: Command) => (await import('./serve.ts')).run(opts, cmd));
  program
    .command('demo')
    .description('serve a bundled sample of news sources on loopback, ingest them, and serve the digest (no network needed)')
    .option('-p, --port <n>', 'port of the digest (default 8080)')
    .option('--no-serve', 'ingest the sample, print the summary and exit')
    .action(async (opts: DemoOpts, cmd: Command) => (await import('./serve.ts')).demo(opts, cmd));

  // digest extract | parse-feed (tools.ts)
  program
    .command('extract')
    .description('extract one article page and print it as JSON')
    .argument('<file|url>', 'an HTML file (.html or .html.gz) or a page URL')
    .option('--url <url>', 'the page’s address, to resolve relative links when reading a file')
    .option('--text', 'print only the body text')
    .action(async (ref: string, opts: ExtractOpts, cmd: Command) => (await import('./tools.ts')).extract(ref, opts, cmd));
  program
    .command('parse-feed')
    .description('parse one feed (RSS, Atom, JSON Feed) and print it as normalised JSON')
    .argument('<file|url>', 'a feed file or URL')
    .option('--url <url>', 'the feed’s address, to resolve relative links when reading a file')
    .option('--content-type <type>', 'the Content-Type it was served with (charset), when reading a file')
    .action(async (ref: string, opts: ParseFeedOpts, cmd: Command) => (await import('./tools.ts')).parseFeedCommand(ref, opts, cmd));

  // digest brief (brief.ts)
  program
    .command('brief')
    .description('the periodic digest: top stories of a period as Markdown, HTML, or an e-mail sent by SMTP')
    .option('--since <duration>', 'period to cover, e.g. 24h, 2d, 1w', '24h')
    .option('--limit <n>', 'number of stories', '10')
    .option('--format <format>', 'markdown | html | email', 'markdown')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--to <address>', 'send by e-mail to this address (needs --smtp)')
    .option('--from <address>', 'sender address', 'Occasional Digest <digest@localhost>')
    .option('--smtp <url>', 'SMTP server, e.g. smtp://user:pass@mail.example.net:587 ($DIGEST_SMTP_URL)')
    .action(async (opts: BriefOpts, cmd: Command) => (await import('./brief.ts')).runBrief(opts, cmd));

  // digest bench (bench.ts; the adapters are in bench/)
  program
    .command('bench')
    .description(`run a stage on a benchmark set and write its predictions (tasks: ${Object.keys(BENCH_TASKS).join(', ')})`)
    .argument('<task>', Object.entries(BENCH_TASKS).map(([k, v]) => `${k}: ${v.what}`).join('; '))
    .requiredOption('--data <dir>', 'folder laid out like ../shared/bench/<task>/dev')
    .requiredOption('--out <file>', 'where to write the predictions')
    .option('--compare', `also time a baseline on the same data in the same run (${Object.entries(COMPARE).map(([k, v]) => `${k}: ${v.baseline}`).join(', ')})`)
    .option('--rounds <n>', 'timing rounds for --compare (the best is kept)', '3')
    .action(async (task: string, opts: BenchOpts) => (await import('./bench.ts')).bench(task, opts));

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
