// Flyway needs no directive to run a PostgreSQL migration outside a transaction: its parser reads
// each statement and, finding one that PostgreSQL refuses inside a transaction block, runs the
// whole migration without one (flyway-database-postgresql, PostgreSQLParser
// detectCanExecuteInTransaction). Its list, as Flyway spells it on a statement whose comments are
// dropped and whose words are upper-cased and single-spaced; REINDEX … CONCURRENTLY and DETACH
// PARTITION … CONCURRENTLY are not on it (Flyway runs them in a transaction, where they fail), nor
// ALTER TYPE … ADD VALUE, which Flyway runs outside one only before PostgreSQL 12.
import type { NoTransactionDirective } from './directives';

const FLYWAY_NON_TRANSACTIONAL: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /^(?:CREATE|DROP)(?: UNIQUE)? INDEX CONCURRENTLY\b/, what: 'INDEX CONCURRENTLY' },
  { pattern: /^REINDEX(?: VERBOSE)? (?:SCHEMA|DATABASE|SYSTEM)\b/, what: 'REINDEX of a schema, database or system' },
  { pattern: /^VACUUM\b/, what: 'VACUUM' },
  { pattern: /^DISCARD ALL\b/, what: 'DISCARD ALL' },
  { pattern: /^(?:CREATE|DROP) (?:DATABASE|TABLESPACE|SUBSCRIPTION)\b/, what: 'CREATE/DROP DATABASE, TABLESPACE or SUBSCRIPTION' },
  { pattern: /^ALTER SYSTEM\b/, what: 'ALTER SYSTEM' },
];

// Flyway's versioned and repeatable SQL migrations (V1__x.sql, V1_2__x.sql, R__x.sql).
const FLYWAY_MIGRATION = /(?:^|[\\/])(?:V\d+(?:[._]\d+)*|R)__[^\\/]*\.sql$/;

/** A statement's leading words as Flyway compares them: comments dropped, upper case, single spaces. */
function simplified(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80).toUpperCase();
}

/** What Flyway finds in the statement that it runs outside a transaction, or null. */
function nonTransactional(sql: string): string | null {
  const words = simplified(sql);
  return FLYWAY_NON_TRANSACTIONAL.find((f) => f.pattern.test(words))?.what ?? null;
}

/** Flyway's own reason to run the file outside a transaction, or null (not a Flyway migration, or nothing Flyway detects). */
export function flywayDetectedNoTransaction(file: string, statements: readonly { sql: string; range: { start: { line: number } } }[]): NoTransactionDirective | null {
  if (!FLYWAY_MIGRATION.test(file)) return null;
  for (const s of statements) {
    const what = nonTransactional(s.sql);
    if (what) return { tool: 'flyway', line: s.range.start.line, detected: what };
  }
  return null;
}

// Text a statement start can hide in: comments, quoted strings and identifiers, dollar-quoted bodies.
const NOT_STATEMENT_STARTS = /--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"|(\$[A-Za-z_]*\$)[\s\S]*?\1/g;

/**
 * The same answer from the text alone, without the parser (the history listing runs before it is
 * loaded): the statements split at the semicolons outside comments, strings and bodies.
 */
export function flywayRunsOutsideTransaction(file: string, text: string): boolean {
  if (!FLYWAY_MIGRATION.test(file) || !/concurrently|vacuum|discard|system|database|tablespace|subscription|reindex/i.test(text)) return false;
  return text.replace(NOT_STATEMENT_STARTS, ' ').split(';').some((statement) => nonTransactional(statement) !== null);
}
