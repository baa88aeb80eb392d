import { describe, expect, it } from 'vitest';
import { parseQuery } from '../query/index.js';
import { docKeys, requirement, RuleSet } from './rule-index.js';
import { RuleWorld, rng } from './rule-gen.js';

const ids = (rs: { id: string }[]) => rs.map((r) => r.id);

function rule(value: string, id = '1') {
  const p = parseQuery(value, { product: 'stream' });
  if (!p.ok) throw new Error(p.messages.join('; '));
  return { id, tag: null, value, ast: p.ast };
}

describe('rule requirements', () => {
  it('keywords, entities and authors are indexed; negations and flags are not', () => {
    const req = (v: string) => {
      const r = requirement(rule(v).ast);
      return r === null ? null : [...r].sort();
    };
    expect(req('cat')).toEqual(['t:cat']);
    expect(req('"big cat"')).toEqual(['t:big']);
    expect(req('coca-cola')).toEqual(['t:coca']);
    expect(req('#Cats')).toEqual(['h:cats']);
    expect(req('from:Alice lang:en')).toEqual(['n:alice']);
    expect(req('cat OR #dog')).toEqual(['h:dog', 't:cat']);
    expect(req('(cat OR -dog) bird')).toEqual(['t:bird']);
    expect(req('cat OR followers_count:500')).toBeNull();
    expect(req('-cat followers_count:500')).toBeNull();
  });

  it('a rule set answers exactly like evaluating every rule, in rule order', () => {
    const world = new RuleWorld(rng(1));
    const rs = new RuleSet([rule('cat', '1'), rule('#Tag1 OR dog', '2'), rule('-is:retweet has:media cat', '3'), rule('-cat followers_count:0', '4'), rule('dog OR followers_count:0', '5')]);
    const d = world.doc();
    d.post.text = 'a cat and a dog';
    d.post.mediaKeys = ['3_1'];
    expect(ids(rs.match(d))).toEqual(ids(rs.matchNaive(d)));
    expect(ids(rs.match(d))).toEqual(['1', '2', '3', '5']);
    expect(docKeys(d).has('t:cat')).toBe(true);
  });
});

describe('property: indexed matching == naive matching', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: 400 random rules × 400 random posts`, () => {
      const world = new RuleWorld(rng(seed), { words: 40 + seed * 10 });
      const rules = world.rules(400);
      expect(rules.length).toBe(400);
      const rs = new RuleSet(rules);
      let matches = 0;
      for (let i = 0; i < 400; i++) {
        const d = world.doc();
        const indexed = ids(rs.match(d));
        expect(indexed).toEqual(ids(rs.matchNaive(d)));
        matches += indexed.length;
      }
      // The generator must produce matches for the property to mean anything.
      expect(matches).toBeGreaterThan(400);
    });
  }
});

describe('forEachToken', () => {
  it('gives exactly the stream tokenizer\'s tokens (ASCII fast path and Unicode)', async () => {
    const { forEachToken } = await import('./rule-index.js');
    const { streamTokens } = await import('../query/tokens.js');
    const rand = rng(9);
    const alphabet = ['a', 'Z', '0', '9', ' ', '_', '-', '.', ':', '#', '@', '\t', '\n', '!', '~', '`', '^', 'é', 'ß', '🐱', '\uFE0F', 'İ', 'Σ', '١'];
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(rand() * 30);
      const ascii = rand() < 0.6;
      let text = '';
      for (let j = 0; j < len; j++) {
        if (ascii) text += String.fromCharCode(Math.floor(rand() * 128));
        else text += alphabet[Math.floor(rand() * alphabet.length)];
      }
      const got: string[] = [];
      forEachToken(text, (t) => got.push(t));
      expect(got).toEqual(streamTokens(text));
    }
  });
});
