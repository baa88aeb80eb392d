/** Key-case conversions of the official client: responses snake_case → camelCase, bodies camelCase → snake_case. */

/** `convert` memoized in `cache` (at most 4096 keys, so arbitrary keys cannot grow it without bound). */
export function memo(convert: (key: string) => string): (key: string) => string {
  const cache = new Map<string, string>();
  return (key) => {
    let c = cache.get(key);
    if (c === undefined) {
      c = convert(key);
      if (cache.size < 4096) cache.set(key, c);
    }
    return c;
  };
}

export const snakeToCamel = memo((key) => key.replace(/_([a-z])/g, (_, l: string) => l.toUpperCase()));
export const camelToSnake = memo((key) => key.replace(/[A-Z]/g, (l) => '_' + l.toLowerCase()));

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
