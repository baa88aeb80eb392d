import { defineProject } from 'vitest/config';

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
  },
});
