import nx from '@nx/eslint-plugin';

// Module boundaries (STYLE.md habit 10): a service never imports another service; services share
// only libs/contracts and infrastructure libs; contracts depend on nothing of ours.
export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/node_modules', '**/dist', 'tmp', 'coverage', 'data', '.nx', 'deploy/kafka-local'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: true,
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:infrastructure', 'type:domain', 'type:testing'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:infrastructure', onlyDependOnLibsWithTags: ['type:infrastructure', 'type:contracts', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:infrastructure', 'type:contracts'] },
            { sourceTag: 'scope:order-intake', onlyDependOnLibsWithTags: ['scope:order-intake', 'scope:shared'] },
            { sourceTag: 'scope:sourcing', onlyDependOnLibsWithTags: ['scope:sourcing', 'scope:shared'] },
            { sourceTag: 'scope:supplier-gateway', onlyDependOnLibsWithTags: ['scope:supplier-gateway', 'scope:shared'] },
            { sourceTag: 'scope:returns-router', onlyDependOnLibsWithTags: ['scope:returns-router', 'scope:shared'] },
            { sourceTag: 'scope:supplier-performance', onlyDependOnLibsWithTags: ['scope:supplier-performance', 'scope:shared'] },
            { sourceTag: 'scope:finance-reconciler', onlyDependOnLibsWithTags: ['scope:finance-reconciler', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // `!` after a check the compiler cannot follow (array ends, map lookups just filled) is fine.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Tests may reach into a lib's internals to test them; production code may not.
    files: ['**/*.spec.ts', 'e2e/**/*.ts', 'bench/**/*.ts', 'tools/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': 'off',
    },
  },
];
