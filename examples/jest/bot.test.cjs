// The bot against Roost with jest (CommonJS: require('@roost/testing')).
const { startRoost } = require('@roost/testing');
const { createBot } = require('../src/bot.cjs');

let roost;

beforeAll(async () => {
  roost = await startRoost({ limits: { getUsersMe: { user: 2 } } });
}, 180_000);
afterAll(() => roost && roost.stop());
beforeEach(() => roost.reset());

async function botFor(username, opts = {}) {
  const user = await roost.users.create(username);
  const accessToken = await roost.tokens.oauth2(user);
  return { user, bot: createBot({ baseUrl: roost.url, accessToken, now: roost.clock.now, ...opts }) };
}

test('posts with OAuth 2.0 user context, as the request log shows', async () => {
  const { user, bot } = await botFor('jestbot');
  await bot.post('from jest');
  expect(await roost.requests.last({ operationId: 'createPosts' })).toMatchObject({ auth: 'oauth2-user', userId: user.id, body: { text: 'from jest' } });
});

test('waits out an injected 429', async () => {
  const { bot } = await botFor('jestwaits');
  await roost.faults.add({ fault: 'rate-limit', operation: 'createPosts', count: 1, resetInSeconds: 1 });
  await bot.post('after waiting');
  expect((await roost.requests.list({ operationId: 'createPosts' })).map((r) => r.status)).toEqual([429, 201]);
});

test('time travel reopens a 15-minute window', async () => {
  const { bot } = await botFor('jestclock', { waitOnRateLimit: false });
  await roost.clock.freeze();
  await bot.whoAmI();
  await bot.whoAmI();
  await expect(bot.whoAmI()).rejects.toMatchObject({ status: 429 });
  await roost.clock.advance(15 * 60_000);
  expect(await bot.whoAmI()).toBe('jestclock');
});

test('reset between tests', async () => {
  expect(await roost.requests.list()).toEqual([]);
});
