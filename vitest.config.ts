import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/ui/**/*.test.ts', 'test/tty/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20000,
    hookTimeout: 30000,
    // Screen tests drive real processes in PTYs; on 2 cores keep them from starving each other.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
