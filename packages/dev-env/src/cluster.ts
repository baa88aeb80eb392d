/**
 * A Roost cluster for scale-out tests and benchmarks: one throwaway PostgreSQL, one throwaway Redis, and N
 * `roost serve` processes (the repository's bin) on free loopback ports sharing both. The first node migrates the
 * database (and seeds it when asked) before the others start, as an operator would roll out a new version.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres, type PostgresServer } from './postgres.js';
import { startRedis, type RedisServer } from './redis.js';

const BIN = fileURLToPath(new URL('../../server/bin/roost.js', import.meta.url));
const START_TIMEOUT_MS = 60_000;

/** Fixed credentials every node accepts (the same world: they name the same rows). */
export const CLUSTER_CREDENTIALS = {
  bearerToken: 'AAAAAAAAAAAAAAAAAAAAAclustertestbearer00000000000000000000000000000',
  userToken: 'cluster-test-user-token-00000000000000000000000',
  consumerKey: 'clusterconsumerkey0000000',
  consumerSecret: 'clusterconsumersecret000000000000000000000000000000',
  accessToken: '2244994945-clusteraccesstoken000000000000000000000',
  accessTokenSecret: 'clusteraccesstokensecret00000000000000000000000',
} as const;

export interface ClusterNode {
  readonly name: string;
  /** The node's ROOST_WORKER_ID. */
  readonly workerId: number;
  url: string;
  pid: number;
  /** SIGKILL: no shutdown, no last flush. Resolves once the process is gone. */
  kill9(): Promise<void>;
  /** Starts the node again after a kill (same worker id, so it resumes its bus position). */
  restart(): Promise<void>;
  alive(): boolean;
}

export interface Cluster {
  readonly nodes: ClusterNode[];
  readonly postgres: PostgresServer;
  readonly redis: RedisServer;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  nodes: number;
  /** More ROOST_* settings for every node. */
  env?: Record<string, string>;
  /** Seed the demo world (first node); off by default (an empty world with the fixed credentials' user and app). */
  seed?: boolean;
  /** Forward the nodes' stderr (debugging). */
  log?: boolean;
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const postgres = await startPostgres();
  const redis = await startRedis().catch(async (err) => {
    await postgres.stop();
    throw err;
  });
  const dir = mkdtempSync(join(tmpdir(), 'roost-cluster-'));
  const c = CLUSTER_CREDENTIALS;
  const base: Record<string, string> = {
    ROOST_HOST: '127.0.0.1',
    ROOST_PORT: '0',
    ROOST_DB_URL: postgres.url,
    ROOST_REDIS_URL: redis.url,
    ROOST_SEED: o.seed ? '1' : 'off',
    ROOST_LOG_LEVEL: 'warn',
    ROOST_SECRET_KEY: 'roost-cluster-secret-key-not-for-production-0001',
    ROOST_BEARER_TOKEN: c.bearerToken,
    ROOST_USER_TOKEN: c.userToken,
    ROOST_CONSUMER_KEY: c.consumerKey,
    ROOST_CONSUMER_SECRET: c.consumerSecret,
    ROOST_ACCESS_TOKEN: c.accessToken,
    ROOST_ACCESS_TOKEN_SECRET: c.accessTokenSecret,
    ROOST_MEDIA_DIR: join(dir, 'media'),
    ...o.env,
  };
  const nodes: Node[] = [];
  try {
    for (let i = 0; i < o.nodes; i++) {
      const n = new Node(`node${String.fromCharCode(65 + i)}`, i + 1, { ...base, ROOST_WORKER_ID: String(i + 1) }, o.log ?? false);
      await n.restart();
      nodes.push(n);
    }
  } catch (err) {
    await Promise.all(nodes.map((n) => n.kill9()));
    await Promise.all([postgres.stop(), redis.stop()]);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    nodes,
    postgres,
    redis,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await Promise.all([postgres.stop(), redis.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

class Node implements ClusterNode {
  url = '';
  pid = 0;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly workerId: number,
    private readonly env: Record<string, string>,
    private readonly log: boolean,
  ) {}

  alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  restart(): Promise<void> {
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.env };
    delete env.ROOST_API_HITS_DIR;
    const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.url = '';
    this.pid = child.pid ?? 0;
    this.exited = new Promise((r) => child.once('exit', () => r()));
    const onExit = () => child.kill('SIGKILL');
    process.once('exit', onExit);
    child.once('exit', () => process.removeListener('exit', onExit));
    return new Promise((resolve, reject) => {
      let listening = false;
      let out = '';
      let err = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${this.name} did not start within ${START_TIMEOUT_MS / 1000} s: ${err}`));
      }, START_TIMEOUT_MS);
      child.stderr!.on('data', (d: Buffer) => {
        if (err.length < 64_000) err += d;
        if (this.log) process.stderr.write(`[${this.name}] ${d}`);
      });
      child.stdout!.on('data', (d: Buffer) => {
        if (listening) return;
        out += d;
        const m = /listening on (http:\/\/[^\s]+)/.exec(out);
        if (!m) return;
        listening = true;
        clearTimeout(timer);
        this.url = m[1]!.replace(/\/$/, '');
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!listening) reject(new Error(`${this.name} exited ${code} before listening: ${err}`));
      });
    });
  }

  async kill9(): Promise<void> {
    if (this.alive()) this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** Graceful stop (SIGTERM), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    if (!this.alive()) return;
    this.child!.kill('SIGTERM');
    const t = setTimeout(() => this.child?.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(t);
  }
}
