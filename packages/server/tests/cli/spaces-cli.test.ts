/** `roost spaces create|start|end`, in-process on a small seeded database. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'roost-spaces-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'w.db');

async function roost(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli([...argv, '--db', db], { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), exit: (c) => { throw new Error(`exit ${c}`); } });
  return { code, out, err };
}

describe('roost spaces', () => {
  it('creates a scheduled Space, starts it, ends it; refuses bad input with one line', async () => {
    const seeded = await roost('seed', '--users', '30', '--posts', '60');
    expect(seeded.code).toBe(0);
    expect(JSON.parse(seeded.out).spaces).toBeGreaterThanOrEqual(9);

    const created = await roost('spaces', 'create', '--host', 'XDevelopers', '--title', 'CLI Space', '--start', new Date(Date.now() + 3_600_000).toISOString(), '--length', '1h');
    expect(created.code).toBe(0);
    const m = /^Space (\w{13}) "CLI Space" by 2244994945: scheduled/.exec(created.out);
    expect(m, created.out).not.toBeNull();
    const started = await roost('spaces', 'start', m![1]!);
    expect(started.out).toMatch(/: live, live at /);
    const ended = await roost('spaces', 'end', m![1]!);
    expect(ended.out).toMatch(/: ended, /);
    const again = await roost('spaces', 'end', m![1]!);
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/ended, not live/);
    expect((await roost('spaces', 'create', '--host', 'nobody_here_x', '--title', 'x')).err).toMatch(/no user @nobody_here_x/);
    expect((await roost('spaces', 'create', '--host', 'XDevelopers', '--title', 'x', '--length', 'soon')).err).toMatch(/--length/);
  });
});
