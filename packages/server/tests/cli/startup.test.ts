/**
 * Start-up you can trust, on real `roost serve` processes: each failure is one line `roost: …` and loses nothing
 * (the port is bound before anything is made; an interrupted first seed keeps nothing), fixed CI credentials from
 * the environment, a banner of human text with passwords hidden, and `npm start` passing SIGTERM through.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { hmacSha1, signatureBaseString, baseStringUri, type Param } from '../../src/auth/oauth1.js';
import { banner } from '../../src/cli/banner.js';
import { buildConfig } from '../../src/config.js';
import { runInProcess } from './cli-kit.js';

const REPO = resolve(import.meta.dirname, '../../../..');
const BIN = resolve(REPO, 'packages/server/bin/roost.js');
const dir = mkdtempSync(join(tmpdir(), 'roost-startup-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
  /** Resolves when stdout or stderr matches. */
  waitFor(re: RegExp, stream?: 'out' | 'err'): Promise<RegExpExecArray>;
}

function start(args: string[], env: Record<string, string> = {}, opts: { cwd?: string; command?: string } = {}): Proc {
  const child = spawn(opts.command ?? process.execPath, opts.command ? args : [BIN, ...args], {
    cwd: opts.cwd ?? dir,
    env: { ...process.env, ROOST_LOG_LEVEL: 'warn', ROOST_SEED: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  const listeners: (() => void)[] = [];
  child.stdout!.on('data', (d) => {
    out += d;
    listeners.forEach((l) => l());
  });
  child.stderr!.on('data', (d) => {
    err += d;
    listeners.forEach((l) => l());
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(code ?? (signal ? -1 : null))));
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    waitFor(re, stream = 'out') {
      return new Promise((res, rej) => {
        const check = () => {
          const m = re.exec(stream === 'out' ? out : err);
          if (m) res(m);
        };
        listeners.push(check);
        check();
        void exited.then((code) => rej(new Error(`exited ${code} before ${re}:\n${out}\n${err}`)));
      });
    },
  };
}

const after = (text: string, label: string) => new RegExp(`${label}\\s*(\\S+)`).exec(text)?.[1];

const pct = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
function oauth1Header(method: string, url: string, c: { key: string; secret: string }, t: { token: string; secret: string }): string {
  const oauth: Param[] = [
    ['oauth_consumer_key', c.key],
    ['oauth_nonce', randomBytes(16).toString('hex')],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
    ['oauth_token', t.token],
    ['oauth_version', '1.0'],
  ];
  const u = new URL(url);
  const params: Param[] = [...oauth, ...[...u.searchParams.entries()]];
  const signature = hmacSha1(signatureBaseString(method, baseStringUri(url)!, params), c.secret, t.secret);
  return `OAuth ${[...oauth, ['oauth_signature', signature]].map(([k, v]) => `${k}="${pct(v)}"`).join(', ')}`;
}

/** The credentials a banner printed all work. */
async function credentialsWork(url: string, text: string): Promise<void> {
  const bearer = after(text, 'App-only bearer token \\(default app\\):')!;
  const consumer = { key: after(text, 'Default app consumer key:')!, secret: after(text, 'Default app consumer secret:')! };
  const pair = { token: after(text, 'OAuth 1.0a access token for @XDevelopers:')!, secret: after(text, 'OAuth 1.0a access token secret:')! };
  const userToken = after(text, 'User token for @XDevelopers \\(all scopes\\):')!;
  const lookup = await fetch(`${url}/2/users/by/username/XDevelopers`, { headers: { authorization: `Bearer ${bearer}` } });
  expect(lookup.status).toBe(200);
  const appOnly = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${consumer.key}:${consumer.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  expect(((await appOnly.json()) as { access_token: string }).access_token).toBe(bearer);
  const me = await fetch(`${url}/2/users/me`, { headers: { authorization: oauth1Header('GET', `${url}/2/users/me`, consumer, pair) } });
  expect(((await me.json()) as { data: { username: string } }).data.username).toBe('XDevelopers');
  const me2 = await fetch(`${url}/2/users/me`, { headers: { authorization: `Bearer ${userToken}` } });
  expect(me2.status).toBe(200);
}

const oneLine = (p: Proc) => p.err().trimEnd().split('\n');

describe('start-up failures: one line, nothing lost', () => {
  it('port in use, unknown URL scheme, unreachable PostgreSQL (password hidden), missing directory', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const busy = (blocker.address() as { port: number }).port;
    const db = join(dir, 'first.db');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const cases: [string[], RegExp][] = [
        [['serve', '--port', String(busy), '--db', db], new RegExp(`^roost: port ${busy} on 127\\.0\\.0\\.1 is already in use \\(is another Roost running\\?`)],
        [['serve', '--port', '0', '--db', 'mysql://root:pw@127.0.0.1/roost'], /^roost: ROOST_DB_URL: mysql:\/\/ is not supported; use a SQLite file path/],
        [['serve', '--port', '0', '--db', 'postgres://roost:hunter2@127.0.0.1:1/roost'], /^roost: cannot reach the database postgres:\/\/roost:\*\*\*@127\.0\.0\.1:1\/roost: .*ECONNREFUSED/],
        [['serve', '--port', '0', '--db', join(dir, 'no', 'such', 'dir', 'r.db')], /^roost: the directory .*no\/such\/dir .*does not exist; create it first$/],
      ];
      for (const [argv, re] of cases) {
        const r = await runInProcess(...argv);
        expect(r.code, argv.join(' ')).toBe(2);
        expect(r.err.trimEnd().split('\n')).toHaveLength(1);
        expect(r.err.trimEnd()).toMatch(re);
        expect(r.err).not.toContain('hunter2');
        expect(r.out).toBe('');
      }
      // No signal handler stays behind after a failed start.
      expect(process.listenerCount('SIGTERM')).toBe(0);
    } finally {
      process.chdir(cwd);
      blocker.close();
    }
    // Nothing was made: no database for the busy port, no file named after the scheme.
    expect(existsSync(db)).toBe(false);
    expect(existsSync(join(dir, 'mysql:'))).toBe(false);
  });

  it('zero-change mode: an HTTPS port in use is one line naming ROOST_TLS_PORT, and nothing is made', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const busy = (blocker.address() as { port: number }).port;
    const db = join(dir, 'tls-busy.db');
    process.env.ROOST_TLS_PORT = String(busy);
    process.env.ROOST_TLS_DIR = join(dir, 'tls');
    try {
      const r = await runInProcess('serve', '--port', '0', '--db', db);
      expect(r.code).toBe(2);
      expect(r.err.trimEnd()).toBe(`roost: port ${busy} on 127.0.0.1 is already in use (is another Roost running? choose a port with ROOST_TLS_PORT; 0 picks a free one)`);
      expect(r.out).toBe('');
    } finally {
      delete process.env.ROOST_TLS_PORT;
      delete process.env.ROOST_TLS_DIR;
      blocker.close();
    }
    expect(existsSync(db)).toBe(false);
  });
});

