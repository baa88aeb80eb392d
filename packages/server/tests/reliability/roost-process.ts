/** Real `roost` processes for reliability tests: one-shot commands and a server that can be killed and restarted. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT as ROOT, ROOST_BIN as BIN, runRoost } from '@roost/dev-env';

/** Runs `roost <args>` to completion; resolves with its standard output. */
export const run = runRoost;

export interface Served {
  child: ChildProcess;
  url: string;
  /** Resolves when the process has exited (listened for from the start, so an early exit is not missed). */
  exited: Promise<void>;
  /** Everything the process printed on standard output so far (start-up banner included). */
  output(): string;
}

/**
 * The environment of a crash-tested `roost serve`: loopback, no seed (the test makes its world), the two fixed
 * tokens, no rate limits or metering, media and key under `dir`; `extra` adds the test's own settings.
 */
export function crashEnv(o: { dir: string; db: string; bearer: string; userToken: string }, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    ROOST_HOST: '127.0.0.1',
    ROOST_PORT: '0',
    ROOST_DB_URL: o.db,
    ROOST_SEED: 'off',
    ROOST_LOG_LEVEL: 'warn',
    ROOST_BEARER_TOKEN: o.bearer,
    ROOST_USER_TOKEN: o.userToken,
    ROOST_RATE_LIMITS: 'off',
    ROOST_METERING: 'off',
    ROOST_MEDIA_DIR: join(o.dir, 'media'),
    ROOST_SECRET_KEY_FILE: join(o.dir, 'roost.key'),
    ...extra,
  };
  delete e.ROOST_API_HITS_DIR;
  return e;
}

/** Starts `roost serve`; resolves once it prints where it listens. */
export function serve(e: NodeJS.ProcessEnv): Promise<Served> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) res({ child, url: m[1]!, exited, output: () => out });
    });
    child.on('exit', (code) => rej(new Error(`roost serve exited ${code} before listening: ${err}`)));
  });
}
