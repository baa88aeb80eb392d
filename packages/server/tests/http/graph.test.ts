import { describe, expect, it } from 'vitest';
import { serverPerFileWithEvents } from '../server-per-file.js';
import { expectExactUnderConcurrency } from './concurrency.js';
import { acceptFollowRequest } from '../../src/domain/graph.js';
import { id, one } from './find.js';

const ME = '2244994945';
const { s, events } = serverPerFileWithEvents();

// Protected accounts are few: protected tests leave no follow or request behind and share the first one.
const nextUser = { public: 0 };
/** A different public, unsuspended user that @XDevelopers does not follow, for each call. */
async function freshUser(opts: { protected?: boolean } = {}): Promise<string> {
  const r = await one(
    s,
    `select id from users u where suspended = 0 and protected = ${opts.protected ? 1 : 0} and id <> ${ME}
     and not exists (select 1 from follows f where f.follower_id = ${ME} and f.followee_id = u.id)
     and not exists (select 1 from follows f where f.follower_id = u.id and f.followee_id = ${ME})
     order by id limit 1 offset ${opts.protected ? 0 : nextUser.public++}`,
  );
  return id(r.id);
}
const counts = async (u: string) => {
  const r = await one(s, `select followers_count, following_count from users where id = ${u}`);
  return { followers: Number(r.followers_count), following: Number(r.following_count) };
};
const rows = async (q: string) => Number((await one(s, `select count(*) as n from ${q}`)).n);
const post = (path: string, body: unknown, token = s.userToken) => s.request('POST', path, { token, body });
const del = (path: string, token = s.userToken) => s.request('DELETE', path, { token });

describe('follows', () => {
  it('follow, follow again, unfollow: exact counters on both sides, lists and events', async () => {
    const t = await freshUser();
    const [me0, t0] = [await counts(ME), await counts(t)];
    events.length = 0;
    const r = await post(`/2/users/${ME}/following`, { target_user_id: t });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { following: true, pending_follow: false } });
    expect((await post(`/2/users/${ME}/following`, { target_user_id: t })).body).toEqual({ data: { following: true, pending_follow: false } });
    expect(await counts(ME)).toEqual({ ...me0, following: me0.following + 1 });
    expect(await counts(t)).toEqual({ ...t0, followers: t0.followers + 1 });
    const followers = await s.get(`/2/users/${t}/followers`, { token: s.userToken });
    expect(followers.body.data.map((u: any) => u.id)).toContain(ME);

    const u = await del(`/2/users/${ME}/following/${t}`);
    expect(u.status).toBe(200);
    expect(u.body).toEqual({ data: { following: false } });
    expect((await del(`/2/users/${ME}/following/${t}`)).body).toEqual({ data: { following: false } });
    expect(await counts(ME)).toEqual(me0);
    expect(await counts(t)).toEqual(t0);
    expect(events.map((e) => e.type)).toEqual(['follow.created', 'follow.deleted']);
    expect(events[0]).toMatchObject({ followerId: ME, followeeId: t });
  });

  it('a protected target gives pending_follow until accepted; accepting makes the follow and its counters', async () => {
    const t = await freshUser({ protected: true });
    const [me0, t0] = [await counts(ME), await counts(t)];
    const r = await post(`/2/users/${ME}/following`, { target_user_id: t });
    expect(r.body).toEqual({ data: { following: false, pending_follow: true } });
    expect((await post(`/2/users/${ME}/following`, { target_user_id: t })).body).toEqual({ data: { following: false, pending_follow: true } });
    expect(await rows(`follow_requests where requester_id = ${ME} and target_id = ${t}`)).toBe(1);
    expect(await counts(ME)).toEqual(me0);
    expect(await counts(t)).toEqual(t0);

    expect(await acceptFollowRequest(s.handle.ctx, ME, t)).toBe(true);
    expect(await acceptFollowRequest(s.handle.ctx, ME, t)).toBe(false);
    expect(await rows(`follow_requests where requester_id = ${ME} and target_id = ${t}`)).toBe(0);
    expect(await counts(ME)).toEqual({ ...me0, following: me0.following + 1 });
    expect(await counts(t)).toEqual({ ...t0, followers: t0.followers + 1 });
    expect((await post(`/2/users/${ME}/following`, { target_user_id: t })).body).toEqual({ data: { following: true, pending_follow: false } });
    await del(`/2/users/${ME}/following/${t}`);
    expect(await counts(t)).toEqual(t0);
  });

  it('unfollowing withdraws a pending request', async () => {
    const t = await freshUser({ protected: true });
    await post(`/2/users/${ME}/following`, { target_user_id: t });
    await del(`/2/users/${ME}/following/${t}`);
    expect(await rows(`follow_requests where requester_id = ${ME} and target_id = ${t}`)).toBe(0);
  });

  it('errors: yourself (400), unknown user (not-found Problem), bad bodies (400), other source id (403)', async () => {
    const self = await post(`/2/users/${ME}/following`, { target_user_id: ME });
    expect(self.status).toBe(400);
    expect(self.body.title).toBe('Invalid Request');
    const ghost = await post(`/2/users/${ME}/following`, { target_user_id: '1' });
    expect(ghost.status).toBe(200);
    expect(ghost.body.errors[0]).toMatchObject({ title: 'Not Found Error', parameter: 'target_user_id', resource_id: '1' });
    for (const b of [{}, { target_user_id: 5 }, { target_user_id: 'x' }, { target_user_id: '1', more: 1 }]) {
      expect((await post(`/2/users/${ME}/following`, b)).status, JSON.stringify(b)).toBe(400);
    }
    const t = await freshUser();
    expect((await post(`/2/users/${t}/following`, { target_user_id: ME })).status).toBe(403);
    expect((await del(`/2/users/${t}/following/${ME}`)).status).toBe(403);
    expect((await del(`/2/users/${ME}/following/abc`)).status).toBe(400);
  });

  it('scopes: follows.write required; app-only bearer is Unsupported Authentication', async () => {
    const t = await freshUser();
    const weak = await s.userTokenFor(ME, ['tweet.read', 'users.read', 'follows.read']);
    const w = await post(`/2/users/${ME}/following`, { target_user_id: t }, weak);
    expect(w.status).toBe(403);
    expect(w.body.detail).toContain('follows.write');
    expect((await del(`/2/users/${ME}/following/${t}`, weak)).status).toBe(403);
    const app = await post(`/2/users/${ME}/following`, { target_user_id: t }, s.bearer);
    expect(app.status).toBe(403);
    expect(app.body.title).toBe('Unsupported Authentication');
  });

  it('200 concurrent follows/unfollows keep followers_count and following_count exact', async () => {
    const target = await freshUser();
    const users = (
      await s.handle.ctx.store.db
        .selectFrom('users')
        .select('id')
        .where('suspended', '=', 0)
        .where('protected', '=', 0)
        .where('id', '<>', target as any)
        .orderBy('id', 'desc')
        .limit(8)
        .execute()
    ).map((u) => id(u.id));
    const tokens = await Promise.all(users.map((u) => s.userTokenFor(u)));
    const drift = async () => {
      const t = await counts(target);
      const out = [t.followers - (await rows(`follows where followee_id = ${target}`))];
      for (const u of users) out.push((await counts(u)).following - (await rows(`follows where follower_id = ${u}`)));
      return out;
    };
    await expectExactUnderConcurrency(
      users,
      (k, undo) =>
        undo ? del(`/2/users/${users[k]}/following/${target}`, tokens[k]) : post(`/2/users/${users[k]}/following`, { target_user_id: target }, tokens[k]),
      drift,
    );
  });
});

