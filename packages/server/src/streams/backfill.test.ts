import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../events/bus.js';
import { RecentEvents, type Replayed } from './backfill.js';

const post = (n: number): DomainEvent => ({ type: 'post.created', postId: String(n), authorId: '1', at: n });
const ids = (es: DomainEvent[]) => es.map((e) => (e.type === 'post.created' ? Number(e.postId) : NaN));

/** Events 1..n recorded at times 1000, 2000, … */
function filled(n: number, limits = { maxAgeMs: 1_000_000, maxEvents: 1_000_000 }): RecentEvents {
  const r = new RecentEvents(limits);
  for (let i = 1; i <= n; i++) r.record(post(i), i * 1000);
  return r;
}

function conn(): Replayed & { completed: boolean } {
  return {
    closed: false,
    ready: false,
    completed: false,
    complete() {
      this.completed = true;
      this.closed = true;
    },
  };
}

describe('recent events', () => {
  it('a window is inclusive at both ends and stops at the arrival number it was opened with', () => {
    const r = filled(10);
    expect(ids(r.window(3000, 6000, r.lastSeq))).toEqual([3, 4, 5, 6]);
    expect(ids(r.window(0, Infinity, 4))).toEqual([1, 2, 3, 4]);
    expect(r.lastSeq).toBe(10);
  });

  it('drops events older than the backfill period', () => {
    const r = filled(10, { maxAgeMs: 3000, maxEvents: 100 });
    // At 10,000 ms, events recorded before 7,000 ms are gone.
    expect(ids(r.window(0, Infinity, r.lastSeq))).toEqual([7, 8, 9, 10]);
  });

  it('keeps at most maxEvents, in order, across compactions of the buffer', () => {
    const r = filled(5000, { maxAgeMs: 1e12, maxEvents: 100 });
    expect(r.size).toBe(100);
    expect(ids(r.window(0, Infinity, r.lastSeq))).toEqual(Array.from({ length: 100 }, (_, i) => 4901 + i));
    expect(r.lastSeq).toBe(5000);
  });
});

describe('replay', () => {
  const collect = () => {
    const got: DomainEvent[] = [];
    return { got, deliver: async (e: DomainEvent) => void got.push(e) };
  };

  it('backfill: the window, then the connection goes live', async () => {
    const r = filled(6);
    const c = conn();
    const { got, deliver } = collect();
    const upTo = r.lastSeq;
    r.record(post(7), 7000); // arrived after the connection opened: it will be written live instead
    await r.replay(c, { replayFrom: 4000, replayUntil: null }, upTo, deliver);
    expect(ids(got)).toEqual([4, 5, 6]);
    expect([c.ready, c.completed]).toEqual([true, false]);
  });

  it('recovery (with an end): the window, then the stream ends', async () => {
    const r = filled(6);
    const c = conn();
    const { got, deliver } = collect();
    await r.replay(c, { replayFrom: 2000, replayUntil: 3000 }, r.lastSeq, deliver);
    expect(ids(got)).toEqual([2, 3]);
    expect([c.ready, c.completed]).toEqual([false, true]);
  });

  it('nothing to replay: live at once', async () => {
    const c = conn();
    const { got, deliver } = collect();
    await filled(3).replay(c, { replayFrom: null, replayUntil: null }, 3, deliver);
    expect([got.length, c.ready]).toEqual([0, true]);
  });

  it('stops writing once the connection closes mid-replay', async () => {
    const r = filled(6);
    const c = conn();
    const got: DomainEvent[] = [];
    await r.replay(c, { replayFrom: 0, replayUntil: null }, r.lastSeq, async (e) => {
      got.push(e);
      if (got.length === 2) c.closed = true;
    });
    expect(ids(got)).toEqual([1, 2]);
  });
});
