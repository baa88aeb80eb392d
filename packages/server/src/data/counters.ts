import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../db/dialect.js';

/**
 * The update of each counter with a non-zero delta, as `col = greatest(0, col + delta)`: atomic in the statement and
 * never below zero. Every counter of posts, users and lists changes through this; null when nothing changes.
 */
export function counterChanges<C extends string>(d: Dialect, deltas: Partial<Record<C, number>>): Partial<Record<C, RawBuilder<number>>> | null {
  const entries = Object.entries(deltas).filter(([, v]) => v) as [C, number][];
  if (!entries.length) return null;
  const set: Partial<Record<C, RawBuilder<number>>> = {};
  for (const [col, v] of entries) set[col] = sql<number>`${sql.raw(d.greatest)}(0, ${sql.ref(col)} + ${v})`;
  return set;
}

/**
 * The same change hand-written for the write path (one prepared statement per column set):
 * `update <table> set col = greatest(0, col + ?), … where id = ?` and its parameters; null when nothing changes.
 */
export function counterUpdate<C extends string>(d: Dialect, table: 'posts' | 'users', id: string, deltas: Partial<Record<C, number>>): { text: string; params: unknown[] } | null {
  const entries = Object.entries(deltas).filter(([, v]) => v) as [C, number][];
  if (!entries.length) return null;
  const set = entries.map(([col]) => `${col} = ${d.greatest}(0, ${col} + ?)`).join(', ');
  return { text: d.numbered(`update ${table} set ${set} where id = ?`), params: [...entries.map(([, v]) => v), d.idParam(id)] };
}
