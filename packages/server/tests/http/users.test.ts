import { describe, expect, it } from 'vitest';
import { serverPerFile } from '../server-per-file.js';
import { id, one } from './find.js';

const s = serverPerFile();

describe('user lookups', () => {
  it('the X quickstart: by username with created_at, description, public_metrics', async () => {
    const r = await s.get('/2/users/by/username/xdevelopers', { query: { 'user.fields': 'created_at,description,public_metrics' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Object.keys(r.body)).toEqual(['data']);
    const d = r.body.data;
    expect(d).toMatchObject({
      id: '2244994945',
      name: 'X Developers',
      username: 'XDevelopers',
      created_at: '2013-12-14T04:35:55.000Z',
      description: 'The voice of the X Developer Platform',
    });
    expect(Object.keys(d.public_metrics).sort()).toEqual(['followers_count', 'following_count', 'like_count', 'listed_count', 'tweet_count']);
    expect(d.public_metrics.followers_count).toBeGreaterThan(0);
  });

  it('default fields only when none asked', async () => {
    const r = await s.get('/2/users/2244994945');
    expect(r.body).toEqual({ data: { id: '2244994945', name: 'X Developers', username: 'XDevelopers' } });
  });

  it('batch by ids keeps order and reports missing ids as partial errors', async () => {
    const other = id((await one(s, "select id from users where suspended = 0 and id <> 2244994945 order by id limit 1")).id);
    const r = await s.get('/2/users', { query: { ids: `${other},2244994945,1` } });
    expect(r.status).toBe(200);
    expect(r.body.data.map((u: any) => u.id)).toEqual([other, '2244994945']);
    expect(r.body.errors).toEqual([
      {
        value: '1',
        detail: 'Could not find user with ids: [1].',
        title: 'Not Found Error',
        resource_type: 'user',
        parameter: 'ids',
        resource_id: '1',
        type: 'https://api.twitter.com/2/problems/resource-not-found',
      },
    ]);
  });

  it('single lookup of a missing user: errors only', async () => {
    const r = await s.get('/2/users/by/username/nobody_here_x');
    expect(r.status).toBe(200);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors[0]).toMatchObject({ title: 'Not Found Error', detail: 'Could not find user with username: [nobody_here_x].', parameter: 'username' });
  });

  it('batch by usernames, case-insensitive, with a missing name', async () => {
    const r = await s.get('/2/users/by', { query: { usernames: 'XDEVELOPERS,ghost_user_zz' } });
    expect(r.body.data).toEqual([{ id: '2244994945', name: 'X Developers', username: 'XDevelopers' }]);
    expect(r.body.errors[0].detail).toBe('Could not find user with usernames: [ghost_user_zz].');
  });

  it('suspended users give the Forbidden problem', async () => {
    const u = await one(s, 'select id from users where suspended = 1 limit 1');
    const r = await s.get(`/2/users/${id(u.id)}`);
    expect(r.body.errors[0]).toMatchObject({ title: 'Forbidden', detail: `User has been suspended: [${id(u.id)}].`, resource_type: 'user' });
  });

  it('/2/users/me returns the token user', async () => {
    const r = await s.get('/2/users/me', { token: s.userToken, query: { 'user.fields': 'verified,verified_type,protected,url,entities' } });
    expect(r.body.data).toMatchObject({ id: '2244994945', verified: true, verified_type: 'business', protected: false });
    expect(r.body.data.entities.url.urls[0].expanded_url).toBe('https://developer.x.com');
  });

  it('pinned_tweet_id expansion (classic) and pinned_post_id (2.167) answer in the generation asked', async () => {
    const classic = await s.get('/2/users/2244994945', { query: { expansions: 'pinned_tweet_id', 'user.fields': 'pinned_tweet_id,public_metrics', 'tweet.fields': 'created_at' } });
    expect(classic.body.data.pinned_tweet_id).toBe('1460323737035677698');
    expect(classic.body.data.public_metrics.tweet_count).toBeTypeOf('number');
    expect(classic.body.includes.tweets[0]).toMatchObject({ id: '1460323737035677698', edit_history_tweet_ids: ['1460323737035677698'] });
    expect(classic.body.includes.tweets[0].created_at).toBeDefined();

    const modern = await s.get('/2/users/2244994945', { query: { expansions: 'pinned_post_id', 'user.fields': 'public_metrics', 'post.fields': 'created_at' } });
    // The expansion brings the field it hangs on, in the generation asked (as X answers).
    expect(modern.body.data.pinned_post_id).toBe('1460323737035677698');
    expect(modern.body.data.pinned_tweet_id).toBeUndefined();
    expect(modern.body.data.public_metrics.post_count).toBeTypeOf('number');
    expect(modern.body.data.public_metrics.tweet_count).toBeUndefined();
    expect(modern.body.includes.posts[0]).toMatchObject({ id: '1460323737035677698', edit_history_post_ids: ['1460323737035677698'] });
    expect(modern.body.includes.tweets).toBeUndefined();
  });

  it('connection_status in user context', async () => {
    const f = await one(s, 'select followee_id from follows where follower_id = 2244994945 limit 1');
    const r = await s.get(`/2/users/${id(f.followee_id)}`, { token: s.userToken, query: { 'user.fields': 'connection_status' } });
    expect(r.body.data.connection_status).toContain('following');
  });
});
