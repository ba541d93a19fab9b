// The schema model of what a sequence of statements builds, every statement they run recorded in
// order (DO blocks' and called functions' statements at their place), with the order each file
// statement's runs took: what verification replays, and what a run's measurement asks about a
// statement before and after it runs.
import type { Declaration } from '../parse/declarations';
import type { ParsedFile, ParsedStatement } from '../parse/parseMigration';
import type { SchemaEffect } from '../parse/schemaEffects';
import { recordStatement } from './recordStatement';
import { SchemaModel } from './schemaModel';
import { StatementWalker } from './statementsRun';

/** The model, and the orders of each statement's runs (the first is the statement's own). */
export interface StatementsSchema {
  model: SchemaModel;
  orders: Map<ParsedStatement, { first: number; last: number }>;
  /** The order after the last statement. */
  end: number;
}

function declarationsOf(effects: readonly SchemaEffect[]): Declaration[] {
  return effects.flatMap((e) => (e.action === 'declare' ? [e.declaration] : []));
}

/**
 * Records the statements (of one or more files, in the order they run) into a new model. With
 * `declarations`, each statement's declarations are attached to the identities they declare
 * (verification's reading: it works out the statements' schema effects).
 */
export function schemaOfStatements(statements: Iterable<ParsedStatement>, options: { declarations?: boolean } = {}): StatementsSchema {
  const model = new SchemaModel();
  const orders = new Map<ParsedStatement, { first: number; last: number }>();
  const walkers = new Map<string, StatementWalker>();
  let order = 0;
  for (const statement of statements) {
    let walker = walkers.get(statement.file);
    if (!walker) walkers.set(statement.file, (walker = new StatementWalker()));
    const first = order + 1;
    for (const run of walker.runsOf(statement)) {
      order += 1;
      recordStatement(model, {
        node: run.node, order, file: statement.file, by: run.ranBy, conditions: run.conditions, runsCode: run.runsCode,
        ...(options.declarations ? { declarations: declarationsOf(run.effects) } : {}),
      });
    }
    orders.set(statement, { first, last: order });
  }
  return { model, orders, end: order + 1 };
}

/** schemaOfStatements over every statement of the files, in order. */
export function schemaOfFiles(files: readonly ParsedFile[], options: { declarations?: boolean } = {}): StatementsSchema {
  return schemaOfStatements(files.flatMap((f) => f.statements), options);
}
