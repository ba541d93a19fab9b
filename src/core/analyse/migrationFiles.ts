// Which files are forward migrations: their statements build the schema the later files see.
// Down, revert and undo scripts (diesel down.sql, sqitch revert/, Flyway U…__, *.down.sql) are
// checked like any file but never teach the schema, or a down that drops a table would hide it.

const REVERT_FILE = /(^|\/)(down|revert|rollback)\.sql$|[._-]down\.sql$|(^|\/)(revert|rollback)\/|(^|\/)U\d+(_\d+)*__[^/]*\.sql$/i;

/** True for a file that undoes a migration rather than applying one. */
export function isRevertFile(path: string): boolean {
  return REVERT_FILE.test(path.replace(/\\/g, '/'));
}

const byName = new Intl.Collator('en', { numeric: true });

/**
 * The order migration files run in, by name: numbers compared as numbers (`9_x` before `10_x`), and
 * a name before the longer names it begins (`007_add.sql` before `007_add_concurrently.sql`, the
 * follow-up migration a fix writes). The collator alone would put the longer name first, since it
 * ranks `_` before `.`; byte order agrees once the extension is left out of the comparison.
 */
export function compareMigrationNames(a: string, b: string): number {
  const stem = (name: string) => name.replace(/\.sql$/i, '');
  return byName.compare(stem(a), stem(b)) || byName.compare(a, b);
}
