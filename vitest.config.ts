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
    // The dashboard is built once for every file that serves it (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    // GitHub's workflow parser imports its JSON schema without an import attribute, which only
    // works when vitest bundles it instead of handing it to Node.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
