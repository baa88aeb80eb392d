import { describe, expect, it } from 'vitest';
import { parseQuery, queryErrorMessage, toString, type Node } from './index.js';
import { HAND, LENGTHS, OPERATOR_SAMPLES, type Case } from './parser.corpus.js';
import type { Product, Tier } from './products.js';
import { isStopKeyword, searchTokens, streamTokens, STOPWORDS } from './tokens.js';

const INV = (op: string) =>
  `Reference to invalid operator '${op}'. Operator is not available in current product or product packaging.`;

function run(c: Case) {
  return parseQuery(c.q, { product: c.product ?? 'recent', tier: c.tier ?? 'self_serve' });
}

function stripPos(n: Node): unknown {
  return JSON.parse(JSON.stringify(n, (k, v) => (k === 'pos' ? undefined : v)));
}

describe('hand-written corpus', () => {
  it('has at least 250 hand cases', () => expect(HAND.length).toBeGreaterThanOrEqual(250));
  for (const c of HAND) {
    const label = `${c.product ?? 'recent'}${c.tier === 'enterprise' ? '/ent' : ''}: ${c.q}`;
    it(label, () => {
      const r = run(c);
      if (c.err) {
        expect(r).toEqual({ ok: false, messages: c.err });
      } else {
        if (!r.ok) throw new Error(r.messages.join(' | '));
        expect(toString(r.ast)).toBe(c.ast);
        // canonical form round-trips to the same AST
        const again = parseQuery(toString(r.ast), { product: c.product ?? 'recent', tier: c.tier ?? 'self_serve' });
        if (!again.ok) throw new Error(again.messages.join(' | '));
        expect(stripPos(again.ast)).toEqual(stripPos(r.ast));
      }
    });
  }
});

/** FACTS §5.2 columns, written out independently of products.ts. */
const SEARCH_ALL = ['from', 'to', 'retweets_of', 'url', 'context', 'conversation_id', 'list', 'in_reply_to_tweet_id',
  'retweets_of_tweet_id', 'quotes_of_tweet_id', 'place', 'place_country', 'point_radius', 'bounding_box',
  'min_likes', 'min_replies', 'min_reposts', 'is', 'has', 'lang'];
const STREAM_OPS = ['from', 'to', 'retweets_of', 'url', 'context', 'entity', 'conversation_id', 'in_reply_to_tweet_id',
  'retweets_of_tweet_id', 'place', 'place_country', 'point_radius', 'bounding_box', 'bio', 'bio_name', 'bio_location',
  'from_affiliate_of', 'to_affiliate_of', 'url_title', 'url_description', 'url_contains', 'followers_count',
  'tweets_count', 'following_count', 'listed_count', 'min_followers', 'source', 'min_likes', 'min_replies',
  'min_reposts', 'is', 'has', 'lang', 'sample', '~'];
const ENTERPRISE_STREAM = ['embedding', 'embedding_threshold'];

function expectedAvailable(op: string, product: Product, tier: Tier): boolean {
  if (product === 'stream') return STREAM_OPS.includes(op) || (tier === 'enterprise' && ENTERPRISE_STREAM.includes(op));
  if (op === 'entity') return product === 'recent' || product === 'counts_recent';
  return SEARCH_ALL.includes(op);
}

describe('operator availability matrix', () => {
  const products: Product[] = ['recent', 'all', 'counts_recent', 'counts_all', 'stream'];
  const tiers: Tier[] = ['self_serve', 'enterprise'];
  for (const s of OPERATOR_SAMPLES) {
    for (const product of products) {
      for (const tier of tiers) {
        const want = expectedAvailable(s.op, product, tier);
        it(`${s.op} in ${product}/${tier}: ${want ? 'allowed' : 'rejected'}`, () => {
          const r = parseQuery(s.clause, { product, tier });
          if (want) {
            if (!r.ok) throw new Error(r.messages.join(' | '));
            expect(toString(r.ast)).toBe(s.printed ?? s.clause);
          } else {
            expect(r).toEqual({ ok: false, messages: [INV(s.op)] });
          }
        });
      }
    }
  }
});

describe('length limits', () => {
  for (const l of LENGTHS) {
    it(`${l.product}/${l.tier}: ${l.limit} ok, ${l.limit + 1} rejected`, () => {
      const atLimit = 'cat ' + 'x'.repeat(l.limit - 4);
      expect(parseQuery(atLimit, { product: l.product, tier: l.tier }).ok).toBe(true);
      const over = atLimit + 'y';
      const what = l.product === 'stream' ? 'Rule' : 'Query';
      expect(parseQuery(over, { product: l.product, tier: l.tier })).toEqual({
        ok: false,
        messages: [`${what} is too long: ${l.limit + 1} characters (limit ${l.limit})`],
      });
    });
  }
  it('counts code points, not UTF-16 units', () => {
    expect(parseQuery('🐱'.repeat(512), { product: 'recent' }).ok).toBe(true);
  });
  it('defaults to the self-serve tier', () => {
    expect(parseQuery('cat '.repeat(200), { product: 'recent' }).ok).toBe(false);
  });
});

