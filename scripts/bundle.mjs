// Bundles the extension and the CLI into dist/ with esbuild. `vscode` is provided by the editor;
// `pg-native` is an optional binding `pg` only loads on request. libpg-query locates its
// WebAssembly parser next to the script that loads it (__dirname), which after bundling is dist/,
// so the .wasm file is copied there. Entries whose source does not exist yet are skipped.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const entries = [
  { source: 'src/extension/extension.ts', output: 'extension.js' },
  { source: 'src/cli/main.ts', output: 'cli.js', banner: '#!/usr/bin/env node' },
];

fs.mkdirSync(dist, { recursive: true });
for (const entry of entries) {
  if (!fs.existsSync(path.join(root, entry.source))) {
    console.log(`bundle: ${entry.source} does not exist yet; skipped`);
    continue;
  }
  const outfile = path.join(dist, entry.output);
  await esbuild.build({
    entryPoints: [path.join(root, entry.source)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'pg-native'],
    sourcemap: true,
    minify: process.env.DRYDOCK_BUNDLE_MINIFY !== '0',
    keepNames: true,
    logLevel: 'warning',
    ...(entry.banner ? { banner: { js: entry.banner } } : {}),
  });
  if (entry.banner) fs.chmodSync(outfile, 0o755);
  console.log(`bundle: ${entry.source} -> dist/${entry.output} (${Math.round(fs.statSync(outfile).size / 1024)} KiB)`);
}

const wasm = path.join(root, 'node_modules', 'libpg-query', 'wasm', 'libpg-query.wasm');
if (fs.existsSync(wasm)) fs.copyFileSync(wasm, path.join(dist, 'libpg-query.wasm'));
