// Which files are forward migrations: their statements build the schema the later files see.
// Down, revert and undo scripts (diesel down.sql, sqitch revert/, Flyway U…__, *.down.sql) are
// checked like any file but never teach the schema, or a down that drops a table would hide it.

const REVERT_FILE = /(^|\/)(down|revert|rollback)\.sql$|[._-]down\.sql$|(^|\/)(revert|rollback)\/|(^|\/)U\d+(_\d+)*__[^/]*\.sql$/i;

/** True for a file that undoes a migration rather than applying one. */
export function isRevertFile(path: string): boolean {
  return REVERT_FILE.test(path.replace(/\\/g, '/'));
}
