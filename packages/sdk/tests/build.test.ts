/**
 * The published shape: zero runtime dependencies, `sideEffects: false`, ESM and CJS builds and type declarations
 * (as in `npm run build -w @roost/sdk`), installed as an app installs them, whose root and subpath exports
 * (`@roost/sdk/core`, `@roost/sdk/users`, …) load, share one core, type-check and make real requests over both
 * transports; and no SDK code is loaded at run time.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSdk } from '../scripts/build.js';
import { clientOrder } from '../scripts/naming.js';

const SDK = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8'));
/** The app's folder; the package is installed in its node_modules. */
let app: string;
let dist: string;
let server: Server;
let url: string;

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'roost-sdk-build-'));
  const installed = join(app, 'node_modules', '@roost', 'sdk');
  mkdirSync(installed, { recursive: true });
  dist = join(installed, 'dist');
  await buildSdk(dist, true);
  cpSync(join(SDK, 'package.json'), join(installed, 'package.json'));
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
  if (app) rmSync(app, { recursive: true, force: true });
});

/** Every file under `dir`, relative to it. */
const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
/** Loads a module of the app (written to its folder) that imports `specifiers`, as ESM; returns their namespaces. */
async function importAs(name: string, specifiers: string[]): Promise<any[]> {
  const file = join(app, `${name}.mjs`);
  writeFileSync(file, specifiers.map((s, i) => `import * as m${i} from ${JSON.stringify(s)};`).join('\n') + `\nexport default [${specifiers.map((_, i) => `m${i}`).join(', ')}];\n`);
  return (await import(pathToFileURL(file).href)).default;
}
const requireFromApp = () => createRequire(join(app, 'app.cjs'));

