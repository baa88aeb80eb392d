/**
 * The Developer Console's pages: the single-page app of packages/console, built by Vite into its dist/, served at
 * /console (every path under it that is not a file answers index.html, so the app's own routes reload). When the
 * build is missing or older than the app's sources (a fresh clone, a pull), the first request builds it — once,
 * whoever asks — and waits for it; `npm run build:console` does the same ahead of time.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Context } from '../context.js';
import { RouteNotFound, ServiceUnavailable } from '../errors.js';

export const CONSOLE_PATH = '/console';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
};

/** packages/console, beside this package (absent where the server runs bundled, without the console's sources). */
export const CONSOLE_PACKAGE = resolve(fileURLToPath(new URL('../../../console', import.meta.url)));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether dist/ is missing or older than the sources it is built from. */
export function consoleBuildStale(pkg = CONSOLE_PACKAGE): boolean {
  const index = join(pkg, 'dist', 'index.html');
  if (!existsSync(index)) return true;
  if (!existsSync(join(pkg, 'src'))) return false;
  const sources = Math.max(newestMtime(join(pkg, 'src')), statSync(join(pkg, 'index.html')).mtimeMs, statSync(join(pkg, 'vite.config.ts')).mtimeMs);
  return sources > statSync(index).mtimeMs;
}

let building: Promise<void> | null = null;

/** Builds the console with Vite (the workspace's own), once at a time. */
export function buildConsole(log: (msg: string) => void = () => {}, pkg = CONSOLE_PACKAGE): Promise<void> {
  building ??= new Promise<void>((done, fail) => {
    const vite = join(pkg, '..', '..', 'node_modules', 'vite', 'bin', 'vite.js');
    if (!existsSync(vite)) return fail(new Error('the console is not built and Vite is not installed (npm ci, then npm run build:console)'));
    log('building the Developer Console (packages/console) with Vite');
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: pkg, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`vite build exited with ${code}`))));
  }).finally(() => {
    building = null;
  });
  return building;
}

let checked = false;

async function ensureBuilt(ctx: Context): Promise<void> {
  if (checked && existsSync(join(CONSOLE_PACKAGE, 'dist', 'index.html'))) return;
  if (!existsSync(CONSOLE_PACKAGE)) throw new ServiceUnavailable();
  if (consoleBuildStale()) await buildConsole((m) => ctx.log.info(m));
  checked = true;
}

function send(reply: FastifyReply, file: string) {
  const ext = extname(file);
  // Hashed asset names change with their content: cache them for good; the page itself never.
  const cache = file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  return reply.type(TYPES[ext] ?? 'application/octet-stream').header('cache-control', cache).send(readFileSync(file));
}

export function registerConsoleStatic(app: FastifyInstance, ctx: Context): void {
  const dist = join(CONSOLE_PACKAGE, 'dist');
  const page = async (rest: string, reply: FastifyReply) => {
    // The console API's paths are routes of their own; an unknown one is X's 404, not the app.
    if (rest === 'api' || rest.startsWith('api/')) throw new RouteNotFound();
    await ensureBuilt(ctx);
    const file = normalize(join(dist, rest));
    if (file.startsWith(dist + sep) && existsSync(file) && statSync(file).isFile()) return send(reply, file);
    return send(reply, join(dist, 'index.html'));
  };
  app.get(CONSOLE_PATH, (_req, reply) => page('index.html', reply));
  app.get(`${CONSOLE_PATH}/*`, (req, reply) => page((req.params as { '*': string })['*'], reply));
}
