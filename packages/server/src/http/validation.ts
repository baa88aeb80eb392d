/**
 * Request validation derived from the contract, with X's messages (FACTS §1.3). One compiled validator per
 * operation; it returns typed values (lists split on commas, integers parsed) or throws InvalidRequest listing
 * every failed check.
 */
import type { OperationDescriptor, ParamDescriptor, ScalarConstraint } from '@roost/contract';
import { InvalidRequest, type InvalidItem } from '../errors.js';
import { ID_PATTERN, idInRange, LAST_SNOWFLAKE_MS } from '../util/snowflake.js';
import { MAX_PROBLEMS } from './body-validation.js';

import type { ParamValue, Params } from '../api/operation.js';

export type { Params } from '../api/operation.js';
export type RawQuery = Record<string, string | string[] | undefined>;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

interface Compiled {
  params: ParamDescriptor[];
  byName: Map<string, ParamDescriptor>;
  allowed: string;
  patterns: Map<string, RegExp>;
  enums: Map<string, Set<string>>;
}

const cache = new WeakMap<OperationDescriptor, Compiled>();

function compile(op: OperationDescriptor): Compiled {
  let c = cache.get(op);
  if (c) return c;
  const params = op.params.filter((p) => p.in === 'path' || p.in === 'query');
  const patterns = new Map<string, RegExp>();
  const enums = new Map<string, Set<string>>();
  for (const p of params) {
    const s: ScalarConstraint = p.array ? (p.items ?? {}) : p;
    if (s.pattern) patterns.set(p.name, new RegExp(s.pattern));
    if (s.enum) enums.set(p.name, new Set(s.enum));
  }
  c = {
    params,
    byName: new Map(params.map((p) => [p.name, p])),
    allowed: params.map((p) => p.name).join(','),
    patterns,
    enums,
  };
  cache.set(op, c);
  return c;
}

function checkScalar(c: Compiled, p: ParamDescriptor, s: ScalarConstraint, raw: string, items: InvalidItem[]): ParamValue | undefined {
  const bad = (message: string) => {
    items.push({ parameters: { [p.name]: [raw] }, message });
    return undefined;
  };
  const invalid = () => bad(`The \`${p.name}\` query parameter value [${raw}] is not valid`);
  // No stored text holds a NUL (PostgreSQL cannot): a value carrying one is refused the same on every store.
  if (raw.includes('\u0000')) return invalid();
  if (s.type === 'integer' || s.type === 'number') {
    if (!/^-?\d+(\.\d+)?$/.test(raw) || (s.type === 'integer' && raw.includes('.'))) return invalid();
    const n = Number(raw);
    const lo = s.minimum;
    const hi = s.maximum;
    if ((lo !== undefined && n < lo) || (hi !== undefined && n > hi)) {
      if (lo !== undefined && hi !== undefined) return bad(`The \`${p.name}\` query parameter value [${raw}] is not between ${lo} and ${hi}`);
      if (lo !== undefined) return bad(`The \`${p.name}\` query parameter value [${raw}] is not greater than or equal to ${lo}`);
      return bad(`The \`${p.name}\` query parameter value [${raw}] is not less than or equal to ${hi}`);
    }
    return n;
  }
  if (s.type === 'boolean') {
    if (raw !== 'true' && raw !== 'false') return invalid();
    return raw === 'true';
  }
  const en = p.array ? c.enums.get(p.name) : s.enum ? new Set(s.enum) : undefined;
  if (en && !en.has(raw)) return bad(`The \`${p.name}\` query parameter value [${raw}] is not one of [${[...en].join(',')}]`);
  const re = c.patterns.get(p.name);
  if (re && !re.test(raw)) return invalid();
  if (re && re.source === ID_PATTERN && !idInRange(raw)) return invalid();
  if (s.minLength !== undefined && raw.length < s.minLength) return invalid();
  if (s.maxLength !== undefined && raw.length > s.maxLength) return invalid();
  // Times map onto snowflake ids (windows are id ranges): a time past the last id is not a valid bound.
  if (s.format === 'date-time' && (!RFC3339.test(raw) || Number.isNaN(Date.parse(raw)) || Date.parse(raw) > LAST_SNOWFLAKE_MS)) return invalid();
  return raw;
}

export function validateParams(op: OperationDescriptor, path: Record<string, string>, query: RawQuery): Params {
  const c = compile(op);
  const items: InvalidItem[] = [];
  const out: Params = {};
  for (const [name, v] of Object.entries(query)) {
    if (v === undefined) continue;
    const p = c.byName.get(name);
    if (!p || p.in !== 'query') {
      items.push({
        parameters: { [name]: Array.isArray(v) ? v : [v] },
        message: `The query parameter [${name}] is not one of [${c.allowed}]`,
      });
    }
  }
  for (const p of c.params) {
    const rawAny = p.in === 'path' ? path[p.name] : query[p.name];
    const raw = Array.isArray(rawAny) ? rawAny.join(',') : rawAny;
    if (raw === undefined || raw === '') {
      if (p.required || raw === '') items.push({ parameters: { [p.name]: [] }, message: `The \`${p.name}\` query parameter can not be empty` });
      continue;
    }
    if (p.array) {
      const values = raw.split(',');
      const min = p.minItems ?? 0;
      const max = p.maxItems;
      if (values.length < min || (max !== undefined && values.length > max)) {
        items.push({
          parameters: { [p.name]: [raw] },
          message: `The number of values in the \`${p.name}\` query parameter list [${values.length}] is not between ${min} and ${max ?? values.length}`,
        });
        continue;
      }
      const list: string[] = [];
      for (const v of values) {
        const ok = checkScalar(c, p, p.items ?? {}, v, items);
        if (ok !== undefined && !list.includes(String(ok))) list.push(String(ok));
      }
      out[p.name] = list;
    } else {
      const ok = checkScalar(c, p, p, raw, items);
      if (ok !== undefined) out[p.name] = ok;
    }
  }
  // The first few problems, as X answers them (http/body-validation.ts).
  if (items.length) throw new InvalidRequest(items.slice(0, MAX_PROBLEMS));
  return out;
}
