/**
 * The Paginator's walking rules against a fake page fetcher (no server): empty pages that carry a next token,
 * 429s, repeated tokens, and `keepItems` with `for await`.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, Paginator, type PaginatedResponse } from '../src/index.js';

/** A fetcher answering from `pages` by token (undefined = first page); records every token it was asked for. */
function fetcher(pages: Record<string, PaginatedResponse<number> | Error>) {
  const asked: (string | undefined)[] = [];
  const fetchPage = async (token?: string) => {
    asked.push(token);
    const p = pages[token ?? ''];
    if (p === undefined) throw new Error(`unexpected token ${token}`);
    if (p instanceof Error) throw p;
    return p;
  };
  return { fetchPage, asked };
}

const collect = async (p: Paginator<number>) => {
  const out: number[] = [];
  for await (const x of p) out.push(x);
  return out;
};

describe('Paginator', () => {
  it('an empty page that still carries a next token does not end the walk', async () => {
    const f = fetcher({
      '': { data: [1, 2], meta: { next_token: 'a' } },
      a: { data: [], meta: { next_token: 'b' } },
      b: { meta: { nextToken: 'c' } },
      c: { data: [3] },
    });
    const p = new Paginator(f.fetchPage);
    expect(await collect(p)).toEqual([1, 2, 3]);
    expect(f.asked).toEqual([undefined, 'a', 'b', 'c']);
    expect(p.done).toBe(true);
    expect(p.pages).toBe(4);
  });

  it('a 429 marks the paginator rateLimited and done; the error reaches the caller', async () => {
    const limited = new ApiError('HTTP 429: Too Many Requests', 429, 'Too Many Requests', new Headers(), { title: 'Too Many Requests' });
    const f = fetcher({ '': { data: [1], meta: { next_token: 'a' } }, a: limited });
    const p = new Paginator(f.fetchPage);
    await p.fetchNext();
    expect(p.rateLimited).toBe(false);
    expect(p.done).toBe(false);
    await expect(p.fetchNext()).rejects.toBe(limited);
    expect(p.rateLimited).toBe(true);
    expect(p.done).toBe(true);
    expect(p.items).toEqual([1]);
    expect(p.nextToken).toBe('a');
  });

  it('a token seen before ends the walk instead of looping', async () => {
    const f = fetcher({
      '': { data: [1], meta: { next_token: 'a' } },
      a: { data: [2], meta: { next_token: 'b' } },
      b: { data: [3], meta: { next_token: 'a' } },
    });
    const p = new Paginator(f.fetchPage);
    expect(await collect(p)).toEqual([1, 2, 3]);
    expect(f.asked).toEqual([undefined, 'a', 'b']);
    expect(p.done).toBe(true);
  });

  it('keepItems: true keeps every page (and merges includes) while iterating with for await; the default keeps one page', async () => {
    const pages = {
      '': { data: [1, 2], includes: { users: [{ id: 'u1' }] }, meta: { next_token: 'a' } },
      a: { data: [3], includes: { users: [{ id: 'u1' }, { id: 'u2' }] } },
    };
    const kept = new Paginator(fetcher(pages).fetchPage, { keepItems: true });
    expect(await collect(kept)).toEqual([1, 2, 3]);
    expect(kept.items).toEqual([1, 2, 3]);
    expect(kept.includes).toEqual({ users: [{ id: 'u1' }, { id: 'u2' }] });
    const streamed = new Paginator(fetcher(pages).fetchPage);
    expect(await collect(streamed)).toEqual([1, 2, 3]);
    expect(streamed.items).toEqual([3]);
  });
});
