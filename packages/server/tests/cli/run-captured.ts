/** Runs one `roost` command line in-process (runCli), capturing its output and exit status. */
import { runCli } from '../../src/cli/main.js';

export async function runCaptured(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
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
