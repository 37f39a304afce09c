import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const workspaceRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * One Vitest setup for every project. Each run also writes a JSON report under
 * reports/vitest/ so that tools/scripts/run-tests.mjs can print one summary line for
 * the whole workspace, whatever Nx ran or replayed from its cache.
 */
export function projectTestConfig(projectName: string) {
  return defineConfig({
    resolve: { conditions: ['@ambit/source'] },
    ssr: { resolve: { conditions: ['@ambit/source'] } },
    test: {
      name: projectName,
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      environment: 'node',
      testTimeout: 20_000,
      reporters: [
        'default',
        ['json', { outputFile: `${workspaceRoot}reports/vitest/${projectName}.json` }],
      ],
    },
  });
}
