import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';
import { InvalidRequest } from '../errors.js';

describe('cursor', () => {
  it('round-trips kind, direction and values, and is at least 16 characters', () => {
    const t = encodeCursor('f', 'next', [1700000000000, '1460323737035677698']);
    expect(t).toMatch(/^[0-9a-v]+$/);
    expect(t.length).toBeGreaterThanOrEqual(16);
    expect(decodeCursor(t, 'f')).toEqual({ direction: 'next', values: ['1700000000000', '1460323737035677698'] });
    expect(decodeCursor(encodeCursor('t', 'prev', ['5']), 't').direction).toBe('prev');
  });

  it('rejects tampered, foreign and garbage tokens with invalid-request', () => {
    const t = encodeCursor('f', 'next', [1, '2']);
    const flipped = t.slice(0, 3) + (t[3] === 'a' ? 'b' : 'a') + t.slice(4);
    for (const bad of [flipped, 'zzzzzzzzzzzzzzzzzzzz', 'abc', '', t + 'x']) {
      expect(() => decodeCursor(bad, 'f')).toThrow(InvalidRequest);
    }
    expect(() => decodeCursor(t, 't')).toThrow(InvalidRequest);
  });
});
