// `digest user …` and `digest app-password …` as a user runs them: real processes on a temp
// data folder; then `digest serve` with web.public false lets the new user sign in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../bin/digest.js', import.meta.url).pathname;
let dir = '';

function run(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DIGEST_DATA_DIR: dir, DIGEST_LOG_LEVEL: 'warn', ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout!.on('data', (d: Buffer) => (out += d));
    p.stderr!.on('data', (d: Buffer) => (err += d));
    if (stdin !== undefined) p.stdin!.end(stdin);
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'digest-cli-users-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('user add --password-file, list, passwd, remove; app-password add/list/revoke; refusals name the problem', async () => {
  const pw = join(dir, 'pw.txt');
  writeFileSync(pw, 'first password\n');
  let r = await run(['user', 'add', 'Ada', '--admin', '--password-file', pw]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'added administrator Ada\n');
  r = await run(['user', 'add', 'grace', '--password-file', '-'], {}, 'grace password\n');
  assert.equal(r.code, 0, r.err);
  r = await run(['user', 'add', 'ada', '--password-file', pw]);
  assert.equal(r.code, 2);
  assert.match(r.err, /already exists/);
  writeFileSync(join(dir, 'short.txt'), 'short\n');
  r = await run(['user', 'add', 'lin', '--password-file', join(dir, 'short.txt')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /too short; use at least 8 characters/);
  writeFileSync(join(dir, 'empty.txt'), '\n');
  r = await run(['user', 'add', 'lin', '--password-file', join(dir, 'empty.txt')]);
  assert.match(r.err, /the password is empty/);
  r = await run(['user', 'add', 'lin']);
  assert.equal(r.code, 2);
  assert.match(r.err, /no terminal to ask for the password on; give --password-file/);
  r = await run(['user', 'add', 'lin', '--password-file', join(dir, 'missing.txt')]);
  assert.match(r.err, /cannot read the password file .*missing\.txt: ENOENT/);

  r = await run(['user', 'list']);
  assert.equal(r.code, 0);
  const rows = r.out.trim().split('\n').slice(2).map((l) => l.split(/\s{2,}/).slice(0, 2));
  assert.deepEqual(rows, [['Ada', 'admin'], ['grace', 'reader']]);
  r = await run(['user', 'list', '--json']);
  const users = JSON.parse(r.out) as { name: string; admin: boolean }[];
  assert.deepEqual(users.map((u) => [u.name, u.admin]), [['Ada', true], ['grace', false]]);
  assert.doesNotMatch(r.out, /scrypt|password/i, 'no hashes');

  writeFileSync(pw, 'second password\n');
  r = await run(['user', 'passwd', 'ADA', '--password-file', pw]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /changed the password of Ada/);
  r = await run(['user', 'passwd', 'nobody', '--password-file', pw]);
  assert.equal(r.code, 1);
  assert.match(r.err, /no user named "nobody"/);

  r = await run(['app-password', 'add', 'grace', 'phone', '--scope', 'greader']);
  assert.equal(r.code, 0, r.err);
  const secret = r.out.trim();
  assert.match(secret, /^dgap_[A-Za-z0-9_-]{32}$/);
  assert.match(r.err, /shown only this once/);
  r = await run(['app-password', 'list', 'grace']);
  assert.match(r.out, /phone\s+greader/);
  assert.ok(!r.out.includes(secret));
  r = await run(['app-password', 'add', 'grace', 'x', '--scope', 'root']);
  assert.equal(r.code, 2);
  r = await run(['app-password', 'revoke', 'ada', 'phone']);
  assert.equal(r.code, 1, "ada has no app password called phone (it is grace's)");
  r = await run(['app-password', 'revoke', 'grace', 'phone']);
  assert.equal(r.code, 0);
  assert.match((await run(['app-password', 'list', 'grace'])).out, /grace has no app passwords/);

  r = await run(['user', 'remove', 'grace']);
  assert.equal(r.code, 0);
  assert.deepEqual((JSON.parse((await run(['user', 'list', '--json'])).out) as { name: string }[]).map((u) => u.name), ['Ada']);
});

