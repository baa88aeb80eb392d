import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { freePort } from './ports.js';

/** A throwaway PostgreSQL server: one data dir under the OS temp dir, listening on 127.0.0.1 only. */
export interface PostgresServer {
  /** postgres:// URL of an empty database owned by the superuser `roost` (trust auth, no password). */
  readonly url: string;
  /** The postmaster's pid (its backends are its children): benchmarks read their CPU time from /proc. */
  readonly pid: number;
  /** Fast shutdown, then removes the data dir. Safe to call more than once. */
  stop(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';
const USER = 'roost';
const DATABASE = 'roost';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
/** A fixed environment: no PG* variables or locale settings of the caller leak into initdb or the server. */
const CHILD_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C', TZ: 'UTC' };

/** The bin dir of the highest installed Debian PostgreSQL major, or undefined. */
export function postgresBinDir(): string | undefined {
  let versions: string[];
  try {
    versions = readdirSync(PG_ROOT);
  } catch {
    return undefined;
  }
  const usable = versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .filter((v) => ['initdb', 'postgres', 'pg_ctl'].every((b) => existsSync(join(PG_ROOT, v, 'bin', b))))
    .sort((a, b) => compareVersions(b, a));
  return usable.length ? join(PG_ROOT, usable[0], 'bin') : undefined;
}

/** Whether startPostgres() can find server binaries (Debian's `postgresql` package). */
export function postgresAvailable(): boolean {
  return postgresBinDir() !== undefined;
}

/**
 * Starts a real PostgreSQL server from the Debian packages on a temp data dir and a free loopback port, and
 * creates a database. PostgreSQL refuses to run as root, so under root (CI) the binaries run as the `postgres`
 * system user. Durability is switched off: the cluster lives only as long as the test run.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) {
    throw new Error(`PostgreSQL server binaries not found under ${PG_ROOT}/<version>/bin (install the Debian package: apt-get install postgresql)`);
  }
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;

  const base = mkdtempSync(join(tempBase(owner !== undefined), 'roost-pg-'));
  const dataDir = join(base, 'data');
  const socketDir = join(base, 'sock');
  const logFile = join(base, 'server.log');
  mkdirSync(socketDir);
  closeSync(openSync(logFile, 'a'));
  if (owner) for (const p of [base, socketDir, logFile]) chownSync(p, owner.uid, owner.gid);

  let child: ChildProcess | undefined;
  try {
    await run(join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', USER, '--no-sync', '-E', 'UTF8', '--locale=C'], base, owner);

    // The free port is only free until someone else binds it; retry on a fresh one if we lose that race.
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      child = spawnServer(join(bin, 'postgres'), dataDir, socketDir, port, logFile, base, owner);
      const outcome = await waitReady(child, port, logFile);
      if (outcome === 'ready') break;
      if (outcome === 'port-taken' && attempt < 3) continue;
      throw new Error(`PostgreSQL did not start (${outcome === 'port-taken' ? 'port in use' : outcome}).\n${logTail(logFile)}`);
    }

    const admin = new pg.Client({ host: '127.0.0.1', port, user: USER, database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await admin.end();
    }

    const server = child;
    const onExit = () => {
      // Last resort when the process exits without stop(): immediate shutdown; the lock-file check makes an
      // orphaned postmaster quit on its own once its data dir is gone.
      try {
        process.kill(server.pid!, 'SIGQUIT');
      } catch {
        /* already gone */
      }
      rmSync(base, { recursive: true, force: true });
    };
    process.once('exit', onExit);
    let stopping: Promise<void> | undefined;
    return {
      url: `postgres://${USER}@127.0.0.1:${port}/${DATABASE}`,
      pid: server.pid!,
      stop: () =>
        (stopping ??= (async () => {
          process.removeListener('exit', onExit);
          await shutdown(server);
          rmSync(base, { recursive: true, force: true });
        })()),
    };
  } catch (err) {
    if (child) await shutdown(child);
    rmSync(base, { recursive: true, force: true });
    throw err;
  }
}

interface Owner {
  uid: number;
  gid: number;
}

function postgresUser(): Owner {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', env: CHILD_ENV }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('running as root, but there is no `postgres` system user to run PostgreSQL as (it comes with the postgresql-common package)');
  }
}

/** The postgres user must be able to reach the data dir; a root-only TMPDIR (e.g. under /root) would not do. */
function tempBase(asOtherUser: boolean): string {
  const dir = tmpdir();
  if (!asOtherUser) return dir;
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return '/tmp';
    if (dirname(d) === d) return dir;
  }
}

function run(file: string, args: string[], cwd: string, owner: Owner | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env: CHILD_ENV, uid: owner?.uid, gid: owner?.gid, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} failed: ${err.message}\n${tail(`${stdout}\n${stderr}`)}`));
      else resolve();
    });
  });
}

/**
 * Spawned directly (with uid/gid under root rather than through a runuser wrapper) so that the child's pid is the
 * postmaster's: signals for fast or immediate shutdown go straight to it.
 */
function spawnServer(file: string, dataDir: string, socketDir: string, port: number, logFile: string, cwd: string, owner: Owner | undefined): ChildProcess {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: socketDir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: '16MB',
    max_connections: '50',
    autovacuum: 'off',
    max_wal_senders: '0',
    wal_level: 'minimal',
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(file, args, { cwd, env: CHILD_ENV, uid: owner?.uid, gid: owner?.gid, stdio: ['ignore', log, log] });
    // The test process must be free to exit even if a suite forgot stop(); the 'exit' hook cleans up then.
    child.unref();
    return child;
  } finally {
    closeSync(log);
  }
}

type Outcome = 'ready' | 'port-taken' | string;

async function waitReady(child: ChildProcess, port: number, logFile: string): Promise<Outcome> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = '';
  for (;;) {
    if (hasExited(child)) {
      const log = readLog(logFile);
      if (/could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(log)) return 'port-taken';
      return `server exited with ${child.exitCode ?? child.signalCode}`;
    }
    const client = new pg.Client({ host: '127.0.0.1', port, user: USER, database: 'postgres', connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('select 1');
      return 'ready';
    } catch (err) {
      lastError = (err as Error).message;
    } finally {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      await shutdown(child);
      return `not accepting connections on 127.0.0.1:${port} after ${READY_TIMEOUT_MS / 1000} s; last error: ${lastError}`;
    }
    await sleep(50);
  }
}

/** SIGINT is PostgreSQL's fast shutdown; escalate to immediate (SIGQUIT), then SIGKILL, if it hangs. */
async function shutdown(child: ChildProcess): Promise<void> {
  for (const [signal, ms] of [['SIGINT', STOP_TIMEOUT_MS], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]] as const) {
    if (hasExited(child)) return;
    try {
      child.kill(signal);
    } catch {
      return;
    }
    if (await exitWithin(child, ms)) return;
  }
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function exitWithin(child: ChildProcess, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (hasExited(child)) return resolve(true);
    const done = (exited: boolean) => {
      clearTimeout(timer);
      child.removeListener('exit', onExit);
      resolve(exited);
    };
    const onExit = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    child.once('exit', onExit);
  });
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The temp dir is removed on failure, so the message carries the log itself. */
function logTail(file: string): string {
  return `--- server log (last lines) ---\n${tail(readLog(file))}`;
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
