// The migrations that come before the target files, in the order the project's tool applies them,
// with the up part only and whether each runs in a transaction. Read from disk next to the targets
// (the shell passes absolute paths; core never resolves against the current directory).
import fs from 'node:fs';
import path from 'node:path';
import { compareMigrationNames, isRevertFile, leadingVersion, specialFileKind } from '../analyse/migrationFiles';
import { directiveLine } from '../config/projectNoTransaction';
import type { ProjectSettings } from '../config/projectSettings';
import { readToolNoTransaction } from '../config/toolNoTransaction';
import { readDirectives } from '../parse/directives';
import { flywayRunsOutsideTransaction } from '../parse/flywayDetection';
import { decodeMigrationText } from '../parse/parseMigration';
import type { WorkspaceEntry } from '../templates/detect';
import { detectHistoryTool, type HistoryTool } from './historyTools';
import { pushAll } from '../model/arrays';

/** One earlier migration as its tool applies it. */
export interface HistoryMigration {
  /** Absolute path of the file that runs (up.sql, migration.sql, deploy/x.sql, …). */
  file: string;
  /** The version or name the tool records (what its bookkeeping row holds). */
  version: string;
  text: string;
  /** The tool runs it outside a transaction (its own directive or configuration says so). */
  noTransaction: boolean;
}

/** A file named like a migration that is not read: a FIFO, a socket or a device would block the read or never end. */
export interface SkippedFile {
  file: string;
  /** "a FIFO", "a socket", "a device". */
  kind: string;
}

/** The history before the targets. */
export interface History {
  tool: HistoryTool;
  /** The folder the migrations live in. */
  root: string;
  /** Earlier migrations, in the order the tool applies them. */
  migrations: HistoryMigration[];
  /** The migrations after the last target, in order (the editor's check reads them as a check of the whole folder would). */
  later: HistoryMigration[];
  /** Files named like migrations that are not regular files, left out (the shell says so). */
  skipped: SkippedFile[];
}


/** Text read from a file, with the size and modification time it was read at. */
interface ReadText {
  size: number;
  mtimeNs: bigint;
  text: string;
}

/** File texts already read, by path. */
const texts = new Map<string, ReadText>();
const MAX_CACHED_TEXTS = 5000;

/**
 * The text `cache` holds under `key` when the file's size and nanosecond modification time are
 * still those it was read at, else `readText()`'s, kept. A long-lived process (the editor's
 * language server listing the folder on every check) rereads only the files that changed.
 */
function cachedText(cache: Map<string, ReadText>, key: string, stat: fs.BigIntStats, readText: () => string): string {
  const known = cache.get(key);
  if (known && known.size === Number(stat.size) && known.mtimeNs === stat.mtimeNs) return known.text;
  const text = readText();
  if (cache.size >= MAX_CACHED_TEXTS) cache.clear();
  cache.set(key, { size: Number(stat.size), mtimeNs: stat.mtimeNs, text });
  return text;
}

/**
 * A file's text (cachedText). Bytes that are not UTF-8 read as U+FFFD (and a NUL stays a NUL): the
 * replay refuses such a file at that place. `stat` is the caller's own of the file, when it took one.
 */
function read(file: string, stat: fs.BigIntStats = fs.statSync(file, { bigint: true })): string {
  return cachedText(texts, file, stat, () => {
    const bytes = fs.readFileSync(file);
    return decodeMigrationText(bytes) ?? bytes.toString('utf8');
  });
}

/** Where a listing notes the files it leaves out. */
type Skipped = SkippedFile[];

/** The file's stat when it exists as a regular file, else null; a FIFO, socket or device there is noted as skipped (one stat, no open). */
function regularFile(file: string, skipped: Skipped): fs.BigIntStats | null {
  const stat = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  if (!stat) return null;
  const kind = specialFileKind(stat);
  if (kind) skipped.push({ file, kind });
  return stat.isFile() ? stat : null;
}

function unsortedEntries(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareMigrationNames(a.name, b.name));
  } catch {
    return [];
  }
}

// Every directive that means "outside a transaction" names it so; most files hold none, and
// reading the directives line by line over a long history would cost every save.
const MAY_HOLD_NO_TRANSACTION = /no[-\s]?transaction|transaction:false|disable-tx|disable-transaction|txmode/i;
function directiveSaysNoTransaction(text: string): boolean {
  // The editor lists the folder on every check: a text already judged (the same string, from `texts`) is not searched again.
  let says = noTransactionByText.get(text);
  if (says === undefined) {
    says = MAY_HOLD_NO_TRANSACTION.test(text) && readDirectives(text).noTransaction !== null;
    if (noTransactionByText.size >= MAX_CACHED_TEXTS) noTransactionByText.clear();
    noTransactionByText.set(text, says);
  }
  return says;
}
const noTransactionByText = new Map<string, boolean>();

