// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The layers of src/ and the ban on import cycles are checked by dependency-cruiser
// (.dependency-cruiser.cjs), which `npm run lint` runs after ESLint.

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'results/**', 'coverage/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'All randomness goes through seeded streams (src/core/random.ts).' },
        { object: 'Date', property: 'now', message: 'Simulated time only; wall-clock belongs in runner timings.' },
      ],
      'no-restricted-globals': ['error', { name: 'Date', message: 'Simulated time only.' }],
      'no-console': 'error',
      // Small modules named for what they do.
      'max-lines': ['error', { max: 600 }],
    },
  },
  // The simulation core stays readable one function at a time.
  { files: ['src/sim/**/*.ts'], rules: { 'max-lines-per-function': ['error', { max: 80 }] } },
  { files: ['src/cli/**/*.ts'], rules: { 'no-console': 'off' } },
);
