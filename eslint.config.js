// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'coverage/', 'bench/results/', '.roster/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // The SCIM protocol layer depends on nothing above it: no store, provisioning, endpoints,
    // secrets, HTTP handler or workspace code (docs/architecture.md).
    files: ['shared/scim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/store/*',
                '**/provisioning/*',
                '**/endpoints/*',
                '**/secrets/*',
                '**/http/*',
                '**/workspace/*',
                '**/sync/*',
              ],
              message: 'shared/scim is the protocol layer: it imports nothing above it.',
            },
          ],
        },
      ],
    },
  },
);