// The version the tool records: the name's leading version, else the name itself.
const versionOfName = (name: string) => leadingVersion(name) ?? name;

/** A folder whose files are migrations (`pattern` picks them), ordered by name. */
function filesIn(root: string, pattern: RegExp, version: (name: string) => string, noTransaction: (file: string, text: string) => boolean, skipped: Skipped): HistoryMigration[] {
  const named = listDir(root).filter((e) => pattern.test(e.name));
  for (const e of named) {
    const kind = specialFileKind(e);
    if (kind) skipped.push({ file: path.join(root, e.name), kind });
  }
  return named.filter((e) => e.isFile()).map((e) => {
    const file = path.join(root, e.name);
    const text = read(file);
    return { file, version: version(e.name), text, noTransaction: noTransaction(file, text) };
  });
}

/** A folder of one folder per migration (`<version>_name/<script>`), ordered by folder name. */
function foldersIn(root: string, script: string, noTransaction: (folder: string, text: string) => boolean, skipped: Skipped): HistoryMigration[] {
  return listDir(root).filter((e) => e.isDirectory()).flatMap((e) => {
    const folder = path.join(root, e.name);
    const file = path.join(folder, script);
    const stat = regularFile(file, skipped);
    if (!stat) return [];
    const text = read(file, stat);
    return [{ file, version: versionOfName(e.name), text, noTransaction: noTransaction(folder, text) }];
  });
}

/** The changes a sqitch plan lists, in order (tags and pragmas skipped). */
function sqitchChanges(root: string, skipped: Skipped): HistoryMigration[] {
  const planStat = regularFile(path.join(root, 'sqitch.plan'), skipped);
  const plan = planStat ? read(path.join(root, 'sqitch.plan'), planStat) : '';
  return plan.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^[%#@]/.test(l)).flatMap((line) => {
    const name = line.split(/\s+/)[0]!;
    const file = path.join(root, 'deploy', `${name}.sql`);
    const stat = regularFile(file, skipped);
    if (!stat) return [];
    const text = read(file, stat);
    return [{ file, version: name, text, noTransaction: directiveSaysNoTransaction(text) }];
  });
}

