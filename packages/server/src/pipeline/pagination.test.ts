import { describe, expect, it } from 'vitest';
import { InvalidRequest } from '../errors.js';
import {
  CURSORS,
  decodeToken,
  encodeToken,
  listMeta,
  postListMeta,
  readCursor,
  walkEdges,
  walkIds,
  walkOffset,
  walkRanked,
  type CursorKind,
  type IdWalkQuery,
  type KeysetShapes,
} from './pagination.js';

const ID = '1460323737035677698';

/** The body X answers for a token it cannot use, as the error mapper writes it. */
function refusal(f: () => unknown): Record<string, unknown> {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidRequest);
    return (e as InvalidRequest).body();
  }
  throw new Error('expected a refusal');
}

const message = (param: string, token: string) => ({
  errors: [{ parameters: { [param]: [token] }, message: `The \`${param}\` query parameter value [${token}] is not valid` }],
  title: 'Invalid Request',
  detail: 'One or more parameters to your request was invalid.',
  type: 'https://api.twitter.com/2/problems/invalid-request',
});

const samples: { [S in keyof KeysetShapes]: KeysetShapes[S] } = {
  id: ID,
  edge: { at: 1700000000000, id: ID },
  ranked: { id: ID, rank: 3199 },
  offset: 40,
  time: 1700000000000,
  seq: 12,
  hex: ID,
};

describe('cursor registry', () => {
  const kinds = Object.values(CURSORS) as CursorKind[];

  it('declares each kind once, with a tag of its own', () => {
    expect(new Set(kinds.map((k) => k.tag)).size).toBe(kinds.length);
    for (const [name, k] of Object.entries(CURSORS)) expect(k.name).toBe(name);
  });

  it('round-trips every kind in every direction it hands out', () => {
    for (const k of kinds) {
      const key = samples[k.shape];
      const next = encodeToken(k, 'next', key);
      expect(decodeToken(k, next)).toEqual({ direction: 'next', key, token: next, param: k.params[0] });
      if (k.previous) expect(decodeToken(k, encodeToken(k, 'prev', key)).direction).toBe('prev');
    }
  });

  it('keeps the wire form of tokens handed out before the registry', () => {
    // Tokens written by the previous encoder (util/cursor.ts at c4733f1): clients may hold them.
    expect(encodeToken(CURSORS.followers, 'next', { at: 1700000000000, id: ID })).toBe('dpj7oc9n60o30c1g60o30c1g61u32d1m60pj4cpn6crj0cpl6orjedhp703c');
    expect(encodeToken(CURSORS.userPosts, 'prev', ID)).toBe('e1q7oc9k6oo36chj6spjec1j6kr3edpm74s004');
    expect(encodeToken(CURSORS.home, 'next', { id: ID, rank: 100 })).toBe('dpk7oc9k6oo36chj6spjec1j6kr3edpm74s7oc9g609l');
    expect(encodeToken(CURSORS.searchRelevant, 'next', 20)).toBe('dppncv1i60em');
    expect(encodeToken(CURSORS.connections, 'next', 7)).toBe('dphmurjefgrgqu');
    expect(encodeToken(CURSORS.rules, 'next', '1')).toBe('0000000000000001');
    expect(encodeToken(CURSORS.userPosts, 'next', ID)).toMatch(/^[0-9a-v]{16,}$/);
  });

  it('refuses a token of another kind', () => {
    const followers = encodeToken(CURSORS.followers, 'next', samples.edge);
    expect(refusal(() => decodeToken(CURSORS.following, followers))).toEqual(message('pagination_token', followers));
    const posts = encodeToken(CURSORS.userPosts, 'next', ID);
    for (const other of [CURSORS.mentions, CURSORS.searchRecent, CURSORS.rules]) expect(() => decodeToken(other, posts)).toThrow(InvalidRequest);
    const relevancy = encodeToken(CURSORS.searchRelevant, 'next', 10);
    expect(refusal(() => decodeToken(CURSORS.searchRecent, relevancy, 'next_token'))).toEqual(message('next_token', relevancy));
  });

  it('refuses previous tokens where none are handed out', () => {
    // A forged `p` token for a next-only kind: well formed, right tag, wrong direction.
    const forged = encodeToken({ ...CURSORS.quotes, previous: true }, 'prev', ID);
    expect(decodeToken({ ...CURSORS.quotes, previous: true }, forged).direction).toBe('prev');
    expect(refusal(() => decodeToken(CURSORS.quotes, forged))).toEqual(message('pagination_token', forged));
  });

  it('refuses tampered, truncated, oversized and garbage tokens with X’s 400 for the parameter', () => {
    const t = encodeToken(CURSORS.followers, 'next', samples.edge);
    const flipped = t.slice(0, 3) + (t[3] === 'a' ? 'b' : 'a') + t.slice(4);
    for (const bad of [flipped, 'zzzzzzzzzzzzzzzzzzzz', 'abc', t + 'x', t.slice(0, -1), 'a'.repeat(600), 'DPJ7OC9N', 'dpj7-oc9n']) {
      expect(refusal(() => decodeToken(CURSORS.followers, bad))).toEqual(message('pagination_token', bad));
    }
  });

  it('refuses well-formed tokens whose values do not fit the kind’s shape', () => {
    // Right tag and checksum, wrong keyset: forged by hand with a kind of another shape but the same tag.
    const as = <S extends keyof KeysetShapes>(shape: S, k: CursorKind) => ({ ...k, shape }) as unknown as CursorKind<S>;
    const oneValue = encodeToken(as('id', CURSORS.followers), 'next', ID);
    expect(() => decodeToken(CURSORS.followers, oneValue)).toThrow(InvalidRequest);
    const twoValues = encodeToken(as('edge', CURSORS.userPosts), 'next', samples.edge);
    expect(() => decodeToken(CURSORS.userPosts, twoValues)).toThrow(InvalidRequest);
    const inexactRank = encodeToken(as('id', CURSORS.home), 'next', `${ID}|99999999999999999`);
    expect(() => decodeToken(CURSORS.home, inexactRank)).toThrow(InvalidRequest);
  });

  it('rule tokens are 16 lowercase hex digits within the id range', () => {
    expect(decodeToken(CURSORS.rules, '00000000000f4240').key).toBe('1000000');
    for (const bad of ['f4240', '00000000000F4240', '8000000000000000', 'ffffffffffffffff', '00000000000f424g']) {
      expect(refusal(() => decodeToken(CURSORS.rules, bad))).toEqual(message('pagination_token', bad));
    }
  });

  it('reads the token from the kind’s parameters, next_token first where both are taken', () => {
    const a = encodeToken(CURSORS.searchRecent, 'next', '100');
    const b = encodeToken(CURSORS.searchRecent, 'next', '200');
    expect(readCursor(CURSORS.searchRecent, { next_token: a, pagination_token: b })?.key).toBe('100');
    expect(readCursor(CURSORS.searchRecent, { pagination_token: b })).toMatchObject({ key: '200', param: 'pagination_token' });
    expect(readCursor(CURSORS.searchRecent, { next_token: '', pagination_token: b })?.key).toBe('200');
    expect(readCursor(CURSORS.searchRecent, {})).toBeUndefined();
    // Timelines take pagination_token only: a next_token there is no token of theirs.
    expect(readCursor(CURSORS.userPosts, { next_token: a })).toBeUndefined();
    expect(refusal(() => readCursor(CURSORS.counts, { next_token: 'nope!' }))).toEqual(message('next_token', 'nope!'));
  });
});

