// Flat config: typescript-eslint recommended + type-only import/export consistency, prettier last.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// The house, floor by floor (../shared/STYLE.md §3, CONTRIBUTING.md): a folder of src/ imports only folders on floors
// below its own, and folders on the same floor never import each other, so the folder graph has no cycle.
// Type-only imports count too: they couple the floors all the same.
const FLOORS = [
  ['k8s'], // shapes every floor speaks, Kubernetes name rules, quantities, versions, the error type
  ['defaults'], // the one place for defaults
  ['image', 'env', 'hooks', 'runtime-class', 'io', 'config'], // domain knowledge and reading manifests: pure, no cdk8s
  ['rules'], // the one judge
  ['explain', 'admission'], // built on the judge
  ['constructs', 'plugin', 'cli'], // entry points
];
const floorOf = new Map(FLOORS.flatMap((folders, i) => folders.map((f) => [f, i])));
const ENTRY_FLOOR = FLOORS.length - 1;
const floorRules = [...floorOf.keys()].map((folder) => {
  const level = floorOf.get(folder);
  const banned = [...floorOf.keys()].filter((f) => f !== folder && floorOf.get(f) >= level);
  const patterns = [
    { group: ['**/shared/**'], message: 'Tests read vectors from test/fixtures/vectors: the repo must pass without ../shared.' },
    {
      regex: `^\\.\\./(${banned.join('|')})(/|$)`,
      message: `src/${folder} is on floor ${level}: it imports only folders on lower floors (FLOORS in eslint.config.mjs).`,
    },
    { regex: '^\\.\\./(\\.\\.|index$)', message: 'Folders of src/ do not import the public entry point or anything outside src/.' },
  ];
  if (level < ENTRY_FLOOR) {
    patterns.push({
      regex: '^(cdk8s|cdk8s-plus-27|constructs)(/|$)',
      message: `src/${folder} is below the entry points: plain data only, no cdk8s, cdk8s-plus or constructs.`,
    });
  }
  return { files: [`src/${folder}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
});

export default tseslint.config(
  { ignores: ['lib/**', 'dist/**', 'docs/api/**', 'node_modules/**', 'coverage/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/shared/**'], message: 'Tests read vectors from test/fixtures/vectors: the repo must pass without ../shared.' }],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' } },
  },
  ...floorRules,
  prettier,
);
