/**
 * Server processes for the benchmark. Each server runs in its own Node process (the load generator keeps the
 * parent's event loop), loaded through tsx's ESM hook in that same process so `--cpu-prof`/inspector see the
 * server and not a wrapper. The child's first stdout line is its JSON handshake; later lines answer commands
 * written to its stdin. Closing stdin makes a child exit, so a crashed parent leaves nothing running.
 */
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const TSX_LOADER = import.meta.resolve('tsx');

export class ServerProcess {
  private readonly lines: string[] = [];
  private readonly waiters: Array<{ resolve: (l: string) => void; reject: (e: Error) => void }> = [];
  private exited: Error | null = null;
  private readonly exitPromise: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const w = this.waiters.shift();
      if (w) w.resolve(line);
      else this.lines.push(line);
    });
    this.exitPromise = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exited = new Error(`${name} exited (code ${code}, signal ${signal})`);
        for (const w of this.waiters.splice(0)) w.reject(this.exited);
        resolve();
      });
    });
  }

  static spawn(name: string, script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): ServerProcess {
    const path = fileURLToPath(new URL(script, import.meta.url));
    const child = spawn(process.execPath, ['--import', TSX_LOADER, path, ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    return new ServerProcess(name, child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The next stdout line, or a rejection if the process exits or the timeout passes first. */
  nextLine(timeoutMs: number): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`${this.name}: no answer within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const waiter = {
        resolve: (l: string) => (clearTimeout(timer), resolve(l)),
        reject: (e: Error) => (clearTimeout(timer), reject(e)),
      };
      this.waiters.push(waiter);
    });
  }

  async handshake<T>(timeoutMs: number): Promise<T> {
    const line = await this.nextLine(timeoutMs);
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new Error(`${this.name}: expected a JSON handshake line, got: ${line.slice(0, 200)}`);
    }
  }

  /** Sends one command line and waits for one answer line. */
  async command(cmd: string, timeoutMs = 30_000): Promise<string> {
    this.child.stdin!.write(`${cmd}\n`);
    return this.nextLine(timeoutMs);
  }

  /** SIGTERM (clean exit, temp files removed), then SIGKILL if it lingers. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exitPromise;
    clearTimeout(timer);
  }
}

let session: Session | undefined;

/**
 * The profiler commands every server child answers on stdin, one line each:
 *   `profile start`        starts the V8 CPU profiler (so seeding stays out of the profile)   → `ok`
 *   `profile stop <path>`  stops it and writes a .cpuprofile to <path>                         → `ok`
 */
export async function profilerCommand(line: string): Promise<string> {
  const [verb, arg, path] = line.trim().split(/\s+/);
  if (verb === 'profile' && arg === 'start') {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    return 'ok';
  }
  if (verb === 'profile' && arg === 'stop' && path && session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(path, JSON.stringify(profile));
    session.disconnect();
    session = undefined;
    return 'ok';
  }
  return `error: unknown command ${JSON.stringify(line)}`;
}

/** Answers each stdin line with `handle`'s answer (or `error: …`) on one stdout line. */
export function answerCommands(lines: ReturnType<typeof createInterface>, handle: (line: string) => Promise<string>): void {
  lines.on('line', (line) => {
    handle(line).then(
      (answer) => process.stdout.write(`${answer}\n`),
      (err: unknown) => process.stdout.write(`error: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  });
}

/**
 * The child side: prints the handshake line, answers commands (the profiler's unless the bench passes its own
 * `commands`, which should fall back to `profilerCommand`), then serves until SIGTERM, SIGINT or the parent closing
 * stdin; then closes the server, removes `tmpDir` (if any) and exits. One answer per line: a second stdin listener
 * in the bench would race this one for the parent's single expected answer.
 */
export function serveUntilParentCloses(
  server: { close(): Promise<void> },
  handshake: object,
  tmpDir?: string,
  commands: (line: string) => Promise<string> = profilerCommand,
): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await server.close();
    } finally {
      if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.stdout.write(`${JSON.stringify(handshake)}\n`);
  const lines = createInterface({ input: process.stdin });
  answerCommands(lines, commands);
  lines.on('close', () => void stop());
}

/**
 * The child of a write benchmark: Roost on `dbUrl` (a temp SQLite file under `dir`, or a PostgreSQL url) seeded
 * with `world`, rate limits and metering off (thousands of posts from one user are far past X's limits, and not
 * what these benches measure); hands `{url, token, bearer}` — a user token of @XDevelopers and the app's bearer
 * token — to the parent and serves until it closes, then runs `after` (e.g. stops PostgreSQL) and removes `dir`.
 */
export async function serveBenchWorld(opts: { dir: string; dbUrl: string; world: { users: number; posts: number }; after?: () => Promise<void> }): Promise<void> {
  const { buildConfig, mintUserToken, startServer, XDEVELOPERS_ID } = await import('@roost/server');
  const config = buildConfig(
    { ROOST_PORT: '0', ROOST_LOG_LEVEL: 'silent', ROOST_RATE_LIMITS: 'off', ROOST_METERING: 'off' },
    { dbUrl: opts.dbUrl, seed: 1, world: opts.world, logLevel: 'silent' },
  );
  const handle = await startServer(config);
  const token = await mintUserToken(handle.ctx, { appId: handle.boot.appId, userId: XDEVELOPERS_ID });
  const server = { close: async () => (await handle.close(), await opts.after?.()) };
  serveUntilParentCloses(server, { url: handle.url, token, bearer: handle.boot.bearerToken }, opts.dir);
}

/**
 * Opens Roost's filtered stream with an app bearer token and calls `onLine` with each non-empty line and the time
 * (performance.now()) its bytes arrived. Rejects unless the stream answers 200.
 */
export async function openFilteredStream(url: string, bearer: string, onLine: (line: string, now: number) => void): Promise<http.IncomingMessage> {
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(`${url}/2/tweets/search/stream`, { headers: { authorization: `Bearer ${bearer}` } }, resolve).on('error', reject);
  });
  if (res.statusCode !== 200) throw new Error(`stream: ${res.statusCode}`);
  let buf = '';
  res.setEncoding('utf8');
  res.on('data', (c: string) => {
    const now = performance.now();
    buf += c;
    let i: number;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (line) onLine(line, now);
    }
  });
  return res;
}
