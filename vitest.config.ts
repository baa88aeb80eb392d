import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'roost',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'packages/conformance/**'],
        },
      },
      // Real clients against a real Roost process; its own config lists the flows pending other branches.
      'packages/conformance/vitest.config.ts',
    ],
  },
});
