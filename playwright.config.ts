import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM } from './e2e/support/chromium';

// Browser tests of the dashboard in Debian's chromium (`npx playwright install` cannot run here).
//   memory (always): the dashboard on a simulated director (lvs-agent serve --simulated): fast, every feature
//   lab (LAB_E2E=1): the dashboard on the lab VM's real kernel (`bash lab/lab up`): a few end-to-end checks
// e2e/support/global-setup.ts starts both on free 127.0.0.1 ports and stops them afterwards. Screenshots of every
// page land in e2e/artifacts/ (gitignored).
const lab = process.env.LAB_E2E === '1';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  globalSetup: './e2e/support/global-setup.ts',
  // One director per project, whose table the tests change: one test at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  use: {
    ...devices['Desktop Chrome'],
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: CHROMIUM,
  },
  projects: [
    { name: 'memory', testMatch: ['shared/**/*.spec.ts', 'memory/**/*.spec.ts'] },
    // The lab's kernel runs under TCG emulation: an ipvsadm call and the re-read after it take seconds, not ms.
    ...(lab
      ? [
          {
            name: 'lab',
            testMatch: ['shared/**/*.spec.ts', 'lab/**/*.spec.ts'],
            timeout: 180_000,
            expect: { timeout: 30_000 },
          },
        ]
      : []),
  ],
});
