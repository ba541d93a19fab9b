// Snapshots of a shadow after a prefix of the history, on disk: keyed by the hash of the engine
// (PGlite build, so PostgreSQL version), the tool, and the exact contents of every replayed file in
// order, so a key names one state and the longest cached prefix can be restored. The folder is the
// shell's (the extension's global storage, the CLI's user cache dir); nothing is written elsewhere.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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

/** A folder of snapshots. */
export class SnapshotCache {
  constructor(private readonly dir: string) {}

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
   * old ones. The writing happens off the main thread, while the targets run.
   */
  async write(key: string, tarball: Uint8Array): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const partial = `${this.file(key)}.${process.pid}.partial`;
    await fs.promises.writeFile(partial, tarball);
    await fs.promises.rename(partial, this.file(key));
    this.prune();
  }

  /** The snapshot files, newest use first. */
  entries(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs.readdirSync(this.dir).filter((f) => f.endsWith(SUFFIX))
      .map((f) => ({ f, t: fs.statSync(path.join(this.dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t).map((e) => e.f);
  }

  private prune(): void {
    for (const stale of this.entries().slice(MAX_SNAPSHOTS)) fs.rmSync(path.join(this.dir, stale), { force: true });
    for (const legacy of fs.readdirSync(this.dir).filter((f) => f.endsWith(LEGACY_SUFFIX))) fs.rmSync(path.join(this.dir, legacy), { force: true });
  }
}
