// Snapshots of a shadow after a prefix of the history, on disk: keyed by the hash of the engine
// (PGlite build, so PostgreSQL version), the tool, and the exact contents of every replayed file in
// order, so a key names one state and the longest cached prefix can be restored. The folder is the
// shell's (the extension's global storage, the CLI's user cache dir); nothing is written elsewhere.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

/** At most this many snapshots are kept (the least recently used go first). */
const MAX_SNAPSHOTS = 6;
// Stored as they are: reading a 37 MB data directory back takes ~20 ms, gunzipping it took ~160 ms
// on the warm run's critical path (Lemmy), for a file that is 7× smaller (5 MB).
const SUFFIX = '.tar';
/** Snapshots an earlier Drydock compressed: never read, removed when the cache is pruned. */
const LEGACY_SUFFIX = '.tar.gz';

/** The key of the empty prefix (bookkeeping only), then one key per replayed migration. */
export function prefixKeys(engine: string, tool: string, texts: readonly { file: string; text: string }[]): string[] {
  const keys: string[] = [];
  let hash = crypto.createHash('sha256').update(`drydock-shadow-v1\0${engine}\0${tool}`).digest('hex');
  keys.push(hash);
  for (const m of texts) {
    const content = crypto.createHash('sha256').update(m.text).digest('hex');
    hash = crypto.createHash('sha256').update(`${hash}\0${content}`).digest('hex');
    keys.push(hash);
  }
  return keys;
}

/** How a snapshot is written to disk (fs.promises.writeFile; a test passes one that fails midway, as a full disk does). */
export type WriteFile = (file: string, data: Uint8Array) => Promise<void>;

/** A half-written snapshot of a writer that is gone (or stuck) this long is removed by the next prune. */
const PARTIAL_STALE_MS = 10 * 60 * 1000;
// <key>.tar.<pid>-<thread>-<random>.partial: two threads of one process (two shadow workers) or two
// writes of one thread never share a name. An earlier Drydock wrote <key>.tar.<pid>.partial.
const PARTIAL = /\.(\d+)(?:-(\d+)-[0-9a-f]+)?\.partial$/;

/** The name part that says who writes a partial file: this process and thread, and this write. */
function writerTag(): string {
  return `${process.pid}-${threadId}-${crypto.randomBytes(4).toString('hex')}`;
}

/** True while the process with this pid runs (another Drydock may be writing its own snapshot). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A folder of snapshots. */
export class SnapshotCache {
  constructor(private readonly dir: string, private readonly writeFile: WriteFile = (file, data) => fs.promises.writeFile(file, data)) {}

  private file(key: string): string {
    return path.join(this.dir, `${key}${SUFFIX}`);
  }

  /** True when a snapshot of this key is cached. */
  has(key: string): boolean {
    return fs.existsSync(this.file(key));
  }

  /** Removes a snapshot (one that would not start). */
  drop(key: string): void {
    fs.rmSync(this.file(key), { force: true });
  }

  /** The longest prefix (index into `keys`) that has a snapshot, or -1. */
  longestCached(keys: readonly string[]): number {
    for (let i = keys.length - 1; i >= 0; i--) if (fs.existsSync(this.file(keys[i]!))) return i;
    return -1;
  }

  /** The snapshot's uncompressed tarball, or null when it is missing or unreadable (then it is dropped). */
  read(key: string): Uint8Array | null {
    const file = this.file(key);
    try {
      const data = fs.readFileSync(file);
      const now = new Date();
      fs.utimesSync(file, now, now);
      return data;
    } catch {
      fs.rmSync(file, { force: true });
      return null;
    }
  }

  /**
   * Stores a snapshot (written beside and renamed, so a reader never sees half a file) and prunes
   * old ones. The writing happens off the main thread, while the targets run. A write that fails
   * (a full disk) leaves nothing behind: the half-written file is removed, and a prune removes those
   * of writers that died.
   */
  async write(key: string, tarball: Uint8Array): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const partial = `${this.file(key)}.${writerTag()}.partial`;
    try {
      await this.writeFile(partial, tarball);
      await fs.promises.rename(partial, this.file(key));
    } catch (err) {
      await fs.promises.rm(partial, { force: true }).catch(() => undefined);
      this.prune();
      throw err;
    }
    this.prune();
  }

  /**
   * Removes the half-written snapshots of a thread of this process that has ended (a shadow worker
   * ended mid-write by a cancel or a timeout): no one will finish them, and the process is alive,
   * so a prune would keep them until they are stale.
   */
  removePartialsOf(endedThreadId: number): void {
    if (!fs.existsSync(this.dir)) return;
    for (const f of fs.readdirSync(this.dir)) {
      const writer = PARTIAL.exec(f);
      if (writer?.[1] === String(process.pid) && writer[2] === String(endedThreadId)) fs.rmSync(path.join(this.dir, f), { force: true });
    }
    this.prune();
  }

  /** The snapshot files, newest use first. */
  entries(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs.readdirSync(this.dir).filter((f) => f.endsWith(SUFFIX))
      .map((f) => ({ f, t: fs.statSync(path.join(this.dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t).map((e) => e.f);
  }

  /** Half-written snapshots no writer will finish: their process is gone, or they are older than any write takes. */
  private abandonedPartials(): string[] {
    const now = Date.now();
    return fs.readdirSync(this.dir).filter((f) => {
      const pid = PARTIAL.exec(f)?.[1];
      if (pid === undefined) return false;
      const stat = fs.statSync(path.join(this.dir, f), { throwIfNoEntry: false });
      return stat !== undefined && (!processRuns(Number(pid)) || now - stat.mtimeMs > PARTIAL_STALE_MS);
    });
  }

  private prune(): void {
    if (!fs.existsSync(this.dir)) return;
    for (const stale of this.entries().slice(MAX_SNAPSHOTS)) fs.rmSync(path.join(this.dir, stale), { force: true });
    for (const legacy of fs.readdirSync(this.dir).filter((f) => f.endsWith(LEGACY_SUFFIX))) fs.rmSync(path.join(this.dir, legacy), { force: true });
    for (const partial of this.abandonedPartials()) fs.rmSync(path.join(this.dir, partial), { force: true });
  }
}
