import { defineConfig } from 'vitest/config';
import Sequencer from './test/sequencer';

// Unit tests of pure code run in plain Node; end-to-end tests (test/e2e) run against the built
// app on workerd, one server per worker, started by the global setup on free ports. Unit and
// end-to-end files share the workers. TEST_WORKERS sets how many run side by side; unset, two:
// most of an end-to-end test's time is spent waiting on the server, git or the browser, so two
// files side by side on 2 cores took the whole run from ~1,100 s to ~880 s (vitest's default,
// one less than the cores, ran the suite serially there).
const workers = Number(process.env.TEST_WORKERS) || 2;

export default defineConfig({
  test: {
    reporters: ['default', './test/file-durations.ts'],
    maxWorkers: workers,
    sequence: { sequencer: Sequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          testTimeout: 60_000,
          // Setup hooks generate histories with C git: as long as a test's own work on a busy machine.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          setupFiles: ['test/e2e/fresh-connections.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
