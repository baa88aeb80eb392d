import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import type { DomainEvent } from '../../src/events/bus.js';

const RULES = '/2/tweets/search/stream/rules';
const P = 'https://api.twitter.com/2/problems/';

let s: TestServer;
const events: DomainEvent[] = [];

const post = (body: unknown, query: Record<string, string> = {}) => s.request('POST', RULES, { body, query });
const list = (query: Record<string, string | number> = {}) => s.get(RULES, { query });
const clear = () => post(undefined, { delete_all: 'true' });

beforeAll(async () => {
  s = await startTestServer({ limits: { '*': { app: 100000, user: 100000 } }, config: { streamMaxRules: 5 } });
  s.handle.ctx.bus.subscribe((e) => events.push(e));
});
afterAll(async () => {
  await s?.close();
});

describe('POST /2/tweets/search/stream/rules: add', () => {
  it('creates rules with snowflake ids, tags, meta.sent and summary; GET lists them', async () => {
    await clear();
    events.length = 0;
    const r = await post({ add: [{ value: 'cat has:media', tag: 'cats' }, { value: 'dog' }] });
    expect(r.status).toBe(200);
    expect(r.body.meta.summary).toEqual({ created: 2, not_created: 0, valid: 2, invalid: 0 });
    expect(r.body.meta.sent).toBe(new Date(s.clock.now()).toISOString());
    expect(r.body.data).toHaveLength(2);
    const [a, b] = r.body.data;
    expect(a).toEqual({ value: 'cat has:media', tag: 'cats', id: expect.stringMatching(/^\d{18,19}$/) });
    expect(b).toEqual({ value: 'dog', id: expect.stringMatching(/^\d{18,19}$/) });
    expect(events.filter((e) => e.type === 'stream.rules.changed')).toHaveLength(1);

    const got = await list();
    expect(got.status).toBe(200);
    expect(got.body.data).toEqual([
      { id: a.id, value: 'cat has:media', tag: 'cats' },
      { id: b.id, value: 'dog' },
    ]);
    expect(got.body.meta).toMatchObject({ result_count: 2 });
    const byId = await list({ ids: b.id });
    expect(byId.body.data).toEqual([{ id: b.id, value: 'dog' }]);
  });

  it('a duplicate value is a DuplicateRule carrying the existing id; the other rules are still created', async () => {
    await clear();
    const first = await post({ add: [{ value: 'cat has:images' }] });
    const existing = first.body.data[0].id;
    const r = await post({ add: [{ value: 'cat has:images', tag: 'other tag' }, { value: 'bird' }] });
    expect(r.status).toBe(200);
    expect(r.body.meta.summary).toEqual({ created: 1, not_created: 1, valid: 1, invalid: 1 });
    expect(r.body.errors).toEqual([{ value: 'cat has:images', id: existing, title: 'DuplicateRule', type: `${P}duplicate-rules` }]);
    expect(r.body.data.map((d: any) => d.value)).toEqual(['bird']);
  });

  it('concurrent adds of one value: one request creates it, the others get DuplicateRule with its id (never a 500)', async () => {
    await clear();
    // Hold every request after its duplicate check until all three have checked: all see no existing rule.
    const repo = s.handle.ctx.repos.streamRules;
    const byValues = repo.byValues;
    const held: (() => void)[] = [];
    repo.byValues = async function (this: typeof repo, ...args: Parameters<typeof byValues>) {
      const r = await byValues.apply(this, args);
      if (held.length < 3) {
        await new Promise<void>((release) => {
          held.push(release);
          if (held.length === 3) held.forEach((f) => f());
        });
      }
      return r;
    };
    try {
      const rs = await Promise.all([1, 2, 3].map(() => post({ add: [{ value: 'race condition' }] })));
      expect(rs.map((r) => r.status)).toEqual([200, 200, 200]);
      const winners = rs.filter((r) => r.body.meta.summary.created === 1);
      expect(winners.length).toBe(1);
      const id = winners[0]!.body.data[0].id;
      for (const r of rs.filter((x) => x !== winners[0])) {
        expect(r.body.meta.summary).toEqual({ created: 0, not_created: 1, valid: 0, invalid: 1 });
        expect(r.body.errors).toEqual([{ value: 'race condition', id, title: 'DuplicateRule', type: `${P}duplicate-rules` }]);
      }
      expect((await list()).body.data.map((d: any) => d.id)).toEqual([id]);
    } finally {
      repo.byValues = byValues;
    }
  });

  it('an invalid rule is UnprocessableEntity with the parser details and nothing of the batch is created', async () => {
    await clear();
    const r = await post({ add: [{ value: 'from:' }, { value: 'fine rule' }, { value: 'has:media' }] });
    expect(r.status).toBe(200);
    expect(r.body.data).toBeUndefined();
    expect(r.body.meta.summary).toEqual({ created: 0, not_created: 3, valid: 1, invalid: 2 });
    expect(r.body.errors).toHaveLength(2);
    for (const e of r.body.errors) {
      expect(e).toMatchObject({ title: 'UnprocessableEntity', detail: 'Rule is invalid', type: `${P}invalid-rules` });
      expect(e.details.length).toBeGreaterThan(0);
    }
    expect(r.body.errors[1].value).toBe('has:media');
    expect(r.body.errors[1].details[0]).toContain('has:media');
    expect((await list()).body.data).toBeUndefined();
  });

  it('the rule length limit follows the tier (1,024 self-serve)', async () => {
    await clear();
    const long = 'a'.repeat(1030) + ' cat';
    const r = await post({ add: [{ value: long }] });
    expect(r.body.meta.summary.invalid).toBe(1);
    expect(r.body.errors[0].details[0]).toMatch(/1024/);
  });

  it('the rule cap refuses a batch that would exceed it (rule-cap), creating nothing', async () => {
    await clear();
    await post({ add: [1, 2, 3, 4].map((i) => ({ value: `word${i}` })) });
    const r = await post({ add: [{ value: 'word5' }, { value: 'word6' }] });
    expect(r.status).toBe(200);
    expect(r.body.meta.summary).toEqual({ created: 0, not_created: 2, valid: 2, invalid: 0 });
    expect(r.body.errors).toEqual([expect.objectContaining({ title: 'RulesCapExceeded', type: `${P}rule-cap` })]);
    expect((await list()).body.data).toHaveLength(4);
    const ok = await post({ add: [{ value: 'word5' }] });
    expect(ok.body.meta.summary.created).toBe(1);
  });

  it('dry_run answers like the real request and changes nothing', async () => {
    await clear();
    events.length = 0;
    const r = await post({ add: [{ value: 'dry cat', tag: 't' }] }, { dry_run: 'true' });
    expect(r.body.meta.summary).toEqual({ created: 1, not_created: 0, valid: 1, invalid: 0 });
    expect(r.body.data[0]).toMatchObject({ value: 'dry cat', tag: 't' });
    expect((await list()).body.data).toBeUndefined();
    expect(events.filter((e) => e.type === 'stream.rules.changed')).toHaveLength(0);
  });

  it('bad bodies get 400 invalid-request', async () => {
    const both = await post({ add: [{ value: 'x1' }], delete: { ids: ['1'] } });
    expect(both.status).toBe(400);
    expect(both.body.type).toBe(`${P}invalid-request`);
    expect((await post({})).status).toBe(400);
    expect((await post({ add: [] })).status).toBe(400);
    expect((await post({ add: [{ tag: 'no value' }] })).status).toBe(400);
    expect((await post({ delete: { ids: ['abc'] } })).status).toBe(400);
    expect((await post({ delete: { ids: ['9999999999999999999'] } })).status).toBe(400);
    expect((await post({ add: [{ value: 'x' }] }, { delete_all: 'true' })).status).toBe(400);
  });

  it('user tokens are refused (app-only endpoint)', async () => {
    const r = await s.get(RULES, { token: s.userToken });
    expect(r.status).toBe(403);
  });
});

