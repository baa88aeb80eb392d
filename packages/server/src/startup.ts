/**
 * What can stop a start, said in one line: a port in use, a database that cannot be reached or opened, a
 * directory that does not exist. The CLI prints `roost: <message>`; nothing here exits the process.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { usesPostgres, type Config } from './config.js';

export class StartupError extends Error {}

/** A database URL fit for printing (banner, errors): the password replaced by `***`. */
export function redactDbUrl(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

/** The default SQLite location: its directory is created on first start; any other must exist. */
export const DEFAULT_DB_URL = './data/roost.db';

/** Checks that need the file system, before anything is bound or opened. */
export function preflight(config: Pick<Config, 'dbUrl'>): void {
  const url = config.dbUrl;
  if (usesPostgres(url) || url === ':memory:') return;
  if (url === DEFAULT_DB_URL) return;
  const dir = dirname(resolve(url));
  if (!existsSync(dir)) throw new StartupError(`the directory ${dir} (of the database ${url}) does not exist; create it first`);
  if (!statSync(dir).isDirectory()) throw new StartupError(`${dir} (of the database ${url}) is not a directory`);
}

type ErrnoLike = { code?: string; message?: string; errors?: ErrnoLike[] };

/** Bind failures in one line. */
export function listenError(err: unknown, host: string, port: number, setting = '--port or ROOST_PORT'): Error {
  const e = err as ErrnoLike;
  const where = `${host}:${port}`;
  if (e.code === 'EADDRINUSE') return new StartupError(`port ${port} on ${host} is already in use (is another Roost running? choose a port with ${setting}; 0 picks a free one)`);
  if (e.code === 'EACCES') return new StartupError(`no permission to listen on ${where} (ports below 1024 need privileges; choose another with ${setting})`);
  if (e.code === 'EADDRNOTAVAIL') return new StartupError(`cannot listen on ${where}: ${host} is not an address of this machine (set --host or ROOST_HOST)`);
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return new StartupError(`cannot listen on ${where}: the host name ${host} does not resolve`);
  return err instanceof Error ? err : new Error(String(err));
}

const PG_CODES: Record<string, string> = {
  '28P01': 'the password was refused',
  '28000': 'the role was refused',
  '3D000': 'the database does not exist',
  '42501': 'permission denied',
};

/** Whether an error came from reaching, opening or migrating the database (not from what the server made of it). */
function fromDatabase(e: ErrnoLike & { cause?: ErrnoLike }): boolean {
  const code = e.code ?? e.cause?.code ?? '';
  if (/^(SQLITE_|E[A-Z]+$|\d{2}[0-9A-Z]{3}$)/.test(code)) return true;
  return /^migration \S+ failed: /.test(e.message ?? '') || (e.errors?.length ?? 0) > 0;
}

/**
 * Opening or migrating the database failed: which database (password hidden) and why, in one line. Other errors
 * (a secret key that does not open the database, a bad setting) pass through as they are.
 */
export function databaseError(err: unknown, dbUrl: string): Error {
  const e = err as ErrnoLike & { cause?: ErrnoLike };
  if (!(err instanceof Error) || !fromDatabase(e)) return err instanceof Error ? err : new Error(String(err));
  const inner = (e.cause ?? e) as ErrnoLike;
  const where = redactDbUrl(dbUrl);
  if (usesPostgres(dbUrl)) {
    const code = inner.code ?? e.code ?? '';
    const sub = inner.errors?.[0];
    const why = PG_CODES[code] ?? (sub?.message || inner.message || e.message || code || 'unknown error').replace(/^migration \S+ failed: /, '');
    return new StartupError(`cannot reach the database ${where}: ${why}`);
  }
  const why = (inner.message ?? String(err)).replace(/^migration \S+ failed: /, '');
  return new StartupError(`cannot open the SQLite database ${where}: ${why}`);
}
