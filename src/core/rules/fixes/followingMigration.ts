// The name of a migration a fix writes to run after the fixed one, in the fixed file's own numbering
// scheme: the next free sequence number (002 → 003, or after the folder's highest), the next
// timestamp (dbmate, goose), Flyway's next V number. Tools with numeric versions reject a duplicate
// number, and a suffix on the same number sorts before the file in a file list.
// Pure: the caller (the language server or the CLI, which read the folder and the clock) passes both in.
import type { Fix, NewFile } from '../../model/findings';

/** What the new migration is named after: the fixed file, the folder's other names, and the time. */
export interface FollowingMigrationInput {
  /** The fixed file's path ("/" or "\" separators, as the finding carries it). */
  file: string;
  /** What the new migration does, appended to the fixed file's name ("concurrently", "validate"). */
  suffix: string;
  /** Base names of the files already in the fixed file's folder. */
  siblings: readonly string[];
  now: Date;
}

interface Scheme {
  /** Matches a base name: group 1 the version, group 2 the rest (name and extension). */
  pattern: RegExp;
  /** The version after `highest` (of the same scheme), given the fixed file's version. */
  next(highest: string, own: string, now: Date): string;
  /** The base name of version `version` with name-and-extension `rest`. */
  name(version: string, rest: string): string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** YYYYMMDDHHMMSS in UTC. */
function timestamp(now: Date): string {
  return `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
}

/** One more than `highest`, as a decimal string of at least `width` digits (versions can exceed 2^53). */
function increment(highest: string, width: number): string {
  return (BigInt(highest) + 1n).toString().padStart(width, '0');
}

// Tables over chains of if: the first scheme whose pattern matches the fixed file names the new one.
const SCHEMES: readonly Scheme[] = [
  {
    // Flyway: V<n>__name.sql (dotted versions compare by their first part here).
    pattern: /^V(\d+)((?:[._]\d+)*__.*)$/,
    next: (highest, own) => increment(highest, own.length),
    name: (version, rest) => `V${version}${rest.replace(/^(?:[._]\d+)*/, '')}`,
  },
  {
    // Timestamps (dbmate, goose's default): the later of now and one past the newest.
    pattern: /^(\d{14,})(_.*)$/,
    next: (highest, own, now) => {
      const stamp = timestamp(now).padEnd(own.length, '0');
      return BigInt(stamp) > BigInt(highest) ? stamp : increment(highest, own.length);
    },
    name: (version, rest) => `${version}${rest}`,
  },
  {
    // Sequence numbers: 001_x.sql, 00002_x.sql (goose sequential), 7_x.sql.
    pattern: /^(\d{1,13})(_.*)$/,
    next: (highest, own) => increment(highest, own.length),
    name: (version, rest) => `${version}${rest}`,
  },
];

/**
 * True when the file's name carries a version of a numbering scheme (001_x.sql, V3__x.sql, a
 * timestamp): a migration written to follow it gets the next version and the tool runs it. A
 * name without one (diesel's up.sql, a folder per migration) gets no such file: the tool would
 * never run it.
 */
export function hasMigrationVersion(file: string): boolean {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return SCHEMES.some((scheme) => scheme.pattern.test(base));
}

/** "name.sql" + "concurrently" → "name_concurrently.sql"; "name.up.sql" → "name_concurrently.up.sql". */
function withSuffix(base: string, suffix: string): string {
  // golang-migrate's and sqlx's "name.up.sql": the tool reads ".up.sql" as one extension.
  const pair = /\.up\.sql$/i.exec(base);
  const dot = pair ? pair.index : base.lastIndexOf('.');
  return dot > 0 ? `${base.slice(0, dot)}_${suffix}${base.slice(dot)}` : `${base}_${suffix}`;
}

/** The name a following migration has until the folder is read: the fixed file's name with the suffix. */
export function provisionalFollowingPath(file: string, suffix: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1;
  return `${file.slice(0, cut)}${withSuffix(file.slice(cut), suffix)}`;
}

/**
 * The path of a new migration that runs after `file` (the next free version of its scheme), or the
 * file's name with the suffix when the name carries no version (the tool orders files some other way).
 */
export function followingMigrationPath(input: FollowingMigrationInput): string {
  const cut = Math.max(input.file.lastIndexOf('/'), input.file.lastIndexOf('\\')) + 1;
  const dir = input.file.slice(0, cut);
  const base = input.file.slice(cut);
  for (const scheme of SCHEMES) {
    const own = scheme.pattern.exec(base);
    if (!own) continue;
    const versions = [base, ...input.siblings].map((s) => scheme.pattern.exec(s)?.[1]).filter((v): v is string => v !== undefined);
    const highest = versions.reduce((a, b) => (BigInt(b) > BigInt(a) ? b : a));
    const taken = new Set(input.siblings);
    let version = scheme.next(highest, own[1]!, input.now);
    let name = scheme.name(version, withSuffix(own[2]!, input.suffix));
    // A sibling of another scheme can hold the name (a stray "003_…" beside timestamps): step past it.
    while (taken.has(name)) {
      version = increment(version, version.length);
      name = scheme.name(version, withSuffix(own[2]!, input.suffix));
    }
    return `${dir}${name}`;
  }
  return `${dir}${withSuffix(base, input.suffix)}`;
}

/** The base name of a path with "/" or "\" separators. */
function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/**
 * The fix with each migration it writes to run after the fixed one named by the folder's own
 * scheme (the next free number or timestamp), and its title naming that file. `siblings` is asked
 * only when the fix writes such a migration (reading the folder is the caller's).
 */
export function placeFollowingMigrations(fix: Fix, fixedFile: string, now: Date, siblings: () => readonly string[]): Fix {
  if (!(fix.newFiles ?? []).some((f) => f.following !== undefined)) return fix;
  let title = fix.title;
  // A plan of several migrations numbers them in order: each takes the version after the one before.
  const placedSoFar: string[] = [];
  const newFiles = fix.newFiles!.map((created): NewFile => {
    if (created.following === undefined) return created;
    const placed = followingMigrationPath({ file: fixedFile, suffix: created.following, siblings: [...siblings(), ...placedSoFar], now });
    placedSoFar.push(baseName(placed));
    title = title.replace(baseName(created.file), baseName(placed));
    return { ...created, file: placed };
  });
  return { ...fix, title, newFiles };
}

/** Whether a following migration of `file` gets a version that orders it after the file (not only a suffix). */
export function numbersFollowing(file: string): boolean {
  return SCHEMES.some((scheme) => scheme.pattern.test(baseName(file)));
}