/** How to list each tool's migrations from its folder, in the tool's order (noting the non-regular files it leaves out). */
const LISTERS: Readonly<Record<HistoryTool, (root: string, skipped: Skipped) => HistoryMigration[]>> = {
  // Plain folders include golang-migrate's and sqlx's NNN_x.up.sql / NNN_x.down.sql pairs: a replay
  // runs forward, so the down (revert, rollback) scripts never run.
  plain: (root, skipped) => filesIn(root, /\.sql$/i, (n) => n.replace(/\.sql$/i, ''), (_f, t) => directiveSaysNoTransaction(t), skipped).filter((m) => !isRevertFile(m.file)),
  dbmate: (root, skipped) => filesIn(root, /^\d+_.*\.sql$/, versionOfName, (_f, t) => directiveSaysNoTransaction(t), skipped),
  goose: (root, skipped) => filesIn(root, /^\d+_.*\.sql$/, versionOfName, (_f, t) => directiveSaysNoTransaction(t), skipped),
  flyway: (root, skipped) => filesIn(root, /^V\d+(?:[._]\d+)*__.*\.sql$/, (n) => /^V([\d._]+)__/.exec(n)?.[1]?.replace(/_/g, '.') ?? n,
    // Flyway itself runs a migration holding CREATE INDEX CONCURRENTLY (and a few more) outside a transaction.
    (f, t) => directiveSaysNoTransaction(t) || readToolNoTransaction(f) !== null || flywayRunsOutsideTransaction(f, t), skipped),
  sqitch: sqitchChanges,
  graphile: (root, skipped) => filesIn(path.join(root, 'committed'), /\.sql$/, (n) => n.replace(/\.sql$/, ''), (_f, t) => /^--!\s*no-transaction/m.test(t), skipped),
  diesel: (root, skipped) => foldersIn(root, 'up.sql', (folder, t) => directiveSaysNoTransaction(t)
    || readToolNoTransaction(path.join(folder, 'up.sql')) !== null, skipped),
  prisma: (root, skipped) => foldersIn(root, 'migration.sql', () => false, skipped),
  // Its version is the number before the first '_'; the down scripts never run forward.
  'golang-migrate': (root, skipped) => filesIn(root, /^\d+_.*\.up\.sql$/, versionOfName, () => false, skipped),
  // <id>[-_]name.sql by its integer id; the tool looks for its directive's text anywhere in the file.
  'postgres-migrations': (root, skipped) => filesIn(root, /^\d+[-_]?.*\.sql$/i, (n) => String(parseInt(n, 10)),
    (_f, t) => t.includes('-- postgres-migrations disable-transaction'), skipped),
  // <version>_<description>.sql (or .up.sql, whose .down.sql reverts); the file's first bytes say whether it runs outside a transaction.
  sqlx: (root, skipped) => filesIn(root, /^\d+_.*\.sql$/, versionOfName, (_f, t) => t.startsWith('-- no-transaction'), skipped).filter((m) => !isRevertFile(m.file)),
  // Every .sql file of the folder, by name; the version is the name before its first '_'.
  atlas: (root, skipped) => filesIn(root, /\.sql$/i, (n) => n.replace(/\.sql$/i, '').split('_')[0]!, (_f, t) => directiveSaysNoTransaction(t), skipped),
  tern: (root, skipped) => filesIn(root, /^\d+_.+\.sql$/, versionOfName, (_f, t) => /^---- tern: disable-tx ----$/m.test(t), skipped),
  // Every .sql file (its name is its id), numbered ones by their number.
  'sql-migrate': (root, skipped) => filesIn(root, /\.sql$/i, (n) => n, (_f, t) => directiveSaysNoTransaction(t), skipped),
  // Its SQL migrations only (a JavaScript one cannot be replayed); they always run in a transaction.
  'node-pg-migrate': (root, skipped) => filesIn(root, /^\d+_.*\.sql$/, (n) => n.replace(/\.sql$/, ''), () => false, skipped),
};

/** The migrations folder a target file implies: one folder per migration, deploy/, committed/, or its own folder. */
export function migrationsRoot(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  if (base === 'up.sql' || base === 'migration.sql') return path.dirname(dir);
  if (['deploy', 'committed'].includes(path.basename(dir))) return path.dirname(dir);
  return dir;
}

/** Manifests whose dependencies name the migration tool (read, so detection can look for its name). */
const MANIFESTS = ['package.json', 'Cargo.toml'];
const MANIFEST_BYTES = 64 * 1024;

/** The tools' configuration files whose presence is evidence of the tool. */
const TOOL_CONFIGS = ['diesel.toml', 'sqitch.plan', '.gmrc', '.gmrc.js', 'flyway.conf', 'flyway.toml', 'tern.conf', 'dbconfig.yml'];

/**
 * Tool configuration files in the folders above the migrations (diesel.toml, sqitch.plan, .gmrc, …), and the manifests there with their text.
 * One listing per folder rather than a lookup per name: the editor asks on every check.
 */
