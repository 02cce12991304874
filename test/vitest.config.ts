import { defineConfig } from 'vitest/config';

// Tests start real servers and child processes; forks keep each file's sockets and signals apart.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/bench/**', 'node_modules/**', 'dist/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // .ci/run asks for vitest's JSON report as well, to count passed and failed tests from it.
    reporters: process.env.CICADA_VITEST_JSON ? ['default', 'json'] : ['default'],
    ...(process.env.CICADA_VITEST_JSON ? { outputFile: { json: process.env.CICADA_VITEST_JSON } } : {}),
  },
});
