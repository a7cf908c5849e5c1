import { defineConfig } from 'vitest/config';

// Runs inside the lab VM (lab/lab test): the real kernel, one test file at a time since they share one IPVS table.
// All files in one process (isolate: false): under TCG each file's own process spent 10-15 s starting node and
// importing the same modules again (import 138 s of the 803 s suite). Each file stops what it starts in afterAll.
export default defineConfig({
  cacheDir: '/tmp/vitest-lab-cache',
  test: {
    include: ['lab/**/*.lab.test.ts'],
    globalSetup: ['lab/tests/global-setup.ts'],
    fileParallelism: false,
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
