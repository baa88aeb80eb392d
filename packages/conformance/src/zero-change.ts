/**
 * Zero-change mode in the suite: every client reaches Roost as it reaches X — same URLs, same construction — and
 * only the environment differs, exactly as `roost trust` prints it:
 *
 * - Node clients run in the test worker, started (vitest.config.ts) with the NODE_EXTRA_CA_CERTS and NODE_OPTIONS
 *   preload `roost trust` prints for the suite's CA directory; each file's Roost process then says where X's hosts
 *   are (ROOST_X_ADDRESS, read by the preload at each new connection).
 * - tweepy runs under REQUESTS_CA_BUNDLE, SSL_CERT_FILE and HTTPS_PROXY from the same output.
 *
 * `startRoost` runs `roost trust` against each process and checks the worker was started with what it prints.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './paths.js';

/** The suite's CA and certificate (made by the global setup's first start, kept between runs). */
export const TLS_DIR = join(REPO_ROOT, '.tmp', 'conformance-tls');
export const PRELOAD = join(REPO_ROOT, 'packages/server/preload/zero-change.mjs');

/** What the test workers start with; `checkWorkerEnv` compares it with `roost trust`'s output. */
export const WORKER_ENV = {
  NODE_EXTRA_CA_CERTS: join(TLS_DIR, 'ca.pem'),
  NODE_OPTIONS: `--import=${pathToFileURL(PRELOAD).href}`,
};

/** The `export NAME=VALUE` lines of `roost trust`'s output (a shell script), with `${NODE_OPTIONS:+…}` dropped. */
export function parseExports(script: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of script.split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line);
    if (!m) continue;
    const raw = m[2]!;
    env[m[1]!] = raw.startsWith("'") ? raw.slice(1, -1).replace(/'\\''/g, "'") : raw.slice(1, -1).replace(/^\$\{NODE_OPTIONS:\+\$NODE_OPTIONS \}/, '');
  }
  return env;
}

/** Throws unless this process was started with the Node settings `printed` names. */
export function checkWorkerEnv(printed: Record<string, string>): void {
  for (const k of ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'] as const) {
    if (printed[k] !== process.env[k]) {
      throw new Error(`the test worker runs with ${k}=${process.env[k]}, but roost trust prints ${printed[k]} (vitest.config.ts WORKER_ENV)`);
    }
  }
}
