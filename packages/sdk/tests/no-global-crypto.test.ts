/**
 * Node 18 has no global WebCrypto (without --experimental-global-webcrypto): the SDK loads node:crypto's instead.
 * Simulated by removing the global in this test file's own worker before the SDK is first imported.
 */
import { expect, it } from 'vitest';

it('OAuth helpers work without a global crypto (the async paths load it; sync helpers say what to do)', async () => {
  delete (globalThis as any).crypto;
  expect((globalThis as any).crypto).toBeUndefined();
  const sdk = await import('../src/index.js');
  expect(() => sdk.generateCodeVerifier()).toThrow(/await loadCrypto\(\)/);
  const o = new sdk.OAuth2({ clientId: 'c', redirectUri: 'https://app.example/cb' });
  const url = new URL(await o.getAuthorizationUrl('s'));
  expect(url.searchParams.get('code_challenge')).toBe(await sdk.generateCodeChallenge(o.getCodeVerifier()!));
  expect(sdk.generateCodeVerifier()).toHaveLength(64);
  const { signature } = await sdk.signOAuth1({
    method: 'POST', url: 'https://api.x.com/1.1/statuses/update.json?include_entities=true', consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
    consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw', token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
    tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE', form: 'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21',
    nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg', timestamp: 1318622958,
  });
  expect(signature).toBe('Ls93hJiZbQ3akF3HF3x1Bz8/zU4=');
});