describe('structure', () => {
  it('a OR b c = a OR (b c)', () => {
    const r = parseQuery('cat OR dog bird', { product: 'recent' });
    if (!r.ok) throw new Error();
    expect(stripPos(r.ast)).toEqual({
      kind: 'or',
      children: [
        { kind: 'keyword', value: 'cat' },
        { kind: 'and', children: [{ kind: 'keyword', value: 'dog' }, { kind: 'keyword', value: 'bird' }] },
      ],
    });
  });
  it('positions are 1-based and include the negation sign', () => {
    const r = parseQuery('cat -from:jack (dog OR "a b")', { product: 'recent' });
    if (!r.ok || r.ast.kind !== 'and') throw new Error();
    const [a, b, c] = r.ast.children;
    expect(a!.pos).toBe(1);
    expect(b).toMatchObject({ kind: 'not', pos: 5, child: { kind: 'from', pos: 6, user: { type: 'username', username: 'jack' } } });
    expect(c).toMatchObject({ kind: 'or', pos: 17, children: [{ pos: 17 }, { kind: 'phrase', value: 'a b', pos: 24, proximity: null }] });
  });
  it('geo values are parsed and normalized', () => {
    const r = parseQuery('point_radius:[2.5 48.5 10mi]', { product: 'recent' });
    if (!r.ok) throw new Error();
    expect(stripPos(r.ast)).toEqual({ kind: 'point_radius', lon: 2.5, lat: 48.5, radius: 10, unit: 'mi', radiusKm: 16.09344 });
    const b = parseQuery('geo_bounding_box:[-105.3 39.96 -105.2 40.05]', { product: 'stream' });
    if (!b.ok) throw new Error();
    expect(stripPos(b.ast)).toEqual({ kind: 'bounding_box', west: -105.3, south: 39.96, east: -105.2, north: 40.05 });
  });
  it('numeric ids vs usernames', () => {
    const r = parseQuery('from:2244994945 to:XDevelopers', { product: 'recent' });
    if (!r.ok || r.ast.kind !== 'and') throw new Error();
    expect(stripPos(r.ast.children[0]!)).toEqual({ kind: 'from', user: { type: 'id', id: '2244994945' } });
    expect(stripPos(r.ast.children[1]!)).toEqual({ kind: 'to', user: { type: 'username', username: 'xdevelopers' } });
  });
  it('count ranges', () => {
    const r = parseQuery('followers_count:5 friends_count:1..2', { product: 'stream' });
    if (!r.ok || r.ast.kind !== 'and') throw new Error();
    expect(stripPos(r.ast.children[0]!)).toEqual({ kind: 'count_range', field: 'followers_count', min: 5, max: null });
    expect(stripPos(r.ast.children[1]!)).toEqual({ kind: 'count_range', field: 'following_count', min: 1, max: 2 });
  });
  it('emoji and entities', () => {
    const r = parseQuery('🐱 #Cat @Jack $TSLA', { product: 'stream' });
    if (!r.ok || r.ast.kind !== 'and') throw new Error();
    expect(r.ast.children.map(stripPos)).toEqual([
      { kind: 'emoji', value: '🐱' },
      { kind: 'hashtag', tag: 'cat' },
      { kind: 'mention', username: 'jack' },
      { kind: 'cashtag', symbol: 'tsla' },
    ]);
  });
  it('phrase escapes and proximity', () => {
    const r = parseQuery('"say \\"hi\\""~2', { product: 'stream' });
    if (!r.ok) throw new Error();
    expect(stripPos(r.ast)).toEqual({ kind: 'phrase', value: 'say "hi"', proximity: 2 });
  });
  it('negated group is represented, then rejected', () => {
    expect(parseQuery('cat -(a b)', { product: 'recent' })).toEqual({
      ok: false,
      messages: ['Negation of a group is not supported; negate each clause instead (at position 5)'],
    });
  });
});

describe('error message helper', () => {
  it('joins with the X prefix', () => {
    expect(queryErrorMessage(['one (at position 1)', 'two'])).toBe(
      'There were errors processing your request: one (at position 1), two',
    );
    const r = parseQuery('a', { product: 'recent' });
    if (r.ok) throw new Error();
    expect(queryErrorMessage(r.messages)).toBe(
      'There were errors processing your request: Rules must contain at least one positive, non-stopword clause (at position 1)',
    );
  });
});

describe('tokens', () => {
  it('splits on punctuation, symbols and separators, case-folded', () => {
    expect(searchTokens('Hello, World! coca-cola #Cats @jack $TSLA snake_case 12:30')).toEqual([
      'hello', 'world', 'coca', 'cola', 'cats', 'jack', 'tsla', 'snake', 'case', '12', '30',
    ]);
  });
  it('search folds accents, streams do not', () => {
    expect(searchTokens('Café NAÏVE')).toEqual(['cafe', 'naive']);
    expect(streamTokens('Café NAÏVE')).toEqual(['café', 'naïve']);
    expect(searchTokens('Cafe\u0301')).toEqual(['cafe']);
    expect(streamTokens('Cafe\u0301')).toEqual(['café']);
  });
  it('keeps emoji as tokens, drops variation selectors', () => {
    expect(streamTokens('I ❤️ cats🐱!')).toEqual(['i', '❤', 'cats', '🐱']);
    expect(streamTokens('👍🏽 ok')).toEqual(['👍🏽', 'ok']);
    expect(streamTokens('🇫🇷')).toEqual(['🇫🇷']);
  });
  it('handles non-Latin scripts', () => {
    expect(searchTokens('東京 Москва')).toEqual(['東京', 'москва']);
  });
  it('stopwords', () => {
    expect(STOPWORDS.has('the')).toBe(true);
    expect(isStopKeyword('The')).toBe(true);
    expect(isStopKeyword('cat')).toBe(false);
    expect(isStopKeyword('...')).toBe(true);
  });
});

describe('corpus size', () => {
  it('has at least 300 queries in total', () => {
    expect(HAND.length + OPERATOR_SAMPLES.length * 10 + LENGTHS.length * 2).toBeGreaterThanOrEqual(300);
  });
});
