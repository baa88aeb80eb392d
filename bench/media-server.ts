/**
 * Roost for the media-upload bench, in its own process: a small seeded world in a fresh temp directory (SQLite
 * file and media directory), rate limits and metering off, listening on a free loopback port. Prints one JSON
 * line `{"url","token","pid"}` (`token`: a user token for @XDevelopers with every scope), then answers `rss`
 * on stdin with `{"rss","hwm"}` in bytes (VmRSS and VmHWM of /proc/self/status: current and peak resident set)
 * and `reset` (VmHWM back to the current RSS, via /proc/self/clear_refs) with `ok`. Exits, removing the temp
 * directory, when stdin closes or on SIGTERM.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildConfig, mintUserToken, startServer, XDEVELOPERS_ID } from '@roost/server';

const dir = mkdtempSync(join(tmpdir(), 'roost-bench-media-'));
const config = buildConfig(
  { ROOST_PORT: '0', ROOST_LOG_LEVEL: 'warn', ROOST_RATE_LIMITS: 'off', ROOST_METERING: 'off' },
  { dbUrl: join(dir, 'roost.db'), mediaDir: join(dir, 'media'), world: { users: 60, posts: 300 }, logLevel: 'warn' },
);
const handle = await startServer(config);
const token = await mintUserToken(handle.ctx, { appId: handle.boot.appId, userId: XDEVELOPERS_ID });

function memory(): { rss: number; hwm: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

let closing = false;
async function exit(): Promise<void> {
  if (closing) return;
  closing = true;
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void exit());
process.on('SIGINT', () => void exit());

createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line === 'rss') process.stdout.write(`${JSON.stringify(memory())}\n`);
    else if (line === 'reset') {
      // Writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS (Linux ≥ 4.0).
      writeFileSync('/proc/self/clear_refs', '5');
      process.stdout.write('ok\n');
    } else process.stdout.write(`unknown command ${line}\n`);
  })
  .on('close', () => void exit());

process.stdout.write(`${JSON.stringify({ url: handle.url, token, pid: process.pid })}\n`);
