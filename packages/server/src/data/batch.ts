import type { Dialect } from '../db/dialect.js';

/**
 * Runs `insert` over `rows` in slices small enough for one statement's bound parameters (`columns` per row), in
 * order. Bulk writes (the seeded world) go through it.
 */
export async function inChunks<T>(d: Dialect, rows: readonly T[], columns: number, insert: (slice: readonly T[]) => Promise<unknown>): Promise<void> {
  const size = Math.max(1, Math.floor(d.maxParams / columns));
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}
