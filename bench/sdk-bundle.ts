/**
 * `npm run bench:sdk-bundle`: bytes a browser app ships for one users lookup, minified and gzipped (esbuild, ESM,
 * platform browser; twitter-api-v2 with platform node, as it needs node built-ins):
 *
 * (a) @roost/sdk, the small entry: `getUsersByUsername` from `@roost/sdk/users` on a `BaseClient` from
 *     `@roost/sdk/core` (and, for comparison, the `UsersClient` class, and the same function imported from the root);
 * (b) @roost/sdk, the full `Client` (all 21 sub-clients) + one call;
 * (c) the official @xdevplatform/xdk 0.6.6, `Client` + one call;
 * (d) twitter-api-v2 1.29.1, `TwitterApi` + one call.
 *
 * @roost/sdk is measured as an app installs it: its built package (dist + package.json: `exports`, `browser` map,
 * `sideEffects`). Each entry is bundled once as one file and once with code splitting on: the SDK loads nothing at
 * run time, so splitting must give one file of the same size (the "files" column).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildSdk } from '../packages/sdk/scripts/build.js';

const ROOT = join(import.meta.dirname, '..');
// Inside the repository, so the entries resolve packages from its node_modules (removed at the end).
const dir = mkdtempSync(join(import.meta.dirname, '.sdk-bundle-'));

const print = `.then((r) => console.log(r.data))`;
const args = `'XDevelopers', { userFields: ['created_at'] }`;

interface Entry {
  code: string;
  platform: 'browser' | 'node';
}

const SMALL = '(a) @roost/sdk: getUsersByUsername from @roost/sdk/users + BaseClient';
const FULL = '(b) @roost/sdk: Client + users.getByUsername';
const XDK = '(c) @xdevplatform/xdk 0.6.6: Client + users.getByUsername';
const TAV2 = '(d) twitter-api-v2 1.29.1: TwitterApi + v2.userByUsername';

const entries: Record<string, Entry> = {
  [SMALL]: {
    code: `import { BaseClient } from '@roost/sdk/core';\nimport { getUsersByUsername } from '@roost/sdk/users';\ngetUsersByUsername(new BaseClient({ bearerToken: 'x' }), ${args})${print};\n`,
    platform: 'browser',
  },
  '(a) @roost/sdk: UsersClient from @roost/sdk/users + getByUsername': {
    code: `import { UsersClient } from '@roost/sdk/users';\nnew UsersClient({ bearerToken: 'x' }).getByUsername(${args})${print};\n`,
    platform: 'browser',
  },
  '(a) @roost/sdk: getUsersByUsername + BaseClient from @roost/sdk (root)': {
    code: `import { BaseClient, getUsersByUsername } from '@roost/sdk';\ngetUsersByUsername(new BaseClient({ bearerToken: 'x' }), ${args})${print};\n`,
    platform: 'browser',
  },
  [FULL]: { code: `import { Client } from '@roost/sdk';\nnew Client({ bearerToken: 'x' }).users.getByUsername(${args})${print};\n`, platform: 'browser' },
  [XDK]: { code: `import { Client } from '@xdevplatform/xdk';\nnew Client({ bearerToken: 'x' }).users.getByUsername(${args})${print};\n`, platform: 'browser' },
  [TAV2]: {
    code: `import { TwitterApi } from 'twitter-api-v2';\nnew TwitterApi('x').v2.userByUsername('XDevelopers', { 'user.fields': ['created_at'] })${print};\n`,
    platform: 'node',
  },
};

const gzip = (b: Uint8Array) => gzipSync(b, { level: 9 }).length;
const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;

async function main() {
  // The built package, installed where the entries resolve `@roost/sdk` first.
  const pkg = join(dir, 'node_modules', '@roost', 'sdk');
  mkdirSync(pkg, { recursive: true });
  await buildSdk(join(pkg, 'dist'), false);
  cpSync(join(ROOT, 'packages', 'sdk', 'package.json'), join(pkg, 'package.json'));

  const results: Record<string, number> = {};
  const rows: [string, number, number, number][] = [];
  for (const [name, e] of Object.entries(entries)) {
    const file = join(dir, `${name.replace(/\W+/g, '_')}.ts`);
    writeFileSync(file, e.code);
    const common = { entryPoints: [file], bundle: true, minify: true, format: 'esm' as const, platform: e.platform, write: false, absWorkingDir: ROOT, logLevel: 'error' as const, external: ['crypto', 'node-fetch', 'node:*'] };
    const single = (await build({ ...common, outfile: join(dir, 'single.js') })).outputFiles![0].contents;
    const split = await build({ ...common, splitting: true, outdir: join(dir, 'split') });
    results[name] = gzip(single);
    rows.push([name, single.length, results[name], split.outputFiles!.length]);
  }
  const xdk = results[XDK];
  console.log('| one users lookup | min | gzip | × xdk (gzip) | files with splitting |');
  console.log('|---|---|---|---|---|');
  for (const [name, min, gz, files] of rows) console.log(`| ${name} | ${kb(min)} | ${kb(gz)} | ${(gz / xdk).toFixed(2)} | ${files} |`);
  const small = results[SMALL];
  const full = results[FULL];
  console.log(`\nsmall entry: ${small.toLocaleString('en-US')} bytes gzip = ${(small / xdk).toFixed(2)} × xdk; target < 5 kB → ${small < 5000 ? 'met' : 'MISSED'}`);
  console.log(`full Client: ${full.toLocaleString('en-US')} bytes gzip = ${(full / xdk).toFixed(2)} × xdk (${xdk.toLocaleString('en-US')} bytes); target ≤ xdk → ${full <= xdk ? 'met' : 'MISSED'}`);
  const ours = rows.filter(([n]) => n.includes('@roost/sdk'));
  if (ours.some(([, , , files]) => files !== 1)) console.log('@roost/sdk bundles split into several files: something is loaded at run time');
  if (small >= 5000 || full > xdk || ours.some(([, , , files]) => files !== 1)) process.exitCode = 1;
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
