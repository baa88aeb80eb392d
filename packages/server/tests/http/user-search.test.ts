import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { matchTier } from '../../src/api/users/searchUsers.js';
import { one } from './find.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

describe('GET /2/users/search', () => {
  it('finds an account by its exact username first, then by prefix, name, and followers', async () => {
    const u = await one(s, 'select id, username from users where suspended = 0 order by followers_count asc, id limit 1');
    const r = await s.get('/2/users/search', { token: s.userToken, query: { query: u.username, 'user.fields': 'public_metrics' } });
    expect(r.status).toBe(200);
    expect(r.body.data[0]).toMatchObject({ id: String(u.id), username: u.username });
  });

  it('ranks by match tier, then by followers, and pages with next_token without repeats', async () => {
    const word = 'a';
    const all = await s.get('/2/users/search', { token: s.userToken, query: { query: word, max_results: 1000, 'user.fields': 'public_metrics' } });
    expect(all.status).toBe(200);
    const data = all.body.data as any[];
    expect(data.length).toBeGreaterThan(5);
    const tiers = data.map((u) => matchTier(u, [word]));
    for (let i = 1; i < data.length; i++) {
      expect(tiers[i]! >= tiers[i - 1]!).toBe(true);
      if (tiers[i] === tiers[i - 1]) expect(data[i].public_metrics.followers_count).toBeLessThanOrEqual(data[i - 1].public_metrics.followers_count);
    }
    const seen: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 50; i++) {
      const p = await s.get('/2/users/search', { token: s.userToken, query: { query: word, max_results: 7, next_token: token } });
      seen.push(...(p.body.data ?? []).map((x: any) => x.id));
      token = p.body.meta.next_token;
      if (!token) break;
    }
    expect(seen).toEqual(data.map((x) => x.id));
  });

  it('never shows suspended accounts; words must all match; bad input is X\'s 400', async () => {
    const sus = await one(s, 'select username from users where suspended = 1 limit 1');
    const r = await s.get('/2/users/search', { token: s.userToken, query: { query: sus.username } });
    expect((r.body.data ?? []).map((u: any) => u.username)).not.toContain(sus.username);
    const none = await s.get('/2/users/search', { token: s.userToken, query: { query: 'zzqx nothing' } });
    expect(none.body.data).toBeUndefined();
    expect((await s.get('/2/users/search', { token: s.userToken, query: { query: 'no-dashes!' } })).status).toBe(400);
    expect((await s.get('/2/users/search', { token: s.userToken, query: { query: 'a', next_token: 'garbage' } })).status).toBe(400);
    expect((await s.get('/2/users/search', { query: { query: 'a' } })).status).toBe(403);
  });

  it('matchTier orders exact handle, handle prefix, name word prefix, inside', () => {
    expect(matchTier({ username: 'roost', name: 'x' }, ['roost'])).toBe(0);
    expect(matchTier({ username: 'roostdev', name: 'x' }, ['roost'])).toBe(1);
    expect(matchTier({ username: 'abc', name: 'The Roost' }, ['roost'])).toBe(2);
    expect(matchTier({ username: 'myroost', name: 'x' }, ['roost'])).toBe(3);
  });
});
