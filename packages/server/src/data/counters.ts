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
