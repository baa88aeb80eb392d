/**
 * The Broadcasts operations over HTTP: scheduling (alone and recurring), lookup and listing by the owner only,
 * changes and deletions (with `roll_forward`), going live — the state follows the server clock — and chat into live
 * broadcasts; X's errors and the broadcast.* scopes. Each 2xx body is checked against the spec's schema by the
 * harness.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/clock.js';
import { serverPerFileWithEvents } from '../server-per-file.js';
import { conflictBody, expectInvalid as invalid, notFoundProblem, PROBLEMS } from './answers.js';
import { one, otherUser } from './find.js';

const ME = '2244994945';
const HOUR = 60 * 60_000;

const { s, events } = serverPerFileWithEvents({ limits: { '*': { app: 100_000, user: 100_000 } } });
let other: { id: string; token: string };
const clock = () => s.clock as ManualClock;
beforeAll(async () => {
  other = await otherUser(s);
});

const post = (path: string, body: unknown, token: string | null = s.userToken) => s.request('POST', path, { token, body });
const put = (path: string, body: unknown, token: string | null = s.userToken) => s.request('PUT', path, { token, body });
const del = (path: string, token: string | null = s.userToken, query: Record<string, string> = {}) => s.request('DELETE', path, { token, query });
const get = (path: string, token: string | null = s.userToken, query: Record<string, string | number> = {}) => s.get(path, { token, query });

/** A create body starting `startIn` from now on the server clock and lasting `length`. */
const draft = (startIn = HOUR, length = HOUR, extra: Record<string, unknown> = {}) => {
  const now = clock().now();
  return { source_id: 'rtmp-studio-1', title: 'Roost office hours', scheduled_start_ms: String(now + startIn), scheduled_end_ms: String(now + startIn + length), ...extra };
};
async function schedule(body: Record<string, unknown> = draft(), token = s.userToken): Promise<any> {
  const r = await post('/2/broadcasts/scheduled', body, token);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data;
}
const change = (id: string, b: Record<string, unknown>, token = s.userToken) => put(`/2/broadcasts/scheduled/${id}`, { scheduled_broadcast_id: id, ...b }, token);
const notFound = (id: string) => notFoundProblem('scheduled_broadcast', 'id', id);
const listed = async (token = s.userToken, query: Record<string, string | number> = {}): Promise<string[]> => {
  const r = await get('/2/broadcasts/scheduled', token, query);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body.data ?? []).map((d: any) => d.scheduled_broadcast_id);
};

