/**
 * Lists through all three clients: create a list (user context), add a member, read the list's posts with each
 * client's own pagination (the app's bearer), delete the list. The expected posts are the member's own timeline
 * read over plain HTTP: a list holding one public member answers exactly that member's posts, newest first.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, OAuth1 } from '@xdevplatform/xdk';
import { TwitterApi } from 'twitter-api-v2';
import { listMember, runTweepy, startRoost, tweepyStatus, xdkPagesToEnd, XDEVELOPERS, type Roost } from '../src/index.js';

const PAGE = 20;
let roost: Roost;
let member: { id: string; posts: string[] };

beforeAll(async () => {
  roost = await startRoost(inject('roostTemplate'));
  member = await listMember(roost);
});
afterAll(async () => {
  await roost?.stop();
});

/** Roost's own view of a list after the flow deleted it: X's Not Found answer. */
async function expectGone(id: string): Promise<void> {
  const r = await roost.api('GET', `/2/lists/${id}`);
  expect(r.body.errors[0]).toMatchObject({ title: 'Not Found Error', resource_type: 'list', resource_id: id });
}

describe('lists: create, add a member, read the list’s posts, delete', () => {
  it('twitter-api-v2: v2.createList, addListMember, list, listTweets paginator, removeList', async () => {
    const user = new TwitterApi({ appKey: roost.consumerKey, appSecret: roost.consumerSecret, accessToken: roost.oauth1.token, accessSecret: roost.oauth1.secret });
    const created = await user.v2.createList({ name: 'twitter-api-v2 flow', description: 'made by twitter-api-v2', private: false });
    expect(created.data.name).toBe('twitter-api-v2 flow');
    const id = created.data.id;
    expect((await user.v2.addListMember(id, member.id)).data).toEqual({ is_member: true });

    const app = new TwitterApi(roost.bearer);
    const looked = await app.v2.list(id, { 'list.fields': ['owner_id', 'member_count', 'private'], expansions: ['owner_id'] });
    expect(looked.data).toEqual({ id, name: 'twitter-api-v2 flow', owner_id: XDEVELOPERS.id, member_count: 1, private: false });
    expect(looked.includes?.users?.map((u) => u.username)).toEqual([XDEVELOPERS.username]);

    const timeline = await app.v2.listTweets(id, { max_results: PAGE, expansions: ['author_id'], 'tweet.fields': ['author_id', 'created_at'] });
    await timeline.fetchLast(1000);
    expect(timeline.done).toBe(true);
    expect(timeline.tweets.map((t) => t.id)).toEqual(member.posts.slice(0, 800));
    expect(new Set(timeline.tweets.map((t) => t.author_id))).toEqual(new Set([member.id]));
    expect(timeline.includes.users.map((u) => u.id)).toContain(member.id);

    expect((await user.v2.removeList(id)).data).toEqual({ deleted: true });
    await expectGone(id);
  });

  it('xdk: lists.create, addMember, getById, getPosts in a PostPaginator, delete', async () => {
    const user = new Client({
      oauth1: new OAuth1({ apiKey: roost.consumerKey, apiSecret: roost.consumerSecret, callback: 'oob', accessToken: roost.oauth1.token, accessTokenSecret: roost.oauth1.secret }),
    });
    const created = await user.lists.create({ name: 'xdk flow', description: 'made by xdk', private: false });
    const id = created.data!.id;
    expect(created.data).toEqual({ id, name: 'xdk flow' });
    expect((await user.lists.addMember(id, { userId: member.id })).data).toEqual({ isMember: true });

    const app = new Client({ bearerToken: roost.bearer });
    const looked = await app.lists.getById(id, { listFields: ['member_count', 'private'], expansions: ['owner_id'] });
    expect(looked.data).toEqual({ id, name: 'xdk flow', ownerId: XDEVELOPERS.id, memberCount: 1, private: false });
    const { timeline, pages } = await xdkPagesToEnd(async (token) => {
      const page = await app.lists.getPosts(id, { maxResults: PAGE, paginationToken: token, expansions: ['author_id'], postFields: ['created_at'] });
      return { data: page.data ?? [], meta: page.meta, includes: page.includes, errors: page.errors };
    });
    expect(timeline.posts.map((p: { id: string }) => p.id)).toEqual(member.posts.slice(0, 800));
    expect(pages).toBe(Math.ceil(Math.min(member.posts.length, 800) / PAGE));

    expect((await user.lists.delete(id)).data).toEqual({ deleted: true });
    await expectGone(id);
  });

  it.runIf(tweepyStatus().ok || process.env.CI === 'true')('tweepy: create_list, add_list_member, get_list, Paginator(get_list_tweets), delete_list', async () => {
    const results = await runTweepy(roost, 'lists', {
      bearer: roost.bearer,
      consumer_key: roost.consumerKey,
      consumer_secret: roost.consumerSecret,
      oauth1_token: roost.oauth1.token,
      oauth1_secret: roost.oauth1.secret,
      name: 'tweepy flow',
      member: member.id,
      page: PAGE,
    });
    const r = results.list_flow;
    if (!r.ok) throw new Error(`${r.error}\n${r.trace}`);
    expect(r.created.name).toBe('tweepy flow');
    expect(r.added).toEqual({ is_member: true });
    expect(r.list).toEqual({ id: r.created.id, name: 'tweepy flow', owner_id: XDEVELOPERS.id, member_count: 1, private: false });
    expect(r.owners).toEqual([XDEVELOPERS.username]);
    expect(r.ids).toEqual(member.posts.slice(0, 800));
    expect(r.author_ids).toEqual([member.id]);
    expect(r.pages).toBe(Math.ceil(Math.min(member.posts.length, 800) / PAGE));
    expect(r.deleted).toEqual({ deleted: true });
    expect(r.after.errors[0]).toMatchObject({ title: 'Not Found Error', resource_type: 'list', resource_id: r.created.id });
  });
});
