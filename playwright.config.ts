import { defineConfig, devices } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';

const port = Number(process.env.E2E_PORT ?? 3917);
// Workers are separate processes that inherit the environment: the data folder is chosen once, here,
// so that e2e fixtures (e2e/fixtures/) can open the same database as the server.
export const dataDir = (process.env.PARLEY_E2E_DATA_DIR ??= path.join(os.tmpdir(), `parley-e2e-${process.pid}`));

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  // Two files at a time: a test mostly waits on the server, the page or a live update, so two workers
  // shorten the run even on two cores (18.9 → 6.3 minutes). Tests in one file run in order; files share the server and its
  // database, so a file makes its own readers and stories, and the settings files change (the pause
  // between comments, the spam threshold, a suspect word) are ones the other files do not depend on.
  // A page under axe on a loaded machine can take most of the default 30 s: hence 60.
  timeout: 60_000,
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: { baseURL: `http://127.0.0.1:${port}`, trace: 'retain-on-failure' },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      },
    },
  ],
  // The real server, as `npm start` runs it, on a database of its own with the example article. It may
  // copy pictures from loopback: e2e/pictures.spec.ts plays the publisher on this machine.
  webServer: {
    command: `rm -rf ${dataDir} && node bin/parley.js serve`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', SQLITE_SYNCHRONOUS: 'NORMAL', PARLEY_E2E: '1', FETCH_PRIVATE: 'allow',
      // Chromium, the test runner and the server share two cores: the server's loop looks busy when it is
      // only waiting for a core, and a write refused for that would fail a test at random.
      SHED_EVENT_LOOP_UTILIZATION: '1' },
  },
});