describe('schedule, look up, list — the owner only', () => {
  it('schedules (201) with every member echoed, reads it back, and lists it', async () => {
    events.length = 0;
    const b = draft(2 * HOUR, HOUR, { description: 'Questions about self-hosting', locale: 'de', chat_option: '1', telecast_id: '77', available_for_replay: true, manual_publish: true });
    const d = await schedule(b);
    expect(d.scheduled_broadcast_id).toMatch(/^[1-9]\d{12}$/);
    expect(d.broadcast_id).toMatch(/^[a-zA-Z0-9]{13}$/);
    expect(d).toEqual({
      scheduled_broadcast_id: d.scheduled_broadcast_id,
      broadcast_id: d.broadcast_id,
      state: 'scheduled',
      title: 'Roost office hours',
      description: 'Questions about self-hosting',
      source_id: 'rtmp-studio-1',
      locale: 'de',
      chat_option: '1',
      telecast_id: '77',
      scheduled_start_ms: b.scheduled_start_ms,
      scheduled_end_ms: b.scheduled_end_ms,
      available_for_replay: true,
      manual_publish: true,
    });
    expect(events).toEqual([{ type: 'broadcast.scheduled', scheduledBroadcastId: d.scheduled_broadcast_id, broadcastId: d.broadcast_id, ownerId: ME, at: clock().now() }]);
    const back = await get(`/2/broadcasts/scheduled/${d.scheduled_broadcast_id}`);
    expect(back.status).toBe(200);
    expect(back.body).toEqual({ data: d });
    expect(await listed()).toContain(d.scheduled_broadcast_id);
  });

  it("someone else's scheduled broadcast does not exist for them: Not Found to read, change, delete or take live", async () => {
    const d = await schedule();
    const id = d.scheduled_broadcast_id;
    expect((await get(`/2/broadcasts/scheduled/${id}`, other.token)).body).toEqual({ errors: [notFound(id)] });
    expect(await listed(other.token)).not.toContain(id);
    expect((await change(id, draft(), other.token)).body).toEqual({ errors: [notFound(id)] });
    expect((await post(`/2/broadcasts/scheduled/${id}/live`, undefined, other.token)).body).toEqual({ errors: [notFound(id)] });
    expect((await del(`/2/broadcasts/scheduled/${id}`, other.token)).body).toEqual({ errors: [notFound(id)] });
    // Nothing happened to it.
    expect((await get(`/2/broadcasts/scheduled/${id}`)).body.data).toEqual(d);
    // Unknown ids answer the same.
    expect((await get('/2/broadcasts/scheduled/1000000000000')).body).toEqual({ errors: [notFound('1000000000000')] });
    expect((await post('/2/broadcasts/scheduled/1000000000000/live', undefined)).body).toEqual({ errors: [notFound('1000000000000')] });
  });

  it('pages latest start first, filters by start window (ms or ISO 8601), and leaves ended broadcasts out', async () => {
    const { id: owner, token } = await otherUserNo(2);
    const starts = [3, 1, 4, 2].map((h) => h * HOUR);
    const made: string[] = [];
    for (const st of starts) made.push((await schedule(draft(st), token)).scheduled_broadcast_id);
    const byStart = [...made].sort((a, b) => starts[made.indexOf(b)]! - starts[made.indexOf(a)]!);
    const first = await get('/2/broadcasts/scheduled', token, { max_results: 3 });
    expect(first.body.data.map((d: any) => d.scheduled_broadcast_id)).toEqual(byStart.slice(0, 3));
    expect(first.body.meta).toMatchObject({ result_count: 3 });
    const second = await get('/2/broadcasts/scheduled', token, { max_results: 3, pagination_token: first.body.meta.next_token });
    expect(second.body.data.map((d: any) => d.scheduled_broadcast_id)).toEqual(byStart.slice(3));
    expect(second.body.meta.next_token).toBeUndefined();
    const back = await get('/2/broadcasts/scheduled', token, { max_results: 3, pagination_token: second.body.meta.previous_token });
    expect(back.body.data.map((d: any) => d.scheduled_broadcast_id)).toEqual(byStart.slice(0, 3));

    const now = clock().now();
    expect(await listed(token, { oldest_start_time: String(now + 2 * HOUR), newest_start_time: String(now + 3 * HOUR) })).toEqual([made[0], made[3]]);
    expect(await listed(token, { oldest_start_time: new Date(now + 3 * HOUR).toISOString() })).toEqual([made[2], made[0]]);
    invalid(await get('/2/broadcasts/scheduled', token, { oldest_start_time: 'yesterday' }), 'oldest_start_time');
    invalid(await get('/2/broadcasts/scheduled', token, { oldest_start_time: String(now + 2 * HOUR), newest_start_time: String(now + HOUR) }), 'newest_start_time');
    invalid(await get('/2/broadcasts/scheduled', token, { pagination_token: 'not-a-token' }), 'pagination_token');
    invalid(await get('/2/broadcasts/scheduled', token, { max_results: 0 }), 'max_results');

    // Each ends an hour after its start: five hours on, none is left to list (none went live).
    clock().advance(5 * HOUR);
    const after = await get('/2/broadcasts/scheduled', token);
    expect(after.body).toEqual({ meta: { result_count: 0 } });
    expect((await get(`/2/broadcasts/scheduled/${made[2]}`, token)).body.data.state).toBe('ended');
    expect(owner).not.toBe(ME);
  });
});

/** The n-th public, unsuspended user (besides @XDevelopers), with a token: tests that need a broadcaster of their own. */
async function otherUserNo(n: number): Promise<{ id: string; token: string }> {
  const row = await one<{ id: string }>(s, `select cast(id as text) as id from users where suspended = 0 and protected = 0 and id <> ${ME} order by id limit 1 offset ${n}`);
  return { id: String(row.id), token: await s.userTokenFor(String(row.id)) };
}

