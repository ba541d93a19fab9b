// The contrib extensions PGlite ships, as data: a migration's CREATE EXTENSION of one of these
// loads its bundle; any other extension gets a diagnostic that says what to do instead.

/** Extension name in SQL → bundle file name (without .tar.gz) in PGlite's files. */
export const PGLITE_CONTRIB: Readonly<Record<string, string>> = Object.freeze({
  amcheck: 'amcheck', auto_explain: 'auto_explain', bloom: 'bloom', btree_gin: 'btree_gin', btree_gist: 'btree_gist',
  citext: 'citext', cube: 'cube', dict_int: 'dict_int', dict_xsyn: 'dict_xsyn', earthdistance: 'earthdistance',
  file_fdw: 'file_fdw', fuzzystrmatch: 'fuzzystrmatch', hstore: 'hstore', intarray: 'intarray', isn: 'isn', lo: 'lo',
  ltree: 'ltree', pageinspect: 'pageinspect', pg_buffercache: 'pg_buffercache', pg_freespacemap: 'pg_freespacemap',
  pg_stat_statements: 'pg_stat_statements', pg_surgery: 'pg_surgery', pg_trgm: 'pg_trgm', pg_visibility: 'pg_visibility',
  pg_walinspect: 'pg_walinspect', pgcrypto: 'pgcrypto', seg: 'seg', tablefunc: 'tablefunc', tcn: 'tcn',
  tsm_system_rows: 'tsm_system_rows', tsm_system_time: 'tsm_system_time', unaccent: 'unaccent', 'uuid-ossp': 'uuid-ossp',
});

/** Extensions that need another one loaded with them (CREATE EXTENSION … CASCADE, or in order). */
const REQUIRES: Readonly<Record<string, readonly string[]>> = { earthdistance: ['cube'] };

/** Extensions built into PGlite's server itself (nothing to load). */
const BUILT_IN = new Set(['plpgsql']);

/** True when PGlite can create this extension. */
export function pgliteHasExtension(name: string): boolean {
  return BUILT_IN.has(name) || Object.hasOwn(PGLITE_CONTRIB, name);
}

/** The bundles to load for these extension names (unknown and built-in ones are left out), with what they need. */
export function contribBundlesFor(names: Iterable<string>): string[] {
  const wanted = new Set<string>();
  const add = (name: string) => {
    if (!Object.hasOwn(PGLITE_CONTRIB, name) || wanted.has(name)) return;
    wanted.add(name);
    for (const needed of REQUIRES[name] ?? []) add(needed);
  };
  for (const name of names) add(name);
  return [...wanted].sort();
}

/** What to tell the user about an extension PGlite does not ship. */
export function unsupportedExtensionHint(name: string): string {
  return `PGlite (the in-process shadow) does not ship the extension "${name}"; it ships ${Object.keys(PGLITE_CONTRIB).join(', ')}. `
    + 'Run the shadow on a server that has it: --shadow-db URL (drydock.shadowConnection in the editor).';
}
