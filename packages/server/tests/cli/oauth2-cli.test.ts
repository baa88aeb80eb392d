import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bin, scratchDir } from './cli-kit.js';

const dir = scratchDir('roost-cli-oauth2-');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args, '--db', join(dir, 'apps.db')], { encoding: 'utf8', env: { ...process.env, ROOST_SEED: 'off' } });

describe('roost apps create: OAuth 2.0 client', () => {
  // Apps are owned by @XDevelopers, who comes with a world.
  it('seeds a small world', () => {
    expect(run('seed', '--users', '5', '--posts', '5').status).toBe(0);
  });

  it('confidential by default (id and secret once), public with --type, callbacks repeatable or comma-separated', () => {
    const conf = run('apps', 'create', '--name', 'web');
    expect(conf.status, conf.stderr).toBe(0);
    expect(conf.stdout).toMatch(/OAuth 2\.0 client id: +[A-Za-z0-9_-]{34} +\(confidential\)/);
    expect(conf.stdout).toMatch(/OAuth 2\.0 client secret: [A-Za-z0-9_-]{50} +\(shown once\)/);
    expect(conf.stdout).toContain('http://127.0.0.1/callback http://localhost/callback');

    const pub = run('apps', 'create', '--name', 'spa', '--type', 'public', '--callback', 'https://a.example/cb,https://b.example/cb', '--callback', 'myapp://oauth');
    expect(pub.status, pub.stderr).toBe(0);
    expect(pub.stdout).toMatch(/client id: +[A-Za-z0-9_-]{34} +\(public\)/);
    expect(pub.stdout).not.toContain('client secret:');
    expect(pub.stdout).toContain('callback URLs: https://a.example/cb https://b.example/cb myapp://oauth');
  });

  it('bad --type or --callback exits 2', () => {
    const t = run('apps', 'create', '--type', 'native');
    expect(t.status).toBe(2);
    expect(t.stderr).toContain('--type must be confidential or public');
    const c = run('apps', 'create', '--callback', 'not a url');
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('is not an absolute URL');
  });
});
