import { describe, expect, it } from 'vitest';
import { detectLang } from './lang.js';

describe('detectLang', () => {
  it('labels running text with X codes', () => {
    expect(detectLang('The quick brown fox jumps over the lazy dog near the river bank', null)).toBe('en');
    expect(detectLang('Ceci est une phrase en français pour tester la détection', null)).toBe('fr');
    expect(detectLang('Esta es una frase en español para probar la detección de idioma', null)).toBe('es');
    expect(detectLang('これは日本語のテキストです', null)).toBe('ja');
    expect(detectLang('안녕', null)).toBe('ko');
    expect(detectLang('אני אוהב לכתוב קוד בשפה העברית כל יום', null)).toBe('iw');
  });

  it("uses X's special labels for posts without language text", () => {
    expect(detectLang('#roost #xapi', { hashtags: [{ start: 0, end: 6, tag: 'roost' }, { start: 7, end: 12, tag: 'xapi' }] })).toBe('qht');
    expect(detectLang('@XDevelopers', { mentions: [{ start: 0, end: 12, username: 'XDevelopers' }] })).toBe('qam');
    expect(detectLang('https://t.co/abcdefghij', { urls: [{ start: 0, end: 23, url: 'https://t.co/abcdefghij', expanded_url: 'https://x.com', display_url: 'x.com' }] })).toBe('zxx');
    expect(detectLang('🎉🎉', null)).toBe('art');
    expect(detectLang('', null)).toBe('und');
  });
});
