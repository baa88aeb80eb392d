/**
 * `roost users dm-settings`: operators set who may start Direct Messages with a user (X has no API for it), and the
 * server then applies it — a stranger's message is refused under `following` and accepted under `everyone`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { runInProcess } from './cli-kit.js';

let s: TestServer;
let dbUrl: string;
beforeAll(async () => {
  s = await startTestServer({ users: 40, posts: 100 });
  dbUrl = s.handle.ctx.config.dbUrl;
});
afterAll(async () => {
  await s?.close();
});

const run = (...argv: string[]) => runInProcess(...argv, '--db', dbUrl);

describe('roost users dm-settings', () => {
  it('shows the default, sets a setting the server then applies, and refuses bad input', async () => {
    const made = await run('users', 'create', '--username', 'dm_settings_cli');
    expect(made.code).toBe(0);
    const id = /^User (\d+)/.exec(made.out)![1]!;
    expect((await run('users', 'dm-settings', '--user', 'dm_settings_cli')).out).toBe('@dm_settings_cli takes Direct Messages from: following\n');
    const send = () => s.request('POST', `/2/dm_conversations/with/${id}/messages`, { token: s.userToken, body: { text: 'hello' } });
    expect((await send()).status).toBe(403);

    const set = await run('users', 'dm-settings', '--user', '@dm_settings_cli', '--allow', 'everyone');
    expect(set).toMatchObject({ code: 0, out: '@dm_settings_cli takes Direct Messages from: everyone\n' });
    expect((await send()).status).toBe(201);

    expect(await run('users', 'dm-settings', '--user', 'dm_settings_cli', '--allow', 'friends')).toMatchObject({ code: 2, err: 'roost: --allow takes everyone, verified, following\n' });
    expect(await run('users', 'dm-settings', '--user', 'nobody_here_xyz')).toMatchObject({ code: 2, err: 'roost: no user @nobody_here_xyz\n' });
    expect((await run('users', 'dm-settings')).code).toBe(2);
  });
});
