import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// Two projects: the engine, lint and CLI run in Node (the CLI's home); the worker and a copy of
// the engine conformance table run inside workerd, so the engine is proven in both runtimes.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/engine/**/*.test.ts', 'test/policy/**/*.test.ts', 'test/testing/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/lint/**/*.test.ts', 'test/bundle/**/*.test.ts', 'test/enrich/**/*.test.ts', 'test/policies/**/*.test.ts'],
        },
      },
      {
        plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' } })],
        test: {
          name: 'workers',
          include: ['test/worker/**/*.test.ts', 'test/workerd/**/*.test.ts'],
        },
      },
    ],
  },
});
