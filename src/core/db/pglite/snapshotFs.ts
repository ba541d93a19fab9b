// PGlite's in-memory file system, filled from a data-directory tarball (a snapshot) before the
// server starts. PGlite's own loadDataDir goes through a Blob (two more copies of the data, one of
// them kept for the instance's lifetime); this writes the tar's entries straight into the file
// system and lets the tarball go.
import { MemoryFS, PGlite } from '@electric-sql/pglite';

interface TarEntry {
  name: string;
  directory: boolean;
  mode: number;
  data: Uint8Array;
}

const decoder = new TextDecoder();

function text(block: Uint8Array, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return decoder.decode(end >= 0 ? field.subarray(0, end) : field);
}

const octal = (block: Uint8Array, start: number, length: number) => parseInt(text(block, start, length).trim() || '0', 8);

/** The entries of a ustar archive (what PGlite's dumpDataDir writes). */
export function* tarEntries(tar: Uint8Array): Generator<TarEntry> {
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) return;
    const size = octal(header, 124, 12);
    const prefix = text(header, 345, 155);
    const name = text(header, 0, 100);
    yield {
      name: prefix ? `${prefix}/${name}` : name,
      directory: header[156] === 0x35, // '5'
      mode: octal(header, 100, 8),
      data: tar.subarray(at + 512, at + 512 + size),
    };
    at += 512 + Math.ceil(size / 512) * 512;
  }
}

interface EmscriptenFs {
  mkdirTree(path: string, mode?: number): void;
  writeFile(path: string, data: Uint8Array): void;
  chmod(path: string, mode: number): void;
}

/** An in-memory file system that starts out holding the data directory of `tarball`. */
export class SnapshotFS extends MemoryFS {
  constructor(private tarball: Uint8Array | null) {
    super();
  }

  override async initialSyncFs(): Promise<void> {
    const tar = this.tarball;
    this.tarball = null;
    if (!tar) return;
    const fs = (this.pg as PGlite).Module.FS as unknown as EmscriptenFs;
    const root = PGlite.paths.PGDATA;
    fs.mkdirTree(root);
    for (const entry of tarEntries(tar)) {
      const path = `${root}/${entry.name.replace(/^\/+|\/+$/g, '')}`.replace(/\/$/, '');
      if (entry.directory) {
        fs.mkdirTree(path);
        continue;
      }
      fs.mkdirTree(path.slice(0, path.lastIndexOf('/')));
      fs.writeFile(path, entry.data);
      if (entry.mode) fs.chmod(path, entry.mode);
    }
  }
}
