/**
 * Node 18 has no global WebCrypto (without --experimental-global-webcrypto): the SDK loads node:crypto's instead.
 * Simulated by removing the global in this test file's own worker before the SDK is first imported.
 */
import { expect, it } from 'vitest';
import { X_DOC_OAUTH1 } from './vectors.js';

it('OAuth helpers work without a global crypto (the async paths load it; sync helpers say what to do)', async () => {
  delete (globalThis as any).crypto;
  expect((globalThis as any).crypto).toBeUndefined();
  const sdk = await import('../src/index.js');
  expect(() => sdk.generateCodeVerifier()).toThrow(/await loadCrypto\(\)/);
  const o = new sdk.OAuth2({ clientId: 'c', redirectUri: 'https://app.example/cb' });
  const url = new URL(await o.getAuthorizationUrl('s'));
  expect(url.searchParams.get('code_challenge')).toBe(await sdk.generateCodeChallenge(o.getCodeVerifier()!));
  expect(sdk.generateCodeVerifier()).toHaveLength(64);
  const { signature } = await sdk.signOAuth1(X_DOC_OAUTH1.request);
  expect(signature).toBe(X_DOC_OAUTH1.signature);
});