describe('go live, and the state on the server clock', () => {
  it('goes live now (early too), then ends at the scheduled end as the clock passes it', async () => {
    const d = await schedule(draft(HOUR, 2 * HOUR));
    const id = d.scheduled_broadcast_id;
    events.length = 0;
    const live = await post(`/2/broadcasts/scheduled/${id}/live`, undefined);
    expect(live.status).toBe(200);
    expect(live.body.data).toEqual({ ...d, state: 'live' });
    expect(events.map((e) => e.type)).toEqual(['broadcast.live']);
    expect((await get(`/2/broadcasts/scheduled/${id}`)).body.data.state).toBe('live');
    expect(await listed()).toContain(id);

    const again = await post(`/2/broadcasts/scheduled/${id}/live`, undefined);
    expect(again.status).toBe(409);
    expect(again.body).toEqual(conflictBody(`The scheduled broadcast [${id}] is live: only a scheduled broadcast can go live.`));
    const changing = await change(id, { scheduled_start_ms: d.scheduled_start_ms, scheduled_end_ms: d.scheduled_end_ms, title: 'New title' });
    expect(changing.status).toBe(409);

    clock().advance(3 * HOUR);
    expect((await get(`/2/broadcasts/scheduled/${id}`)).body.data.state).toBe('ended');
    expect(await listed()).not.toContain(id);
    expect((await post(`/2/broadcasts/scheduled/${id}/live`, undefined)).body.detail).toBe(`The scheduled broadcast [${id}] is ended: only a scheduled broadcast can go live.`);
  });

  it('a broadcast that never went live ends at its scheduled end, and can no longer go live', async () => {
    const d = await schedule(draft(HOUR, HOUR));
    clock().advance(HOUR + 30 * 60_000);
    // Past its start and not live: still scheduled (waiting for its source) until the end passes.
    expect((await get(`/2/broadcasts/scheduled/${d.scheduled_broadcast_id}`)).body.data.state).toBe('scheduled');
    clock().advance(HOUR);
    expect((await get(`/2/broadcasts/scheduled/${d.scheduled_broadcast_id}`)).body.data.state).toBe('ended');
    expect((await post(`/2/broadcasts/scheduled/${d.scheduled_broadcast_id}/live`, undefined)).status).toBe(409);
  });
});

describe('chat', () => {
  it('is refused while scheduled, taken and stored while live, refused again once ended', async () => {
    const d = await schedule(draft(HOUR, HOUR));
    const path = `/2/broadcasts/${d.broadcast_id}/chat`;
    const unavailable = {
      title: 'Resource Unavailable',
      detail: `The broadcast with id: [${d.broadcast_id}] is not live.`,
      resource_type: 'broadcast',
      resource_id: d.broadcast_id,
      type: `${PROBLEMS}resource-unavailable`,
    };
    expect((await post(path, { text: 'Too early?' }, other.token)).body).toEqual({ errors: [unavailable] });

    await post(`/2/broadcasts/scheduled/${d.scheduled_broadcast_id}/live`, undefined);
    events.length = 0;
    const sent = await post(path, { text: 'Hello from the chat' }, other.token);
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ data: { success: true, timestamp: String(clock().now()) } });
    clock().advance(1000);
    expect((await post(path, { text: 'And the host replies' })).body.data.success).toBe(true);
    const stored = await s.handle.ctx.repos.broadcasts.chat(d.broadcast_id);
    expect(stored.map((m) => [m.senderId, m.text])).toEqual([
      [other.id, 'Hello from the chat'],
      [ME, 'And the host replies'],
    ]);
    expect(events.map((e) => e.type)).toEqual(['broadcast.chat.created', 'broadcast.chat.created']);

    clock().advance(HOUR + HOUR);
    expect((await post(path, { text: 'Still there?' }, other.token)).body).toEqual({ errors: [unavailable] });
    expect(await s.handle.ctx.repos.broadcasts.chat(d.broadcast_id)).toHaveLength(2);
  });

  it('unknown broadcasts are Not Found; blank, long or missing text is 400; across a block it is 403', async () => {
    const gone = await post('/2/broadcasts/1ZZZZZZZZZZZZ/chat', { text: 'anyone?' });
    expect(gone.status).toBe(200);
    expect(gone.body.errors[0]).toMatchObject({ title: 'Not Found Error', resource_type: 'broadcast', parameter: 'id', resource_id: '1ZZZZZZZZZZZZ' });
    invalid(await post('/2/broadcasts/not_an_id!/chat', { text: 'x' }), 'id');
    invalid(await post('/2/broadcasts/1ZZZZZZZZZZZZ/chat', {}), 'text');
    invalid(await post('/2/broadcasts/1ZZZZZZZZZZZZ/chat', { text: 'x'.repeat(141) }), 'text');

    const blocker = await otherUserNo(3);
    const d = await schedule(draft(HOUR, 2 * HOUR), blocker.token);
    await post(`/2/broadcasts/scheduled/${d.scheduled_broadcast_id}/live`, undefined, blocker.token);
    invalid(await post(`/2/broadcasts/${d.broadcast_id}/chat`, { text: '   ' }), 'text');
    expect((await post(`/2/broadcasts/${d.broadcast_id}/chat`, { text: 'hi' })).status).toBe(200);
    const blocked = await post(`/2/users/${blocker.id}/blocking`, { target_user_id: ME }, blocker.token);
    expect(blocked.body).toEqual({ data: { blocking: true } });
    const refused = await post(`/2/broadcasts/${d.broadcast_id}/chat`, { text: 'hi again' });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ detail: 'You are not permitted to chat in this broadcast.', type: 'about:blank', title: 'Forbidden', status: 403 });
    expect(await s.handle.ctx.repos.broadcasts.chat(d.broadcast_id)).toHaveLength(1);
  });
});

