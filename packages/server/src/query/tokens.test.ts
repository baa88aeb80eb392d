import { describe, expect, it } from 'vitest';
import { searchTokens, streamTokens, unicodeTokens } from './tokens.js';
import { Random } from '../seed/random.js';

const ASCII_CHARS = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

describe('tokens of ASCII text', () => {
  it('are the general path’s for every ASCII character, alone and between letters', () => {
    for (const c of ASCII_CHARS) {
      for (const text of [c, `a${c}b`, `${c}${c}X9`, `Ab${c}`]) {
        expect(searchTokens(text), JSON.stringify(text)).toEqual(unicodeTokens(text, 'search'));
        expect(streamTokens(text), JSON.stringify(text)).toEqual(unicodeTokens(text, 'stream'));
      }
    }
  });

  it('are the general path’s for random ASCII strings', () => {
    const r = new Random(17);
    // Letters, digits and punctuation weighted so tokens of every length come up.
    const alphabet = 'aAbBzZ09_ -.,:;!?#@$%&*()[]{}<>/\\|\'"`~^+=\t\n\r\x00\x1f\x7f';
    for (let k = 0; k < 5000; k++) {
      const text = r.chars(alphabet, r.int(0, 40));
      expect(searchTokens(text), JSON.stringify(text)).toEqual(unicodeTokens(text, 'search'));
      expect(streamTokens(text), JSON.stringify(text)).toEqual(unicodeTokens(text, 'stream'));
    }
  });

  it('leave other text to the general path (case, accents, emoji, CJK)', () => {
    expect(searchTokens('Café NAÏVE ☕️ がっこう https://t.co/Ab1')).toEqual(['cafe', 'naive', '☕', 'かっこう', 'https', 't', 'co', 'ab1']);
    expect(streamTokens('Café NAÏVE ☕️')).toEqual(['café', 'naïve', '☕']);
    expect(searchTokens('Hello, World_2!')).toEqual(['hello', 'world', '2']);
  });
});
