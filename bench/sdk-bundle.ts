/**
 * `npm run bench:sdk-bundle`: bytes a browser app ships for `new Client(...)` + one `users` lookup, minified and
 * gzipped (esbuild, ESM, platform browser), for @roost/sdk, the official @xdevplatform/xdk 0.6.6 and
 * twitter-api-v2 1.29.1 (platform node: it needs node built-ins). For @roost/sdk, the stream and node:http code
 * load on first use, so bundlers put them in separate chunks that a users lookup in a browser never fetches:
 * "loaded" counts the entry and the chunks it imports statically; "everything" is a single-file bundle.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const SDK = join(import.meta.dirname, '..', 'packages', 'sdk', 'src', 'index.ts');
// Inside the repository, so the entries resolve packages from its node_modules (removed at the end).
const dir = mkdtempSync(join(import.meta.dirname, '.sdk-bundle-'));
const entries: Record<string, { code: string; platform: 'browser' | 'node' }> = {
  '@roost/sdk': {
    code: `import { Client } from ${JSON.stringify(SDK)};\nnew Client({ bearerToken: 'x' }).users.getByUsername('XDevelopers', { userFields: ['created_at'] }).then((r) => console.log(r.data));\n`,
    platform: 'browser',
  },
  '@xdevplatform/xdk 0.6.6': {
    code: `import { Client } from '@xdevplatform/xdk';\nnew Client({ bearerToken: 'x' }).users.getByUsername('XDevelopers', { userFields: ['created_at'] }).then((r) => console.log(r.data));\n`,
    platform: 'browser',
  },
  'twitter-api-v2 1.29.1': {
    code: `import { TwitterApi } from 'twitter-api-v2';\nnew TwitterApi('x').v2.userByUsername('XDevelopers', { 'user.fields': ['created_at'] }).then((r) => console.log(r.data));\n`,
    platform: 'node',
  },
};

const size = (b: Uint8Array) => ({ min: b.length, gzip: gzipSync(b, { level: 9 }).length });
const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;

async function main() {
  console.log('| Client + one users lookup | min (everything) | gzip (everything) | min (loaded) | gzip (loaded) |');
  console.log('|---|---|---|---|---|');
  const results: Record<string, { gzipLoaded: number }> = {};
  for (const [name, e] of Object.entries(entries)) {
    const file = join(dir, `${name.replace(/\W+/g, '_')}.ts`);
    writeFileSync(file, e.code);
    const common = { entryPoints: [file], bundle: true, minify: true, format: 'esm' as const, platform: e.platform, write: false, absWorkingDir: join(import.meta.dirname, '..'), logLevel: 'error' as const, external: ['crypto', 'node-fetch', 'node:*'] };
    const single = await build({ ...common, outfile: join(dir, 'single.js') });
    const all = size(single.outputFiles![0].contents);
    const split = await build({ ...common, splitting: true, outdir: join(dir, 'split'), metafile: true });
    // The entry chunk and every chunk it imports statically (not the dynamic-import chunks).
    const meta: Metafile = split.metafile;
    const byPath = new Map(split.outputFiles!.map((f) => [f.path, f.contents]));
    const outPath = (p: string) => join(import.meta.dirname, '..', p);
    // Dynamic-import targets are entry points too: pick the output of this entry file.
    const entryOut = Object.keys(meta.outputs).find((p) => meta.outputs[p].entryPoint && outPath(meta.outputs[p].entryPoint!) === file)!;
    const loaded = new Set<string>();
    const visit = (p: string) => {
      if (loaded.has(p)) return;
      loaded.add(p);
      for (const i of meta.outputs[p].imports) if (i.kind === 'import-statement') visit(i.path);
    };
    visit(entryOut);
    const parts = [...loaded].map((p) => byPath.get(outPath(p))!);
    const joined = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of parts) {
      joined.set(b, at);
      at += b.length;
    }
    const ld = size(joined);
    results[name] = { gzipLoaded: ld.gzip };
    console.log(`| ${name} | ${kb(all.min)} | ${kb(all.gzip)} | ${kb(ld.min)} | ${kb(ld.gzip)} |`);
  }
  const ours = results['@roost/sdk'].gzipLoaded;
  console.log(`\n@roost/sdk loaded gzip = ${(ours / results['@xdevplatform/xdk 0.6.6'].gzipLoaded).toFixed(2)} × official xdk; target < 5 kB → ${ours < 5000 ? 'met' : 'MISSED'}`);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
