import { describe, expect, it } from 'vitest';
import { createProgressBar } from './progress.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 80, write: (c: string) => chunks.push(c) } };
}

describe('createProgressBar', () => {
  it('prints a line per 10% when the stream is not a terminal', () => {
    const { chunks, stream } = sink(false);
    let t = 0;
    const bar = createProgressBar(stream, { now: () => (t += 10) });
    for (let i = 0; i <= 1000; i += 10) bar(i, 1000, 'posts');
    bar(5, 5, 'users');
    expect(chunks).toHaveLength(12);
    expect(chunks[0]).toBe('seed posts: 0% (0/1,000)\n');
    expect(chunks[10]).toMatch(/^seed posts: 100% \(1,000\/1,000\)/);
    expect(chunks[11]).toMatch(/^seed users: 100% \(5\/5\)/);
  });

  it('redraws one throttled line per phase on a terminal', () => {
    const { chunks, stream } = sink(true);
    let t = 0;
    const bar = createProgressBar(stream, { now: () => t, intervalMs: 100 });
    bar(0, 100, 'follows');
    t = 50;
    bar(10, 100, 'follows'); // throttled
    t = 200;
    bar(50, 100, 'follows');
    bar(100, 100, 'follows');
    bar(1, 10, 'posts');
    const out = chunks.join('');
    expect(out.match(/\r/g)).toHaveLength(4);
    expect(out).toContain(' 50% 50/100');
    expect(out).toMatch(/100% 100\/100[^\n]*\n\r/);
    expect(out.endsWith('\n')).toBe(false);
  });
});
