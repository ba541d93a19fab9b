// Lint exists mainly to keep the architecture honest: the layers of src/core import one way only
// (src/core/README.md), each third-party engine stays behind its one folder, and core never
// reaches for the editor.
import tseslint from 'typescript-eslint';

// What each layer of src/core may import from the other layers (its own folder is always allowed).
const LAYERS = {
  model: [],
  config: ['model'],
  sql: ['model'],
  parse: ['model', 'sql'],
  schema: ['model', 'sql', 'parse'],
  analyse: ['model', 'sql', 'parse', 'schema'],
  rules: ['model', 'sql', 'parse', 'schema', 'analyse'],
  db: ['model', 'sql'],
  format: ['model', 'parse'],
  verify: ['model', 'sql', 'parse', 'schema', 'db'],
  run: ['model', 'sql', 'parse', 'schema', 'analyse', 'rules', 'db', 'verify'],
  output: ['model', 'sql', 'rules'],
  templates: ['model', 'sql', 'parse', 'db', 'format'],
  shadow: ['model', 'config', 'sql', 'parse', 'schema', 'analyse', 'rules', 'db', 'verify', 'run', 'templates'],
};

// Packages that only one folder may import.
const ENGINES = [
  { name: 'pg', folder: 'src/core/db/pg', why: 'pg is the pg backend\'s: everything else goes through the backend port (core/db/backend.ts).' },
  { name: 'libpg-query', folder: 'src/core/parse', why: 'the parser is core/parse\'s: other layers use its facts (node types from core/parse/pgTypes).' },
  { name: '@electric-sql/pglite', folder: 'src/core/db/pglite', why: 'PGlite is the pglite backend\'s: everything else goes through the backend port.' },
];

const everywhere = [
  { name: '@pgsql/types', message: 'import node types from core/parse/pgTypes (libpg-query re-exports them; @pgsql/types is not a declared dependency).' },
];

function restrictions({ layer, folder }) {
  const fenced = ENGINES.filter((e) => !folder.startsWith(e.folder));
  const paths = [...everywhere, ...fenced.map((e) => ({ name: e.name, message: e.why }))];
  // A file inside the package (libpg-query/wasm/libpg-query.js) is the package too.
  const patterns = fenced.map((e) => ({ regex: `^${e.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/`, message: e.why }));
  if (folder.startsWith('src/core')) {
    paths.push({ name: 'vscode', message: 'src/core is shared with the CLI and must not import vscode.' });
    patterns.push({ regex: '^(\\.\\./)+(cli|extension)(/|$)', message: 'src/core never imports the shells (cli, extension).' });
  }
  if (layer) {
    const forbidden = Object.keys(LAYERS).filter((other) => other !== layer && !LAYERS[layer].includes(other));
    if (forbidden.length > 0) {
      patterns.push({ regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`, message: `core/${layer} may import only ${LAYERS[layer].join(', ') || 'its own folder'} (see src/core/README.md).` });
    }
  }
  return ['error', { paths, patterns }];
}

const folders = [
  { folder: 'src', files: ['src/**/*.ts'] },
  { folder: 'src/core', files: ['src/core/*.ts'] },
  ...Object.keys(LAYERS).map((layer) => ({ layer, folder: `src/core/${layer}`, files: [`src/core/${layer}/**/*.ts`] })),
  ...ENGINES.filter((e) => !Object.keys(LAYERS).some((l) => e.folder === `src/core/${l}`))
    .map((e) => ({ layer: 'db', folder: e.folder, files: [`${e.folder}/**/*.ts`] })),
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'scripts/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...folders.map((f) => ({ files: f.files, rules: { 'no-restricted-imports': restrictions(f) } })),
  {
    files: ['src/core/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
);