describe('POST /2/tweets/search/stream/rules: delete', () => {
  it('by ids and by values; unknown ones are not_deleted with "Rule does not exist"', async () => {
    await clear();
    const made = await post({ add: [{ value: 'one' }, { value: 'two' }, { value: 'three' }] });
    const [one, two] = made.body.data;
    const r = await post({ delete: { ids: [one.id, '123456789012345678'] } });
    expect(r.status).toBe(200);
    expect(r.body.meta.summary).toEqual({ deleted: 1, not_deleted: 1 });
    expect(r.body.errors).toEqual([
      {
        errors: [{ parameters: { ids: ['123456789012345678'] }, message: 'Rule does not exist' }],
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: `${P}invalid-request`,
      },
    ]);
    const byValue = await post({ delete: { values: ['two', 'nope'] } });
    expect(byValue.body.meta.summary).toEqual({ deleted: 1, not_deleted: 1 });
    expect(byValue.body.errors[0].errors[0]).toEqual({ parameters: { values: ['nope'] }, message: 'Rule does not exist' });
    expect((await list()).body.data.map((d: any) => d.value)).toEqual(['three']);
    expect(two.value).toBe('two');
  });

  it('dry_run delete and delete_all', async () => {
    await clear();
    await post({ add: [{ value: 'alpha' }, { value: 'beta' }] });
    const dry = await post(undefined, { delete_all: 'true', dry_run: 'true' });
    expect(dry.body.meta.summary).toEqual({ deleted: 2, not_deleted: 0 });
    expect((await list()).body.data).toHaveLength(2);
    const all = await clear();
    expect(all.status).toBe(200);
    expect(all.body.meta.summary).toEqual({ deleted: 2, not_deleted: 0 });
    const empty = await list();
    expect(empty.body).toEqual({ meta: { sent: expect.any(String), result_count: 0 } });
  });
});

