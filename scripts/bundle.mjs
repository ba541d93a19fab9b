// Bundles the CLI and the extension with esbuild. The PostgreSQL parser's WebAssembly file is
// loaded from the bundle's own directory at run time, so it is copied next to the bundles.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const entries = [
  { entry: 'src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { entry: 'src/extension/extension.ts', out: 'dist/extension.js' },
];

for (const { entry, out, banner } of entries) {
  if (!fs.existsSync(entry)) continue;
  await build({
    entryPoints: [entry], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    external: ['vscode', 'pg-native'], sourcemap: true, minify: true, logLevel: 'warning',
    banner: banner ? { js: banner } : undefined,
  });
  if (banner) fs.chmodSync(out, 0o755);
}
fs.mkdirSync('dist', { recursive: true });
fs.copyFileSync(path.join('node_modules', 'libpg-query', 'wasm', 'libpg-query.wasm'), path.join('dist', 'libpg-query.wasm'));
console.log(`bundle: ${entries.filter((e) => fs.existsSync(e.entry)).map((e) => e.out).join(', ')}`);
