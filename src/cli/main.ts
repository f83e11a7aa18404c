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
import type { RuleAddOpts, ScheduleOpts } from './rules.ts';
import type { UserAddOpts } from './users.ts';

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

  // digest add | import | export | sources | remove | rename | move (sources.ts)
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
  program
    .command('rename')
    .description('give a source the title to show')
    .argument('<id|url>', 'source id (see `digest sources`) or URL')
    .argument('<title>', 'the new title')
    .action(async (ref: string, title: string, _o: unknown, cmd: Command) => (await import('./sources.ts')).rename(ref, title, cmd));
  program
    .command('move')
    .description('file a source under a folder ("" takes it out of its folder)')
    .argument('<id|url>', 'source id (see `digest sources`) or URL')
    .argument('<folder>', 'the folder')
    .action(async (ref: string, folder: string, _o: unknown, cmd: Command) => (await import('./sources.ts')).move(ref, folder, cmd));

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

  // digest user … | app-password … (users.ts)
  const user = program.command('user').description('manage accounts: add, passwd, remove, list');
  user
    .command('add')
    .description('add a user (asks for the password twice on a terminal)')
    .argument('<name>', 'user name (unique, ignoring case)')
    .option('--admin', 'the user manages users on the web')
    .option('--password-file <file>', 'read the password from the first line of a file (- for standard input)')
    .action(async (name: string, opts: UserAddOpts, cmd: Command) => (await import('./users.ts')).userAdd(name, opts, cmd));
  user
    .command('passwd')
    .description('set a new password for a user (ends their sessions)')
    .argument('<name>', 'user name')
    .option('--password-file <file>', 'read the password from the first line of a file (- for standard input)')
    .action(async (name: string, opts: { passwordFile?: string }, cmd: Command) => (await import('./users.ts')).userPasswd(name, opts, cmd));
  user
    .command('remove')
    .description('remove a user with their sessions and app passwords')
    .argument('<name>', 'user name')
    .action(async (name: string, o: unknown, cmd: Command) => (await import('./users.ts')).userRemove(name, o, cmd));
  user
    .command('list')
    .description('list users')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { json?: boolean }, cmd: Command) => (await import('./users.ts')).userList(opts, cmd));
  user
    .command('app-password')
    .description('app passwords (same as digest app-password); add: digest user app-password add USER --label L')
    .command('add')
    .description('create an app password for a reader app; without --password-file one is generated and printed once')
    .argument('<user>', 'user name')
    .requiredOption('--label <label>', 'what it is for, e.g. "phone"')
    .option('--password-file <file>', 'use the first line of this file as the app password (- for standard input)')
    .addOption(new Option('--scope <scope>', 'which API it opens').choices(['all', 'greader', 'fever']).default('all'))
    .action(async (u: string, opts: { label?: string; scope?: string; passwordFile?: string }, cmd: Command) => (await import('./users.ts')).userAppPasswordAdd(u, opts, cmd));
  const appPw = program.command('app-password').description('app passwords of a user, for reader apps and the API: add, list, revoke');
  appPw
    .command('add')
    .description('create an app password and print it (shown only once)')
    .argument('<user>', 'user name')
    .argument('<name>', 'what it is for, e.g. "phone"')
    .addOption(new Option('--scope <scope>', 'which API it opens').choices(['all', 'greader', 'fever']).default('all'))
    .option('--password-file <file>', 'use the first line of this file as the app password (- for standard input)')
    .action(async (u: string, name: string, opts: { scope?: string; passwordFile?: string }, cmd: Command) => (await import('./users.ts')).appPasswordAdd(u, name, opts, cmd));
  appPw
    .command('list')
    .description('list a user’s app passwords (never the secrets)')
    .argument('<user>', 'user name')
    .option('--json', 'print JSON instead of a table')
    .action(async (u: string, opts: { json?: boolean }, cmd: Command) => (await import('./users.ts')).appPasswordList(u, opts, cmd));
  appPw
    .command('revoke')
    .description('revoke an app password')
    .argument('<user>', 'user name')
    .argument('<id|name>', 'app password id or name (see list)')
    .action(async (u: string, ref: string, o: unknown, cmd: Command) => (await import('./users.ts')).appPasswordRevoke(u, ref, o, cmd));

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
    .option('--user <name>', 'the personal digest of this user: their subscriptions, without what their rules hide or they have read')
    .action(async (opts: BriefOpts, cmd: Command) => (await import('./brief.ts')).runBrief(opts, cmd));

  // digest rule add | list | remove, digest schedule (rules.ts)
  const rule = program.command('rule').description('a user’s mute and keep rules (words or regular expressions; mark read, hide or star)');
  rule
    .command('add')
    .description('add a rule; it applies at once to the articles the user follows, and to every new one')
    .argument('<pattern>', 'words or phrases separated by commas (whole words, any case), or a regular expression with --regex')
    .requiredOption('--user <name>', 'whose rule')
    .addOption(new Option('--field <field>', 'what to look at').choices(['title', 'text', 'author', 'outlet', 'any']).default('any'))
    .addOption(new Option('--action <action>', 'what to do').choices(['read', 'hide', 'star']).default('hide'))
    .option('--regex', 'the pattern is a regular expression (any case; no backreferences or lookaround)')
    .option('--keep', 'a keep rule: the action applies to the articles that match none of the keep rules')
    .option('--source <id>', 'only for this source (one the user follows; default: all of them)')
    .action(async (pattern: string, opts: RuleAddOpts, cmd: Command) => (await import('./rules.ts')).ruleAdd(pattern, opts, cmd));
  rule
    .command('list')
    .description('list a user’s rules')
    .requiredOption('--user <name>', 'whose rules')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { user: string; json?: boolean }, cmd: Command) => (await import('./rules.ts')).ruleList(opts, cmd));
  rule
    .command('remove')
    .description('remove a rule (what it hid or starred is taken back; what it marked read stays read)')
    .argument('<id>', 'rule id (see `digest rule list`)')
    .requiredOption('--user <name>', 'whose rule')
    .action(async (id: string, opts: { user: string }, cmd: Command) => (await import('./rules.ts')).ruleRemove(id, opts, cmd));
  program
    .command('schedule')
    .description('schedule a user’s personal digest, sent by `digest run` over SMTP ($DIGEST_SMTP_URL); without --user, list the schedules')
    .option('--user <name>', 'whose digest')
    .option('--hour <h>', 'hour of the day to send it, 0-23, in --tz')
    .option('--tz <zone>', 'IANA time zone, e.g. Europe/Paris', 'UTC')
    .option('--to <address>', 'e-mail address to send it to')
    .option('--off', 'stop sending it')
    .action(async (opts: ScheduleOpts, cmd: Command) => (await import('./rules.ts')).schedule(opts, cmd));

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

  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
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