function configAbove(root: string): WorkspaceEntry[] {
  const found: WorkspaceEntry[] = [];
  let dir = root;
  for (let depth = 0; depth < 3; depth++) {
    const names = new Map(unsortedEntries(dir).map((entry) => [entry.name, entry]));
    for (const name of TOOL_CONFIGS) if (names.has(name)) found.push({ path: name });
    for (const name of MANIFESTS) {
      const entry = names.get(name);
      const file = path.join(dir, name);
      // A symbolic link to a manifest counts as the manifest.
      if (entry && (entry.isFile() || (entry.isSymbolicLink() && fs.statSync(file, { throwIfNoEntry: false })?.isFile()))) found.push({ path: name, text: headOf(file, MANIFEST_BYTES) });
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return found;
}

/** How many top-level files are read for content evidence (dbmate's and goose's annotations). */
const TEXT_SAMPLE = 20;
const HEAD_BYTES = 4096;

function headOf(file: string, bytes: number): string {
  return cachedText(heads, `${bytes}:${file}`, fs.statSync(file, { bigint: true }), () => {
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      return buffer.subarray(0, fs.readSync(fd, buffer, 0, bytes, 0)).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  });
}

/** The starts of files already read (detection's evidence), kept as `texts` keeps whole files. */
const heads = new Map<string, ReadText>();

const head = (file: string) => headOf(file, HEAD_BYTES);

/**
 * What detection needs from the migrations folder, cheaply: its files and its folders' scripts by
 * path, and the start of a few top-level .sql files (runs on every save, over histories of
 * hundreds of migrations).
 */
function folderEntries(root: string): WorkspaceEntry[] {
  const entries: WorkspaceEntry[] = [];
  let sampled = 0;
  for (const item of listDir(root)) {
    if (item.isDirectory()) {
      // Detection needs the script's name only; a folder per migration holds one of these.
      const script = ['up.sql', 'migration.sql'].find((s) => fs.statSync(path.join(root, item.name, s), { throwIfNoEntry: false }) !== undefined);
      if (script) entries.push({ path: `${item.name}/${script}` });
      if (['deploy', 'committed'].includes(item.name)) pushAll(entries, listDir(path.join(root, item.name)).map((f) => ({ path: `${item.name}/${f.name}` })));
    } else if (!/\.sql$/i.test(item.name) || !item.isFile()) {
      // A FIFO named x.sql would block the read: its name is evidence enough.
      entries.push({ path: item.name });
    } else if (sampled++ < TEXT_SAMPLE) {
      // Only the sample stands for the .sql files, so path and content evidence keep their proportions.
      entries.push({ path: item.name, text: head(path.join(root, item.name)) });
    }
  }
  return entries;
}

/**
 * A migrations folder's migrations as its tool lists them (the tool detected as for a shadow run),
 * in the tool's order: only what runs forward, and nothing the tool would not run (a diesel
 * folder's loose top-level .sql files, a README).
 */
export function migrationsIn(root: string, override?: HistoryTool | 'auto', noTransactionDirective?: string): { tool: HistoryTool; migrations: HistoryMigration[]; skipped: SkippedFile[] } {
  const tool = detectHistoryTool([...folderEntries(root), ...configAbove(root)], override);
  const skipped: SkippedFile[] = [];
  const migrations = LISTERS[tool](root, skipped);
  // The project's own runner's directive (drydock.json) runs a file outside a transaction too.
  if (noTransactionDirective) for (const m of migrations) m.noTransaction ||= directiveLine(m.text, noTransactionDirective) !== null;
  return { tool, migrations, skipped };
}

/** Where a target stands in the tool's order: the migrations before it and after it. */
function around(migrations: readonly HistoryMigration[], target: string, root: string): { before: HistoryMigration[]; after: HistoryMigration[] } {
  const at = migrations.findIndex((m) => m.file === target);
  if (at >= 0) return { before: migrations.slice(0, at), after: migrations.slice(at + 1) };
  // A target the tool would not list (graphile's current.sql, a new file): everything listed that sorts before it.
  // A target kept outside drydock.json's migrations folder sorts by its name within its own folder.
  const outside = path.relative(root, target).startsWith('..');
  const key = (file: string) => (outside ? path.relative(file === target ? migrationsRoot(file) : root, file) : path.relative(path.dirname(path.dirname(file)), file));
  if (path.basename(target) === 'current.sql') return { before: [...migrations], after: [] };
  const sortsBefore = (m: HistoryMigration) => compareMigrationNames(key(m.file), key(target)) < 0;
  return { before: migrations.filter(sortsBefore), after: migrations.filter((m) => !sortsBefore(m)) };
}

/** The history around one file as its drydock.json (if any) sets the tool, the folder and the no-transaction directive: how the editor and `check -` list it. */
export function findHistoryFor(file: string, config: Pick<ProjectSettings, 'tool' | 'migrations' | 'noTransactionDirective'> | null): History {
  return findHistory([file], config?.tool ?? undefined, config?.migrations ?? undefined, config?.noTransactionDirective ?? undefined);
}

/**
 * Finds the tool and the migrations before the first target (absolute paths). `folder`: the
 * migrations folder drydock.json names, instead of the one the first target's place implies.
 */
export function findHistory(targets: readonly string[], override?: HistoryTool | 'auto', folder?: string, noTransactionDirective?: string): History {
  const first = targets[0];
  if (!first) throw new Error('a shadow run needs at least one file');
  const root = folder ?? migrationsRoot(first);
  const { tool, migrations: listed, skipped } = migrationsIn(root, override, noTransactionDirective);
  const targetSet = new Set(targets);
  const earlier = around(listed, first, root).before.filter((m) => !targetSet.has(m.file));
  const later = around(listed, targets[targets.length - 1] ?? first, root).after.filter((m) => !targetSet.has(m.file));
  return { tool, root, migrations: earlier, later, skipped };
}
