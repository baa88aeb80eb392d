import type { Dialect } from '../db/dialect.js';
import type { RunFn } from '../db/connect.js';

/**
 * Runs `insert` over `rows` in slices small enough for one statement's bound parameters (`columns` per row), in
 * order. Bulk writes (the seeded world) go through it.
 */
export async function inChunks<T>(d: Dialect, rows: readonly T[], columns: number, insert: (slice: readonly T[]) => Promise<unknown>): Promise<void> {
  const size = Math.max(1, Math.floor(d.maxParams / columns));
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Rows per statement of `insertRows`: past a few hundred rows a bigger statement saves nothing per row. */
const ROWS_PER_STATEMENT = 500;

/**
 * Hand-written multi-row insert of many rows (bulk writes: the seeded world; search documents). `values` holds `row`'s placeholders'
 * values for each row in turn (flat, no object per row); every full statement carries the same number of rows, so it
 * is one prepared statement (Store.run's statement cache), and the rest goes in one last statement. In order.
 */
export async function insertRows(d: Dialect, run: RunFn, head: string, row: string, values: readonly unknown[], rowsPerStatement = ROWS_PER_STATEMENT): Promise<void> {
  const width = row.split('?').length - 1;
  const rows = values.length / width;
  const per = Math.max(1, Math.min(rowsPerStatement, Math.floor(d.maxParams / width)));
  let full: string | null = null;
  for (let i = 0; i < rows; i += per) {
    const n = Math.min(per, rows - i);
    const text = n === per ? (full ??= d.numbered(`${head} values ${Array(n).fill(row).join(', ')}`)) : d.numbered(`${head} values ${Array(n).fill(row).join(', ')}`);
    await run(text, values.slice(i * width, (i + n) * width));
  }
}

/**
 * Rows by id, each id asked once and none asked for an empty set: `load` runs one query for the distinct ids (as
 * the dialect binds them) and `of` maps a row to its domain row, keyed by the row's id.
 */
export async function byIdSet<R extends { id: unknown }, T>(d: Dialect, ids: readonly string[], load: (want: ReturnType<Dialect['idParam']>[]) => Promise<R[]>, of: (r: R) => T): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  const want = [...new Set(ids)];
  if (!want.length) return out;
  for (const r of await load(want.map((i) => d.idParam(i)))) out.set(String(r.id), of(r));
  return out;
}

/**
 * Runs `read` over `values` (bound parameters) in slices that leave room for `reserved` other parameters of the
 * statement; the rows of every slice, in slice order. Nothing is read for no values. Fan-out's batch-wide reads
 * (subscriptions of a batch's users, the outbox rows it releases) go through it.
 */
export async function readInSlices<V, R>(d: Dialect, values: readonly V[], reserved: number, read: (slice: V[]) => Promise<R[]>): Promise<R[]> {
  const size = Math.max(1, d.maxParams - reserved);
  const out: R[] = [];
  for (let i = 0; i < values.length; i += size) for (const r of await read(values.slice(i, i + size))) out.push(r);
  return out;
}
