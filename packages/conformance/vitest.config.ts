import { defineProject } from 'vitest/config';
import { WORKER_ENV } from './src/zero-change.js';

export default defineProject({
  test: {
    name: 'conformance',
    include: ['tests/**/*.test.ts'],
    // One seeded first start for the whole project; each file starts its own Roost process on a copy.
    globalSetup: ['src/global-setup.ts'],
    // Each file starts a real Roost process (seeding the demo world) and drives it with a real client.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Zero-change mode: the workers start as `roost trust` says a client's process should (src/zero-change.ts).
    env: WORKER_ENV,
  },
});
