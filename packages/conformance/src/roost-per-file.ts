/** The lifecycle the conformance test files share: one Roost process per file, from the suite's template. */
import { afterAll, beforeAll, inject } from 'vitest';
import { startRoost, type Roost } from './roost.js';

/**
 * One Roost process for the test file: started from the suite's template (with `opts`) before its tests, stopped
 * after them. The answer stands for that process from the first hook on; using it at module load is an error.
 */
export function roostPerFile(opts: { env?: Record<string, string> } = {}): Roost {
  let roost: Roost | undefined;
  beforeAll(async () => {
    roost = await startRoost(inject('roostTemplate'), opts);
  });
  afterAll(async () => {
    await roost?.stop();
  });
  return new Proxy({} as Roost, {
    get(_, key) {
      if (!roost) throw new Error(`Roost is not started yet (read .${String(key)} inside a test or hook)`);
      const v: unknown = Reflect.get(roost, key, roost);
      return typeof v === 'function' ? v.bind(roost) : v;
    },
  });
}
