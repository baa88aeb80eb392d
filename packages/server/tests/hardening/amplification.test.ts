/**
 * Issue 15, finding 1: one 8 MB body of two million invalid `media.media_ids` (or `poll.options`) made a
 * 177–355 MB error body. Errors are capped as X caps them — the first few problems — and validation stops there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { MAX_PROBLEMS } from '../../src/http/body-validation.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ seed: null, limits: { '*': { user: 100_000, app: 100_000 } } });
});
afterAll(async () => {
  await s?.close();
});

/** A JSON body of `n` copies of `item` in the array at `path`, written without building n strings. */
function bigBody(path: 'media' | 'poll', item: string, n: number): string {
  const list = (JSON.stringify(item) + ',').repeat(n - 1) + JSON.stringify(item);
  return path === 'media' ? `{"text":"x","media":{"media_ids":[${list}]}}` : `{"text":"x","poll":{"duration_minutes":60,"options":[${list}]}}`;
}

async function post(body: string) {
  const res = await fetch(`${s.url}/2/tweets`, { method: 'POST', headers: { authorization: `Bearer ${s.userToken}`, 'content-type': 'application/json' }, body });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) };
}

describe('error amplification', () => {
  it('answers two million invalid media ids with one short 400', async () => {
    const r = await post(bigBody('media', 'x', 2_000_000));
    expect(r.status).toBe(400);
    expect(r.json.errors.length).toBeLessThanOrEqual(MAX_PROBLEMS);
    expect(r.json.errors[0].message).toBe('$.media.media_ids: there must be a maximum of 4 items in the array');
    expect(r.text.length).toBeLessThan(4096);
  });

  it('answers two million invalid poll options with one short 400', async () => {
    const r = await post(bigBody('poll', '', 2_000_000));
    expect(r.status).toBe(400);
    expect(r.json.errors.length).toBeLessThanOrEqual(MAX_PROBLEMS);
    expect(r.text.length).toBeLessThan(4096);
  });

  it('stops at the first few problems of a body with many unknown members', async () => {
    const members = Array.from({ length: 50_000 }, (_, i) => `"k${i}":1`).join(',');
    const r = await post(`{"text":"x",${members}}`);
    expect(r.status).toBe(400);
    expect(r.json.errors).toHaveLength(MAX_PROBLEMS);
    expect(r.json.errors[0].message).toBe('$.k0: is not defined in the schema and the schema does not allow additional properties');
  });
});
