/**
 * Batch compliance end to end (FACTS §12.1): a job for post ids and one for user ids, their ids PUT to the upload
 * URL Roost serves (no bearer token, as X's storage URLs), the states on the server clock (created → in_progress →
 * complete, expired without an upload, failed on a file that is not ids), and a result with one JSON line per id
 * that needs action: a deleted, a protected, an edited, a suspended and an unknown post; nothing for compliant ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { buildConfig, snowflakeAt } from '@roost/server';
import type { UserRow } from '../../src/data/rows.js';
import { madeUpUser } from './webhook-world.js';

let s: TestServer;
const T = Date.UTC(2026, 8, 1);
const user = (n: number, username: string, over: Partial<UserRow> = {}): UserRow => madeUpUser(T, 902, n, username, over);
const plain = user(1, 'plain_cmp');
const locked = user(2, 'locked_cmp');
const banned = user(3, 'banned_cmp');
const hidden = user(4, 'withheld_cmp', { withheld: { country_codes: ['DE', 'FR'] } });
const PROCESS_MS = 4000;

beforeAll(async () => {
  s = await startTestServer({ limits: { '*': { app: 100000, user: 100000 } }, config: { cacheMs: 0, webhooks: { ...buildConfig({}).webhooks, complianceProcessMs: PROCESS_MS } } });
  await s.handle.ctx.repos.users.insertMany([plain, locked, banned, hidden]);
});
afterAll(async () => {
  await s?.close();
});

const createJob = (body: Record<string, unknown>) => s.request('POST', '/2/compliance/jobs', { body });
const upload = (url: string, text: string) => fetch(url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: text });
const jobStatus = async (id: string) => (await s.get(`/2/compliance/jobs/${id}`)).body.data.status;
const lines = (text: string) => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('a posts job with a deleted, a protected, an edited, a suspended and an unknown post', () => {
  it('runs end to end', async () => {
    const as = async (u: UserRow) => s.userTokenFor(u.id);
    const postAs = async (u: UserRow, body: Record<string, unknown>) => (await s.request('POST', '/2/tweets', { token: await as(u), body })).body.data.id as string;
    const keep = await postAs(plain, { text: 'compliant post' });
    const gone = await postAs(plain, { text: 'soon deleted' });
    await s.request('DELETE', `/2/tweets/${gone}`, { token: await as(plain) });
    const lockedPost = await postAs(locked, { text: 'will be protected' });
    const v1 = await postAs(plain, { text: 'typo here' });
    s.clock.advance(60_000);
    const v2 = await postAs(plain, { text: 'typo fixed', edit_options: { previous_post_id: v1 } });
    const bannedPost = await postAs(banned, { text: 'will be suspended' });
    const unknown = snowflakeAt(T + 5_000, 7, 7);
    // Accounts change after posting: the job judges what holds when it runs.
    await setFlags(locked.id, { protected: 1 });
    await setFlags(banned.id, { suspended: 1 });

    const created = await createJob({ type: 'tweets', name: 'nightly check' });
    expect(created.status).toBe(200);
    const job = created.body.data;
    expect(job).toMatchObject({ type: 'tweets', name: 'nightly check', status: 'created', resumable: false });
    expect(job.upload_url).toMatch(new RegExp(`^${s.url}/compliance/jobs/${job.id}/upload\\?expires=\\d+&signature=[0-9a-f]{64}$`));
    expect(Date.parse(job.upload_expires_at) - s.clock.now()).toBe(15 * 60_000);
    expect(Date.parse(job.download_expires_at) - s.clock.now()).toBe(7 * 86_400_000);

    // One pending job per type.
    const conflict = await createJob({ type: 'tweets' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.type).toBe('https://api.twitter.com/2/problems/conflict');

    const put = await upload(job.upload_url, [keep, gone, lockedPost, v1, v2, bannedPost, unknown, keep].join('\n') + '\n');
    expect(put.status).toBe(200);
    expect(await jobStatus(job.id)).toBe('in_progress');
    expect((await fetch(job.download_url)).status).toBe(404);
    expect((await upload(job.upload_url, keep)).status).toBe(400);

    s.clock.advance(PROCESS_MS);
    expect(await jobStatus(job.id)).toBe('complete');
    const list = await s.get('/2/compliance/jobs', { query: { type: 'tweets', status: 'complete' } });
    expect(list.body.data.map((j: any) => j.id)).toEqual([job.id]);
    expect(list.body.meta).toEqual({ result_count: 1 });

    const res = await fetch(job.download_url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const byId = new Map(lines(await res.text()).map((l) => [l.id, l]));
    const uploadedAt = new Date(s.clock.now() - PROCESS_MS).toISOString();
    expect([...byId.keys()].sort()).toEqual([gone, lockedPost, v1, bannedPost, unknown].sort());
    expect(byId.get(gone)).toEqual({ id: gone, action: 'delete', created_at: expect.any(String), redacted_at: uploadedAt, reason: 'deleted' });
    expect(byId.get(lockedPost)).toMatchObject({ action: 'delete', reason: 'protected' });
    expect(byId.get(bannedPost)).toMatchObject({ action: 'delete', reason: 'suspended' });
    expect(byId.get(unknown)).toEqual({ id: unknown, action: 'delete', created_at: new Date(T + 5_000).toISOString(), redacted_at: uploadedAt, reason: 'deleted' });
    // The replaced version: edited when the next one was made.
    const v2Made = (await s.handle.ctx.repos.posts.byIds([v2])).get(v2)!.createdAt;
    expect(byId.get(v1)).toEqual({ id: v1, action: 'edit', created_at: expect.any(String), redacted_at: new Date(v2Made).toISOString(), reason: 'edited', initial_tweet_id: v1, edit_tweet_ids: [v1, v2] });
  });
});

async function setFlags(userId: string, flags: { protected?: number; suspended?: number }): Promise<void> {
  const { db } = s.handle.ctx.store;
  await db.updateTable('users').set(flags).where('id', '=', BigInt(userId)).execute();
}

describe('a users job, the states on the server clock, and the storage URLs', () => {
  it('users: suspended, protected, withheld (with countries) and unknown accounts', async () => {
    const job = (await createJob({ type: 'users' })).body.data;
    const unknown = '1234567';
    await upload(job.upload_url, [plain.id, locked.id, banned.id, hidden.id, unknown].join('\r\n'));
    s.clock.advance(PROCESS_MS);
    const got = lines(await (await fetch(job.download_url)).text());
    expect(got.map((l) => [l.id, l.action, l.reason])).toEqual([
      [locked.id, 'delete', 'protected'],
      [banned.id, 'delete', 'suspended'],
      [hidden.id, 'withhold', 'withheld'],
      [unknown, 'delete', 'deleted'],
    ]);
    expect(got[2].withheld_in_countries).toEqual(['DE', 'FR']);
  });

  it('no upload within 15 minutes: expired, and the upload URL refuses; a forged signature is refused', async () => {
    const job = (await createJob({ type: 'users' })).body.data;
    const forged = job.upload_url.replace(/signature=[0-9a-f]{4}/, 'signature=0000');
    expect((await upload(forged, plain.id)).status).toBe(403);
    s.clock.advance(15 * 60_000);
    expect(await jobStatus(job.id)).toBe('expired');
    const late = await upload(job.upload_url, plain.id);
    expect(late.status).toBe(403);
    expect(((await late.json()) as any).detail).toMatch(/expired/);
    // An expired job no longer blocks a new one.
    expect((await createJob({ type: 'users' })).status).toBe(200);
  });

  it('a file that is not a list of ids: failed once processed', async () => {
    s.clock.advance(16 * 60_000);
    const job = (await createJob({ type: 'tweets' })).body.data;
    expect((await upload(job.upload_url, '123\nnot-an-id\n')).status).toBe(200);
    s.clock.advance(PROCESS_MS);
    expect(await jobStatus(job.id)).toBe('failed');
    expect((await s.get('/2/compliance/jobs', { query: { type: 'tweets', status: 'failed' } })).body.data.map((j: any) => j.id)).toEqual([job.id]);
  });

  it('the download expires a week after the job; unknown jobs are Not Found; type is required', async () => {
    s.clock.advance(8 * 86_400_000);
    const all = await s.get('/2/compliance/jobs', { query: { type: 'users' } });
    expect(all.body.data.every((j: any) => j.status === 'expired')).toBe(true);
    const r = await s.get('/2/compliance/jobs/1234567890');
    expect(r.body.errors[0]).toMatchObject({ title: 'Not Found Error', resource_id: '1234567890' });
    expect((await s.get('/2/compliance/jobs')).status).toBe(400);
  });
});
