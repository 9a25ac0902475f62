import { defineConfig } from 'vitest/config';

// Unit tests of pure code run in plain Node; end-to-end tests (test/e2e) share one real server
// (the built app on workerd) started by the global setup on a free port.
export default defineConfig({
  test: {
    reporters: ['default', './test/file-durations.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'],
          testTimeout: 60_000,
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
