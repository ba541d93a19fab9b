// What the bundled PGlite is, without loading it (the status bar names it before any run). A core
// test checks this against the running server, so it cannot go stale with a PGlite upgrade.

/** The PostgreSQL major version of the bundled PGlite build. */
export const PGLITE_POSTGRES_MAJOR = 18;
