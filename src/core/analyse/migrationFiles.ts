// Which files are forward migrations: their statements build the schema the later files see.
// Down, revert and undo scripts (diesel down.sql, sqitch revert/, Flyway U…__, *.down.sql) are
// checked like any file but never teach the schema, or a down that drops a table would hide it.
import { compareVersions, leadingVersion } from '../model/migrationVersion';

const REVERT_FILE = /(^|\/)(down|revert|rollback)\.sql$|[._-]down\.sql$|(^|\/)(revert|rollback)\/|(^|\/)U\d+(_\d+)*__[^/]*\.sql$/i;

/** True for a file that undoes a migration rather than applying one. */
export function isRevertFile(path: string): boolean {
  return REVERT_FILE.test(path.replace(/\\/g, '/'));
}

export { leadingVersion };

const byName = new Intl.Collator('en', { numeric: true });

/** The leading version for comparing: without leading zeros (`007` and `7` are the same number). */
function versionOf(name: string): string | null {
  // A folder of hundreds of migrations is sorted on every editor check: each name's version is worked out once.
  let version = versions.get(name);
  if (version === undefined) {
    version = leadingVersion(name)?.replace(/^0+(?=\d)/, '') ?? null;
    if (versions.size >= MAX_VERSIONS) versions.clear();
    versions.set(name, version);
  }
  return version;
}

const versions = new Map<string, string | null>();
const MAX_VERSIONS = 20_000;

/**
 * The order migration files run in, by name: first by the version a name starts with (above), then
 * a name before the longer names it begins (`007_add.sql` before `007_add_concurrently.sql`, the
 * follow-up migration a fix writes). The collator alone would put the longer name first, since it
 * ranks `_` before `.`; byte order agrees once the extension is left out of the comparison.
 */
export function compareMigrationNames(a: string, b: string): number {
  const versionA = versionOf(a);
  const versionB = versionOf(b);
  const byVersion = versionA !== null && versionB !== null ? compareVersions(versionA, versionB) : 0;
  if (byVersion !== 0) return byVersion;
  const stem = (name: string) => name.replace(/\.sql$/i, '');
  return byName.compare(stem(a), stem(b)) || byName.compare(a, b);
}

/** A directory entry or a file's stats: what kind of file it is. */
interface FileKind {
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}

/**
 * What a file named like a migration is when it is no regular file ("a FIFO", "a socket", "a
 * device"): reading it would block or never end, so it is left out (and the user told). Null for a
 * regular file, a directory or a link.
 */
export function specialFileKind(entry: FileKind): string | null {
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return null;
}
