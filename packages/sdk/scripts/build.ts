/**
 * Builds dist/: ESM (one module per source file, so bundlers tree-shake and split the lazily loaded stream and
 * node:http code), CJS (one bundle), and type declarations (tsc). `npx tsx packages/sdk/scripts/build.ts
 * [--out <dir>] [--no-types]`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
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
  await build({ entryPoints: entries, outdir: join(out, 'esm'), outbase: src, format: 'esm', platform: 'neutral', target: 'es2020', bundle: false, logLevel: 'warning' });
  await build({ entryPoints: [join(src, 'index.ts')], outfile: join(out, 'cjs', 'index.cjs'), format: 'cjs', platform: 'neutral', target: 'es2020', bundle: true, logLevel: 'warning' });
  if (types) {
    const tsc = join(ROOT, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
    execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(out, 'types')], { stdio: 'inherit' });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'no-types': { type: 'boolean', default: false } } });
  await buildSdk(values.out ? resolve(values.out) : undefined, !values['no-types']);
  console.log('built');
}
