import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // better-sqlite3 is a native addon: separate processes keep it out of worker threads.
    pool: 'forks',
    // supertest serves an app through src/web/http/http-server.ts, as production does.
    setupFiles: ['test/helpers/supertest-server.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // `npm run coverage`: the whole suite, measured over src/ only. The HTML report
    // goes to coverage/ (not committed); the run fails below the thresholds.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // The entry point runs only as a child process (test/ops/server.test.ts and the
      // other process tests), which this in-process measurement cannot see.
      exclude: ['src/server.ts'],
      reporter: ['text-summary', 'html'],
      reportsDirectory: 'coverage',
      thresholds: { lines: 95, branches: 90 },
    },
  },
});
