// A short, human name for a statement ("CREATE UNIQUE INDEX", "ALTER TABLE", "DO"), read from the
// parse tree only: words in the text lie (a table named "comment" is not a COMMENT statement).
import type { Node, ObjectType } from './pgTypes';

const FIXED_KINDS: Record<string, string> = {
  SelectStmt: 'SELECT', InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE',
  DoStmt: 'DO', CreateStmt: 'CREATE TABLE', CreateTrigStmt: 'CREATE TRIGGER', VariableSetStmt: 'SET', VariableShowStmt: 'SHOW',
  CopyStmt: 'COPY', CallStmt: 'CALL', ViewStmt: 'CREATE VIEW', CreateSeqStmt: 'CREATE SEQUENCE', AlterSeqStmt: 'ALTER SEQUENCE',
  CreateEnumStmt: 'CREATE TYPE', CompositeTypeStmt: 'CREATE TYPE', CreateRangeStmt: 'CREATE TYPE', AlterEnumStmt: 'ALTER TYPE',
  CreateDomainStmt: 'CREATE DOMAIN', AlterDomainStmt: 'ALTER DOMAIN', CreateExtensionStmt: 'CREATE EXTENSION',
  AlterExtensionStmt: 'ALTER EXTENSION', AlterExtensionContentsStmt: 'ALTER EXTENSION', CreateSchemaStmt: 'CREATE SCHEMA',
  CreatePolicyStmt: 'CREATE POLICY', AlterPolicyStmt: 'ALTER POLICY', TruncateStmt: 'TRUNCATE', LockStmt: 'LOCK',
  ReindexStmt: 'REINDEX', ClusterStmt: 'CLUSTER', ExplainStmt: 'EXPLAIN', CreateRoleStmt: 'CREATE ROLE', AlterRoleStmt: 'ALTER ROLE',
  AlterRoleSetStmt: 'ALTER ROLE', DropRoleStmt: 'DROP ROLE', GrantRoleStmt: 'GRANT', AlterFunctionStmt: 'ALTER FUNCTION',
  CreateCastStmt: 'CREATE CAST', NotifyStmt: 'NOTIFY', ListenStmt: 'LISTEN', UnlistenStmt: 'UNLISTEN', CreateEventTrigStmt: 'CREATE EVENT TRIGGER',
  AlterEventTrigStmt: 'ALTER EVENT TRIGGER', CreatedbStmt: 'CREATE DATABASE', DropdbStmt: 'DROP DATABASE', AlterDatabaseStmt: 'ALTER DATABASE',
  AlterDatabaseSetStmt: 'ALTER DATABASE', AlterSystemStmt: 'ALTER SYSTEM', DiscardStmt: 'DISCARD', CreateTableSpaceStmt: 'CREATE TABLESPACE',
  DropTableSpaceStmt: 'DROP TABLESPACE', CreatePublicationStmt: 'CREATE PUBLICATION', AlterPublicationStmt: 'ALTER PUBLICATION',
  CreateSubscriptionStmt: 'CREATE SUBSCRIPTION', AlterSubscriptionStmt: 'ALTER SUBSCRIPTION', DropSubscriptionStmt: 'DROP SUBSCRIPTION',
  AlterDefaultPrivilegesStmt: 'ALTER DEFAULT PRIVILEGES', CreateStatsStmt: 'CREATE STATISTICS', AlterStatsStmt: 'ALTER STATISTICS',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW', CheckPointStmt: 'CHECKPOINT', DropOwnedStmt: 'DROP OWNED', ReassignOwnedStmt: 'REASSIGN OWNED',
  CreateForeignTableStmt: 'CREATE FOREIGN TABLE', CreateFdwStmt: 'CREATE FOREIGN DATA WRAPPER', CreateForeignServerStmt: 'CREATE SERVER',
  CreateUserMappingStmt: 'CREATE USER MAPPING', ImportForeignSchemaStmt: 'IMPORT FOREIGN SCHEMA', CreateOpClassStmt: 'CREATE OPERATOR CLASS',
  CreateConversionStmt: 'CREATE CONVERSION', CreateTransformStmt: 'CREATE TRANSFORM', CreatePLangStmt: 'CREATE LANGUAGE', RuleStmt: 'CREATE RULE',
  PrepareStmt: 'PREPARE', ExecuteStmt: 'EXECUTE', DeallocateStmt: 'DEALLOCATE', DeclareCursorStmt: 'DECLARE', FetchStmt: 'FETCH', ClosePortalStmt: 'CLOSE',
  LoadStmt: 'LOAD', ConstraintsSetStmt: 'SET CONSTRAINTS', SecLabelStmt: 'SECURITY LABEL', CreateAmStmt: 'CREATE ACCESS METHOD',
  AlterTSConfigurationStmt: 'ALTER TEXT SEARCH CONFIGURATION', AlterTSDictionaryStmt: 'ALTER TEXT SEARCH DICTIONARY', AlterOperatorStmt: 'ALTER OPERATOR',
  AlterTypeStmt: 'ALTER TYPE', AlterCollationStmt: 'ALTER COLLATION', AlterTableSpaceOptionsStmt: 'ALTER TABLESPACE',
};

