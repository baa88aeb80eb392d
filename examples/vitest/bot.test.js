// The bot against Roost with vitest: one server per file, reset before each test.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startRoost } from '@roost/testing';
import botModule from '../src/bot.cjs';

const { createBot } = botModule;
const MIN = 60_000;
let roost;

beforeAll(async () => {
  // getUsersMe allows 2 calls per 15 minutes here, so the window is quick to use up.
  roost = await startRoost({ limits: { getUsersMe: { user: 2 } } });
});
afterAll(() => roost?.stop());
beforeEach(() => roost.reset());

const botFor = async (username, opts = {}) => {
  const user = await roost.users.create(username);
  const accessToken = await roost.tokens.oauth2(user, ['tweet.read', 'tweet.write', 'users.read']);
  return { user, bot: createBot({ baseUrl: roost.url, accessToken, now: roost.clock.now, ...opts }) };
};

describe('the bot', () => {
  test('posts what it should, with OAuth 2.0 user context (the request log says so)', async () => {
    const { user, bot } = await botFor('newsbot');
    await bot.post('Good morning!');
    const [post] = await roost.requests.list({ operationId: 'createPosts' });
    expect(post).toMatchObject({ method: 'POST', path: '/2/tweets', auth: 'oauth2-user', userId: user.id, status: 201 });
    expect(post.body).toEqual({ text: 'Good morning!' });
  });

  test('waits out an injected 429 and posts once', async () => {
    const { bot } = await botFor('patientbot');
    await roost.faults.add({ fault: 'rate-limit', operation: 'createPosts', count: 1, resetInSeconds: 1 });
    await bot.post('after the wait');
    const calls = await roost.requests.list({ operationId: 'createPosts' });
    expect(calls.map((c) => c.status)).toEqual([429, 201]);
  });

  test('retries a 503', async () => {
    const { bot } = await botFor('sturdybot');
    await roost.faults.add({ fault: 'unavailable', operation: 'getUsersMe', count: 1 });
    expect(await bot.whoAmI()).toBe('sturdybot');
  });

  test('a 15-minute rate-limit window opens again after time travel', async () => {
    const { bot } = await botFor('busybot', { waitOnRateLimit: false });
    await roost.clock.freeze();
    await bot.whoAmI();
    await bot.whoAmI();
    await expect(bot.whoAmI()).rejects.toMatchObject({ status: 429 });
    await roost.clock.advance(15 * MIN);
    expect(await bot.whoAmI()).toBe('busybot');
  });

  test('reset leaves nothing from the previous test', async () => {
    expect(await roost.requests.list()).toEqual([]);
    expect(await roost.faults.list()).toEqual([]);
    // The user of the last test is gone, so the name can be taken again.
    expect((await roost.users.create('busybot')).username).toBe('busybot');
  });
});
