/**
 * `npm run bench:sdk-bundle`: bytes a browser app ships for `new Client(...)` + one `users` lookup, minified and
 * gzipped (esbuild, ESM, platform browser), for @roost/sdk, the official @xdevplatform/xdk 0.6.6 and
 * twitter-api-v2 1.29.1 (platform node: it needs node built-ins).
 *
 * @roost/sdk loads code on first use (other sub-clients' descriptors, streams, retries, paging), so bundlers split
 * it into chunks: "loaded" counts the entry, the chunks it imports statically and the lazily loaded chunks the call
 * itself fetches (none for a lookup; the loader table and the users descriptors for `getFollowers`), all in one gzip
 * stream; "everything" is a single-file bundle. @roost/sdk is measured from its sources and, as an app would get
 * it, from its built package (dist + package.json: `browser` map, `sideEffects`).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { buildSdk } from '../packages/sdk/scripts/build.js';

const ROOT = join(import.meta.dirname, '..');
const SDK_SRC = join(ROOT, 'packages', 'sdk', 'src', 'index.ts');
// Inside the repository, so the entries resolve packages from its node_modules (removed at the end).
const dir = mkdtempSync(join(import.meta.dirname, '.sdk-bundle-'));

const lookup = (from: string) =>
  `import { Client } from ${JSON.stringify(from)};\nnew Client({ bearerToken: 'x' }).users.getByUsername('XDevelopers', { userFields: ['created_at'] }).then((r) => console.log(r.data));\n`;

interface Entry {
  code: string;
  platform: 'browser' | 'node';
  /** Source files (relative to packages/sdk/src) whose lazily loaded chunks the call fetches. */
  fetches?: string[];
}

const entries: Record<string, Entry> = {
  '@roost/sdk: users lookup': { code: lookup(SDK_SRC), platform: 'browser' },
  '@roost/sdk (built package): users lookup': { code: lookup('@roost/sdk'), platform: 'browser' },
  '@roost/sdk: users.getFollowers (a lazy method)': {
    code: `import { Client } from ${JSON.stringify(SDK_SRC)};\nnew Client({ bearerToken: 'x' }).users.getFollowers('1').then((r) => console.log(r.data));\n`,
    platform: 'browser',
    fetches: ['generated/loaders.ts', 'generated/users.ts'],
  },
  '@xdevplatform/xdk 0.6.6: users lookup': { code: lookup('@xdevplatform/xdk'), platform: 'browser' },
  'twitter-api-v2 1.29.1: users lookup': {
    code: `import { TwitterApi } from 'twitter-api-v2';\nnew TwitterApi('x').v2.userByUsername('XDevelopers', { 'user.fields': ['created_at'] }).then((r) => console.log(r.data));\n`,
    platform: 'node',
  },
};

const size = (b: Uint8Array) => ({ min: b.length, gzip: gzipSync(b, { level: 9 }).length });
const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;

async function main() {
  // The built package, installed where the entries resolve `@roost/sdk` first.
  const pkg = join(dir, 'node_modules', '@roost', 'sdk');
  mkdirSync(pkg, { recursive: true });
  await buildSdk(join(pkg, 'dist'), false);
  cpSync(join(ROOT, 'packages', 'sdk', 'package.json'), join(pkg, 'package.json'));

  console.log('| Client + one call | min (everything) | gzip (everything) | min (loaded) | gzip (loaded) |');
  console.log('|---|---|---|---|---|');
  const results: Record<string, number> = {};
  for (const [name, e] of Object.entries(entries)) {
    const file = join(dir, `${name.replace(/\W+/g, '_')}.ts`);
    writeFileSync(file, e.code);
    const common = { entryPoints: [file], bundle: true, minify: true, format: 'esm' as const, platform: e.platform, write: false, absWorkingDir: ROOT, logLevel: 'error' as const, external: ['crypto', 'node-fetch', 'node:*'] };
    const single = await build({ ...common, outfile: join(dir, 'single.js') });
    const all = size(single.outputFiles![0].contents);
    const split = await build({ ...common, splitting: true, outdir: join(dir, 'split'), metafile: true });
    const meta: Metafile = split.metafile;
    const byPath = new Map(split.outputFiles!.map((f) => [f.path, f.contents]));
    const outPath = (p: string) => join(ROOT, p);
    const outputOf = (source: (entryPoint: string) => boolean) => Object.keys(meta.outputs).find((p) => meta.outputs[p].entryPoint && source(outPath(meta.outputs[p].entryPoint!)));
    // The entry chunk and every chunk it imports statically, then the lazily loaded chunks the call fetches.
    const loaded = new Set<string>();
    const visit = (p: string) => {
      if (loaded.has(p)) return;
      loaded.add(p);
      for (const i of meta.outputs[p].imports) if (i.kind === 'import-statement') visit(i.path);
    };
    visit(outputOf((ep) => ep === file)!);
    for (const src of e.fetches ?? []) {
      const out = outputOf((ep) => ep.endsWith(join('packages', 'sdk', 'src', src)));
      if (!out) throw new Error(`no chunk for ${src}`);
      visit(out);
    }
    const parts = [...loaded].map((p) => byPath.get(outPath(p))!);
    const joined = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of parts) {
      joined.set(b, at);
      at += b.length;
    }
    const ld = size(joined);
    results[name] = ld.gzip;
    console.log(`| ${name} | ${kb(all.min)} | ${kb(all.gzip)} | ${kb(ld.min)} | ${kb(ld.gzip)} |`);
  }
  const ours = Math.max(results['@roost/sdk: users lookup'], results['@roost/sdk (built package): users lookup']);
  console.log(`\n@roost/sdk users lookup, loaded gzip = ${ours.toLocaleString("en-US")} bytes = ${(ours / results['@xdevplatform/xdk 0.6.6: users lookup']).toFixed(2)} × official xdk; target < 5 kB → ${ours < 5000 ? 'met' : 'MISSED'}`);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
