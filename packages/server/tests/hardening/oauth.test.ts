/**
 * Issue 15, finding 4: the OAuth 2.0 consent form had no CSRF token, no Origin check and no anti-framing header;
 * OAuth 1.0a request_token accepted any oauth_callback (https://evil.example, javascript:, data:) and then sent
 * the verifier there. X requires a registered callback and answers others with code 415.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { createApp, createOAuth2Client, XDEVELOPERS_ID } from '@roost/server';

let s: TestServer;
let clientId: string;
let app: { id: string; consumerKey: string; consumerSecret: string };
const REDIRECT = 'http://127.0.0.1/callback';

beforeAll(async () => {
  s = await startTestServer({ seed: null });
  app = await createApp(s.handle.ctx, { name: 'Guarded', ownerUserId: XDEVELOPERS_ID });
  clientId = (await createOAuth2Client(s.handle.ctx, { appId: app.id, type: 'public', redirectUris: [REDIRECT, 'https://client.example/cb'] })).clientId;
});
afterAll(async () => {
  await s?.close();
});

const authorizeQuery = () =>
  new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    scope: 'tweet.read users.read',
    state: 'st',
    code_challenge: 'challengechallengechallengechallengechallen',
    code_challenge_method: 'plain',
  });

const hiddenInputs = (html: string): Record<string, string> => Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]));

async function postConsent(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${s.url}/i/oauth2/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('OAuth 2.0 consent page', () => {
  it('is never framed, and carries a CSRF token', async () => {
    const page = await fetch(`${s.url}/i/oauth2/authorize?${authorizeQuery()}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(hiddenInputs(await page.text()).csrf).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a post without the token, with a forged token, or from another site; accepts its own form', async () => {
    const page = await fetch(`${s.url}/i/oauth2/authorize?${authorizeQuery()}`);
    const fields: Record<string, string> = { ...hiddenInputs(await page.text()), username: 'XDevelopers', decision: 'authorize' };
    const { csrf, ...without } = fields;

    expect((await postConsent(without)).status).toBe(400);
    const forged = `${Date.now().toString(36)}.${createHmac('sha256', randomBytes(16)).update('x').digest('base64url')}`;
    expect((await postConsent({ ...without, csrf: forged })).status).toBe(400);
    // The token is bound to the request it was rendered for: another redirect_uri or state does not reuse it.
    expect((await postConsent({ ...fields, state: 'other' })).status).toBe(400);
    expect((await postConsent(fields, { origin: 'https://evil.example' })).status).toBe(403);

    const ok = await postConsent(fields, { origin: s.url });
    expect(ok.status).toBe(302);
    expect(new URL(ok.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    expect(csrf).toBeTruthy();
  });
});

/** OAuth 1.0a request_token signed with the app's consumer credentials (HMAC-SHA1, RFC 5849). */
async function requestToken(callback: string) {
  const url = `${s.url}/oauth/request_token`;
  const oauth: Record<string, string> = {
    oauth_callback: callback,
    oauth_consumer_key: app.consumerKey,
    oauth_nonce: randomBytes(8).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(Math.floor(s.clock.now() / 1000)),
    oauth_version: '1.0',
  };
  const enc = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const params = Object.keys(oauth).sort().map((k) => `${enc(k)}=${enc(oauth[k]!)}`).join('&');
  const base = `POST&${enc(url)}&${enc(params)}`;
  oauth.oauth_signature = createHmac('sha1', `${enc(app.consumerSecret)}&`).update(base).digest('base64');
  const header = 'OAuth ' + Object.entries(oauth).map(([k, v]) => `${k}="${enc(v)}"`).join(', ');
  const r = await fetch(url, { method: 'POST', headers: { authorization: header } });
  return { status: r.status, text: await r.text() };
}

describe('OAuth 1.0a callbacks', () => {
  it('refuses callbacks the app did not register with X\'s code 415', async () => {
    for (const cb of ['https://evil.example/cb', 'javascript:alert(1)', 'data:text/html,hi', 'https://client.example/other']) {
      const r = await requestToken(cb);
      expect(r.status, cb).toBe(403);
      expect(JSON.parse(r.text).errors[0].code).toBe(415);
    }
  });

  it('accepts a registered callback (with a query of the client\'s own), a loopback one on any port, and oob', async () => {
    for (const cb of ['https://client.example/cb', 'https://client.example/cb?state=1', 'http://127.0.0.1:9999/callback', 'oob']) {
      const r = await requestToken(cb);
      expect(r.status, cb).toBe(200);
      expect(r.text).toContain('oauth_callback_confirmed=true');
    }
  });
});
