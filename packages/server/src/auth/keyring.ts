/**
 * The secret key, kept out of the database: a copy of the database file alone opens nothing.
 *
 * - The key comes from `ROOST_SECRET_KEY`, or from a key file (created 0600 beside a SQLite database, or at
 *   `ROOST_SECRET_KEY_FILE`). An in-memory database gets a key that lives as long as the process.
 * - Under it are sealed (auth/secret-box.ts): OAuth 1.0a consumer and token secrets, and the server secret —
 *   the random value bearer tokens, consent tokens and session cookies are derived from. Rotating the key
 *   re-seals them all, so every credential a client holds keeps working.
 * - Databases made before the key existed kept the server secret in clear in `settings`: the first start with a
 *   key seals it and re-seals what was sealed under it, then deletes the clear copy.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Repos } from '../data/index.js';
import type { SealedValue } from '../data/sealed-secrets.js';
import { SecretBox } from './secret-box.js';
import { consumerSecretContext, tokenSecretContext } from './oauth1.js';
import { randomToken } from './tokens.js';

export const SERVER_SECRET_SETTING = 'server_secret_enc';
/** Settings are sealed bound to their key, as other values to their row. */
const settingContext = (key: string) => `setting:${key}`;
const SERVER_SECRET_CONTEXT = settingContext(SERVER_SECRET_SETTING);
const LEGACY_SERVER_SECRET = 'server_secret';

export class KeyError extends Error {}

export interface KeySource {
  key: string;
  /** Where it is kept; null when it comes from the environment or lives in memory. */
  file: string | null;
}

/** A new key: 32 random bytes, base64url. */
export const newSecretKey = (): string => randomBytes(32).toString('base64url');

/** The file a database's key lives in by default: beside a SQLite file; for PostgreSQL, `./data/roost.key`. */
export function defaultKeyFile(dbUrl: string, isPostgres: boolean): string | null {
  if (isPostgres) return './data/roost.key';
  return dbUrl === ':memory:' ? null : `${dbUrl}.key`;
}

function readKeyFile(file: string): string {
  const key = readFileSync(file, 'utf8').trim();
  if (key.length < 32) throw new KeyError(`the secret key in ${file} is too short (at least 32 characters)`);
  // A key readable by others would undo the point of keeping it apart.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return key;
}

/** The key to use: the environment's, else the key file's (created 0600 when absent), else one in memory. */
export function loadSecretKey(opts: { envKey: string | null; file: string | null }): KeySource {
  if (opts.envKey !== null) {
    if (opts.envKey.length < 32) throw new KeyError('ROOST_SECRET_KEY is too short (at least 32 characters)');
    return { key: opts.envKey, file: null };
  }
  if (opts.file === null) return { key: newSecretKey(), file: null };
  if (existsSync(opts.file)) return { key: readKeyFile(opts.file), file: opts.file };
  mkdirSync(dirname(opts.file), { recursive: true });
  const key = newSecretKey();
  try {
    writeFileSync(opts.file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another node or process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { key: readKeyFile(opts.file), file: opts.file };
    throw err;
  }
  return { key, file: opts.file };
}

/** The context a sealed value is bound to (its row), so it opens nowhere else. */
function contextOf(v: SealedValue): string {
  if (v.kind === 'consumer') return consumerSecretContext(v.appId);
  if (v.kind === 'token') return tokenSecretContext(v.tokenHash);
  return settingContext(v.key);
}

/** Re-seals every sealed value from one box to another, in one transaction; refuses if any does not open. */
async function reseal(repos: Repos, from: SecretBox, to: SecretBox, extra: (r: Repos) => Promise<void> = async () => {}): Promise<number> {
  return repos.transaction(async (r) => {
    const all = await r.sealed.all();
    for (const v of all) {
      const plain = from.open(v.sealed, contextOf(v));
      if (plain === null) throw new KeyError(`a sealed value (${v.kind}) does not open with the current key`);
      await r.sealed.write({ ...v, sealed: to.seal(plain, contextOf(v)) });
    }
    await extra(r);
    return all.length;
  });
}

/**
 * The server secret of this database, opened with `box`. Creates it (sealed) on a new database, and moves a
 * pre-key database's clear secret under the key.
 */
export async function openServerSecret(repos: Repos, box: SecretBox): Promise<string> {
  const context = SERVER_SECRET_CONTEXT;
  const sealed = await repos.apps.getSetting(SERVER_SECRET_SETTING);
  if (sealed !== undefined) {
    const secret = box.open(sealed, context);
    if (secret === null) throw new KeyError('the secret key does not open this database (another ROOST_SECRET_KEY or key file than the one it was sealed with)');
    return secret;
  }
  const legacy = await repos.apps.getSetting(LEGACY_SERVER_SECRET);
  if (legacy !== undefined) {
    await reseal(repos, new SecretBox(legacy), box, async (r) => {
      await r.sealed.putSetting(SERVER_SECRET_SETTING, box.seal(legacy, context));
      await r.sealed.deleteSetting(LEGACY_SERVER_SECRET);
    });
    return legacy;
  }
  // First writer wins across nodes starting together on one database.
  const stored = await repos.apps.ensureSetting(SERVER_SECRET_SETTING, box.seal(randomToken(32), context));
  const secret = box.open(stored, context);
  if (secret === null) throw new KeyError('another node sealed this database with a different secret key');
  return secret;
}

/**
 * A new key for the database: every sealed value re-sealed under it in one transaction. With a key file, the new
 * key is written beside it first (`.next`, 0600) and moved over it after the commit, so a crash at any point
 * leaves a key that opens the database (`finishRotation` completes an interrupted one at the next start).
 */
export async function rotateSecretKey(repos: Repos, current: KeySource, next: string = newSecretKey()): Promise<{ key: string; resealed: number }> {
  const pending = current.file ? `${current.file}.next` : null;
  if (pending) writeFileSync(pending, `${next}\n`, { mode: 0o600 });
  const resealed = await reseal(repos, new SecretBox(current.key), new SecretBox(next));
  if (pending) renameSync(pending, current.file!);
  return { key: next, resealed };
}

/** Completes a rotation a crash interrupted: the pending key is kept if the database is sealed under it. */
export async function finishRotation(repos: Repos, file: string | null): Promise<void> {
  if (!file || !existsSync(`${file}.next`)) return;
  const pending = readFileSync(`${file}.next`, 'utf8').trim();
  const sealed = await repos.apps.getSetting(SERVER_SECRET_SETTING);
  if (sealed !== undefined && new SecretBox(pending).open(sealed, SERVER_SECRET_CONTEXT) !== null) renameSync(`${file}.next`, file);
  else rmSync(`${file}.next`, { force: true });
}
