// The authoring kit's core: template kinds, tool layouts, tool detection and the renderer.
export * from './kinds';
export * from './tools';
export * from './detect';
export * from './render';
export { deriveName, parseTableName, quoteIdent, quoteLiteral, relationSql } from './sqlText';
export * from './catalog';
export * from './workspaceFiles';
export * from './questions';
export * from './writeMigration';