describe('package', () => {
  it('has no runtime dependencies and is side-effect free', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
    expect(pkg.sideEffects).toBe(false);
  });

  it('exports the root, core, the console API client and one subpath per sub-client, each an ESM and a CJS module with declarations beside it', () => {
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
    expect(subpaths).toEqual(['.', './core', './console', ...clientOrder.map((c) => `./${c}`)]);
    const inDist = (p: string) => join(dist, p.replace(/^\.\/dist\//, ''));
    for (const k of subpaths) {
      expect(Object.keys(pkg.exports[k]), k).toEqual(['import', 'require']);
      for (const target of Object.values<string>(pkg.exports[k])) {
        expect(existsSync(inDist(target)), `${k}: ${target}`).toBe(true);
        expect(existsSync(inDist(target.replace(/\.js$/, '.d.ts'))), `${k}: declarations of ${target}`).toBe(true);
      }
    }
    expect(pkg.main).toBe(pkg.exports['.'].require);
    expect(pkg.module).toBe(pkg.exports['.'].import);
    expect(pkg.types).toBe(pkg.exports['.'].import.replace(/\.js$/, '.d.ts'));
    expect(JSON.parse(readFileSync(join(dist, 'cjs', 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  });

  it('the built code loads nothing at run time: no import() but the Node 18 fallback for node:crypto, and no static node: import', () => {
    const withImport: string[] = [];
    for (const f of files(dist).filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(dist, f), 'utf8');
      if (/\bimport\s*\(/.test(text)) withImport.push(f);
      expect(text, f).not.toMatch(/\bfrom\s*["']node:|require\(["']node:/);
    }
    expect(withImport.sort()).toEqual(['cjs/crypto.js', 'esm/crypto.js']);
    // That one: WebCrypto where Node 18 has no global one, a Node built-in (not SDK code), with a specifier computed
    // so that browser bundlers leave it alone.
    for (const f of withImport) expect(readFileSync(join(dist, f), 'utf8').match(/\bimport\s*\([^)]*\)/g), f).toEqual([expect.stringMatching(/"node", "crypto"\]\.join\(":"\)/)]);
  });

  it("the browser map swaps platform.js for a twin with the same exports, which never picks node:http", async () => {
    const swaps = Object.entries(pkg.browser as Record<string, string>).filter(([k]) => k.startsWith('./dist/'));
    expect(swaps.map(([k]) => k).sort()).toEqual(['./dist/cjs/platform.js', './dist/esm/platform.js']);
    const rel = (p: string) => join(dist, p.replace(/^\.\/dist\//, ''));
    for (const [from, to] of swaps) {
      const load = (p: string) => (p.includes('/cjs/') ? requireFromApp()(rel(p)) : import(pathToFileURL(rel(p)).href));
      const node = await load(from);
      const browser = await load(to);
      expect(Object.keys(browser).sort()).toEqual(Object.keys(node).sort());
      expect(browser.nodeTransportAvailable()).toBe(false);
      expect(() => browser.nodeOnlyTransport()).toThrow(/node:http is not available/);
      expect(node.nodeTransportAvailable()).toBe(true);
      // The browser twin imports no node transport code.
      expect(readFileSync(rel(to), 'utf8')).not.toMatch(/node-transport|node-stream/);
    }
    for (const [k, v] of Object.entries(pkg.browser as Record<string, string>)) {
      if (k.startsWith('./src/')) expect(readFileSync(join(SDK, v), 'utf8')).toContain('export function defaultTransport');
    }
  });

  it.each(['node', 'fetch'])('the CJS build works through the root and the subpaths (%s transport)', async (transport) => {
    const req = requireFromApp();
    const sdk = req('@roost/sdk');
    const c = new sdk.Client({ baseUrl: url, bearerToken: 'T', transport });
    const r = await c.users.getByUsername('u', { userFields: ['createdAt'] });
    expect(r.data.createdAt).toBe('x');
    expect(r.seen).toEqual({ auth: 'Bearer T', url: '/2/users/by/username/u?user.fields=created_at' });
    expect(typeof c.users.getFollowers.paginate).toBe('function');
    expect(sdk.generateCodeVerifier()).toHaveLength(64);
    const core = req('@roost/sdk/core');
    const users = req('@roost/sdk/users');
    // One copy of the core behind every entry.
    expect(core.BaseClient).toBe(sdk.BaseClient);
    expect(core.ApiError).toBe(sdk.ApiError);
    expect(users.UsersClient).toBe(sdk.UsersClient);
    const base = new core.BaseClient({ baseUrl: url, bearerToken: 'T', transport });
    expect((await users.getUsersByUsername(base, 'v')).seen.url).toBe('/2/users/by/username/v');
    expect((await new users.UsersClient({ baseUrl: url, bearerToken: 'T', transport }).getById('7')).seen.url).toBe('/2/users/7');
  });

  it.each(['node', 'fetch'])('the ESM build works through the root and the subpaths (%s transport)', async (transport) => {
    const [sdk, core, posts, stream] = await importAs(`esm-${transport}`, ['@roost/sdk', '@roost/sdk/core', '@roost/sdk/posts', '@roost/sdk/stream']);
    const c = new sdk.Client({ baseUrl: url, bearerToken: 'T', transport });
    expect((await c.posts.getById('5')).seen.url).toBe('/2/tweets/5');
    expect(await sdk.generateCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(core.BaseClient).toBe(sdk.BaseClient);
    expect(posts.PostsClient).toBe(sdk.PostsClient);
    const base = new core.BaseClient({ baseUrl: url, bearerToken: 'T', transport });
    expect((await posts.getPostsById(base, '6', { postFields: ['created_at'] })).seen.url).toBe('/2/tweets/6?post.fields=created_at');
    expect(typeof stream.streamPosts).toBe('function');
    expect(Object.keys(stream).filter((k) => k.endsWith('Client'))).toEqual(['StreamClient']);
  });

  it('the subpath types resolve for TypeScript (node16 from ESM and from CJS, bundler) and are the real ones', () => {
    const consumer = [
      `import { BaseClient, ApiError, type Schemas } from '@roost/sdk/core';`,
      `import { getUsersByUsername, UsersClient, type Users } from '@roost/sdk/users';`,
      `import { Client, UserPaginator } from '@roost/sdk';`,
      `const base = new BaseClient({ bearerToken: 't' });`,
      `export const lookup: Promise<Users.GetByUsernameResponse> = getUsersByUsername(base, 'x', { userFields: ['created_at'] });`,
      `export const user: Schemas.User | undefined = undefined as unknown as Users.GetByUsernameResponse['data'];`,
      `export const paginator: UserPaginator<Schemas.User> = new UsersClient(base).getFollowers.paginate('1');`,
      `export const err: typeof ApiError = ApiError;`,
      `// @ts-expect-error: a field the API does not have is refused through the subpath's types`,
      `getUsersByUsername(base, 'x', { userFields: ['no_such_field'] });`,
      `// @ts-expect-error: the sub-client has no such method`,
      `new Client().users.getByUsernameTypo('x');`,
    ].join('\n') + '\n';
    // consumer.ts is CommonJS under node16 resolution (the app has no "type": "module"), consumer.mts is ESM.
    writeFileSync(join(app, 'consumer.ts'), consumer);
    writeFileSync(join(app, 'consumer.mts'), consumer);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { noEmit: true, strict: true, skipLibCheck: true, types: [], lib: ['es2022', 'dom'] }, files: ['consumer.ts', 'consumer.mts'] }));
    const tsc = join(SDK, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
    for (const [module, resolution] of [['node16', 'node16'], ['esnext', 'bundler']]) {
      const out = (() => {
        try {
          return execFileSync(process.execPath, [tsc, '-p', app, '--module', module, '--moduleResolution', resolution], { cwd: app, encoding: 'utf8' });
        } catch (e: any) {
          return `${e.stdout}${e.stderr}`;
        }
      })();
      expect(out, resolution).toBe('');
    }
  });
});
