/** Real `roost` processes for reliability tests: one-shot commands and a server that can be killed and restarted. */
import { spawn, type ChildProcess } from 'node:child_process';
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