// How objects are named in SQL ("MATERIALIZED VIEW" for OBJECT_MATVIEW).
const OBJECT_WORDS: Partial<Record<ObjectType, string>> = {
  OBJECT_MATVIEW: 'MATERIALIZED VIEW', OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE', OBJECT_TABCONSTRAINT: 'CONSTRAINT',
  OBJECT_DOMCONSTRAINT: 'CONSTRAINT', OBJECT_EVENT_TRIGGER: 'EVENT TRIGGER', OBJECT_FDW: 'FOREIGN DATA WRAPPER',
  OBJECT_FOREIGN_SERVER: 'SERVER', OBJECT_LARGEOBJECT: 'LARGE OBJECT', OBJECT_OPCLASS: 'OPERATOR CLASS', OBJECT_OPFAMILY: 'OPERATOR FAMILY',
  OBJECT_STATISTIC_EXT: 'STATISTICS', OBJECT_TSCONFIGURATION: 'TEXT SEARCH CONFIGURATION', OBJECT_TSDICTIONARY: 'TEXT SEARCH DICTIONARY',
  OBJECT_TSPARSER: 'TEXT SEARCH PARSER', OBJECT_TSTEMPLATE: 'TEXT SEARCH TEMPLATE', OBJECT_USER_MAPPING: 'USER MAPPING',
  OBJECT_ACCESS_METHOD: 'ACCESS METHOD', OBJECT_PUBLICATION_NAMESPACE: 'PUBLICATION', OBJECT_PUBLICATION_REL: 'PUBLICATION',
  OBJECT_PARAMETER_ACL: 'PARAMETER', OBJECT_DEFACL: 'DEFAULT PRIVILEGES', OBJECT_DEFAULT: 'DEFAULT',
};

/** "TABLE", "MATERIALIZED VIEW", … for an ObjectType. */
export function objectWord(type: ObjectType | undefined): string {
  if (!type) return 'OBJECT';
  return OBJECT_WORDS[type] ?? type.replace(/^OBJECT_/, '').replace(/_/g, ' ');
}

const TRANSACTION_KINDS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN', TRANS_STMT_START: 'START TRANSACTION', TRANS_STMT_COMMIT: 'COMMIT', TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT', TRANS_STMT_RELEASE: 'RELEASE SAVEPOINT', TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION', TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED', TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

/** "CreateOpFamilyStmt" → "CREATE OP FAMILY": the last resort for node types without a kind of their own. */
function wordsOfNodeType(type: string): string {
  return type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

/** The statement's kind, from its parse tree. */
export function statementKind(node: Node): string {
  const type = Object.keys(node)[0] ?? 'Unknown';
  if ('IndexStmt' in node) return node.IndexStmt.unique ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX';
  if ('CreateFunctionStmt' in node) return node.CreateFunctionStmt.is_procedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
  if ('AlterTableStmt' in node) return `ALTER ${objectWord(node.AlterTableStmt.objtype ?? 'OBJECT_TABLE')}`;
  if ('DropStmt' in node) return `DROP ${objectWord(node.DropStmt.removeType)}`;
  if ('RenameStmt' in node) return `ALTER ${objectWord(node.RenameStmt.renameType === 'OBJECT_COLUMN' || node.RenameStmt.renameType === 'OBJECT_TABCONSTRAINT' ? node.RenameStmt.relationType : node.RenameStmt.renameType)}`;
  if ('AlterObjectSchemaStmt' in node) return `ALTER ${objectWord(node.AlterObjectSchemaStmt.objectType)}`;
  if ('AlterOwnerStmt' in node) return `ALTER ${objectWord(node.AlterOwnerStmt.objectType)}`;
  if ('CommentStmt' in node) return `COMMENT ON ${objectWord(node.CommentStmt.objtype)}`;
  if ('GrantStmt' in node) return node.GrantStmt.is_grant ? 'GRANT' : 'REVOKE';
  if ('CreateTableAsStmt' in node) return node.CreateTableAsStmt.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
  if ('DefineStmt' in node) return `CREATE ${objectWord(node.DefineStmt.kind)}`;
  if ('VacuumStmt' in node) return node.VacuumStmt.is_vacuumcmd ? 'VACUUM' : 'ANALYZE';
  if ('TransactionStmt' in node) return TRANSACTION_KINDS[node.TransactionStmt.kind ?? ''] ?? 'TRANSACTION';
  return FIXED_KINDS[type] ?? wordsOfNodeType(type);
}
