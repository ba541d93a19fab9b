// One in-process PostgreSQL (PGlite, WebAssembly): booted from a snapshot of a data directory, the
// initialised data directory made at build time, or initdb; snapshotted with dumpDataDir; always
// closed (an open instance keeps the process alive). The only place that constructs PGlite.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { findPgliteAssets, type PgliteAssets } from './assets';
import { contribBundlesFor } from './contrib';
import { SnapshotFS } from './snapshotFs';

// Smaller shared buffers than PGlite's 160 MB: a shadow holds schemas, not data, and the memory is
// the extension host's. WAL in 1 MB segments, and none kept beyond what the last checkpoint needs,
// so a snapshot carries about 2 MB of WAL instead of two 16 MB segments (restoring is untarring
// into memory: every megabyte counts).
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'wal_buffers=1MB',
  '-c', 'min_wal_size=2MB', '-c', 'max_wal_size=256MB', '-c', 'wal_recycle=off'];
/** initdb's options beyond PGlite's own (scripts/bundle.mjs makes the shipped data directory with the same). */
export const INITDB_PARAMS = ['--wal-segsize=1'];

/** How to boot an instance. */
export interface PgliteBoot {
  /** An uncompressed data-directory tarball (a snapshot); null boots an empty cluster. */
  dataDir: Uint8Array | null;
  /** Extension names the migrations create; the ones PGlite ships are loaded. */
  extensions: Iterable<string>;
}

/** A compiled WebAssembly module (this project's TypeScript lib has no WebAssembly types). */
export type WasmModule = object;
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } }).WebAssembly;

/** PGlite's two modules as compiled from one assets folder. */
export interface CompiledPglite {
  dir: string;
  pglite: WasmModule;
  initdb: WasmModule;
}

let compiled: { dir: string; pglite: Promise<WasmModule>; initdb: Promise<WasmModule> } | null = null;

/**
 * Uses modules another thread compiled (a shadow worker started after one that was ended is handed
 * its predecessor's: compiling pglite.wasm again took about 2.6 s of the next run).
 */
export function useCompiledPglite(modules: CompiledPglite): void {
  compiled = { dir: modules.dir, pglite: Promise.resolve(modules.pglite), initdb: Promise.resolve(modules.initdb) };
}

/** The modules this thread compiled (or was handed), once compiled; null before any instance was booted. */
export async function compiledPglite(): Promise<CompiledPglite | null> {
  const current = compiled;
  if (!current) return null;
  const [pglite, initdb] = await Promise.all([current.pglite, current.initdb]);
  return { dir: current.dir, pglite, initdb };
}

// Compiled once per process: an instance restored for the next run reuses the modules.
function modules(assets: PgliteAssets): { pglite: Promise<WasmModule>; initdb: Promise<WasmModule> } {
  if (compiled?.dir !== assets.dir) {
    const compile = (file: string) => fs.promises.readFile(path.join(assets.dir, file)).then((bytes) => wasm.compile(bytes));
    compiled = { dir: assets.dir, pglite: compile('pglite.wasm'), initdb: compile('initdb.wasm') };
  }
  return compiled;
}

function initialDataDir(assets: PgliteAssets): Uint8Array | null {
  return assets.baseDataDir ? zlib.gunzipSync(fs.readFileSync(assets.baseDataDir)) : null;
}

/**
 * Counts the times PGlite's backend runs out of WebAssembly stack (a statement nested too deeply
 * for its build, which runs out well before PostgreSQL's own max_stack_depth). PGlite catches that
 * inside its message loop and carries on as if nothing happened: the statement is dropped without
 * an error (or a later message fails with a misleading one), and the backend's state is no longer
 * reliable. Seen here, it is reported and the instance is not trusted again.
 */
