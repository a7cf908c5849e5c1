import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // the UI's '@/...' imports (tsconfig paths), for the browser-side modules tested here
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['lib/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts', 'components/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'lab/**', 'e2e/**'],
    testTimeout: 20_000,
  },
});
