import { describe, expect, it } from 'vitest';
import { LocalBus, type DomainEvent } from './bus.js';

describe('LocalBus', () => {
  it('delivers to every subscriber, isolates a throwing one, and unsubscribes', () => {
    const errors: unknown[] = [];
    const bus = new LocalBus((e) => errors.push(e));
    const got: DomainEvent[] = [];
    const off = bus.subscribe((e) => got.push(e));
    bus.subscribe(() => {
      throw new Error('bad subscriber');
    });
    const e: DomainEvent = { type: 'like.created', userId: '1', postId: '2', at: 3 };
    bus.publish(e);
    expect(got).toEqual([e]);
    expect(errors).toHaveLength(1);
    off();
    bus.publish(e);
    expect(got).toHaveLength(1);
  });
});
