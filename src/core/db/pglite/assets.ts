// Where PGlite's files are at run time: next to the bundle (dist/pglite/, copied there by
// scripts/bundle.mjs and packaged into the .vsix); from the compiled sources (out/src/core/db/pglite,
// which the demo, tests and benchmarks run), the same build's dist/pglite/; else the installed
// package, without the initialised data directory. These are the program's own files, not the
// user's environment.
import fs from 'node:fs';
import path from 'node:path';

/** The folder that holds pglite.wasm, pglite.data, initdb.wasm and the contrib extension bundles. */
export interface PgliteAssets {
  dir: string;
  /** The extension bundles' folder (<name>.tar.gz). */
  contribDir: string;
  /** An initialised data directory (a tarball) made at build time, so a first boot skips initdb; null when absent. */
  baseDataDir: string | null;
}

function packageDist(): string | null {
  try {
    return path.dirname(require.resolve('@electric-sql/pglite'));
  } catch {
    return null;
  }
}

const BUILT = [path.join(__dirname, 'pglite'), path.join(__dirname, '..', '..', '..', '..', '..', 'dist', 'pglite')];

/** Finds PGlite's files; throws when neither the build's copy nor the package is there. */
export function findPgliteAssets(): PgliteAssets {
  const built = BUILT.find((dir) => fs.existsSync(path.join(dir, 'pglite.wasm')));
  if (built) {
    const base = path.join(built, 'base-datadir.tar.gz');
    return { dir: built, contribDir: path.join(built, 'contrib'), baseDataDir: fs.existsSync(base) ? base : null };
  }
  const dist = packageDist();
  if (dist && fs.existsSync(path.join(dist, 'pglite.wasm'))) return { dir: dist, contribDir: dist, baseDataDir: null };
  throw new Error('PGlite\'s WebAssembly files are missing (neither dist/pglite/ nor node_modules/@electric-sql/pglite): reinstall Drydock');
}
