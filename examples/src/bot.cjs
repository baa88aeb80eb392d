/**
 * The code under test: a small bot on @roost/sdk. It takes its base URL and token from its caller (production:
 * https://api.x.com; tests: Roost), waits out rate limits (`waitOnRateLimit`) and retries 5xx answers.
 */
const { Client } = require('@roost/sdk');

function createBot({ baseUrl, accessToken, now, waitOnRateLimit = true }) {
  const client = new Client({ baseUrl, accessToken, waitOnRateLimit, retryDelay: 100, now });
  return {
    /** Posts a status; its id. */
    async post(text) {
      const r = await client.posts.create({ text });
      return r.data.id;
    },
    /** Its own username. */
    async whoAmI() {
      return (await client.users.getMe()).data.username;
    },
  };
}

module.exports = { createBot };
