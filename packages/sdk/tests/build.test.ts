/**
 * The published shape: zero runtime dependencies, `sideEffects: false`, and ESM and CJS builds (esbuild, as in
 * `npm run build -w @roost/sdk`) that load and make a real request over both transports.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSdk } from '../scripts/build.js';

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
let out: string;
let server: Server;
let url: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'roost-sdk-build-'));
  await buildSdk(out, false);
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { id: '1', username: 'u', created_at: 'x' }, seen: { auth: req.headers.authorization, url: req.url } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  rmSync(out, { recursive: true, force: true });
});

describe('package', () => {
  it('has no runtime dependencies and is side-effect free', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.exports['.']).toEqual({ types: './dist/types/index.d.ts', import: './dist/esm/index.js', require: './dist/cjs/index.cjs' });
  });

  it("the browser map swaps platform.js for a twin with the same exports, which never picks node:http", async () => {
    const [[from, to]] = Object.entries(pkg.browser as Record<string, string>).filter(([k]) => k.startsWith('./dist/'));
    const rel = (p: string) => join(out, p.replace(/^\.\/dist\//, ''));
    const node = await import(pathToFileURL(rel(from)).href);
    const browser = await import(pathToFileURL(rel(to)).href);
    expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
    expect(browser.nodeTransportAvailable()).toBe(false);
    expect(() => browser.nodeOnlyTransport()).toThrow(/node:http is not available/);
    expect(node.nodeTransportAvailable()).toBe(true);
    for (const [k, v] of Object.entries(pkg.browser as Record<string, string>)) {
      if (k.startsWith('./src/')) expect(readFileSync(join(import.meta.dirname, '..', v), 'utf8')).toContain('export function defaultTransport');
    }
  });

  it.each(['node', 'fetch'])('the CJS build works (%s transport)', async (transport) => {
    const sdk = createRequire(import.meta.url)(join(out, 'cjs', 'index.cjs'));
    const c = new sdk.Client({ baseUrl: url, bearerToken: 'T', transport });
    const r = await c.users.getByUsername('u', { userFields: ['createdAt'] });
    expect(r.data.createdAt).toBe('x');
    expect(r.seen).toEqual({ auth: 'Bearer T', url: '/2/users/by/username/u?user.fields=created_at' });
    expect(typeof c.users.getFollowers.paginate).toBe('function');
    expect(sdk.generateCodeVerifier()).toHaveLength(64);
  });

  it.each(['node', 'fetch'])('the ESM build works (%s transport)', async (transport) => {
    const sdk = await import(pathToFileURL(join(out, 'esm', 'index.js')).href);
    const c = new sdk.Client({ baseUrl: url, bearerToken: 'T', transport });
    const r = await c.posts.getById('5');
    expect(r.seen.url).toBe('/2/tweets/5');
    expect(await sdk.generateCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
});
