/**
 * A real Roost process for the conformance suite: `node packages/server/bin/roost.js serve` on a free loopback
 * port over a temporary SQLite file with the demo world, exactly as an operator starts it, in zero-change mode
 * (HTTPS as X's hosts on a second free port, src/zero-change.ts).
 *
 * Seeding the demo world costs seconds of CPU, so the suite's global setup (src/global-setup.ts) does the first
 * start once: `prepareTemplate()` starts Roost on an empty file (it seeds the world and prints the default app's
 * credentials, shown only at first start), asks the `roost` CLI for an OAuth 1.0a token, and stops it. Each test
 * file then starts its own process on a copy of that file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOST_BIN, runRoost } from '@roost/dev-env';
import { REPO_ROOT } from './paths.js';
import { checkWorkerEnv, parseExports, TLS_DIR } from './zero-change.js';

export { REPO_ROOT };
const START_TIMEOUT_MS = 90_000;

/** @XDevelopers, the demo world's anchor account. */
export const XDEVELOPERS = { id: '2244994945', username: 'XDevelopers' } as const;

/** The default app's credentials, as Roost prints them at first start, plus a CLI-made OAuth 1.0a token. */
export interface Credentials {
  bearer: string;
  consumerKey: string;
  consumerSecret: string;
  clientId: string;
  clientSecret: string;
  /** An OAuth 2.0 user token for @XDevelopers with every scope. */
  userToken: string;
  /** An OAuth 1.0a access token of the default app for @XDevelopers (`roost tokens create --oauth1`). */
  oauth1: { token: string; secret: string };
}

/** A seeded database file and the credentials valid in it (and in every copy of it). */
export interface RoostTemplate {
  dbPath: string;
  credentials: Credentials;
}

export interface Roost extends Credentials {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `https://127.0.0.1:PORT`: zero-change mode's HTTPS socket. */
  tlsUrl: string;
  /**
   * The settings `roost trust` prints for this process (NODE_EXTRA_CA_CERTS, NODE_OPTIONS, ROOST_X_ADDRESS,
   * REQUESTS_CA_BUNDLE, SSL_CERT_FILE, HTTPS_PROXY): all a client's process needs to reach it as X.
   */
  clientEnv: Record<string, string>;
  dbPath: string;
  /** Runs `roost <args> --db <this database>` and returns its stdout. */
  cli(args: string[]): Promise<string>;
  /**
   * `roost apps create --name NAME --owner USERNAME`, then its app-only bearer from `POST /oauth2/token`: another
   * app (another project when the owner differs), e.g. for a stream connection of its own.
   */
  createApp(name: string, owner: string): Promise<{ consumerKey: string; consumerSecret: string; bearer: string }>;
  /** Plain HTTP against the process (the test's own view, independent of the client under test). */
  api<T = any>(method: string, path: string, o?: { token?: string; body?: unknown }): Promise<{ status: number; headers: Headers; body: T }>;
  stop(): Promise<void>;
}

function baseEnv(dbPath: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ROOST_HOST: '127.0.0.1',
    ROOST_PORT: '0',
    ROOST_DB_URL: dbPath,
    ROOST_SEED: '1',
    ROOST_LOG_LEVEL: 'warn',
    ROOST_TLS_PORT: '0',
    ROOST_TLS_DIR: TLS_DIR,
    ...extra,
  };
  // The test runner's recorder of API hits is for in-process test servers, not for this process.
  delete env.ROOST_API_HITS_DIR;
  return env;
}

const after = (text: string, label: string): string => {
  const m = new RegExp(`${label}\\s*(\\S+)`).exec(text);
  if (!m) throw new Error(`roost did not print "${label}":\n${text}`);
  return m[1];
};

interface Serving {
  url: string;
  tlsUrl: string;
  banner: string;
  stop(): Promise<void>;
}

/** `roost serve` until it prints its start-up lines. */
async function serve(env: NodeJS.ProcessEnv): Promise<Serving> {
  const child: ChildProcess = spawn(process.execPath, [ROOST_BIN, 'serve'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  // If the test process goes away without stopping it (a crashed worker), the server goes too.
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);
  void exited.then(() => process.off('exit', orphaned));
  const banner = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`roost serve did not start within ${START_TIMEOUT_MS} ms:\n${stdout}${stderr}`));
    }, START_TIMEOUT_MS);
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
  return {
    url: after(banner, 'Roost listening on'),
    tlsUrl: after(banner, 'Zero-change mode:'),
    banner,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      // A graceful stop flushes the limiter and closes the database; a wedged process is killed.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** First start on an empty file in `dir`: the demo world, the default app and its credentials. */
export async function prepareTemplate(dir: string): Promise<RoostTemplate> {
  const dbPath = join(dir, 'template.db');
  const env = baseEnv(dbPath);
  const first = await serve(env);
  try {
    const b = first.banner;
    const out = await runRoost(['tokens', 'create', '--user', XDEVELOPERS.username, '--oauth1', '--db', dbPath], env);
    return {
      dbPath,
      credentials: {
        bearer: after(b, 'App-only bearer token \\(default app\\):'),
        consumerKey: after(b, 'Default app consumer key:'),
        consumerSecret: after(b, 'Default app consumer secret:'),
        clientId: after(b, 'OAuth 2.0 client id:'),
        clientSecret: after(b, 'OAuth 2.0 client secret:'),
        userToken: after(b, 'User token for @XDevelopers \\(all scopes\\):'),
        oauth1: { token: after(out, 'access token:'), secret: after(out, 'access token secret:') },
      },
    };
  } finally {
    await first.stop();
  }
}

/** A Roost process of its own on a copy of the template's database. */
export async function startRoost(template: RoostTemplate, opts: { env?: Record<string, string> } = {}): Promise<Roost> {
  const dir = mkdtempSync(join(tmpdir(), 'roost-conformance-'));
  const dbPath = join(dir, 'roost.db');
  for (const suffix of ['', '-wal', '-shm', '.key']) if (existsSync(template.dbPath + suffix)) copyFileSync(template.dbPath + suffix, dbPath + suffix);
  const env = baseEnv(dbPath, opts.env);
  const server = await serve(env).catch((e: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  const url = server.url;
  let clientEnv: Record<string, string>;
  try {
    const trust = await runRoost(['trust', '--dir', TLS_DIR, '--port', new URL(url).port, '--tls-port', new URL(server.tlsUrl).port], env);
    clientEnv = parseExports(trust);
    checkWorkerEnv(clientEnv);
  } catch (e) {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  // The preload reads it at each new connection: from now on this worker's X hosts are this process.
  process.env.ROOST_X_ADDRESS = clientEnv.ROOST_X_ADDRESS;
  const roost: Roost = {
    ...template.credentials,
    url,
    tlsUrl: server.tlsUrl,
    clientEnv,
    dbPath,
    cli: (args) => runRoost([...args, '--db', dbPath], env),
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
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return roost;
}
