import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const sdk = (file: string) => fileURLToPath(new URL(`../sdk/src/${file}`, import.meta.url));

/** The console is served by Roost at /console; it reaches the SDK's sources directly (browser transport). */
export default defineConfig({
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: {
    alias: [
      { find: /^@roost\/sdk\/console$/, replacement: sdk('console.ts') },
      { find: /^@roost\/sdk$/, replacement: sdk('index.ts') },
      // The SDK's browser map: fetch only, no node:http.
      { find: /^\.\/platform\.js$/, replacement: sdk('platform.browser.ts') },
    ],
  },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', reportCompressedSize: true, chunkSizeWarningLimit: 400 },
});
