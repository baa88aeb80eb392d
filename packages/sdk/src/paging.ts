/** One page of a generated method's `paginate()` walk (loaded with the first page). */
import { callOperation } from './core.js';
import type { OperationRow } from './operation.js';
import type { Client } from './client.js';

const TOKEN_KEYS = ['next_token', 'nextToken', 'pagination_token', 'paginationToken'];

/** The options of each walk as they were at its first page (later changes to the caller's object change nothing). */
const snapshots = new WeakMap<readonly unknown[], Record<string, unknown>>();

/** Calls the method with its arguments, the options' own token keys replaced by the page's token. */
export function fetchPage(client: Client, row: OperationRow, args: readonly unknown[], token?: string): Promise<any> {
  const n = row.positional.length + (row.flags & 1);
  let base = snapshots.get(args);
  if (!base) {
    base = { ...((args[n] as Record<string, unknown> | undefined) ?? {}) };
    for (const k of TOKEN_KEYS) delete base[k];
    snapshots.set(args, base);
  }
  const options = { ...base };
  if (token) options[row.flags & 8 ? 'next_token' : 'pagination_token'] = token;
  return callOperation(client, row, [...args.slice(0, n), options]);
}
