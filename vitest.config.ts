import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/slow-first-sequencer.ts';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // Drops the PostgreSQL test schemas after the run (see the file).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Integration files each build a server and a database; two at a time fit the 2-core machine.
    maxWorkers: 2,
    // A worker keeps the modules it has loaded from one file to the next: loading the application anew
    // for each of 170 files was most of the suite's time (test/accounts: 69 s isolated, 21 s not).
    // Files therefore leave no global state behind: they restore what they stub (vi.unstubAllEnvs,
    // vi.doUnmock, process.env.TZ) and each builds its own app, database and settings.
    isolate: false,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
