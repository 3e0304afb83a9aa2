// Lint TypeScript and Svelte sources with the recommended rules.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'data/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  {
    // Layers run one way: the server never imports the client (shared words live in server/schema).
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/client/**'], message: 'server code may not import client code: put what both need in server/schema' }] }],
    },
  },
  {
    // The pure layers (rules, geometry, the shared schema) import no framework, store, plugin, route or client code.
    // (Import cycles anywhere are found by test/config/import-cycles.test.ts: ESLint has no cycle rule without a plugin.)
    files: ['server/domain/**/*.ts', 'server/geo/**/*.ts', 'server/schema/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fastify', 'fastify-plugin', 'ioredis', 'socket.io'].map((name) => ({ name, message: 'domain, geo and schema are pure: the I/O calls them, never the reverse' })),
          patterns: [
            { group: ['**/client/**'], message: 'server code may not import client code: put what both need in server/schema' },
            {
              group: ['**/plugins/**', '**/store/**', '**/routes/**', '**/services/**', '**/realtime/**'],
              message: 'domain, geo and schema are pure: the I/O calls them, never the reverse',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read loosely typed JSON bodies.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
