/**
 * Runs tweepy (Debian's python3-tweepy, under /usr/bin/python3 — not whatever python3 is first on PATH) flows
 * from python/flows.py against a Roost process, answering the consent pages the flows ask for.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { approve } from './consent.js';
import type { Roost } from './roost.js';

export const SYSTEM_PYTHON = '/usr/bin/python3';
const PYTHON_DIR = join(dirname(fileURLToPath(import.meta.url)), '../python');
const RUN_TIMEOUT_MS = 90_000;

/** tweepy's version under the system Python, or why it cannot be imported. */
export function tweepyStatus(): { ok: true; version: string } | { ok: false; reason: string } {
  const r = spawnSync(SYSTEM_PYTHON, ['-c', 'import tweepy; print(tweepy.__version__)'], { encoding: 'utf8' });
  if (r.error) return { ok: false, reason: `${SYSTEM_PYTHON}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: r.stderr.trim().split('\n').pop() ?? `exit ${r.status}` };
  return { ok: true, version: r.stdout.trim() };
}

export type FlowResult = { ok: true; [k: string]: any } | { ok: false; error: string; trace: string };

/** Runs every flow of `group` in one Python process; returns each flow's record. */
export function runTweepy(roost: Roost, group: string, config: Record<string, unknown>): Promise<Record<string, FlowResult>> {
  return new Promise((resolve, reject) => {
    const py = spawn(SYSTEM_PYTHON, ['-u', join(PYTHON_DIR, 'flows.py'), group, JSON.stringify(config)], {
      cwd: PYTHON_DIR,
      // tweepy reaches Roost as api.twitter.com through what `roost trust` prints (HTTPS_PROXY and the CA);
      // ROOST_BASE is the flows' own plain-HTTP view of Roost, not tweepy's.
      // OAUTHLIB_INSECURE_TRANSPORT: the OAuth 2.0 flow's callback is http://127.0.0.1:…, which oauthlib refuses
      // otherwise — the setting any tweepy user with a local callback makes against X too.
      env: { ...process.env, ...roost.clientEnv, ROOST_BASE: roost.url, OAUTHLIB_INSECURE_TRANSPORT: '1', PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let results: Record<string, FlowResult> | undefined;
    const timer = setTimeout(() => py.kill('SIGKILL'), RUN_TIMEOUT_MS);
    py.stderr.on('data', (d) => (stderr += d));
    createInterface({ input: py.stdout }).on('line', (line) => {
      let msg: { consent?: string; username?: string; results?: Record<string, FlowResult> };
      try {
        msg = JSON.parse(line);
      } catch {
        stderr += `unexpected output: ${line}\n`;
        return;
      }
      if (msg.results) results = msg.results;
      else if (msg.consent) {
        approve(msg.consent, msg.username!).then(
          (callback) => py.stdin.write(`${callback.href}\n`),
          (err: Error) => {
            stderr += `consent failed: ${err.message}\n`;
            py.stdin.write('\n');
          },
        );
      }
    });
    py.on('error', reject);
    py.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0 && results) resolve(results);
      else reject(new Error(`tweepy flows (${group}) exited ${code}:\n${stderr}`));
    });
  });
}
