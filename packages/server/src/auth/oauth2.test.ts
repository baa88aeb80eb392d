import { describe, expect, it } from 'vitest';
import {
  challengeMethod,
  challengeProblem,
  newClientId,
  pkceMatches,
  redirectUriRegistered,
  RFC_VERIFIER_RULES,
  s256,
  TOLERANT_VERIFIER_RULES,
  verifierProblem,
} from './oauth2.js';
import type { OAuth2ClientRow } from '../data/oauth2.js';

describe('PKCE (RFC 7636)', () => {
  it('Appendix B vector', () => {
    expect(s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(pkceMatches('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256')).toBe(true);
    expect(pkceMatches('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256')).toBe(false);
  });

  it('plain compares verbatim', () => {
    const v = 'a'.repeat(43);
    expect(pkceMatches(v, v, 'plain')).toBe(true);
    expect(pkceMatches(v, `${v}b`, 'plain')).toBe(false);
    expect(pkceMatches(v, s256(v), 'plain')).toBe(false);
  });

  it('verifier rules: 43–128 characters of the unreserved set', () => {
    const ok = 'A-Za-z0-9._~'.padEnd(43, 'x');
    expect(verifierProblem(ok)).toBeNull();
    expect(verifierProblem('x'.repeat(42))).toMatch(/at least 43/);
    expect(verifierProblem('x'.repeat(43))).toBeNull();
    expect(verifierProblem('x'.repeat(128))).toBeNull();
    expect(verifierProblem('x'.repeat(129))).toMatch(/at most 128/);
    for (const bad of ['+', '/', '=', ' ', '%', 'é', '!'])
      expect(verifierProblem('x'.repeat(43) + bad), JSON.stringify(bad)).toMatch(/only/);
    expect(RFC_VERIFIER_RULES).toEqual({ minLength: 43, maxLength: 128 });
  });

  it('tolerant rules accept what real clients send (short plain challenges, xdk 171-char verifiers) but not other characters', () => {
    expect(verifierProblem('challenge', TOLERANT_VERIFIER_RULES)).toBeNull();
    expect(verifierProblem('x'.repeat(171), TOLERANT_VERIFIER_RULES)).toBeNull();
    expect(verifierProblem('chal lenge', TOLERANT_VERIFIER_RULES)).not.toBeNull();
    expect(verifierProblem('', TOLERANT_VERIFIER_RULES)).not.toBeNull();
  });

  it('challenge method: S256 in any case, plain, absent = plain', () => {
    expect(challengeMethod('S256')).toBe('S256');
    expect(challengeMethod('s256')).toBe('S256');
    expect(challengeMethod('plain')).toBe('plain');
    expect(challengeMethod('PLAIN')).toBe('plain');
    expect(challengeMethod(undefined)).toBe('plain');
    expect(challengeMethod('sha1')).toBeNull();
  });

  it('an S256 challenge is 43 base64url characters', () => {
    expect(challengeProblem('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256')).toBeNull();
    expect(challengeProblem('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c', 'S256')).not.toBeNull();
    expect(challengeProblem('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM', 'S256')).not.toBeNull();
  });
});

describe('clients', () => {
  it('client ids look like X’s: 34 base64url characters ending in a `:1:ci` payload', () => {
    const id = newClientId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{34}$/);
    expect(Buffer.from(id, 'base64url').toString()).toMatch(/^[A-Za-z0-9]{20}:1:ci$/);
    expect(newClientId()).not.toBe(id);
  });

  it('redirect URIs match exactly, except a port-less loopback registration matches any port', () => {
    const c: OAuth2ClientRow = {
      appId: '1',
      clientId: 'x',
      clientType: 'public',
      clientSecretHash: null,
      redirectUris: ['http://127.0.0.1/callback', 'https://example.com/cb'],
      createdAt: 0,
    };
    expect(redirectUriRegistered(c, 'https://example.com/cb')).toBe(true);
    expect(redirectUriRegistered(c, 'https://example.com/cb/')).toBe(false);
    expect(redirectUriRegistered(c, 'https://example.com:8443/cb')).toBe(false);
    expect(redirectUriRegistered(c, 'http://127.0.0.1/callback')).toBe(true);
    expect(redirectUriRegistered(c, 'http://127.0.0.1:53124/callback')).toBe(true);
    expect(redirectUriRegistered(c, 'http://127.0.0.1:53124/other')).toBe(false);
    expect(redirectUriRegistered(c, 'http://localhost:53124/callback')).toBe(false);
    expect(redirectUriRegistered(c, 'not a url')).toBe(false);
  });
});