describe.concurrent('real processes', () => {
  it('the first start after a failed one prints credentials that all work; the banner comes first', async () => {
    const db = join(dir, 'first.db');
    const ok = start(['serve', '--port', '0', '--db', db]);
    const url = (await ok.waitFor(/listening on (http:\/\/\S+)/))[1]!;
    await ok.waitFor(/Try: /);
    expect(ok.out()).toMatch(/consumer secret: \w+ {3}\(shown once\)/);
    await credentialsWork(url, ok.out());
    // Human text only on stdout: the banner comes first, nothing before it.
    expect(ok.out().startsWith('Roost listening on ')).toBe(true);
    ok.child.kill('SIGTERM');
    expect(await ok.exited).toBe(0);
  });

  it('SIGINT while seeding: a message, exit 130, and no half world left behind', async () => {
    const db = join(dir, 'interrupted.db');
    const p = start(['serve', '--port', '0', '--db', db], { ROOST_SEED: '1' });
    await p.waitFor(/seeding the demo world/, 'err');
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(130);
    expect(p.err()).toMatch(/roost: SIGINT while seeding the demo world; nothing of it was kept, the next start seeds it again\n$/);
    expect(p.out()).toBe('');
    const sqlite = new Database(db, { readonly: true });
    try {
      expect(sqlite.prepare('select count(*) as n from users').get()).toEqual({ n: 0 });
      expect(sqlite.prepare('select count(*) as n from posts').get()).toEqual({ n: 0 });
    } finally {
      sqlite.close();
    }
  });

  it('ROOST_CONSUMER_KEY/SECRET, ROOST_ACCESS_TOKEN/SECRET, ROOST_CLIENT_ID/SECRET pin the credentials across starts', async () => {
    const env = {
      ROOST_CONSUMER_KEY: 'ciConsumerKey0001',
      ROOST_CONSUMER_SECRET: 'ciConsumerSecret000000000001',
      ROOST_ACCESS_TOKEN: '2244994945-ciAccessToken0001',
      ROOST_ACCESS_TOKEN_SECRET: 'ciAccessTokenSecret0000000001',
      ROOST_CLIENT_ID: 'ciClientId000000000001',
      ROOST_CLIENT_SECRET: 'ciClientSecret0000000001',
    };
    const db = join(dir, 'fixed.db');
    for (const round of [1, 2]) {
      const p = start(['serve', '--port', '0', '--db', db], env);
      const url = (await p.waitFor(/listening on (http:\/\/\S+)/))[1]!;
      await p.waitFor(/Try: /);
      const out = p.out();
      expect(out).toContain(`OAuth 1.0a access token for @XDevelopers:  ${env.ROOST_ACCESS_TOKEN}`);
      if (round === 1) {
        expect(out).toContain(`Default app consumer secret: ${env.ROOST_CONSUMER_SECRET}\n`);
        expect(out).toContain(`OAuth 2.0 client id:         ${env.ROOST_CLIENT_ID}`);
      }
      const consumer = { key: env.ROOST_CONSUMER_KEY, secret: env.ROOST_CONSUMER_SECRET };
      const me = await fetch(`${url}/2/users/me`, {
        headers: { authorization: oauth1Header('GET', `${url}/2/users/me`, consumer, { token: env.ROOST_ACCESS_TOKEN, secret: env.ROOST_ACCESS_TOKEN_SECRET }) },
      });
      expect(me.status).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    }
  });

  it('npm start passes SIGTERM through: the server stops and nothing keeps listening', async () => {
    const db = join(dir, 'npm.db');
    const p = start(['start', '--silent'], { ROOST_PORT: '0', ROOST_DB_URL: db }, { cwd: REPO, command: 'npm' });
    const url = (await p.waitFor(/listening on (http:\/\/\S+)/))[1]!;
    await p.waitFor(/Try: /);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    await p.exited;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

describe('banner', () => {
  it('hides database passwords and lists the OAuth 1.0a pair', () => {
    const config = buildConfig({ ROOST_DB_URL: 'postgres://roost:s3cr3t@db.internal:5432/roost', ROOST_ADMIN_TOKEN: 'admin-token-0123456789' });
    const text = banner('http://127.0.0.1:8080', config, {
      seeded: true,
      appId: '1',
      bearerToken: 'AAAA',
      userToken: 'user-token',
      oauth1: { token: '2244994945-abc', secret: 'def' },
    });
    expect(text).toContain('(database: postgres://roost:***@db.internal:5432/roost, demo world seeded)');
    expect(text).not.toContain('s3cr3t');
    expect(text).toContain('OAuth 1.0a access token for @XDevelopers:  2244994945-abc');
    expect(text).toContain('OAuth 1.0a access token secret:            def   (shown once)');
    expect(text).toContain('Admin API: http://127.0.0.1:8080/_roost/');
  });
});
