import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

/** A throwaway Redis server: no persistence, a temp working dir, listening on 127.0.0.1 only. */
export interface RedisServer {
  /** redis:// URL of the server. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Stops the server (SIGTERM, then SIGKILL) and removes its dir. Safe to call more than once. */
  stop(): Promise<void>;
}

const CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];
const READY_TIMEOUT_MS = 15_000;

/** The redis-server binary (Debian's `redis-server` package), or undefined. */
export function redisBinary(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

export function redisAvailable(): boolean {
  return redisBinary() !== undefined;
}

/** Starts redis-server on a free loopback port; retries on a fresh port when another process took it first. */
export async function startRedis(): Promise<RedisServer> {
  const bin = redisBinary();
  if (!bin) throw new Error(`redis-server not found (${CANDIDATES.join(', ')}); install the Debian package: apt-get install redis-server`);
  const dir = mkdtempSync(join(tmpdir(), 'roost-redis-'));
  const logFile = join(dir, 'server.log');
  try {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = await freePort();
      const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', logFile, '--daemonize', 'no', '--protected-mode', 'yes'];
      const child = spawn(bin, args, { cwd: dir, stdio: 'ignore', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' } });
      child.unref();
      if (await ready(child, port)) return handle(child, port, dir);
      await stopChild(child);
      if (!/Address already in use/i.test(readLog(logFile))) break;
    }
    throw new Error(`redis-server did not start.\n${readLog(logFile).split('\n').slice(-20).join('\n')}`);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function handle(child: ChildProcess, port: number, dir: string): RedisServer {
  const onExit = () => {
    try {
      process.kill(child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    stop: () =>
      (stopping ??= (async () => {
        process.removeListener('exit', onExit);
        await stopChild(child);
        rmSync(dir, { recursive: true, force: true });
      })()),
  };
}

/** Polls with PING over a raw socket until the server answers PONG, it exits, or the deadline passes. */
async function ready(child: ChildProcess, port: number): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    if (await ping(port)) return true;
    await new Promise((r) => setTimeout(r, 30));
  }
  return false;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('error', () => done(false));
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (b) => done(b.toString().startsWith('+PONG')));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      child.kill(signal);
    } catch {
      return;
    }
    const exited = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 5_000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
    if (exited) return;
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
