/** What the CLI tests share: the `roost` binary, a scratch directory per file, and in-process runs with captured output. */
import { resolve } from 'node:path';
import { runCli } from '../../src/cli/main.js';

export { scratchDir } from '../scratch.js';

/** packages/server/bin/roost.js, for tests that run the command as a child process. */
export const bin = resolve(import.meta.dirname, '../../bin/roost.js');

/** Runs `roost <argv>` in this process; standard output and error are captured, an exit call throws `exit <code>`. */
export async function runInProcess(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
    exit: (c) => {
      throw new Error(`exit ${c}`);
    },
  });
  return { code, out, err };
}
