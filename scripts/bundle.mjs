// Bundles the CLI, the extension, the language server and the shadow's worker with esbuild. The PostgreSQL parser's WebAssembly file is
// loaded from the bundle's own directory at run time, so it is copied next to the bundles; so are
// PGlite's files (dist/pglite/: the server's WebAssembly, its file system bundle, initdb, the contrib
// extensions) and an initialised data directory made here once, so a user's first shadow skips initdb.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const entries = [
  { entry: 'src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { entry: 'src/extension/extension.ts', out: 'dist/extension.js' },
  // The language server on its own, for clients that start it with node (the VS Code extension).
  { entry: 'src/server/main.ts', out: 'dist/server.js' },
  // The PGlite shadow's worker thread: the bundles above start it from their own folder (core/shadow/worker/workerShadow.ts).
  { entry: 'src/core/shadow/worker/shadowWorkerMain.ts', out: 'dist/shadowWorker.js' },
  // The GitHub Action's entry (action.yml): runs dist/cli.js next to it.
  { entry: 'src/cli/githubAction.ts', out: 'dist/action.js' },
];

for (const { entry, out, banner } of entries) {
  if (!fs.existsSync(entry)) continue;
  await build({
    entryPoints: [entry], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs',
    // The parser's .wasm file is copied next to the bundles (below), where core/parse/wasmParser.ts finds it.
    external: ['vscode', 'pg-native', 'libpg-query/wasm/libpg-query.wasm'], sourcemap: true, minify: true, logLevel: 'warning',
    // PGlite's ESM build reads import.meta.url, which a CommonJS bundle does not have: take its CommonJS build.
    alias: { '@electric-sql/pglite': './node_modules/@electric-sql/pglite/dist/index.cjs' },
    banner: banner ? { js: banner } : undefined,
  });
  if (banner) fs.chmodSync(out, 0o755);
}
fs.mkdirSync('dist', { recursive: true });
fs.copyFileSync(path.join('node_modules', 'libpg-query', 'wasm', 'libpg-query.wasm'), path.join('dist', 'libpg-query.wasm'));
await copyPglite(path.join('dist', 'pglite'));
console.log(`bundle: ${entries.filter((e) => fs.existsSync(e.entry)).map((e) => e.out).join(', ')}`);

/** Copies PGlite's run-time files and makes the initialised data directory (once per PGlite version). */
async function copyPglite(target) {
  const source = path.join('node_modules', '@electric-sql', 'pglite', 'dist');
  const version = JSON.parse(fs.readFileSync(path.join('node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')).version;
  fs.mkdirSync(path.join(target, 'contrib'), { recursive: true });
  for (const file of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) fs.copyFileSync(path.join(source, file), path.join(target, file));
  for (const file of fs.readdirSync(source).filter((f) => f.endsWith('.tar.gz'))) fs.copyFileSync(path.join(source, file), path.join(target, 'contrib', file));
  const base = path.join(target, 'base-datadir.tar.gz');
  const stamp = path.join(target, 'base-datadir.version');
  // The same initdb options as core/db/pglite/pgliteInstance.ts's INITDB_PARAMS (1 MB WAL segments).
  const initdb = ['--wal-segsize=1'];
  const made = `${version} ${initdb.join(' ')}`;
  if (fs.existsSync(base) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === made) return;
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite({ initDbStartParams: initdb });
  try {
    await db.waitReady;
    const blob = await db.dumpDataDir('gzip');
    fs.writeFileSync(base, Buffer.from(await blob.arrayBuffer()));
    fs.writeFileSync(stamp, made);
  } finally {
    await db.close();
  }
}
