/**
 * `analyzeText` finds a post's URLs once and reuses them for the weighing, the t.co wrapping and the url entities.
 * The reference is twitter-text used the long way: `parseTweet` for the weighted length and validity, then
 * `extractUrlsWithIndices` to wrap, then `extractEntitiesWithIndices` over the wrapped text. Both must agree on
 * every text of a seeded random corpus built from what makes twitter-text hard: URLs with and without a scheme,
 * t.co links, mentions, lists, hashtags, cashtags, emoji sequences, CJK, astral and lone surrogates, the invalid
 * characters, and entities glued together without spaces — except that the one pass keeps the url entity of every
 * link it wrapped, where the long way loses the few a wrapped neighbour hides (0.2% of the corpus).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { analyzeText, displayUrlOf, extractTextEntities, tcoFor } from '../src/util/text.js';

interface TtEntity {
  indices: [number, number];
  url?: string;
}
const tt = createRequire(import.meta.url)('twitter-text') as {
  parseTweet(text: string): { weightedLength: number; valid: boolean };
  extractUrlsWithIndices(text: string): TtEntity[];
};

/** The long way: three passes of twitter-text. */
function reference(input: string) {
  const { weightedLength, valid } = tt.parseTweet(input);
  const text0 = input.normalize('NFC');
  const links = new Map<string, string>();
  let text = text0;
  for (const u of [...tt.extractUrlsWithIndices(text0)].sort((a, b) => b.indices[0] - a.indices[0])) {
    const raw = u.url!;
    const expanded = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
    const short = /^https?:\/\/t\.co\/[A-Za-z0-9]+$/i.test(raw) ? raw : tcoFor(expanded);
    if (!links.has(short)) links.set(short, expanded);
    text = text.slice(0, u.indices[0]) + short + text.slice(u.indices[1]);
  }
  const entities = extractTextEntities(text, (url, start, end) => {
    const expanded = links.get(url) ?? url;
    return [{ start, end, url, expanded_url: expanded, display_url: displayUrlOf(expanded) }];
  });
  return { weightedLength, valid, text, entities };
}

/** A small seeded generator (mulberry32): the corpus is the same on every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'hello', 'roost', 'API', 'ok.', 'x', '—', 'café', 'naïve', 'e\u0301', 'ありがとう', '你好', '안녕', 'Привет', 'مرحبا',
  'https://example.com/p/1', 'http://sub.example.org/a?b=c#frag', 'example.com', 'www.example.co.uk/path', 'roost.dev',
  'https://t.co/AbCdEf1234', 'HTTPS://EXAMPLE.COM', 'ftp://nope.example', 'a.b', 'https://例え.jp/パス', 'x.com/@user',
  '@XDevelopers', '@user_1', '@a/list-name', '@@double', 'me@example.com', '#roost', '#日本', '#1', '#a_b', '＃fullwidth',
  '$TSLA', '$BTC.X', '$12', '😀', '👍🏽', '👨‍👩‍👧', '🇵🇹', '#️⃣', '1️⃣', '❤️', '\u{1F9D1}\u200D\u{1F4BB}', '𝒳', '\uD83D', '\uDE00',
  '\uFEFF', '\uFFFE', '\u200B', '\n', '\t', '  ', ',', '!', '(', ')', '"', "'", '/', ':', '.', '-', '_',
];

function corpus(n: number): string[] {
  const r = rng(17);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const parts: string[] = [];
    const len = 1 + Math.floor(r() * 14);
    for (let k = 0; k < len; k++) {
      parts.push(PIECES[Math.floor(r() * PIECES.length)]!);
      // Mostly spaces between pieces, sometimes glued together.
      if (r() < 0.75) parts.push(' ');
    }
    let text = parts.join('');
    // Some past 280 weighted characters.
    if (r() < 0.05) text = text.repeat(1 + Math.floor(r() * 30));
    out.push(text);
  }
  return out;
}

describe('analyzeText: one twitter-text pass', () => {
  it('agrees with parseTweet + extractUrls + extractEntities on 20,000 hard texts', () => {
    const texts = corpus(20_000);
    let withUrls = 0;
    let withEmoji = 0;
    let invalid = 0;
    let lostByReference = 0;
    for (const text of texts) {
      const mine = analyzeText(text);
      const ref = reference(text);
      expect({ text, weightedLength: mine.weightedLength, valid: mine.valid, wrapped: mine.text }).toEqual({ text, weightedLength: ref.weightedLength, valid: ref.valid, wrapped: ref.text });
      const originalUrls = tt.extractUrlsWithIndices(text.normalize('NFC')).length;
      // Every wrapped link is a url entity.
      expect(mine.entities?.urls?.length ?? 0).toBe(originalUrls);
      if ((ref.entities?.urls?.length ?? 0) === originalUrls) {
        expect({ text, entities: mine.entities }).toEqual({ text, entities: ref.entities });
      } else {
        // The long way loses the entity of a link glued to what precedes it once wrapped (`＃fullwidthexample.com`
        // becomes `＃https://t.co/…`, which is no URL to twitter-text); everything it does find is found here too.
        lostByReference++;
        for (const kind of ['urls', 'hashtags', 'cashtags', 'mentions'] as const) {
          for (const e of ref.entities?.[kind] ?? []) expect(mine.entities?.[kind]).toContainEqual(e);
        }
      }
      if (ref.entities?.urls) withUrls++;
      if (/\p{Extended_Pictographic}/u.test(text)) withEmoji++;
      if (!ref.valid) invalid++;
    }
    expect(lostByReference).toBeLessThan(texts.length / 100);
    // The corpus does reach the hard cases.
    expect(withUrls).toBeGreaterThan(5_000);
    expect(withEmoji).toBeGreaterThan(5_000);
    expect(invalid).toBeGreaterThan(500);
  });

  it('weighs as X documents: a URL 23, an emoji 2, CJK 2, Latin 1', () => {
    expect(analyzeText('https://example.com/a/very/long/path/that/is/long').weightedLength).toBe(23);
    expect(analyzeText('👨‍👩‍👧').weightedLength).toBe(2);
    expect(analyzeText('ありがとう').weightedLength).toBe(10);
    expect(analyzeText('hello').weightedLength).toBe(5);
    expect(analyzeText('a'.repeat(280)).valid).toBe(true);
    expect(analyzeText('a'.repeat(281)).valid).toBe(false);
    expect(analyzeText('bad \uFFFE char').valid).toBe(false);
  });
});
