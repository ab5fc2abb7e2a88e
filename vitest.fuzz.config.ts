// `npm run fuzz`: the spec-driven fuzzer, on its own time budget (FUZZ_SECONDS per engine), outside `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.fuzz.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 24 * 60 * 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
