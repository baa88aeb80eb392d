/**
 * Builds dist/ for publishing: the harness as ESM and CommonJS (jest and other require() users), its type
 * declarations, and the Roost server bundled into one file (dist/server/roost.mjs)
 * with the server's npm dependencies left external — they are this package's dependencies, and the build fails
 * if the two lists drift apart. `npm pack` runs it (prepack).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = join(ROOT, '..', 'server');
const out = join(ROOT, 'dist');

const deps = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
const serverDeps = Object.fromEntries(Object.entries(deps(SERVER)).filter(([name]) => !name.startsWith('@roost/')));
const ours = deps(ROOT);
const drift = [...new Set([...Object.keys(serverDeps), ...Object.keys(ours)])].filter((n) => serverDeps[n] !== ours[n]);
if (drift.length) throw new Error(`@roost/testing's dependencies must equal the server's (bundled) runtime dependencies; differ: ${drift.join(', ')}`);

rmSync(out, { recursive: true, force: true });
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' } as const;
await build({ ...common, entryPoints: [join(ROOT, 'src', 'index.ts')], outfile: join(out, 'index.js'), format: 'esm' });
await build({
  ...common,
  entryPoints: [join(ROOT, 'src', 'index.ts')],
  outfile: join(out, 'index.cjs'),
  format: 'cjs',
  // import.meta.url has no CommonJS meaning: the module's own file URL instead.
  define: { 'import.meta.url': '__roostModuleUrl' },
  banner: { js: "const __roostModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({
  ...common,
  entryPoints: [join(SERVER, 'src', 'cli.ts')],
  outfile: join(out, 'server', 'roost.mjs'),
  format: 'esm',
  external: Object.keys(serverDeps),
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync(join(out, 'server', 'roost.mjs'), 0o755);
const tsc = join(ROOT, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
console.log('built @roost/testing');