function watchStackOverflows(db: PGlite, onOverflow: () => void): void {
  const mod = (db as unknown as { mod?: Record<string, unknown> }).mod;
  const loop = mod?._PostgresMainLoopOnce;
  if (!mod || typeof loop !== 'function') return;
  mod._PostgresMainLoopOnce = (...args: unknown[]): unknown => {
    try {
      return loop.apply(mod, args);
    } catch (err) {
      if (err instanceof RangeError) onOverflow();
      throw err;
    }
  };
}

/** A running PGlite and what it was booted with. */
export class PgliteInstance {
  private overflows = 0;

  private constructor(
    readonly db: PGlite,
    readonly extensions: ReadonlySet<string>,
    readonly bootMs: number,
    /** False when the boot ran initdb (no snapshot and no shipped initialised data directory). */
    readonly bootedFromBase: boolean,
  ) {}

  /** Boots an instance (WebAssembly compiled on first use). */
  static async boot(boot: PgliteBoot): Promise<PgliteInstance> {
    const t0 = performance.now();
    const assets = findPgliteAssets();
    const bundles = contribBundlesFor(boot.extensions);
    const { pglite, initdb } = modules(assets);
    const dataDir = boot.dataDir ?? initialDataDir(assets);
    const db = new PGlite({
      pgliteWasmModule: (await pglite) as never,
      initdbWasmModule: (await initdb) as never,
      fsBundle: new Blob([fs.readFileSync(path.join(assets.dir, 'pglite.data'))]),
      extensions: Object.fromEntries(bundles.map((b) => [b, pathToFileURL(path.join(assets.contribDir, `${b}.tar.gz`))])),
      startParams: START_PARAMS,
      initDbStartParams: INITDB_PARAMS,
      // With a data directory PGlite finds PG_VERSION and starts it; without, it runs initdb.
      ...(dataDir ? { fs: new SnapshotFS(dataDir) } : {}),
    });
    try {
      await db.waitReady;
    } catch (err) {
      await db.close().catch(() => undefined);
      throw err;
    }
    const instance = new PgliteInstance(db, new Set(bundles), performance.now() - t0, dataDir !== null);
    watchStackOverflows(db, () => { instance.overflows += 1; });
    return instance;
  }

  /** How many times the backend ran out of stack so far (see watchStackOverflows). */
  get stackOverflows(): number {
    return this.overflows;
  }

  /** True once the backend ran out of stack: its state can no longer be trusted (nor snapshotted). */
  get broken(): boolean {
    return this.overflows > 0;
  }

  /** True when every extension these names need is loaded (else the instance must be booted again). */
  canCreate(extensions: Iterable<string>): boolean {
    return contribBundlesFor(extensions).every((b) => this.extensions.has(b));
  }

  /** The data directory as an uncompressed tarball (after a CHECKPOINT, so it restores without WAL replay). */
  async snapshot(): Promise<Uint8Array> {
    await this.db.query('CHECKPOINT');
    const blob = await this.db.dumpDataDir('none');
    return new Uint8Array(await blob.arrayBuffer());
  }

  get closed(): boolean {
    return this.db.closed;
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

let engineId: string | null = null;

/**
 * Names the PGlite build (and so its PostgreSQL version) and the settings it runs with, for
 * snapshot keys: a snapshot is only restored into the engine that wrote it. Hashes the head of
 * pglite.wasm and the settings, once per process.
 */
export function pgliteEngineId(): string {
  if (engineId) return engineId;
  const assets = findPgliteAssets();
  const file = path.join(assets.dir, 'pglite.wasm');
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(1 << 20);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    // The server's settings and initdb options belong to it too: a snapshot made under other ones
    // (say 16 MB WAL segments) may not start under these.
    const settings = [...START_PARAMS, ...INITDB_PARAMS].join(' ');
    engineId = `pglite-${fs.fstatSync(fd).size}-${createHash('sha256').update(head.subarray(0, n)).update(settings).digest('hex').slice(0, 16)}`;
    return engineId;
  } finally {
    fs.closeSync(fd);
  }
}
