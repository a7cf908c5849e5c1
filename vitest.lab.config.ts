import { defineConfig } from 'vitest/config';

// Runs inside the lab VM (lab/lab test): the real kernel, one test file at a time since they share one IPVS table.
export default defineConfig({
  cacheDir: '/tmp/vitest-lab-cache',
  test: {
    include: ['lab/**/*.lab.test.ts'],
    globalSetup: ['lab/tests/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
