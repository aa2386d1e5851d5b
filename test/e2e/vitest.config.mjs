// The lab's own end-to-end checks (test/e2e/*.e2e.test.mjs): run by `npm run test:e2e` after the contract
// suites, against a running lab (test/lab/lab.mjs sets the WARROOM_* environment). Not part of `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/e2e/**/*.e2e.test.mjs', 'test/e2e/**/*.e2e.test.ts'],
    pool: 'forks',
    testTimeout: 30000,
    hookTimeout: 60000,
    fileParallelism: false,
  },
});
