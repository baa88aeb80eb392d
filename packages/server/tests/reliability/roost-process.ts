/** Real `roost` processes for reliability tests: one-shot commands and a server that can be killed and restarted. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../../..');
const BIN = join(ROOT, 'packages/server/bin/roost.js');

/** Runs `roost <args>` to completion; resolves with its standard output. */
export function run(args: string[], e: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? res(out) : rej(new Error(`roost ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

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
