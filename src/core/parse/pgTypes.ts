// The parse tree's node types (libpg-query ships @pgsql/types and re-exports it). Layers above
// `parse` import node types from here, so libpg-query stays an import of this folder only.
export type * from 'libpg-query';
