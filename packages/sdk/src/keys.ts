/** Key-case conversions of the official client: responses snake_case → camelCase, bodies camelCase → snake_case. */

const camelCache = new Map<string, string>();
const snakeCache = new Map<string, string>();
const CACHE_MAX = 4096;

export function snakeToCamel(key: string): string {
  let c = camelCache.get(key);
  if (c === undefined) {
    c = key.replace(/_([a-z])/g, (_, l: string) => l.toUpperCase());
    if (camelCache.size < CACHE_MAX) camelCache.set(key, c);
  }
  return c;
}

export function camelToSnake(key: string): string {
  let c = snakeCache.get(key);
  if (c === undefined) {
    c = key.replace(/[A-Z]/g, (l) => '_' + l.toLowerCase());
    if (snakeCache.size < CACHE_MAX) snakeCache.set(key, c);
  }
  return c;
}

export function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** Recursively converts object keys snake_case → camelCase (new objects; arrays and scalars kept). */
export function camelKeys(v: any): any {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = camelKeys(v[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k in v) put(out, k.indexOf('_') === -1 ? k : snakeToCamel(k), camelKeys(v[k]));
  return out;
}
