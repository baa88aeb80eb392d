/** Paginated operations: an operation function with `paginate(client, ...args)`, walking pages with a paginator. */
import type { BaseClient } from './base.js';
import { callOperation, operation, type OperationFunction, type OperationRow } from './operation.js';
import type { Paginator, PaginatorOptions, PaginatedResponse } from './paginator.js';

const TOKEN_KEYS = ['next_token', 'nextToken', 'pagination_token', 'paginationToken'];

/** The options of each walk as they were at its first page (later changes to the caller's object change nothing). */
const snapshots = new WeakMap<readonly unknown[], Record<string, unknown>>();

/** Calls the operation with its arguments, the options' own token keys replaced by the page's token. */
export function fetchPage(client: BaseClient, row: OperationRow, args: readonly unknown[], token?: string): Promise<any> {
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

type PaginatorClass = new (fetchPage: (token?: string) => Promise<PaginatedResponse<any>>, options?: PaginatorOptions) => Paginator<any>;

/** The function of a paginated operation; `paginate` starts at the page the options name, if any. */
export function pagedOperation<F = OperationFunction>(row: string, Kind: PaginatorClass): F {
  const fn = operation(row);
  const r = fn.row;
  return Object.assign(fn, {
    paginate: (client: BaseClient, ...args: unknown[]) => {
      const o = args[args.length - 1] as any;
      return new Kind((token) => fetchPage(client, r, args, token), { startToken: o?.next_token ?? o?.nextToken ?? o?.pagination_token ?? o?.paginationToken });
    },
  }) as F;
}
