/**
 * Builds dist/: ESM and CJS, each one module per source file (so the subpath exports — `@roost/sdk/core`,
 * `@roost/sdk/users`, … — share one copy of the core, and bundlers tree-shake what an app does not import), with
 * type declarations (tsc) beside the modules of both. dist/cjs has a package.json of its own (`"type": "commonjs"`),
 * so its `.js` files are CommonJS and its `.d.ts` files CommonJS declarations, as TypeScript requires for `require`.
 * `npx tsx packages/sdk/scripts/build.ts [--out <dir>] [--no-types]`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildSdk(out = join(ROOT, 'dist'), types = true): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  const src = join(ROOT, 'src');
  const entries = [
    ...readdirSync(src).filter((f) => f.endsWith('.ts')).map((f) => join(src, f)),
    ...readdirSync(join(src, 'generated')).filter((f) => f.endsWith('.ts')).map((f) => join(src, 'generated', f)),
  ];
  const common = { entryPoints: entries, outbase: src, platform: 'neutral', target: 'es2020', bundle: false, logLevel: 'warning' } as const;
  await build({ ...common, outdir: join(out, 'esm'), format: 'esm' });
  await build({ ...common, outdir: join(out, 'cjs'), format: 'cjs' });
  mkdirSync(join(out, 'cjs'), { recursive: true });
  writeFileSync(join(out, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
  if (types) {
    const tsc = join(ROOT, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(out, 'esm')], { stdio: 'inherit' });
    cpSync(join(out, 'esm'), join(out, 'cjs'), { recursive: true, filter: (f) => !f.endsWith('.js') });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'no-types': { type: 'boolean', default: false } } });
  await buildSdk(values.out ? resolve(values.out) : undefined, !values['no-types']);
  console.log('built');
}
