/** OAuth 1.0a signature vectors (RFC 5849 §3.4.1, X's documentation) and PKCE (RFC 7636 Appendix B). */
import { describe, expect, it } from 'vitest';
import { generateCodeChallenge, generateCodeVerifier, OAuth1, OAuth2, percentEncode, signatureBaseString, signOAuth1 } from '../src/index.js';
import { X_DOC_OAUTH1 } from './vectors.js';

describe('OAuth 1.0a', () => {
  it("X's documentation vector: POST statuses/update with a form body", async () => {
    const { signature, header } = await signOAuth1(X_DOC_OAUTH1.request);
    expect(signature).toBe(X_DOC_OAUTH1.signature);
    expect(header).toContain('oauth_signature="Ls93hJiZbQ3akF3HF3x1Bz8%2FzU4%3D"');
    expect(header.startsWith('OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog"')).toBe(true);
  });

  it('RFC 5849 §3.4.1.1: the example signature base string (repeated and empty parameters, encoded keys)', () => {
    const params: [string, string][] = [
      ['b5', '=%3D'], ['a3', 'a'], ['c@', ''], ['a2', 'r b'],
      ['oauth_consumer_key', '9djdj82h48djs9d2'], ['oauth_token', 'kkk9d7dh3k39sjv7'], ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'], ['oauth_nonce', '7d8f3e4a'], ['c2', ''], ['a3', '2 q'],
    ];
    expect(signatureBaseString('post', 'http://example.com/request', params)).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('percent-encoding is RFC 3986 (unreserved kept, the rest %XX upper-case)', () => {
    expect(percentEncode("Ladies + Gentlemen!*'()~._-")).toBe('Ladies%20%2B%20Gentlemen%21%2A%27%28%29~._-');
    expect(percentEncode('☃')).toBe('%E2%98%83');
  });

  it('API calls are signed with the access token (query parameters included, JSON bodies not)', async () => {
    const o = new OAuth1({ apiKey: 'ck', apiSecret: 'cs', accessToken: 'at', accessTokenSecret: 'ats', timestamp: () => 1 });
    const h1 = await o.buildRequestHeader('GET', 'https://api.x.com/2/users/me?user.fields=id');
    expect(h1).toMatch(/oauth_token="at"/);
    const sig = (h: string) => /oauth_signature="([^"]+)"/.exec(h)![1];
    const nonce = (h: string) => /oauth_nonce="([^"]+)"/.exec(h)![1];
    const again = await signOAuth1({ method: 'GET', url: 'https://api.x.com/2/users/me?user.fields=id', consumerKey: 'ck', consumerSecret: 'cs', token: 'at', tokenSecret: 'ats', timestamp: 1, nonce: nonce(h1) });
    expect(sig(h1)).toBe(percentEncode(again.signature));
    const json = await o.buildRequestHeader('POST', 'https://api.x.com/2/tweets', '{"text":"x"}');
    const bare = await signOAuth1({ method: 'POST', url: 'https://api.x.com/2/tweets', consumerKey: 'ck', consumerSecret: 'cs', token: 'at', tokenSecret: 'ats', timestamp: 1, nonce: nonce(json) });
    expect(sig(json)).toBe(percentEncode(bare.signature));
  });

  it('the authorization URL honours baseUrl and needs a request token', () => {
    const o = new OAuth1({ apiKey: 'k', apiSecret: 's', baseUrl: 'http://127.0.0.1:9/' });
    expect(() => o.getAuthorizationUrl()).toThrow(/getRequestToken/);
    o.requestToken = { oauthToken: 'a b', oauthTokenSecret: 's' };
    expect(o.getAuthorizationUrl()).toBe('http://127.0.0.1:9/oauth/authorize?oauth_token=a%20b');
    expect(o.getAuthorizationUrl(true)).toBe('http://127.0.0.1:9/oauth/authenticate?oauth_token=a%20b');
  });
});

describe('PKCE', () => {
  it('RFC 7636 Appendix B: S256 challenge of the example verifier', async () => {
    expect(await generateCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('verifiers are 43–128 unreserved characters; other lengths are refused', () => {
    for (const n of [43, 64, 100, 128]) {
      const v = generateCodeVerifier(n);
      expect(v).toHaveLength(n);
      expect(v).toMatch(/^[A-Za-z0-9\-._~]+$/);
    }
    expect(generateCodeVerifier()).toHaveLength(64);
    expect(new Set(Array.from({ length: 50 }, () => generateCodeVerifier())).size).toBe(50);
    expect(() => generateCodeVerifier(42)).toThrow(RangeError);
    expect(() => generateCodeVerifier(129)).toThrow(RangeError);
  });

  it('the authorization URL carries the challenge of the verifier in use; setPkceParameters validates', async () => {
    const o = new OAuth2({ clientId: 'cid', redirectUri: 'https://app.example/cb', scope: ['tweet.read', 'offline.access'] });
    await o.setPkceParameters('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    const u = new URL(await o.getAuthorizationUrl('xyz'));
    expect(u.origin + u.pathname).toBe('https://x.com/i/oauth2/authorize');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      response_type: 'code', client_id: 'cid', redirect_uri: 'https://app.example/cb', scope: 'tweet.read offline.access', state: 'xyz',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
    });
    await expect(o.setPkceParameters('short')).rejects.toThrow(RangeError);
  });

  it('token expiry: unknown expiry is not expired; a buffer before expiry counts as expired', () => {
    let now = 1_000_000;
    const o = new OAuth2({ clientId: 'c', redirectUri: 'r', now: () => now });
    expect(o.isTokenExpired()).toBe(true);
    o.setToken({ access_token: 'a', token_type: 'bearer' });
    expect(o.isTokenExpired()).toBe(false);
    o.setToken({ access_token: 'a', token_type: 'bearer', expires_in: 7200 });
    expect(o.getToken()!.expires_at).toBe(now + 7_200_000);
    now += 7_200_000 - 61_000;
    expect(o.isTokenExpired()).toBe(false);
    now += 2_000;
    expect(o.isTokenExpired()).toBe(true);
  });
});
