import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bin, scratchDir } from './cli-kit.js';

const dir = scratchDir('roost-cli-');

const BEARER = 'AAAAAAAAAAAAAAAAAAAAAFixedCiBearerToken0001';
const USER = 'fixed-ci-user-token-for-xdevelopers-0001';

function serve(env: Record<string, string>) {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', join(dir, 'serve.db')], {
    env: { ...process.env, ROOST_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const ready = new Promise<string>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`no start-up line:\n${out}`)), 90_000);
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.includes('User')) {
        clearTimeout(t);
        res(m[1]);
      }
    });
    child.on('exit', (code) => rej(new Error(`exited ${code}:\n${out}`)));
  });
  return { child, ready, output: () => out };
}

describe('roost CLI', () => {
  it('serve: seeds on first start, honours fixed CI tokens, answers the quickstart, stops cleanly on SIGTERM', async () => {
    const s = serve({ ROOST_BEARER_TOKEN: BEARER, ROOST_USER_TOKEN: USER, ROOST_SEED: '3' });
    const url = await s.ready;
    expect(s.output()).toContain(`bearer token (default app): ${BEARER}`);
    expect(s.output()).toMatch(/consumer secret: \w{50}/);
    const r = await fetch(`${url}/2/users/by/username/xdevelopers?user.fields=created_at,description,public_metrics`, {
      headers: { authorization: `Bearer ${BEARER}` },
    });
    expect(r.status).toBe(200);
    expect(((await r.json()) as any).data.created_at).toBe('2013-12-14T04:35:55.000Z');
    const me = await fetch(`${url}/2/users/me`, { headers: { authorization: `Bearer ${USER}` } });
    expect(((await me.json()) as any).data.username).toBe('XDevelopers');
    const exit = new Promise<number | null>((res) => s.child.on('exit', res));
    s.child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('second start keeps the world and the app; the secret is not printed again', async () => {
    const s = serve({ ROOST_BEARER_TOKEN: BEARER, ROOST_USER_TOKEN: USER });
    await s.ready;
    expect(s.output()).not.toContain('consumer secret');
    expect(s.output()).not.toContain('demo world seeded');
    const exit = new Promise<number | null>((res) => s.child.on('exit', res));
    s.child.kill('SIGINT');
    expect(await exit).toBe(0);
  });

  it('apps create and tokens create print credentials once; bad input exits 2 with a message', () => {
    const db = join(dir, 'serve.db');
    const app = spawnSync(process.execPath, [bin, 'apps', 'create', '--name', 'bot', '--db', db], { encoding: 'utf8' });
    expect(app.status).toBe(0);
    expect(app.stdout).toMatch(/consumer key: {4}\w{25}\n {2}consumer secret: \w{50}/);
    const tok = spawnSync(process.execPath, [bin, 'tokens', 'create', '--user', 'xdevelopers', '--scopes', 'tweet.read users.read', '--db', db], {
      encoding: 'utf8',
    });
    expect(tok.status).toBe(0);
    expect(tok.stdout.trim()).toMatch(/^[\w-]{40,}$/);
    const bad = spawnSync(process.execPath, [bin, 'tokens', 'create', '--user', 'nobody_zz', '--db', db], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('no user @nobody_zz');
    const badScope = spawnSync(process.execPath, [bin, 'tokens', 'create', '--user', 'xdevelopers', '--scopes', 'tweet.fly', '--db', db], { encoding: 'utf8' });
    expect(badScope.status).toBe(2);
  });

  it('seed builds a world of the asked size into a new database and refuses a non-empty one', () => {
    const db = join(dir, 'seeded.db');
    const r = spawnSync(process.execPath, [bin, 'seed', '--users', '60', '--posts', '400', '--seed', '5', '--db', db], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ users: 60, posts: 400 });
    const again = spawnSync(process.execPath, [bin, 'seed', '--users', '60', '--posts', '400', '--db', db], { encoding: 'utf8' });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already holds a world');
  });

  it('apps credits, apps limits, apps rotate-secret and tokens create --oauth1', () => {
    const db = join(dir, 'serve.db');
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args, '--db', db], { encoding: 'utf8' });
    const before = run('apps', 'credits');
    expect(before.status).toBe(0);
    const balance = Number(/balance \$([\d.-]+)/.exec(before.stdout)![1]);
    const added = run('apps', 'credits', '--add', '5.5');
    expect(Number(/balance \$([\d.-]+)/.exec(added.stdout)![1])).toBeCloseTo(balance + 5.5, 6);
    expect(run('apps', 'credits', '--add', 'lots').status).toBe(2);

    const set = run('apps', 'limits', '--operation', 'getUsersMe', '--per-15min', '3');
    expect(set.status).toBe(0);
    expect(set.stdout).toContain('getUsersMe: 3 per 15 min');
    expect(run('apps', 'limits', '--operation', 'getNothing', '--per-15min', '3').status).toBe(2);
    const reset = run('apps', 'limits', '--operation', 'getUsersMe', '--reset');
    expect(reset.stdout).toContain('0 override(s)');

    const appId = /App (\d+)/.exec(before.stdout)![1];
    const rotated = run('apps', 'rotate-secret', '--app', appId);
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toMatch(/consumer secret: \S{20,}/);
    const t = run('tokens', 'create', '--user', 'xdevelopers', '--oauth1');
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/access token: +2244994945-\w+\naccess token secret: +\S+/);
    // Eight CLI processes one after another, each booting tsx: ~45 s alone, past 60 s while the full suite runs.
  }, 150_000);
});
