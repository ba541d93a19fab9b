// Where PGlite's files are at run time: next to the bundle (dist/pglite/, copied there by
// scripts/bundle.mjs and packaged into the .vsix), else in the installed package (the compiled
// tests and tools run from out/). These are the program's own files, not the user's environment.
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

const BUNDLED = path.join(__dirname, 'pglite');

/** Finds PGlite's files; throws when neither the bundle's copy nor the package is there. */
export function findPgliteAssets(): PgliteAssets {
  if (fs.existsSync(path.join(BUNDLED, 'pglite.wasm'))) {
    const base = path.join(BUNDLED, 'base-datadir.tar.gz');
    return { dir: BUNDLED, contribDir: path.join(BUNDLED, 'contrib'), baseDataDir: fs.existsSync(base) ? base : null };
  }
  const dist = packageDist();
  if (dist && fs.existsSync(path.join(dist, 'pglite.wasm'))) return { dir: dist, contribDir: dist, baseDataDir: null };
  throw new Error('PGlite\'s WebAssembly files are missing (neither dist/pglite/ nor node_modules/@electric-sql/pglite): reinstall Drydock');
}
