import { describe, expect, it } from 'vitest';
import {
  baseStringUri,
  collectParams,
  hmacSha1,
  NonceCache,
  normalizeParams,
  parseOAuthHeader,
  parseQueryParams,
  pct,
  signatureBaseString,
  type Param,
} from './oauth1.js';
import { SecretBox } from './secret-box.js';

describe('RFC 5849 vectors', () => {
  it('§3.4.1: base string from header, query and form body (realm dropped, duplicates sorted by value)', () => {
    const header = parseOAuthHeader(
      'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", ' +
        'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", ' +
        'oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"',
    )!;
    expect(header.has('realm')).toBe(false);
    expect(header.get('oauth_signature')).toBe('bYT5CMsGcbgUdFHObYMEfcx6bsw=');
    const form = Object.fromEntries(new URLSearchParams('c2&a3=2+q'));
    const got = collectParams(header, { url: '/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b', form })!;
    expect(got.signature).toBe('bYT5CMsGcbgUdFHObYMEfcx6bsw=');
    const base = signatureBaseString('post', baseStringUri('http://EXAMPLE.COM:80/request?x=1')!, got.params);
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26' +
        'oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26' +
        'oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('§2.1: temporary credentials request (token secret empty → key ends in &)', () => {
    const params: Param[] = [
      ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131200'],
      ['oauth_nonce', 'wIjqoS'],
      ['oauth_callback', 'http://printer.example.com/ready'],
    ];
    const base = signatureBaseString('POST', 'https://photos.example.net/initiate', params);
    expect(hmacSha1(base, 'kd94hf93k423kf44')).toBe('74KNZJeDHnMBp0EMJ9ZHt/XKycU=');
  });

  it('§3.1: protected resource request with token credentials', () => {
    const header = parseOAuthHeader(
      'OAuth realm="Photos",oauth_consumer_key="dpf43f3p2l4k3l03",oauth_token="nnch734d00sl2jdk",oauth_signature_method="HMAC-SHA1",' +
        'oauth_timestamp="137131202",oauth_nonce="chapoH",oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"',
    )!;
    const got = collectParams(header, { url: '/photos?file=vacation.jpg&size=original', form: undefined })!;
    const base = signatureBaseString('GET', 'http://photos.example.net/photos', got.params);
    expect(hmacSha1(base, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00')).toBe(got.signature);
    expect(got.signature).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
  });
});

describe('X documentation vector (FACTS §7.2)', () => {
  const params: Param[] = [
    ['include_entities', 'true'],
    ['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'],
    ['oauth_consumer_key', 'xvz1evFS4wEEPTGEFPHBog'],
    ['oauth_nonce', 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg'],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', '1318622958'],
    ['oauth_token', '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb'],
    ['oauth_version', '1.0'],
  ];
  const cs = 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw';
  const ts = 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE';

  it('api.x.com → Ls93hJiZbQ3akF3HF3x1Bz8/zU4=', () => {
    const base = signatureBaseString('POST', 'https://api.x.com/1.1/statuses/update.json', params);
    expect(base).toBe(
      'POST&https%3A%2F%2Fapi.x.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26' +
        'oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26' +
        'oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26' +
        'status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521',
    );
    expect(base.split('&')).toHaveLength(3);
    expect(hmacSha1(base, cs, ts)).toBe('Ls93hJiZbQ3akF3HF3x1Bz8/zU4=');
  });

  it('the historical api.twitter.com version of the same example → hCtSmYh+iHYCEqBWrE7C7hYmtUk=', () => {
    expect(hmacSha1(signatureBaseString('POST', 'https://api.twitter.com/1.1/statuses/update.json', params), cs, ts)).toBe(
      'hCtSmYh+iHYCEqBWrE7C7hYmtUk=',
    );
  });
});

describe('encoding edge cases', () => {
  it('percent-encodes everything outside the RFC 3986 unreserved set, upper-case hex, UTF-8', () => {
    expect(pct('AZaz09-._~')).toBe('AZaz09-._~');
    expect(pct(" !\"#$%&'()*+,/:;<=>?@[\\]^`{|}")).toBe(
      '%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D',
    );
    expect(pct('wörld ☃ 😀')).toBe('w%C3%B6rld%20%E2%98%83%20%F0%9F%98%80');
  });

  it('`+` in a query string is a space, `%2B` is a plus', () => {
    expect(parseQueryParams('q=a+b&r=a%2Bb&flag&=x&&e=')).toEqual([
      ['q', 'a b'],
      ['r', 'a+b'],
      ['flag', ''],
      ['', 'x'],
      ['e', ''],
    ]);
    expect(parseQueryParams('bad=%E0%A4%A')).toBeNull();
  });

  it('`+` in a header value is literal', () => {
    expect(parseOAuthHeader('oauth_nonce="a+b%2Bc"')!.get('oauth_nonce')).toBe('a+b+c');
  });

  it('base string URI: lower-case scheme and host, default ports dropped, others kept, no query or fragment', () => {
    expect(baseStringUri('HTTPS://API.X.COM:443/2/Tweets?x=1#f')).toBe('https://api.x.com/2/Tweets');
    expect(baseStringUri('http://Example.com:80/r')).toBe('http://example.com/r');
    expect(baseStringUri('http://127.0.0.1:8080/r')).toBe('http://127.0.0.1:8080/r');
    expect(baseStringUri('https://example.com:80/r')).toBe('https://example.com:80/r');
  });

  it('sorts by encoded name then encoded value (byte order)', () => {
    expect(normalizeParams([['b', '2'], ['a', 'z'], ['a', 'Z'], ['a', '1'], ['A', 'x'], ['a b', '']])).toBe('A=x&a=1&a=Z&a=z&a%20b=&b=2');
  });
});

describe('header parsing and parameter collection', () => {
  const hdr = 'oauth_consumer_key="ck", oauth_nonce="n", oauth_signature="s%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1", oauth_token="t", oauth_version="1.0"';

  it('accepts ", " and "," separators and the OAuth scheme word', () => {
    const a = parseOAuthHeader(`OAuth ${hdr}`)!;
    const b = parseOAuthHeader(hdr.replace(/, /g, ','))!;
    expect([...a]).toEqual([...b]);
    expect(a.get('oauth_signature')).toBe('s=');
  });

  it('refuses garbage and a parameter named twice', () => {
    expect(parseOAuthHeader('oauth_token="a", oauth_token="b"')).toBeNull();
    expect(parseOAuthHeader('oauth_token="a" junk')).toBeNull();
    expect(parseOAuthHeader('oauth_token="%ZZ"')).toBeNull();
  });

  it('counts an oauth_* parameter once when header and query both carry it (xdk getAccessToken)', () => {
    const h = parseOAuthHeader(hdr)!;
    const got = collectParams(h, { url: '/oauth/access_token?oauth_token=t&oauth_verifier=v', form: undefined })!;
    expect(got.params.filter(([k]) => k === 'oauth_token')).toHaveLength(1);
    expect(got.oauth.get('oauth_verifier')).toBe('v');
    expect(got.params).toContainEqual(['oauth_verifier', 'v']);
    expect(got.params.some(([k]) => k === 'oauth_signature')).toBe(false);
  });

  it('refuses the same oauth_* parameter with two different values', () => {
    expect(collectParams(parseOAuthHeader(hdr)!, { url: '/x?oauth_token=other', form: undefined })).toBeNull();
  });

  it('keeps duplicate non-oauth parameters from query and form', () => {
    const got = collectParams(parseOAuthHeader(hdr)!, { url: '/x?a=1&a=2', form: { a: ['3', '1'] } })!;
    expect(got.params.filter(([k]) => k === 'a').map(([, v]) => v)).toEqual(['1', '2', '3', '1']);
  });
});

describe('nonces and sealed secrets', () => {
  it('a nonce is single-use until it expires; memory stays bounded', () => {
    const c = new NonceCache(3);
    expect(c.replayed('a', 1000, 0)).toBe(false);
    expect(c.replayed('a', 1000, 10)).toBe(true);
    expect(c.replayed('a', 2000, 1000)).toBe(false);
    for (const k of ['b', 'c', 'd', 'e']) c.replayed(k, 5000, 1001);
    expect((c as unknown as { seen: Map<string, number> }).seen.size).toBeLessThanOrEqual(3);
  });

  it('secret box round-trips and refuses another context, another key, or tampering', () => {
    const box = new SecretBox('server-secret');
    const sealed = box.seal('s3cret', 'ctx:1');
    expect(sealed).not.toContain('s3cret');
    expect(box.open(sealed, 'ctx:1')).toBe('s3cret');
    expect(box.open(sealed, 'ctx:2')).toBeNull();
    expect(new SecretBox('other').open(sealed, 'ctx:1')).toBeNull();
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    bytes[bytes.length - 1] ^= 1;
    expect(box.open(`v1.${bytes.toString('base64url')}`, 'ctx:1')).toBeNull();
    expect(box.open(null, 'ctx:1')).toBeNull();
  });
});