test('digest serve with DIGEST_WEB_PUBLIC=false: anonymous pages go to /login, the CLI user signs in', async () => {
  const p = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    env: { ...process.env, DIGEST_DATA_DIR: dir, DIGEST_LOG_LEVEL: 'info', DIGEST_WEB_PUBLIC: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number>((r) => p.on('close', (c) => r(c ?? -1)));
  try {
    for (let i = 0; i < 500 && !/serving the digest at/.test(err); i++) await new Promise((r) => setTimeout(r, 20));
    const url = /serving the digest at (http:\/\/\S+)/.exec(err)?.[1];
    assert.ok(url, err);
    const home = await fetch(`${url}/`, { redirect: 'manual' });
    assert.equal(home.status, 303);
    assert.equal(home.headers.get('location'), '/login?next=%2F');
    const form = await fetch(`${url}/login`);
    const pre = /digest_login_csrf=([^;]+)/.exec(form.headers.get('set-cookie')!)![1];
    const res = await fetch(`${url}/login`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: `digest_login_csrf=${pre}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'ada', password: 'second password', csrf: pre, next: '/sources' }).toString(),
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/sources');
    const cookie = /digest_session=[^;]+/.exec(res.headers.get('set-cookie')!)![0];
    const page = await fetch(`${url}/sources`, { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Account: <\/span>Ada/);
    assert.doesNotMatch(err, /second password/, 'passwords are never logged');
  } finally {
    p.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
});

// A terminal for `digest user add` without --password-file: Python's pty module gives the
// process a real one (skipped where python3 is missing).
const PTY = `
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b''
def read(t):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return
            if not chunk:
                return
            out += chunk
def wait_for(s, t=10):
    end = time.time() + t
    while s not in out and time.time() < end:
        read(0.1)
for answer in os.environ['ANSWERS'].split('|'):
    wait_for(b': ')
    os.write(fd, answer.encode() + b'\\r')
    wait_for(b'\\n', 5)
    out = out.replace(b': ', b'; ', 1)
read(3)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace'))
sys.exit(os.waitstatus_to_exitcode(status))
`;
const python = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;

test('user add on a terminal asks twice without echo; a mismatch or a short password changes nothing', { skip: python ? false : 'no python3 for a pty' }, () => {
  const ask = (name: string, answers: string[]) => {
    const r = spawnSync('python3', ['-c', PTY, process.execPath, BIN, 'user', 'add', name], {
      env: { ...process.env, DIGEST_DATA_DIR: dir, DIGEST_LOG_LEVEL: 'warn', ANSWERS: answers.join('|') },
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { code: r.status, out: r.stdout };
  };
  let r = ask('tty-user', ['terminal password', 'terminal password']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /New password; [\s\S]*Repeat it; [\s\S]*added user tty-user/);
  assert.ok(!r.out.includes('terminal password'), 'not echoed');
  r = ask('tty-two', ['terminal password', 'another password']);
  assert.equal(r.code, 2);
  assert.match(r.out, /the two passwords differ; nothing was changed/);
  r = ask('tty-three', ['short']);
  assert.equal(r.code, 2);
  assert.match(r.out, /too short/);
  const names = (JSON.parse(spawnSync(process.execPath, [BIN, 'user', 'list', '--json'], { env: { ...process.env, DIGEST_DATA_DIR: dir }, encoding: 'utf8' }).stdout) as { name: string }[]).map((u) => u.name);
  assert.ok(names.includes('tty-user'));
  assert.ok(!names.includes('tty-two') && !names.includes('tty-three'));
});

test('user app-password add USER --label L: generated and printed once, or taken from --password-file; usable as that user\'s app password', async () => {
  const pw = join(dir, 'pw-apps.txt');
  writeFileSync(pw, 'apps user password\n');
  assert.equal((await run(['user', 'add', 'appsuser', '--password-file', pw])).code, 0);
  let r = await run(['user', 'app-password', 'add', 'appsuser', '--label', 'tablet']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^dgap_[A-Za-z0-9_-]{20,}\n$/);
  assert.match(r.err, /shown only this once/);
  writeFileSync(join(dir, 'app.txt'), 'my chosen app password\n');
  r = await run(['user', 'app-password', 'add', 'appsuser', '--label', 'phone', '--scope', 'greader', '--password-file', join(dir, 'app.txt')]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'added app password "phone" for appsuser (scope greader)\n');
  assert.ok(!r.out.includes('my chosen'), 'a chosen password is not echoed');
  writeFileSync(join(dir, 'short.txt'), 'short\n');
  r = await run(['user', 'app-password', 'add', 'appsuser', '--label', 'x', '--password-file', join(dir, 'short.txt')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /8 to 200 characters/);
  r = await run(['user', 'app-password', 'add', 'appsuser']);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /--label/);
  const list = JSON.parse((await run(['app-password', 'list', 'appsuser', '--json'])).out) as { name: string; scope: string }[];
  assert.deepEqual(list.map((p) => [p.name, p.scope]).sort(), [['phone', 'greader'], ['tablet', 'all']]);
});
