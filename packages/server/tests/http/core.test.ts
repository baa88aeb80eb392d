import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

describe('errors and auth', () => {
  it('401 with about:blank body for missing or unknown tokens', async () => {
    for (const token of [null, 'not-a-real-token-000000']) {
      const r = await s.get('/2/users/2244994945', { token });
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    }
  });

  it('403 Unsupported Authentication with X text for app-only on a user-context endpoint', async () => {
    const r = await s.get('/2/users/me');
    expect(r.status).toBe(403);
    expect(r.body).toEqual({
      title: 'Unsupported Authentication',
      detail:
        'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
      type: 'https://api.twitter.com/2/problems/unsupported-authentication',
      status: 403,
    });
  });

  it('403 "Authenticating with Unknown" for an unparseable Authorization header', async () => {
    const r = await s.get('/2/users/2244994945', { token: null, headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    expect(r.status).toBe(403);
    expect((r.body as any).detail).toMatch(/^Authenticating with Unknown is forbidden for this endpoint\.  Supported authentication types are \[/);
  });

  it('403 when a user token lacks a required scope; passes with it', async () => {
    const weak = await s.userTokenFor('2244994945', ['tweet.read']);
    const r = await s.get('/2/users/me', { token: weak });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ title: 'Forbidden', type: 'about:blank', status: 403 });
    expect((r.body as any).detail).toContain('users.read');
    const ok = await s.get('/2/users/me', { token: await s.userTokenFor('2244994945', ['tweet.read', 'users.read']) });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ id: '2244994945', username: 'XDevelopers' });
  });

  it('expired user tokens are refused', async () => {
    const { mintUserToken } = await import('@roost/server');
    const t = await mintUserToken(s.handle.ctx, { appId: s.appId, userId: '2244994945', expiresAt: s.clock.now() + 1000 });
    expect((await s.get('/2/users/me', { token: t })).status).toBe(200);
    s.clock.advance(2000);
    expect((await s.get('/2/users/me', { token: t })).status).toBe(401);
  });

  it('unknown routes answer X 404', async () => {
    const r = await s.get('/2/nope/nothing');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ errors: [{ message: 'Sorry, that page does not exist', code: 34 }] });
  });

  it('accepts an empty body sent with a JSON content type (official SDK)', async () => {
    const r = await s.get('/2/users/2244994945', { headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
  });

  it('malformed JSON bodies are a 400, not a 500', async () => {
    const r = await s.request('POST', '/2/users/2244994945', { body: '{bad', raw: true });
    expect([400, 404]).toContain(r.status);
    expect(r.status).not.toBe(500);
  });

  it('sets a transaction id header', async () => {
    const r = await s.get('/2/users/2244994945');
    expect(r.headers.get('x-transaction-id')).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('validation with X messages', () => {
  it('unknown query parameter', async () => {
    const r = await s.get('/2/tweets/1460323737035677698', { query: { 'tweep.fields': 'id' } });
    expect(r.status).toBe(400);
    expect(r.body.title).toBe('Invalid Request');
    expect(r.body.detail).toBe('One or more parameters to your request was invalid.');
    expect(r.body.type).toBe('https://api.twitter.com/2/problems/invalid-request');
    expect(r.body.errors[0].parameters).toEqual({ 'tweep.fields': ['id'] });
    expect(r.body.errors[0].message).toMatch(/^The query parameter \[tweep\.fields\] is not one of \[id,.*tweet\.fields.*\]$/);
  });

  it('max_results out of range', async () => {
    const r = await s.get('/2/users/2244994945/tweets', { query: { max_results: 0 } });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ parameters: { max_results: ['0'] }, message: 'The `max_results` query parameter value [0] is not between 5 and 100' }]);
  });

  it('id pattern', async () => {
    const r = await s.get('/2/tweets/3456x');
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ parameters: { id: ['3456x'] }, message: 'The `id` query parameter value [3456x] is not valid' }]);
  });

  it('enum values of fields and expansions, every failure listed', async () => {
    const r = await s.get('/2/tweets/1460323737035677698', { query: { 'tweet.fields': 'bogus', expansions: 'author_id,nope' } });
    expect(r.status).toBe(400);
    expect(r.body.errors).toHaveLength(2);
    expect(r.body.errors[0].message).toMatch(/^The `tweet\.fields` query parameter value \[bogus\] is not one of \[/);
    expect(r.body.errors[1].parameters).toEqual({ expansions: ['nope'] });
  });

  it('list sizes', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => String(i + 1)).join(',');
    const r = await s.get('/2/tweets', { query: { ids } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].message).toBe('The number of values in the `ids` query parameter list [101] is not between 1 and 100');
    const empty = await s.get('/2/tweets');
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].message).toBe('The `ids` query parameter can not be empty');
  });

  it('malformed pagination tokens and date-times', async () => {
    const a = await s.get('/2/users/2244994945/tweets', { query: { pagination_token: 'zzzzzzzzzzzzzzzz' } });
    expect(a.status).toBe(400);
    expect(a.body.errors[0].parameters).toEqual({ pagination_token: ['zzzzzzzzzzzzzzzz'] });
    const b = await s.get('/2/users/2244994945/tweets', { query: { start_time: 'yesterday' } });
    expect(b.status).toBe(400);
    expect(b.body.errors[0].message).toBe('The `start_time` query parameter value [yesterday] is not valid');
  });
});

describe('OAuth 2.0 app-only', () => {
  it('issues the same bearer until invalidated, then a new one; the old one stops working', async () => {
    const { createApp } = await import('@roost/server');
    const app = await createApp(s.handle.ctx, { name: 't', ownerUserId: '2244994945' });
    const basic = 'Basic ' + Buffer.from(`${encodeURIComponent(app.consumerKey)}:${encodeURIComponent(app.consumerSecret)}`).toString('base64');
    const form = { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', authorization: basic };
    const t1 = await s.request('POST', '/oauth2/token', { token: null, headers: form, body: 'grant_type=client_credentials', raw: true });
    expect(t1.status).toBe(200);
    expect(t1.body.token_type).toBe('bearer');
    const t2 = await s.request('POST', '/oauth2/token', { token: null, headers: form, body: 'grant_type=client_credentials', raw: true });
    expect(t2.body.access_token).toBe(t1.body.access_token);
    expect((await s.get('/2/users/2244994945', { token: t1.body.access_token })).status).toBe(200);

    const inv = await s.request('POST', '/oauth2/invalidate_token', {
      token: null,
      headers: form,
      body: `access_token=${encodeURIComponent(t1.body.access_token)}`,
      raw: true,
    });
    expect(inv.status).toBe(200);
    expect(inv.body).toEqual({ access_token: t1.body.access_token });
    expect((await s.get('/2/users/2244994945', { token: t1.body.access_token })).status).toBe(401);
    const t3 = await s.request('POST', '/oauth2/token', { token: null, headers: form, body: 'grant_type=client_credentials', raw: true });
    expect(t3.body.access_token).not.toBe(t1.body.access_token);
    expect((await s.get('/2/users/2244994945', { token: t3.body.access_token })).status).toBe(200);

    const bad = await s.request('POST', '/oauth2/token', {
      token: null,
      headers: { ...form, authorization: 'Basic ' + Buffer.from(`${app.consumerKey}:wrong`).toString('base64') },
      body: 'grant_type=client_credentials',
      raw: true,
    });
    expect(bad.status).toBe(403);
    expect(bad.body.errors[0].code).toBe(99);
  });
});
