import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*', 'test-release', 'bench'],
    // Two files at once (vitest's default is one fewer than the cores: one, on a 2-core
    // machine); many tests wait on servers and timers rather than compute.
    maxWorkers: 2,
  },
});
