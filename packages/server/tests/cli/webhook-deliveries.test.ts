/**
 * `roost webhooks deliveries` (issue 21): recent deliveries, newest first, with webhook, event type, attempts,
 * status and last error; filtered by webhook and status; bad flags refused in one line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConfig, startServer } from '@roost/server';
import type { DeliveryRow } from '../../src/data/deliveries.js';
import { runInProcess } from './cli-kit.js';

/** Both streams of one in-process run, standard output first. */
const cli = async (argv: string[]) => {
  const r = await runInProcess(...argv);
  return { code: r.code, text: r.out + r.err };
};

const dir = mkdtempSync(join(tmpdir(), 'roost-deliveries-'));
const db = join(dir, 'roost.db');
const W1 = '1790000000000000001';
const W2 = '1790000000000000002';

const row = (id: string, webhookId: string, now: number, over: Partial<DeliveryRow>): DeliveryRow => ({
  id, webhookId, appId: '1', eventId: id, kind: 'account_activity', eventType: 'post.create', forUserId: null, body: '{}',
  priceMicros: 0, chargeKey: null, eventAt: now, createdAt: now, status: 'pending', attempts: 0, nextAttemptAt: now + 3_600_000, lastStatus: null,
  lastError: null, finishedAt: null, replayJobId: null, ...over,
});

beforeAll(async () => {
  // The server creates the database; the deliveries are written as the engine leaves them, then it stops.
  const h = await startServer(buildConfig({ ROOST_PORT: '0' }, { dbUrl: db, seed: null, logLevel: 'silent' }), { listen: false });
  const now = h.ctx.clock.now();
  await h.ctx.repos.deliveries.insert([
    row('101', W1, now, { status: 'delivered', attempts: 1, lastStatus: 200, finishedAt: 1 }),
    row('102', W1, now, { status: 'dead', attempts: 9, eventType: 'like.create', lastStatus: 500, lastError: 'HTTP 500 from receiver' }),
    row('103', W2, now, { status: 'pending', attempts: 2, eventType: 'follow.follow', lastError: 'timeout after 10000 ms' }),
    row('104', W2, now, { status: 'pending', attempts: 0, kind: 'filtered_stream', eventType: 'filtered_stream' }),
  ]);
  await h.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('roost webhooks deliveries', () => {
  it('lists every delivery newest first with webhook, event, attempts, status and last error', async () => {
    const { code, text } = await cli(['webhooks', 'deliveries', '--db', db]);
    expect(code).toBe(0);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^DELIVERY\s+WEBHOOK\s+EVENT\s+ATTEMPTS\s+STATUS\s+LAST ERROR$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
      ['104', W2, 'filtered_stream', '0', 'pending', '-'],
      ['103', W2, 'follow.follow', '2', 'pending', 'timeout after 10000 ms'],
      ['102', W1, 'like.create', '9', 'dead', 'HTTP 500 from receiver'],
      ['101', W1, 'post.create', '1', 'delivered', '-'],
    ]);
  });

  it('filters by webhook id and by status, with a limit', async () => {
    const byHook = await cli(['webhooks', 'deliveries', '--webhook', W1, '--db', db]);
    expect(byHook.text.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['102', '101']);
    const dead = await cli(['webhooks', 'deliveries', '--status', 'dead', '--db', db]);
    expect(dead.text.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['102']);
    const both = await cli(['webhooks', 'deliveries', '--webhook', W2, '--status', 'pending', '--limit', '1', '--db', db]);
    expect(both.text.trimEnd().split('\n').slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['104']);
    expect((await cli(['webhooks', 'deliveries', '--webhook', W1, '--status', 'pending', '--db', db])).text.trim()).toBe('No deliveries.');
  });

  it('refuses a bad status, webhook id or limit in one line; documented in help', async () => {
    const bad = await cli(['webhooks', 'deliveries', '--status', 'failed', '--db', db]);
    expect(bad.code).not.toBe(0);
    expect(bad.text.trim()).toBe('roost: --status must be one of pending, delivered, dead, cancelled (got failed)');
    expect((await cli(['webhooks', 'deliveries', '--webhook', 'abc', '--db', db])).code).not.toBe(0);
    expect((await cli(['webhooks', 'deliveries', '--limit', '0', '--db', db])).code).not.toBe(0);
    const help = await cli(['help', 'webhooks', 'deliveries']);
    expect(help.text).toContain('--status STATUS');
    expect(help.text).toContain('--webhook WEBHOOK_ID');
    expect((await cli(['--help'])).text).toMatch(/webhooks\s+Webhook deliveries/);
  });
});
