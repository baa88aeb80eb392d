/**
 * The SDK's surface: generated code is up to date, and method names and argument order equal the official
 * `@xdevplatform/xdk` 0.6.6 (a devDependency used only here) for every operation of the contract's spec.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client as OfficialClient } from '@xdevplatform/xdk';
import { operations } from '@roost/contract';
import { generate } from '../scripts/generate.js';
import * as sdk from '../src/index.js';
import { Client, methodNames, operationMethods } from '../src/index.js';

const GENERATED = join(import.meta.dirname, '..', 'src', 'generated');

/** Official methods that have no operation in the contract's spec (2.167). */
const NOT_IN_SPEC = new Set(['chat.deleteMessages']);

function officialMethods(): Map<string, string[]> {
  const c: any = new OfficialClient({});
  const out = new Map<string, string[]>();
  for (const prop of Object.keys(c)) {
    const sub = c[prop];
    if (!sub || typeof sub !== 'object' || !sub.constructor.name.endsWith('Client') || prop === 'httpClient') continue;
    for (const m of Object.getOwnPropertyNames(Object.getPrototypeOf(sub))) {
      if (m === 'constructor' || m.startsWith('_') || typeof sub[m] !== 'function') continue;
      // Positional parameters from the official source: `async name(a, b, options = {})`.
      const params = /^(?:async\s+)?\w+\s*\(([^)]*)\)/.exec(sub[m].toString())![1]
        .split(',')
        .map((p: string) => p.replace(/=.*/, '').trim())
        .filter((p: string) => p && p !== 'options');
      out.set(`${prop}.${m}`, params);
    }
  }
  return out;
}

/** Our positional parameters, from the descriptor row of each exported operation function. */
function ourMethods(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [operationId, [client, method]] of Object.entries(operationMethods)) {
    const row = (sdk as any)[operationId].row;
    const params = row.positional.map((p: string) => p.replace(/[._]([a-z0-9])/g, (_, c: string) => c.toUpperCase()));
    if (row.flags & 1) params.push('body');
    out.set(`${client}.${method}`, params);
  }
  return out;
}

describe('generated code', () => {
  it('regenerating from the contract gives no diff', () => {
    const files = generate();
    expect(readdirSync(GENERATED).sort()).toEqual([...files.keys()].sort());
    for (const [f, text] of files) expect(readFileSync(join(GENERATED, f), 'utf8'), f).toBe(text);
  });

  it('covers every contract operation exactly once', () => {
    expect(Object.keys(operationMethods).sort()).toEqual(operations.map((o) => o.operationId).sort());
    expect(Object.values(methodNames).flat()).toHaveLength(operations.length);
  });

  it('exports each operation as a function named by its operationId, whose descriptor names its method', () => {
    for (const [operationId, [client, method]] of Object.entries(operationMethods)) {
      expect(typeof (sdk as any)[operationId], operationId).toBe('function');
      expect((sdk as any)[operationId].row.name, operationId).toBe(method);
      expect(methodNames[client], operationId).toContain(method);
    }
  });
});

describe('compatibility with the official client', () => {
  const official = officialMethods();
  const ours = ourMethods();

  it('the same 21 sub-clients on Client', () => {
    const c: any = new Client({});
    const subs = (x: any) => Object.keys(x).filter((k) => x[k] && typeof x[k] === 'object' && x[k].constructor?.name?.endsWith?.('Client') && k !== 'httpClient');
    expect(subs(c).sort()).toEqual(subs(new OfficialClient({})).sort());
    expect(Object.keys(methodNames).sort()).toEqual(subs(c).sort());
  });

  it('the same method names (the official set minus methods without an operation in the spec)', () => {
    const officialNames = [...official.keys()].filter((k) => !NOT_IN_SPEC.has(k)).sort();
    expect([...ours.keys()].sort()).toEqual(officialNames);
    expect(officialNames).toHaveLength(171);
    // And they exist at runtime on our sub-clients.
    const c: any = new Client({});
    for (const key of ours.keys()) {
      const [sub, m] = key.split('.');
      expect(typeof c[sub][m], key).toBe('function');
    }
  });

  it('the same positional parameters in the same order for every method', () => {
    for (const [key, params] of ours) expect(params, key).toEqual(official.get(key));
  });

  it('paginated methods carry a paginate helper', () => {
    const c: any = new Client({});
    expect(typeof c.users.getFollowers.paginate).toBe('function');
    expect(typeof c.posts.searchRecent.paginate).toBe('function');
    expect(c.users.getMe.paginate).toBeUndefined();
    // The helper is per instance.
    const d: any = new Client({});
    expect(d.users.getFollowers).not.toBe(c.users.getFollowers);
  });

  it('exports the official names', () => {
    for (const name of ['Client', 'ApiError', 'OAuth1', 'OAuth2', 'CryptoUtils', 'hmacSha1', 'generateNonce', 'generateTimestamp', 'generateCodeVerifier',
      'generateCodeChallenge', 'Paginator', 'PostPaginator', 'UserPaginator', 'EventPaginator', 'PostsClient', 'UsersClient', 'StreamClient']) {
      expect((sdk as any)[name], name).toBeDefined();
    }
  });
});
