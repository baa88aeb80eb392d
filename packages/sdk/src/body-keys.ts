/** camelCase → snake_case of JSON request bodies. */
import { camelToSnake, put } from './keys.js';

/** Recursively converts object keys camelCase → snake_case. */
export function snakeKeys(v: any): any {
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  if (Array.isArray(v)) return v.map(snakeKeys);
  const out: Record<string, unknown> = {};
  for (const k in v) if (v[k] !== undefined) put(out, camelToSnake(k), snakeKeys(v[k]));
  return out;
}
