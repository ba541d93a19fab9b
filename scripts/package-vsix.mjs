// Packages the extension with vsce into dist/drydock.vsix and checks what went in: the bundles (the
// extension, the language server it starts, the server's shadow worker),
// libpg-query's WebAssembly parser next to it, PGlite's files (dist/pglite/, the shadow), drydock.json's
// schema, every rule's docs page (docs/rules/) and a total under 20 MB. With --unpack <dir>, also
// extracts the package's extension/ folder there (the extension tests can run from it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vsix = path.join(root, 'dist', 'drydock.vsix');
const MAX_BYTES = 20 * 1024 * 1024;
const REQUIRED = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/libpg-query.wasm',
  'extension/dist/pglite/pglite.wasm', 'extension/dist/pglite/pglite.data', 'extension/dist/pglite/initdb.wasm',
  'extension/dist/pglite/base-datadir.tar.gz', 'extension/dist/pglite/contrib/pgcrypto.tar.gz',
  // The shadow's worker thread, started from the bundle's folder.
  'extension/dist/shadowWorker.js',
  // The editor validates drydock.json with it (contributes.jsonValidation).
  'extension/schemas/drydock.schema.json',
  // Diagnostic codes and hovers link to the rules' pages inside the installed extension: every one.
  ...fs.readdirSync(path.join(root, 'docs', 'rules')).filter((f) => f.endsWith('.md')).map((f) => `extension/docs/rules/${f}`)];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', ...options });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed:\n${result.stdout ?? ''}${result.stderr ?? ''}`);
    process.exit(1);
  }
  return result.stdout;
}

fs.rmSync(vsix, { force: true });
// The project has no public repository URL yet: keep README links relative (the screenshot is
// packaged too, so they resolve inside the installed extension).
run(process.execPath, [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies',
  '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', vsix]);
const size = fs.statSync(vsix).size;
const listing = run('python3', ['-m', 'zipfile', '-l', vsix]);
const missing = REQUIRED.filter((entry) => !listing.includes(entry));
if (missing.length > 0) {
  console.error(`package-vsix: ${path.relative(root, vsix)} lacks ${missing.join(', ')}`);
  process.exit(1);
}
if (size >= MAX_BYTES) {
  console.error(`package-vsix: ${path.relative(root, vsix)} is ${size} bytes, over the 20 MB limit`);
  process.exit(1);
}
console.log(`package-vsix: dist/drydock.vsix ${Math.round(size / 1024)} KiB, ${listing.trim().split('\n').length - 1} files`);

const unpackAt = process.argv.indexOf('--unpack');
if (unpackAt !== -1) {
  const target = process.argv[unpackAt + 1];
  if (!target) throw new Error('--unpack needs a directory');
  fs.rmSync(target, { recursive: true, force: true });
  run('python3', ['-m', 'zipfile', '-e', vsix, target]);
  console.log(`package-vsix: unpacked to ${path.join(target, 'extension')}`);
}
