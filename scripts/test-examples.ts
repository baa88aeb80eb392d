/**
 * The installable packages, tested as users get them: `npm pack` of @roost/sdk and @roost/testing (their prepack
 * builds them), the tarballs installed into a copy of examples/ outside the workspace, both imported (ESM and
 * CommonJS), and the examples' tests run with vitest, node:test and jest.
 *
 *   npm run test:examples          (CI: .ci/run)
 *
 * better-sqlite3 (a dependency of @roost/testing) is installed at the repository's version with its native addon
 * taken from the repository's build: compiling it again from source would take minutes on CI and test nothing of
 * ours. Everything else comes from the registry as a user's install would.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = join(ROOT, '.tmp', 'examples');
const PACKS = join(WORK, 'packs');
// Outside the workspace: nothing may resolve from the repository's node_modules.
const PROJECT = join(process.env.ROOST_EXAMPLES_DIR ?? join('/tmp', `roost-examples-${process.pid}`));

const run = (cmd: string, args: string[], opts: ExecFileSyncOptions = {}) => {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', ...opts });
};

rmSync(WORK, { recursive: true, force: true });
mkdirSync(PACKS, { recursive: true });
run('npm', ['pack', '--pack-destination', PACKS, '-w', 'packages/sdk', '-w', 'packages/testing'], { cwd: ROOT });
const tarballs = readdirSync(PACKS).filter((f) => f.endsWith('.tgz')).map((f) => join(PACKS, f));
if (tarballs.length !== 2) throw new Error(`expected two tarballs, got ${tarballs.join(', ')}`);

rmSync(PROJECT, { recursive: true, force: true });
cpSync(join(ROOT, 'examples'), PROJECT, { recursive: true, filter: (src) => !src.includes('node_modules') });
const sqliteVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')) as { version: string }).version;
const pkgPath = join(PROJECT, 'package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as Record<string, unknown>;
pkg.overrides = { 'better-sqlite3': sqliteVersion };
writeFileSync(pkgPath, JSON.stringify(pkg, null, 2));

try {
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], { cwd: PROJECT });
  const addon = join('build', 'Release', 'better_sqlite3.node');
  const target = join(PROJECT, 'node_modules', 'better-sqlite3');
  mkdirSync(join(target, 'build', 'Release'), { recursive: true });
  cpSync(join(ROOT, 'node_modules', 'better-sqlite3', addon), join(target, addon));

  // Both entry points of both packages load, from outside the workspace.
  const probe = [
    "const t = require('@roost/testing'); const s = require('@roost/sdk');",
    "if (typeof t.startRoost !== 'function' || typeof s.Client !== 'function') throw new Error('require: missing exports');",
    "import('@roost/testing').then(async (t) => { const s = await import('@roost/sdk');",
    "if (typeof t.startRoost !== 'function' || typeof s.Client !== 'function') throw new Error('import: missing exports'); console.log('imports ok'); });",
  ].join('\n');
  run(process.execPath, ['-e', probe], { cwd: PROJECT });
  if (!existsSync(join(PROJECT, 'node_modules', '@roost', 'testing', 'dist', 'server', 'roost.mjs'))) throw new Error('the server is missing from @roost/testing');

  run('npm', ['run', 'test:vitest'], { cwd: PROJECT });
  run('npm', ['run', 'test:node'], { cwd: PROJECT });
  run('npm', ['run', 'test:jest'], { cwd: PROJECT });
  console.log('examples: vitest, node:test and jest passed against the packed @roost/testing and @roost/sdk');
} finally {
  if (!process.env.ROOST_EXAMPLES_DIR) rmSync(PROJECT, { recursive: true, force: true });
}
