import { defineConfig } from 'vitest/config';

// Files run in parallel (one fork per file, two at a time on a 2-core machine);
// embedded servers start once per file in beforeAll.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    allowOnly: false,
  },
});
