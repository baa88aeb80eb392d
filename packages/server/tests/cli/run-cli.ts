/** Runs the CLI in-process and collects what it printed (both streams, in order); an exit attempt throws. */
import { runCli } from '../../src/cli/main.js';

export async function runCliCaptured(argv: string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const exit = (c: number): never => {
    throw new Error(`the command tried to exit the process with ${c}`);
  };
  const code = await runCli(argv, { out: (t) => (text += `${t}\n`), err: (t) => (text += `${t}\n`), exit });
  return { code, text };
}