describe('GET /2/tweets/search/stream/rules: pagination; /counts', () => {
  it('pages with 16-character next_token; a bad token is 400', async () => {
    await clear();
    await post({ add: [1, 2, 3, 4, 5].map((i) => ({ value: `page${i}` })) });
    const p1 = await list({ max_results: 2 });
    expect(p1.body.data.map((d: any) => d.value)).toEqual(['page1', 'page2']);
    expect(p1.body.meta.next_token).toMatch(/^[0-9a-f]{16}$/);
    const p2 = await list({ max_results: 2, pagination_token: p1.body.meta.next_token });
    expect(p2.body.data.map((d: any) => d.value)).toEqual(['page3', 'page4']);
    const p3 = await list({ max_results: 2, pagination_token: p2.body.meta.next_token });
    expect(p3.body.data.map((d: any) => d.value)).toEqual(['page5']);
    expect(p3.body.meta.next_token).toBeUndefined();
    const bad = await list({ pagination_token: 'zzzzzzzzzzzzzzzz' });
    expect(bad.status).toBe(400);
    // 16 hex digits beyond the largest id (2^63-1) are not a token either.
    for (const token of ['8000000000000000', 'ffffffffffffffff']) {
      const big = await list({ pagination_token: token });
      expect(big.status).toBe(400);
      expect(big.body.errors).toEqual([
        { parameters: { pagination_token: [token] }, message: `The \`pagination_token\` query parameter value [${token}] is not valid` },
      ]);
    }
    const last = await list({ pagination_token: '7fffffffffffffff' });
    expect(last.status).toBe(200);
    expect(last.body.meta.result_count).toBe(0);
  });

  it('counts: caps as strings, this app and the project', async () => {
    const r = await s.get(`${RULES}/counts`);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({
      cap_per_client_app: '5',
      cap_per_project: '5',
      client_app_rules_count: { client_app_id: s.appId, rule_count: 5 },
      project_rules_count: '5',
      all_project_client_apps: [{ client_app_id: s.appId, rule_count: 5 }],
    });
  });
});

describe('enterprise tier', () => {
  it('rules up to 2,048 characters', async () => {
    const e = await startTestServer({ seed: null, config: { tier: 'enterprise', streamMaxRules: 25_000 } });
    try {
      const ok = await e.request('POST', RULES, { body: { add: [{ value: 'a'.repeat(2000) + ' cat' }] } });
      expect(ok.body.meta.summary.created).toBe(1);
      const long = await e.request('POST', RULES, { body: { add: [{ value: 'a'.repeat(2050) + ' cat' }] } });
      expect(long.body.meta.summary.invalid).toBe(1);
      expect(long.body.errors[0].details[0]).toMatch(/2048/);
      const counts = await e.get(`${RULES}/counts`);
      expect(counts.body.data.cap_per_client_app).toBe('25000');
    } finally {
      await e.close();
    }
  });
});
