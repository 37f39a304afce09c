import nx from '@nx/eslint-plugin';

/**
 * One lint setup for the whole workspace. Module boundaries are enforced on two axes:
 * scope (which part of the product) and type (what kind of code). Heavy dependencies
 * are kept where they belong: only the xDS protocol lib may import gRPC, and the
 * config model stays free of network and cluster clients.
 */
const HEAVY_RUNTIME_DEPS = ['@grpc/grpc-js', '@grpc/*', 'ioredis', '@kubernetes/client-node', 'node-forge'];

const DEP_CONSTRAINTS = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:cli', 'scope:shared'] },
  { sourceTag: 'scope:control-plane', onlyDependOnLibsWithTags: ['scope:control-plane', 'scope:shared'] },
  { sourceTag: 'scope:dataplane', onlyDependOnLibsWithTags: ['scope:dataplane', 'scope:shared'] },
  // Sample workloads of ours (local mode starts them as child processes; nothing imports them).
  { sourceTag: 'scope:samples', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared', 'scope:cli', 'scope:control-plane', 'scope:dataplane'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:protocol', 'type:model', 'type:engine', 'type:util'] },
  { sourceTag: 'type:engine', onlyDependOnLibsWithTags: ['type:engine', 'type:protocol', 'type:model', 'type:util'] },
  {
    sourceTag: 'type:protocol',
    onlyDependOnLibsWithTags: ['type:protocol', 'type:model', 'type:util'],
  },
  {
    sourceTag: 'type:model',
    onlyDependOnLibsWithTags: ['type:model', 'type:util'],
    bannedExternalImports: HEAVY_RUNTIME_DEPS,
  },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: HEAVY_RUNTIME_DEPS },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:protocol', 'type:model', 'type:engine', 'type:util', 'type:testing'] },
];

/**
 * Tests (specs, test/ folders, __support__ helpers) may also import `type:testing` libs
 * (stand-ins, fixtures); product code may not, so a test double can never ship.
 */
const TEST_FILES = ['**/*.spec.ts', '**/test/**/*.ts', '**/__support__/**/*.ts'];
const TEST_DEP_CONSTRAINTS = DEP_CONSTRAINTS.map((constraint) =>
  constraint.sourceTag.startsWith('type:') && constraint.sourceTag !== 'type:testing'
    ? { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:testing'] }
    : constraint,
);
const moduleBoundaries = (depConstraints) => [
  'error',
  { enforceBuildableLibDependency: true, allow: ['^.*/vitest\\.shared(\\.js)?$'], depConstraints },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/vite.config.*.timestamp*', 'reports/**', '.nx/**', '**/*.d.ts', 'tmp/**'],
  },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    // Tooling configs import the shared root configs by path; they are not modules of the product.
    ignores: ['**/eslint.config.mjs', '**/vite.config.ts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(DEP_CONSTRAINTS),
      // With noUncheckedIndexedAccess, `!` is how code says "this index is known to exist".
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries(TEST_DEP_CONSTRAINTS) },
  },
];
