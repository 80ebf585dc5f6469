// The Policy Studio's browser tests (`npm run test:studio`, run by .ci/run after `npm test`): one
// `npm run dev` and one Chromium for the whole file, so they are kept out of `npm test`'s projects.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'studio',
    environment: 'node',
    include: ['test/studio/**/*.test.ts'],
    globalSetup: ['test/studio/global-setup.ts'],
    // The file's tests walk one signed-in page through the screens in order.
    sequence: { concurrent: false },
    fileParallelism: false,
    hookTimeout: 180_000,
    testTimeout: 30_000,
  },
});