describe('change and delete', () => {
  it('changes members and times of a scheduled broadcast; the path and body ids must agree', async () => {
    const d = await schedule(draft(HOUR, HOUR));
    const id = d.scheduled_broadcast_id;
    const now = clock().now();
    const r = await change(id, { scheduled_start_ms: String(now + 5 * HOUR), scheduled_end_ms: String(now + 7 * HOUR), title: 'Moved', description: 'Later today', available_for_replay: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data).toEqual({ ...d, title: 'Moved', description: 'Later today', available_for_replay: true, scheduled_start_ms: String(now + 5 * HOUR), scheduled_end_ms: String(now + 7 * HOUR) });
    expect((await get(`/2/broadcasts/scheduled/${id}`)).body.data).toEqual(r.body.data);
    const mismatch = await put(`/2/broadcasts/scheduled/${id}`, { scheduled_broadcast_id: '1000000000000', scheduled_start_ms: String(now + HOUR), scheduled_end_ms: String(now + 2 * HOUR) });
    invalid(mismatch, 'scheduled_broadcast_id');
    invalid(await change(id, { scheduled_start_ms: String(now - HOUR), scheduled_end_ms: String(now + HOUR) }), 'scheduled_start_ms');
    invalid(await change(id, { scheduled_start_ms: String(now + 5 * HOUR) }), 'scheduled_end_ms');
  });

  it('recurring schedules: one broadcast per occurrence; roll_forward carries a change or a deletion to the later ones', async () => {
    const weekly = await otherUserNo(4);
    const first = await schedule(draft(HOUR, HOUR, { recurrence: { frequency: 'Weekly', repeats: '3' } }), weekly.token);
    expect(first.recurring_schedule_id).toMatch(/^\d+$/);
    const all = await get('/2/broadcasts/scheduled', weekly.token);
    const occurrences = [...all.body.data].reverse();
    expect(occurrences).toHaveLength(4);
    const WEEK = 7 * 24 * HOUR;
    occurrences.forEach((o: any, i: number) => {
      expect(o.recurring_schedule_id).toBe(first.recurring_schedule_id);
      expect(Number(o.scheduled_start_ms)).toBe(Number(first.scheduled_start_ms) + i * WEEK);
    });
    expect(occurrences[0].scheduled_broadcast_id).toBe(first.scheduled_broadcast_id);

    // Moving the second occurrence 30 minutes with roll_forward moves the third and fourth; the first stays.
    const second = occurrences[1];
    const moved = await change(
      second.scheduled_broadcast_id,
      { scheduled_start_ms: String(Number(second.scheduled_start_ms) + 30 * 60_000), scheduled_end_ms: String(Number(second.scheduled_end_ms) + 30 * 60_000), title: 'Weekly, later', roll_forward: true },
      weekly.token,
    );
    expect(moved.status).toBe(200);
    const after = [...(await get('/2/broadcasts/scheduled', weekly.token)).body.data].reverse();
    expect(after.map((o: any) => Number(o.scheduled_start_ms) - Number(first.scheduled_start_ms))).toEqual([0, WEEK + 30 * 60_000, 2 * WEEK + 30 * 60_000, 3 * WEEK + 30 * 60_000]);
    expect(after.map((o: any) => o.title)).toEqual(['Roost office hours', 'Weekly, later', 'Weekly, later', 'Weekly, later']);
    // Without roll_forward only the occurrence named changes.
    await change(after[3].scheduled_broadcast_id, { scheduled_start_ms: after[3].scheduled_start_ms, scheduled_end_ms: after[3].scheduled_end_ms, title: 'Last one' }, weekly.token);
    expect((await get(`/2/broadcasts/scheduled/${after[2].scheduled_broadcast_id}`, weekly.token)).body.data.title).toBe('Weekly, later');

    // Deleting the first alone leaves three; deleting the third with roll_forward takes the fourth with it.
    events.length = 0;
    const one1 = await del(`/2/broadcasts/scheduled/${after[0].scheduled_broadcast_id}`, weekly.token);
    expect(one1.body).toEqual({ data: { deleted: true } });
    expect(await listed(weekly.token)).toHaveLength(3);
    const rolled = await del(`/2/broadcasts/scheduled/${after[2].scheduled_broadcast_id}`, weekly.token, { roll_forward: 'true' });
    expect(rolled.body).toEqual({ data: { deleted: true } });
    expect(await listed(weekly.token)).toEqual([after[1].scheduled_broadcast_id]);
    expect(events.map((e) => e.type)).toEqual(['broadcast.deleted', 'broadcast.deleted', 'broadcast.deleted']);
    expect((await get(`/2/broadcasts/scheduled/${after[3].scheduled_broadcast_id}`, weekly.token)).body).toEqual({ errors: [notFound(after[3].scheduled_broadcast_id)] });
    // Deleted is gone: deleting again is Not Found.
    expect((await del(`/2/broadcasts/scheduled/${after[0].scheduled_broadcast_id}`, weekly.token)).body).toEqual({ errors: [notFound(after[0].scheduled_broadcast_id)] });
  });
});

describe("X's 400s, auth and scopes", () => {
  it('refuses missing members, bad times, bad ids, unknown members, too many repeats and foreign thumbnails', async () => {
    const now = clock().now();
    const { source_id: _s, ...noSource } = draft();
    invalid(await post('/2/broadcasts/scheduled', noSource), 'source_id');
    const { scheduled_end_ms: _e, ...noEnd } = draft();
    invalid(await post('/2/broadcasts/scheduled', noEnd), 'scheduled_end_ms');
    invalid(await post('/2/broadcasts/scheduled', draft(-HOUR)), 'scheduled_start_ms');
    invalid(await post('/2/broadcasts/scheduled', { ...draft(), scheduled_end_ms: String(now + 30 * 60_000), scheduled_start_ms: String(now + HOUR) }), 'scheduled_end_ms');
    invalid(await post('/2/broadcasts/scheduled', { ...draft(), scheduled_start_ms: 'soon' }), 'scheduled_start_ms');
    invalid(await post('/2/broadcasts/scheduled', { ...draft(), source_id: '  ' }), 'source_id');
    invalid(await post('/2/broadcasts/scheduled', { ...draft(), colour: 'red' }), 'colour');
    invalid(await post('/2/broadcasts/scheduled', draft(HOUR, HOUR, { recurrence: { frequency: 'Monthly', repeats: '2' } })), 'frequency');
    invalid(await post('/2/broadcasts/scheduled', draft(HOUR, HOUR, { recurrence: { frequency: 'Daily', repeats: '53' } })), 'recurrence.repeats');
    const media = await one<{ id: string; owner_id: string }>(s, `select cast(id as text) as id, cast(owner_id as text) as owner_id from media where owner_id <> ${ME} and owner_id in (select id from users where suspended = 0) limit 1`);
    const foreign = await post('/2/broadcasts/scheduled', draft(HOUR, HOUR, { thumbnail_media_id: String(media.id) }));
    invalid(foreign, 'thumbnail_media_id');
    expect(foreign.body.errors[0].message).toBe('Your media IDs are invalid.');
    // Their owner may use it.
    const owner = await s.userTokenFor(String(media.owner_id));
    expect((await schedule(draft(HOUR, HOUR, { thumbnail_media_id: String(media.id) }), owner)).thumbnail_media_id).toBe(String(media.id));
    invalid(await get('/2/broadcasts/scheduled/not-an-id!'), 'id');
    invalid(await get('/2/broadcasts/scheduled/12345678901234'), 'id');
    invalid(await del('/2/broadcasts/scheduled/1000000000000', s.userToken, { roll_forward: 'maybe' }), 'roll_forward');
  });

  it('user context only, with the broadcast.* scopes the spec names; no token is 401', async () => {
    const app = await get('/2/broadcasts/scheduled', s.bearer);
    expect(app.status).toBe(403);
    expect(app.body.title).toBe('Unsupported Authentication');
    expect((await post('/2/broadcasts/scheduled', draft(), s.bearer)).status).toBe(403);
    const readOnly = await s.userTokenFor(ME, ['tweet.read', 'users.read', 'broadcast.read']);
    expect((await get('/2/broadcasts/scheduled', readOnly)).status).toBe(200);
    const denied = await post('/2/broadcasts/scheduled', draft(), readOnly);
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toBe('Missing required OAuth 2.0 scopes: [broadcast.write].');
    expect((await post('/2/broadcasts/1ZZZZZZZZZZZZ/chat', { text: 'x' }, readOnly)).status).toBe(403);
    const writeOnly = await s.userTokenFor(ME, ['broadcast.write']);
    expect((await get('/2/broadcasts/scheduled', writeOnly)).body.detail).toBe('Missing required OAuth 2.0 scopes: [broadcast.read].');
    const anon = await get('/2/broadcasts/scheduled', null);
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
  });
});