describe('blocks', () => {
  it('block removes follows both ways (counters adjusted); listed in blocking; unblock', async () => {
    const t = await freshUser();
    const tToken = await s.userTokenFor(t);
    await post(`/2/users/${ME}/following`, { target_user_id: t });
    await post(`/2/users/${t}/following`, { target_user_id: ME }, tToken);
    const [me0, t0] = [await counts(ME), await counts(t)];
    events.length = 0;
    const b = await s.request('POST', `/2/users/${ME}/blocking`, { token: s.userToken, body: { target_user_id: t } });
    expect(b.status, JSON.stringify(b.body)).toBe(200);
    expect(b.body).toEqual({ data: { blocking: true } });
    expect(await counts(ME)).toEqual({ followers: me0.followers - 1, following: me0.following - 1 });
    expect(await counts(t)).toEqual({ followers: t0.followers - 1, following: t0.following - 1 });
    expect(events.map((e) => e.type).sort()).toEqual(['block.created', 'follow.deleted', 'follow.deleted']);
    expect((await s.request('POST', `/2/users/${ME}/blocking`, { token: s.userToken, body: { target_user_id: t } })).body).toEqual({ data: { blocking: true } });
    expect(await counts(ME)).toEqual({ followers: me0.followers - 1, following: me0.following - 1 });

    const list = await s.get(`/2/users/${ME}/blocking`, { token: s.userToken, query: { 'user.fields': 'created_at' } });
    expect(list.status).toBe(200);
    expect(list.body.data[0].id).toBe(t);
    expect(list.body.meta.result_count).toBe(list.body.data.length);

    // The blocked user can no longer follow; nor can the blocker without unblocking.
    expect((await post(`/2/users/${t}/following`, { target_user_id: ME }, tToken)).status).toBe(403);
    expect((await post(`/2/users/${ME}/following`, { target_user_id: t })).status).toBe(403);
    // Nor like the blocker's posts.
    const mine = await one(s, `select id from posts where author_id = ${ME} and deleted = 0 and reposted_post_id is null limit 1`);
    const like = await post(`/2/users/${t}/likes`, { tweet_id: id(mine.id) }, tToken);
    expect(like.body.errors[0].title).toBe('Authorization Error');

    const u = await s.request('DELETE', `/2/users/${ME}/blocking/${t}`, { token: s.userToken });
    expect(u.status).toBe(200);
    expect(u.body).toEqual({ data: { blocking: false } });
    const after = await s.get(`/2/users/${ME}/blocking`, { token: s.userToken });
    expect((after.body.data ?? []).map((x: any) => x.id)).not.toContain(t);
  });

  it('blocking list pages', async () => {
    const ts = [await freshUser(), await freshUser(), await freshUser()];
    for (const t of ts) {
      s.clock.advance(1000);
      await s.request('POST', `/2/users/${ME}/blocking`, { token: s.userToken, body: { target_user_id: t } });
    }
    const p1 = await s.get(`/2/users/${ME}/blocking`, { token: s.userToken, query: { max_results: 2 } });
    expect(p1.body.data.map((u: any) => u.id)).toEqual([ts[2], ts[1]]);
    const p2 = await s.get(`/2/users/${ME}/blocking`, { token: s.userToken, query: { max_results: 2, pagination_token: p1.body.meta.next_token } });
    expect(p2.body.data[0].id).toBe(ts[0]);
    expect(p2.body.meta.previous_token).toBeTruthy();
    for (const t of ts) await s.request('DELETE', `/2/users/${ME}/blocking/${t}`, { token: s.userToken });
  });

  it('scopes, self, auth and bad input', async () => {
    const t = await freshUser();
    const weak = await s.userTokenFor(ME, ['tweet.read', 'users.read', 'block.read']);
    const w = await s.request('POST', `/2/users/${ME}/blocking`, { token: weak, body: { target_user_id: t } });
    expect(w.status).toBe(403);
    expect(w.body.detail).toContain('block.write');
    expect((await s.request('DELETE', `/2/users/${ME}/blocking/${t}`, { token: weak })).status).toBe(403);
    const app = await s.request('POST', `/2/users/${ME}/blocking`, { token: s.bearer, body: { target_user_id: t } });
    expect(app.status).toBe(403);
    expect(app.body.title).toBe('Unsupported Authentication');
    expect((await s.request('POST', `/2/users/${t}/blocking`, { token: s.userToken, body: { target_user_id: ME } })).status).toBe(403);
    expect((await s.request('POST', `/2/users/${ME}/blocking`, { token: s.userToken, body: { target_user_id: ME } })).status).toBe(400);
    expect((await s.request('POST', `/2/users/${ME}/blocking`, { token: s.userToken, body: { user: t } })).status).toBe(400);
    expect((await s.request('DELETE', `/2/users/${ME}/blocking/x1`, { token: s.userToken })).status).toBe(400);
    expect((await s.request('POST', `/2/users/${ME}/blocking`, { token: null, body: { target_user_id: t } })).status).toBe(401);
    expect((await s.get(`/2/users/${t}/blocking`, { token: s.userToken })).status).toBe(403);
    expect((await s.get(`/2/users/${ME}/blocking`, { token: weak })).status).toBe(200);
  });
});

