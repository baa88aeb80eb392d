import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['vitest/**/*.test.js'], testTimeout: 60_000, hookTimeout: 180_000 },
});
