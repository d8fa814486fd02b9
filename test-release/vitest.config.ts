import { defineProject } from 'vitest/config';

// These tests pack the workspace and run `npm install` in temporary projects: one file at
// a time, so two of them never build or pack the checkout at once.
export default defineProject({
  test: {
    name: 'release',
    include: ['src/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    // Run as a group of their own, after the other projects' files (which run several at once).
    sequence: { groupOrder: 1 },
  },
});
