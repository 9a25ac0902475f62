import { defineConfig } from 'vitest/config';

// Unit tests of pure code run in plain Node; end-to-end tests (test/e2e) start the real server.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
