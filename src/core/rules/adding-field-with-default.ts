// ADD COLUMN … DEFAULT: since PostgreSQL 11 a non-volatile default is stored in the catalog and
// no row is touched. A volatile default (random(), gen_random_uuid(), clock_timestamp(), a serial's
// nextval()), a stored generated column, or any non-null default before 11, rewrites the table
// under ACCESS EXCLUSIVE.
import type { Rule } from './rule';
import { alterCommands, columnConstraints } from './alterTableCommands';
import { volatileCallIn } from '../analyse/volatility';
import { addColumnRewrites } from '../analyse/predictEffects';
import { effectsSentence, predictionContext, whereItRuns } from './statementFacts';

export const addingFieldWithDefault: Rule = {
  id: 'adding-field-with-default',
  defaultSeverity: 'error',
  category: 'safety',
  claims: 'rewrite',
  summary: 'ADD COLUMN with a volatile default (or any default before PostgreSQL 11) rewrites the table under ACCESS EXCLUSIVE.',
  help: 'Add the column without the default (or with a constant one), set the default for new rows, and backfill existing rows in batches.',
  check({ analysis, report }) {
    for (const at of analysis.statements) {
      for (const { table, cmd } of alterCommands(at)) {
        if (cmd.subtype !== 'AT_AddColumn' || !cmd.def || !('ColumnDef' in cmd.def) || analysis.isNewTable(table, at)) continue;
        if (!addColumnRewrites(cmd.def.ColumnDef, predictionContext(analysis, at))) continue;
        const constraints = columnConstraints(cmd);
        const dflt = constraints.find((c) => c.contype === 'CONSTR_DEFAULT');
        const volatile = dflt ? volatileCallIn(dflt.raw_expr, (name) => analysis.schema.functionVolatile(name, at.order)) : null;
        const generated = constraints.some((c) => c.contype === 'CONSTR_GENERATED');
        const why = volatile ? `its default calls ${volatile}(), which is volatile${analysis.schema.functionVolatile(volatile ?? '', at.order) ? ' (as the migrations declare it)' : ''}: every existing row gets its own value`
          : generated ? 'a stored generated column is computed for every existing row'
            : dflt ? `before PostgreSQL 11 (target: ${analysis.settings.pgVersion}) every default is written into every existing row`
              : 'the column gets a value per row (serial or identity)';
        report(at.offsets, `Add the column without this default, then backfill in batches: ADD COLUMN on ${table}${whereItRuns(at)} rewrites it, since ${why}.${effectsSentence(at)}`
          + ' Set the default for new rows with ALTER COLUMN … SET DEFAULT once the column exists.');
      }
    }
  },
};
