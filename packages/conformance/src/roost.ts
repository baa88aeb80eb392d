/**
 * A real Roost process for the conformance suite: `node packages/server/bin/roost.js serve` on a free loopback
 * port over a temporary SQLite file with the demo world, exactly as an operator starts it. The credentials are
 * read from what the process prints at first start; more come from the `roost` CLI run against the same file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const ROOST_BIN = join(REPO_ROOT, 'packages/server/bin/roost.js');
const START_TIMEOUT_MS = 90_000;

/** @XDevelopers, the demo world's anchor account. */
export const XDEVELOPERS = { id: '2244994945', username: 'XDevelopers' } as const;

export interface RoostOptions {
  /** Extra environment, e.g. `{ ROOST_RATE_LIMIT_OVERRIDES: '{"getPostsLikingUsers":{"app":3}}' }`. */
  env?: Record<string, string>;
}

export interface Roost {
  /** `http://127.0.0.1:PORT` */
  url: string;
  dbPath: string;
  /** The default app, as printed at first start. */
  bearer: string;
  consumerKey: string;
  consumerSecret: string;
  clientId: string;
  clientSecret: string;
  /** An OAuth 2.0 user token for @XDevelopers with every scope. */
  userToken: string;
  /** Runs `roost <args> --db <this database>` and returns its stdout. */
  cli(args: string[]): Promise<string>;
  /** `roost tokens create --user USERNAME --oauth1`: an OAuth 1.0a access token of the default app. */
  oauth1Token(username: string): Promise<{ token: string; secret: string }>;
  /**
   * `roost apps create --name NAME --owner USERNAME`, then its app-only bearer from `POST /oauth2/token`: a second
   * app (another project when the owner differs), e.g. for a stream connection of its own.
   */
  createApp(name: string, owner: string): Promise<{ consumerKey: string; consumerSecret: string; bearer: string }>;
  /** Plain HTTP against the process (the test's own view, independent of the client under test). */
  api<T = any>(method: string, path: string, o?: { token?: string; body?: unknown }): Promise<{ status: number; headers: Headers; body: T }>;
  stop(): Promise<void>;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [ROOST_BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', rej);
    p.on('close', (code) => (code === 0 ? res(out) : rej(new Error(`roost ${args.join(' ')} exited ${code}: ${err || out}`))));
  });
}

const after = (text: string, label: string): string => {
  const m = new RegExp(`${label}\\s*(\\S+)`).exec(text);
  if (!m) throw new Error(`roost did not print "${label}":\n${text}`);
  return m[1];
};

export async function startRoost(opts: RoostOptions = {}): Promise<Roost> {
  const dir = mkdtempSync(join(tmpdir(), 'roost-conformance-'));
  const dbPath = join(dir, 'roost.db');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ROOST_HOST: '127.0.0.1',
    ROOST_PORT: '0',
    ROOST_DB_URL: dbPath,
    ROOST_SEED: '1',
    ROOST_LOG_LEVEL: 'warn',
    ...opts.env,
  };
  // The test runner's own variables must not leak into the server (it records API hits per process).
  delete env.ROOST_API_HITS_DIR;
  const child: ChildProcess = spawn(process.execPath, [ROOST_BIN, 'serve'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));

  const banner = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`roost serve did not start within ${START_TIMEOUT_MS} ms:\n${stdout}${stderr}`)), START_TIMEOUT_MS);
    child.stdout!.on('data', (d) => {
      stdout += d;
      if (/^\s*Try: /m.test(stdout)) {
        clearTimeout(timer);
        res(stdout);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`roost serve exited with ${code} before it was ready:\n${stdout}${stderr}`));
    });
  });

  const url = after(banner, 'Roost listening on');
  const cliEnv: NodeJS.ProcessEnv = { ...env };
  const roost: Roost = {
    url,
    dbPath,
    bearer: after(banner, 'App-only bearer token \\(default app\\):'),
    consumerKey: after(banner, 'Default app consumer key:'),
    consumerSecret: after(banner, 'Default app consumer secret:'),
    clientId: after(banner, 'OAuth 2.0 client id:'),
    clientSecret: after(banner, 'OAuth 2.0 client secret:'),
    userToken: after(banner, 'User token for @XDevelopers \\(all scopes\\):'),
    cli: (args) => run([...args, '--db', dbPath], cliEnv),
    async oauth1Token(username) {
      const out = await roost.cli(['tokens', 'create', '--user', username, '--oauth1']);
      return { token: after(out, 'access token:'), secret: after(out, 'access token secret:') };
    },
    async createApp(name, owner) {
      const out = await roost.cli(['apps', 'create', '--name', name, '--owner', owner]);
      const consumerKey = after(out, 'consumer key:');
      const consumerSecret = after(out, 'consumer secret:');
      const r = await fetch(`${url}/oauth2/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      const body = (await r.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`POST /oauth2/token for the new app: ${r.status} ${JSON.stringify(body)}`);
      return { consumerKey, consumerSecret, bearer: body.access_token };
    },
    async api(method, path, o = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${o.token ?? roost.bearer}` };
      if (o.body !== undefined) headers['content-type'] = 'application/json';
      const r = await fetch(url + path, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
      const text = await r.text();
      return { status: r.status, headers: r.headers, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        // A graceful stop flushes the limiter and closes the database; a wedged process is killed.
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return roost;
}
