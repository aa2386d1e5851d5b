import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

// `npm run test:package`: the single executable's tests, apart from `npm test` because they need
// `npm run package` (the npm registry the first time) before them.
export default defineConfig({ test: { ...base.test, include: ['test/sea/**/*.test.ts'] } });
