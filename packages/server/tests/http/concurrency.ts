/** Counters under concurrent writes: the check the like and follow tests share. */
import { expect } from 'vitest';

/**
 * 200 concurrent writes spread over `users` in turn, every third one the undoing kind (`act(k, undo)` makes the
 * k-th user's request): all must answer 200, and `drift` (each counter minus its rows) must be what it was before.
 */
export async function expectExactUnderConcurrency(
  users: readonly string[],
  act: (k: number, undo: boolean) => Promise<{ status: number }>,
  drift: () => Promise<unknown>,
): Promise<void> {
  const before = await drift();
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => {
      const k = i % users.length;
      return act(k, i % 3 === 1);
    }),
  );
  expect(results.every((r) => r.status === 200)).toBe(true);
  expect(await drift()).toEqual(before);
}
