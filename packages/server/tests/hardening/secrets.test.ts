/**
 * Issue 15, finding 5: the server secret that seals consumer and token secrets sat in clear in the same database,
 * created 0644. The key now lives outside it (a 0600 key file beside it, or ROOST_SECRET_KEY), the database is
 * created 0600, and the key can be rotated with every credential still working.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildConfig, createApp, startServer, XDEVELOPERS_ID, type ServerHandle } from '@roost/server';
import { SecretBox } from '../../src/auth/secret-box.js';
import { consumerSecretContext, mintOAuth1AccessToken, tokenSecretContext } from '../../src/auth/oauth1.js';
import { KeyError, rotateSecretKey, SERVER_SECRET_SETTING } from '../../src/auth/keyring.js';
import { deriveBearer, hashSecret } from '../../src/auth/tokens.js';
import { runCli } from '../../src/cli/main.js';

const dirs: string[] = [];
const handles: ServerHandle[] = [];
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'roost-secrets-'));
  dirs.push(d);
  return d;
}

async function start(dbUrl: string, extra: Record<string, string> = {}): Promise<ServerHandle> {
  const h = await startServer(buildConfig({ ROOST_PORT: '0', ...extra }, { dbUrl, seed: null, logLevel: 'silent' }), { listen: false });
  handles.push(h);
  return h;
}

const mode = (p: string) => statSync(p).mode & 0o777;

describe('the secret key', () => {
  it('is kept in a 0600 key file beside a 0600 database, never in the database', async () => {
    const dir = tempDir();
    const db = join(dir, 'roost.db');
    const h = await start(db);
    expect(mode(`${db}.key`)).toBe(0o600);
    expect(mode(db)).toBe(0o600);
    if (existsSync(`${db}-wal`)) expect(mode(`${db}-wal`)).toBe(0o600);
    // Nothing in the settings opens the sealed values: the server secret itself is sealed.
    expect(await h.ctx.repos.apps.getSetting('server_secret')).toBeUndefined();
    const sealed = await h.ctx.repos.apps.getSetting(SERVER_SECRET_SETTING);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(h.ctx.serverSecret);
    const app = await createApp(h.ctx, { name: 'a', ownerUserId: XDEVELOPERS_ID });
    const row = (await h.ctx.repos.sealed.all()).find((v) => v.kind === 'consumer' && v.appId === app.id)!;
    for (const setting of [sealed!, h.ctx.serverSecret]) expect(new SecretBox(setting).open(row.sealed, consumerSecretContext(app.id))).toBeNull();
    expect(h.ctx.box.open(row.sealed, consumerSecretContext(app.id))).toBe(app.consumerSecret);
  });

  it('a copy of the database without its key opens nothing and does not start', async () => {
    const dir = tempDir();
    const db = join(dir, 'roost.db');
    const h = await start(db);
    await h.close();
    handles.pop();
    const stolen = join(tempDir(), 'stolen.db');
    copyFileSync(db, stolen);
    await expect(start(stolen)).rejects.toThrow(KeyError);
  });

  it('can come from ROOST_SECRET_KEY, and a wrong one is refused', async () => {
    const dir = tempDir();
    const db = join(dir, 'roost.db');
    const key = 'k'.repeat(40);
    const h = await start(db, { ROOST_SECRET_KEY: key });
    expect(existsSync(`${db}.key`)).toBe(false);
    await h.close();
    handles.pop();
    expect((await start(db, { ROOST_SECRET_KEY: key })).ctx.serverSecret).toBe(h.ctx.serverSecret);
    await expect(start(db, { ROOST_SECRET_KEY: 'x'.repeat(40) })).rejects.toThrow(KeyError);
  });

  it('rotates: every sealed value re-sealed under the new key, the old key opens nothing, credentials keep working', async () => {
    const dir = tempDir();
    const db = join(dir, 'roost.db');
    const h = await start(db);
    const app = await createApp(h.ctx, { name: 'rotating', ownerUserId: XDEVELOPERS_ID });
    const access = await mintOAuth1AccessToken(h.ctx, { appId: app.id, userId: XDEVELOPERS_ID, permission: 'read-write' });
    const bearer = deriveBearer(h.ctx.serverSecret, app.id, 0);
    const oldKey = h.ctx.secretKey.key;
    const r = await rotateSecretKey(h.ctx.repos, h.ctx.secretKey);
    expect(r.resealed).toBeGreaterThanOrEqual(3);
    await h.close();
    handles.pop();

    const after = await start(db);
    expect(after.ctx.secretKey.key).toBe(r.key);
    expect(after.ctx.secretKey.key).not.toBe(oldKey);
    expect(mode(`${db}.key`)).toBe(0o600);
    // Same server secret, so derived bearer tokens are unchanged; consumer and token secrets open as before.
    expect(deriveBearer(after.ctx.serverSecret, app.id, 0)).toBe(bearer);
    const values = await after.ctx.repos.sealed.all();
    const consumer = values.find((v) => v.kind === 'consumer' && v.appId === app.id)!;
    expect(after.ctx.box.open(consumer.sealed, consumerSecretContext(app.id))).toBe(app.consumerSecret);
    expect(new SecretBox(oldKey).open(consumer.sealed, consumerSecretContext(app.id))).toBeNull();
    const token = values.find((v) => v.kind === 'token' && v.tokenHash === hashSecret(access.token))!;
    expect(after.ctx.box.open(token.sealed, tokenSecretContext(hashSecret(access.token)))).toBe(access.secret);
  });

  it('roost secrets rotate: a key file replaced, or a new ROOST_SECRET_KEY printed; credentials keep working', async () => {
    const cli = async (argv: string[], env: Record<string, string | undefined> = {}) => {
      let text = '';
      const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
      const setEnv = (vars: Record<string, string | undefined>) => {
        for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      };
      setEnv(env);
      try {
        const exit = (c: number): never => {
          throw new Error(`exit ${c}`);
        };
        const code = await runCli(argv, { out: (t) => (text += `${t}\n`), err: (t) => (text += `${t}\n`), exit });
        return { code, text };
      } finally {
        setEnv(saved);
      }
    };
    const dir = tempDir();
    const db = join(dir, 'roost.db');
    const h = await start(db);
    const app = await createApp(h.ctx, { name: 'cli', ownerUserId: XDEVELOPERS_ID });
    const oldKey = h.ctx.secretKey.key;
    await h.close();
    handles.pop();

    // Key file: replaced in place, the old key refused, the consumer secret unchanged.
    const r = await cli(['secrets', 'rotate', '--db', db], { ROOST_SECRET_KEY: undefined, ROOST_SECRET_KEY_FILE: undefined });
    expect(r.code, r.text).toBe(0);
    expect(r.text).toMatch(/^Re-sealed \d+ secrets under a new key, now in .*roost\.db\.key\.$/m);
    expect(readFileSync(`${db}.key`, 'utf8').trim()).not.toBe(oldKey);
    expect(mode(`${db}.key`)).toBe(0o600);
    const after = await start(db);
    const consumer = (await after.ctx.repos.sealed.all()).find((v) => v.kind === 'consumer' && v.appId === app.id)!;
    expect(after.ctx.box.open(consumer.sealed, consumerSecretContext(app.id))).toBe(app.consumerSecret);
    expect(new SecretBox(oldKey).open(consumer.sealed, consumerSecretContext(app.id))).toBeNull();
    await after.close();
    handles.pop();

    // Environment key: the new one is printed, and only it opens the database afterwards.
    const envDb = join(dir, 'env.db');
    const envKey = 'e'.repeat(43);
    const e = await start(envDb, { ROOST_SECRET_KEY: envKey });
    const secret = e.ctx.serverSecret;
    await e.close();
    handles.pop();
    const printed = await cli(['secrets', 'rotate', '--db', envDb], { ROOST_SECRET_KEY: envKey });
    expect(printed.code, printed.text).toBe(0);
    const next = /^ROOST_SECRET_KEY=(\S+)$/m.exec(printed.text)?.[1];
    expect(next).toBeTruthy();
    expect(next).not.toBe(envKey);
    await expect(start(envDb, { ROOST_SECRET_KEY: envKey })).rejects.toThrow(KeyError);
    expect((await start(envDb, { ROOST_SECRET_KEY: next! })).ctx.serverSecret).toBe(secret);
  });

  it('moves a database made before the key: its clear secret sealed, its sealed values re-sealed, the clear copy gone', async () => {
    const dir = tempDir();
    const db = join(dir, 'roost.db');
    const h = await start(db);
    const app = await createApp(h.ctx, { name: 'old', ownerUserId: XDEVELOPERS_ID });
    // Make it look like a pre-key database: the secret in clear, values sealed under it.
    const legacy = 'legacy-server-secret-0123456789abcdef';
    const box = new SecretBox(legacy);
    await h.ctx.repos.transaction(async (r) => {
      // Every sealed value: consumer secrets, and the OAuth 1.0a token secret the first start mints for @XDevelopers.
      for (const v of await r.sealed.all()) {
        if (v.kind === 'setting') continue;
        const context = v.kind === 'consumer' ? consumerSecretContext(v.appId) : tokenSecretContext(v.tokenHash);
        const plain = h.ctx.box.open(v.sealed, context)!;
        await r.sealed.write({ ...v, sealed: box.seal(plain, context) });
      }
      await r.sealed.deleteSetting(SERVER_SECRET_SETTING);
      await r.sealed.putSetting('server_secret', legacy);
    });
    await h.close();
    handles.pop();
    rmSync(`${db}.key`);

    const after = await start(db);
    expect(after.ctx.serverSecret).toBe(legacy);
    expect(await after.ctx.repos.apps.getSetting('server_secret')).toBeUndefined();
    const consumer = (await after.ctx.repos.sealed.all()).find((v) => v.kind === 'consumer' && v.appId === app.id)!;
    expect(after.ctx.box.open(consumer.sealed, consumerSecretContext(app.id))).toBe(app.consumerSecret);
    expect(box.open(consumer.sealed, consumerSecretContext(app.id))).toBeNull();
  });

  it('finishes a rotation a crash interrupted after the commit', async () => {
    const dir = tempDir();
    const db = join(dir, 'roost.db');
    const h = await start(db);
    // The commit happened, the move of the key file did not: the pending key is the one that opens.
    const r = await rotateSecretKey(h.ctx.repos, { key: h.ctx.secretKey.key, file: null });
    writeFileSync(`${db}.key.next`, `${r.key}\n`, { mode: 0o600 });
    await h.close();
    handles.pop();
    const after = await start(db);
    expect(after.ctx.secretKey.key).toBe(r.key);
    expect(existsSync(`${db}.key.next`)).toBe(false);
  });
});
