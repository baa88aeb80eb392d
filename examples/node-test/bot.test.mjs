// The bot against Roost with node:test: one server for the file, reset before each test.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startRoost } from '@roost/testing';
import botModule from '../src/bot.cjs';

const { createBot } = botModule;
let roost;

before(async () => {
  roost = await startRoost({ limits: { getUsersMe: { user: 2 } } });
});
after(() => roost?.stop());
beforeEach(() => roost.reset());

async function botFor(username, opts = {}) {
  const user = await roost.users.create(username);
  const accessToken = await roost.tokens.oauth2(user);
  return { user, bot: createBot({ baseUrl: roost.url, accessToken, now: roost.clock.now, ...opts }) };
}

describe('the bot (node:test)', () => {
  test('posts with OAuth 2.0 user context', async () => {
    const { user, bot } = await botFor('testbot');
    await bot.post('from node:test');
    const last = await roost.requests.last({ operationId: 'createPosts' });
    assert.equal(last.auth, 'oauth2-user');
    assert.equal(last.userId, user.id);
    assert.deepEqual(last.body, { text: 'from node:test' });
  });

  test('waits out an injected 429', async () => {
    const { bot } = await botFor('waitbot');
    await roost.faults.add({ fault: 'rate-limit', operation: 'createPosts', count: 1, resetInSeconds: 1 });
    await bot.post('eventually');
    const statuses = (await roost.requests.list({ operationId: 'createPosts' })).map((r) => r.status);
    assert.deepEqual(statuses, [429, 201]);
  });

  test('time travel reopens a used-up 15-minute window', async () => {
    const { bot } = await botFor('clockbot', { waitOnRateLimit: false });
    await roost.clock.freeze();
    await bot.whoAmI();
    await bot.whoAmI();
    await assert.rejects(bot.whoAmI(), (err) => err.status === 429);
    await roost.clock.advance(15 * 60_000);
    assert.equal(await bot.whoAmI(), 'clockbot');
  });

  test('starts from a clean server', async () => {
    assert.deepEqual(await roost.requests.list(), []);
  });
});
