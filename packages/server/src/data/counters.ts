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

/**
 * Summed counter changes of many rows (the deferred writes of a batch) as multi-row statements: per set of changed
 * columns, `with v(id, c0, …) as (values …) update <table> set col = greatest(0, col + v.c0), … from v where
 * <table>.id = v.id`, chunked under the engine's parameter limit. Rows whose changes summed to zero are left alone.
 */
export function counterUpdateMany(d: Dialect, table: 'posts' | 'users', sums: ReadonlyMap<string, Record<string, number>>): { text: string; params: unknown[] }[] {
  const byColumns = new Map<string, { cols: string[]; rows: [string, number[]][] }>();
  for (const [id, deltas] of sums) {
    const cols = Object.keys(deltas)
      .filter((c) => deltas[c])
      .sort();
    if (!cols.length) continue;
    const key = cols.join(',');
    let g = byColumns.get(key);
    if (!g) byColumns.set(key, (g = { cols, rows: [] }));
    g.rows.push([id, cols.map((c) => deltas[c]!)]);
  }
  const out: { text: string; params: unknown[] }[] = [];
  for (const { cols, rows } of byColumns.values()) {
    const width = cols.length + 1;
    const row = `(cast(? as bigint)${', cast(? as integer)'.repeat(cols.length)})`;
    const names = cols.map((_, i) => `c${i}`);
    const set = cols.map((c, i) => `${c} = ${d.greatest}(0, ${c} + v.${names[i]})`).join(', ');
    const chunk = Math.max(1, Math.floor(d.maxParams / width));
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      const params: unknown[] = [];
      for (const [id, vs] of part) params.push(d.idParam(id), ...vs);
      const values = Array(part.length).fill(row).join(', ');
      out.push({ text: d.numbered(`with v(id, ${names.join(', ')}) as (values ${values}) update ${table} set ${set} from v where ${table}.id = v.id`), params });
    }
  }
  return out;
}
