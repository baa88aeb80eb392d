/** One page of a generated method's `paginate()` walk (loaded with the first page). */
import { callOperation } from './core.js';
import type { OperationRow } from './operation.js';
import type { Client } from './client.js';

const TOKEN_KEYS = ['next_token', 'nextToken', 'pagination_token', 'paginationToken'];

/** Calls the method with its arguments, the options' own token keys replaced by the page's token. */
export function fetchPage(client: Client, row: OperationRow, args: readonly unknown[], token?: string): Promise<any> {
  const n = row.positional.length + (row.flags & 1);
  const options: Record<string, unknown> = { ...((args[n] as Record<string, unknown> | undefined) ?? {}) };
  for (const k of TOKEN_KEYS) delete options[k];
  if (token) options[row.flags & 8 ? 'next_token' : 'pagination_token'] = token;
  return callOperation(client, row, [...args.slice(0, n), options]);
}