/** Ids 1..n as a data module would answer them: in the exclusive window, in the asked order. */
function idSource(n: number) {
  const all = Array.from({ length: n }, (_, i) => String(i + 1));
  const calls: IdWalkQuery[] = [];
  const fetch = async (q: IdWalkQuery) => {
    calls.push(q);
    const inWindow = all.filter((id) => (!q.after || BigInt(id) > BigInt(q.after)) && (!q.before || BigInt(id) < BigInt(q.before)));
    return (q.ascending ? inWindow : inWindow.reverse()).slice(0, q.limit);
  };
  return { fetch, calls };
}

describe('walkers', () => {
  it('walks newest first with next tokens, and previous tokens lead back page by page', async () => {
    const src = idSource(7);
    const p1 = await walkIds(CURSORS.userPosts, {}, 3, {}, src.fetch);
    expect(p1).toEqual({ ids: ['7', '6', '5'], next: expect.any(String) });
    const p2 = await walkIds(CURSORS.userPosts, { pagination_token: p1.next }, 3, {}, src.fetch);
    expect(p2.ids).toEqual(['4', '3', '2']);
    const p3 = await walkIds(CURSORS.userPosts, { pagination_token: p2.next }, 3, {}, src.fetch);
    expect(p3.ids).toEqual(['1']);
    expect(p3.next).toBeUndefined();
    const back = await walkIds(CURSORS.userPosts, { pagination_token: p3.prev }, 3, {}, src.fetch);
    expect(back.ids).toEqual(['4', '3', '2']);
    const first = await walkIds(CURSORS.userPosts, { pagination_token: back.prev }, 3, {}, src.fetch);
    expect(first.ids).toEqual(['7', '6', '5']);
    expect(first.prev).toBeUndefined();
    expect(first.next).toBeDefined();
    // One row more than the page, to know whether another page follows.
    expect(src.calls.every((c) => c.limit === 4)).toBe(true);
  });

  it('keeps the window: a token never reaches past since_id/until_id', async () => {
    const src = idSource(10);
    const p1 = await walkIds(CURSORS.mentions, {}, 2, { after: '3', before: '9' }, src.fetch);
    expect(p1.ids).toEqual(['8', '7']);
    const p2 = await walkIds(CURSORS.mentions, { pagination_token: p1.next }, 10, { after: '3', before: '9' }, src.fetch);
    expect(p2.ids).toEqual(['6', '5', '4']);
    expect(p2.next).toBeUndefined();
  });

  it('hands out no previous token for kinds without one', async () => {
    const src = idSource(5);
    const p1 = await walkIds(CURSORS.quotes, {}, 2, {}, src.fetch);
    const p2 = await walkIds(CURSORS.quotes, { pagination_token: p1.next }, 2, {}, src.fetch);
    expect(p2.ids).toEqual(['3', '2']);
    expect(p2.prev).toBeUndefined();
  });

  it('stops a ranked walk at its cap, counting from where the walk started', async () => {
    const src = idSource(20);
    const seen: string[] = [];
    let params: Record<string, unknown> = {};
    for (;;) {
      const p = await walkRanked(CURSORS.home, params, 3, 7, {}, src.fetch);
      seen.push(...p.ids);
      if (!p.next) break;
      params = { pagination_token: p.next };
    }
    expect(seen).toEqual(['20', '19', '18', '17', '16', '15', '14']);
    // Walking back from the last page restores the ranks, so the cap holds going forward again.
    const last = await walkRanked(CURSORS.home, { pagination_token: encodeToken(CURSORS.home, 'next', { id: '17', rank: 3 }) }, 3, 7, {}, src.fetch);
    expect(last.ids).toEqual(['16', '15', '14']);
    const back = await walkRanked(CURSORS.home, { pagination_token: last.prev }, 3, 7, {}, src.fetch);
    expect(back.ids).toEqual(['19', '18', '17']);
    expect(decodeToken(CURSORS.home, back.next!).key).toEqual({ id: '17', rank: 3 });
    // At the cap no query runs.
    const before = src.calls.length;
    expect(await walkRanked(CURSORS.home, { pagination_token: encodeToken(CURSORS.home, 'next', { id: '13', rank: 7 }) }, 3, 7, {}, src.fetch)).toEqual({ ids: [] });
    expect(src.calls.length).toBe(before);
  });

  it('walks relations by (time, id) keys', async () => {
    const edges = [
      { id: '101', at: 30 },
      { id: '102', at: 20 },
      { id: '103', at: 10 },
    ];
    const asked: unknown[] = [];
    const fetch = async (q: { from?: { at: number; id: string }; ascending: boolean; limit: number }) => {
      asked.push(q.from);
      const rest = q.from ? edges.filter((e) => (q.ascending ? e.at > q.from!.at : e.at < q.from!.at)) : edges;
      return (q.ascending ? [...rest].reverse() : rest).slice(0, q.limit);
    };
    const p1 = await walkEdges(CURSORS.followers, {}, 2, fetch);
    expect(p1.ids).toEqual(['101', '102']);
    const p2 = await walkEdges(CURSORS.followers, { pagination_token: p1.next }, 2, fetch);
    expect(p2.ids).toEqual(['103']);
    expect(asked[1]).toEqual({ at: 20, id: '102' });
    expect((await walkEdges(CURSORS.followers, { pagination_token: p2.prev }, 2, fetch)).ids).toEqual(['101', '102']);
  });

  it('pages by offset where the order is no keyset', async () => {
    const fetch = async (offset: number, limit: number) => ['a', 'b', 'c', 'd', 'e'].slice(offset, offset + limit);
    const p1 = await walkOffset(CURSORS.searchRelevant, {}, 2, fetch);
    expect(p1.ids).toEqual(['a', 'b']);
    const p2 = await walkOffset(CURSORS.searchRelevant, { next_token: p1.next }, 2, fetch);
    expect(p2.ids).toEqual(['c', 'd']);
    const p3 = await walkOffset(CURSORS.searchRelevant, { next_token: p2.next }, 2, fetch);
    expect(p3).toEqual({ ids: ['e'] });
  });
});

describe('meta', () => {
  it('lists: count and tokens, absent tokens left out', () => {
    expect(listMeta(2, { next: 'n', prev: 'p' })).toEqual({ result_count: 2, next_token: 'n', previous_token: 'p' });
    expect(listMeta(0, {})).toEqual({ result_count: 0 });
  });

  it('post lists: newest and oldest shown ids', () => {
    expect(postListMeta([{ id: '9' }, { id: '4' }], { next: 'n' })).toEqual({ newest_id: '9', oldest_id: '4', result_count: 2, next_token: 'n' });
    expect(postListMeta([], { prev: 'p' })).toEqual({ result_count: 0, previous_token: 'p' });
  });
});
