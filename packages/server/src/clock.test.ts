import { describe, expect, it } from 'vitest';
import { ControlledClock } from './clock.js';

describe('ControlledClock', () => {
  it('starts frozen at exactly the asked instant, even when the wall clock ticks between reads', () => {
    let wall = 1_000;
    const clock = new ControlledClock({ at: 5_000, frozen: true }, () => wall++);
    expect(clock.now()).toBe(5_000);
    clock.advance(900_000);
    expect(clock.now()).toBe(905_000);
  });

  it('a running clock starts at the asked instant and runs with the wall clock', () => {
    let wall = 1_000;
    const clock = new ControlledClock({ at: 5_000 }, () => wall);
    wall += 250;
    expect(clock.now()).toBe(5_250);
  });
});
