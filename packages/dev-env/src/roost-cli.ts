/** The `roost` command line as a child process, for tests that drive a real installation. */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const ROOST_BIN = join(REPO_ROOT, 'packages/server/bin/roost.js');

/** Runs `roost <args>` to completion in the repository root; resolves with its standard output, rejects on a non-zero exit. */
export function runRoost(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
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
