// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Layers from top to bottom; a layer may import only the layers below it.
const layers = ['cli', 'capacity', 'explain', 'import', 'compact', 'runner', 'report', 'metrics', 'sim', 'schedulers', 'workload', 'model', 'core'];

const layerRules = layers.map((layer, i) => {
  const above = layers.slice(0, i);
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: above.map((l) => ({
            group: [`../${l}/*`, `../../${l}/*`, `**/src/${l}/*`],
            message: `src/${layer} must not import src/${l}: dependencies run one way (cli → capacity/explain/import → compact → runner → report/metrics → sim → schedulers → workload → model → core).`,
          })),
        },
      ],
    },
  };
});

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
    },
  },
  { files: ['src/cli/**/*.ts'], rules: { 'no-console': 'off' } },
  ...layerRules,
);