describe('mutes', () => {
  it('mute, idempotent, listed, unmute; scopes and self', async () => {
    const t = await freshUser();
    events.length = 0;
    expect((await post(`/2/users/${ME}/muting`, { target_user_id: t })).body).toEqual({ data: { muting: true } });
    expect((await post(`/2/users/${ME}/muting`, { target_user_id: t })).body).toEqual({ data: { muting: true } });
    const list = await s.get(`/2/users/${ME}/muting`, { token: s.userToken });
    expect(list.body.data.map((u: any) => u.id)).toContain(t);
    expect((await del(`/2/users/${ME}/muting/${t}`)).body).toEqual({ data: { muting: false } });
    expect((await del(`/2/users/${ME}/muting/${t}`)).body).toEqual({ data: { muting: false } });
    const after = await s.get(`/2/users/${ME}/muting`, { token: s.userToken });
    expect((after.body.data ?? []).map((u: any) => u.id)).not.toContain(t);
    expect(events.map((e) => e.type)).toEqual(['mute.created', 'mute.deleted']);

    const weak = await s.userTokenFor(ME, ['tweet.read', 'users.read', 'mute.read']);
    const w = await post(`/2/users/${ME}/muting`, { target_user_id: t }, weak);
    expect(w.status).toBe(403);
    expect(w.body.detail).toContain('mute.write');
    expect((await del(`/2/users/${ME}/muting/${t}`, weak)).status).toBe(403);
    expect((await post(`/2/users/${ME}/muting`, { target_user_id: t }, s.bearer)).body.title).toBe('Unsupported Authentication');
    expect((await post(`/2/users/${t}/muting`, { target_user_id: ME })).status).toBe(403);
    expect((await post(`/2/users/${ME}/muting`, { target_user_id: ME })).status).toBe(400);
    expect((await post(`/2/users/${ME}/muting`, { target_user_id: 1 })).status).toBe(400);
    expect((await s.get(`/2/users/${t}/muting`, { token: s.userToken })).status).toBe(403);
  });
});
