/** WebCrypto helpers (Node ≥ 18, browsers, Deno, Bun). */

// WebCrypto: the global (Node ≥ 19, browsers, Deno, Bun), else Node's module (Node 18 has no global by default).
let webcryptoObj: any = (globalThis as any).crypto?.subtle ? (globalThis as any).crypto : undefined;
let loading: Promise<any> | undefined;

/** Resolves WebCrypto (on Node 18 by importing node:crypto — specifier computed so browser bundlers ignore it). */
export async function loadCrypto(): Promise<void> {
  if (webcryptoObj) return;
  loading ??= import(/* @vite-ignore */ ['node', 'crypto'].join(':')).then((m: any) => (webcryptoObj = m.webcrypto));
  await loading;
}

async function subtle(): Promise<any> {
  await loadCrypto();
  return webcryptoObj.subtle;
}

function randomBytes(n: number): Uint8Array {
  if (!webcryptoObj) throw new Error('WebCrypto is not loaded yet in this runtime: await loadCrypto() first (Node 18)');
  const out = new Uint8Array(n);
  webcryptoObj.getRandomValues(out);
  return out;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}

export const base64url = (bytes: Uint8Array) => base64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const keyCache = new Map<string, Promise<any>>();
/** HMAC-SHA1 of `message` with `key`, base64 (OAuth 1.0a signatures). */
export async function hmacSha1(key: string, message: string): Promise<string> {
  const s = await subtle();
  let k = keyCache.get(key);
  if (!k) {
    const imported: Promise<any> = s.importKey('raw', utf8(key), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
    if (keyCache.size > 64) keyCache.clear();
    keyCache.set(key, imported);
    k = imported;
  }
  return base64(new Uint8Array(await s.sign('HMAC', await k, utf8(message))));
}

export async function sha256(message: string): Promise<Uint8Array> {
  return new Uint8Array(await (await subtle()).digest('SHA-256', utf8(message)));
}

/** A PKCE code verifier: `length` (43–128, default 64) characters of the RFC 7636 unreserved set. */
export function generateCodeVerifier(length = 64): string {
  if (!Number.isInteger(length) || length < 43 || length > 128) throw new RangeError('a code verifier has 43 to 128 characters (RFC 7636 §4.1)');
  return base64url(randomBytes(Math.ceil((length * 3) / 4) + 1)).slice(0, length);
}

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)). */
export async function generateCodeChallenge(verifier: string): Promise<string> {
  return base64url(await sha256(verifier));
}

/** Random hex string of `length` characters. */
export function generateNonce(length = 32): string {
  let s = '';
  for (const b of randomBytes(Math.ceil(length / 2))) s += b.toString(16).padStart(2, '0');
  return s.slice(0, length);
}

export function generateTimestamp(): number {
  return Math.floor(Date.now() / 1000);
}

/** The official client's static helper collection. */
export const CryptoUtils = { hmacSha1, generateCodeVerifier, generateCodeChallenge, generateNonce, generateTimestamp };
