// The shape shared by the rules that judge a column's type (char, varchar(n), int, smallint,
// serial, timestamp): which types they report, the message, and the replacement their fix writes.
import type { ColumnType } from '../analyse/columnTypes';
import type { Severity } from '../model/findings';
import { fixOf, replaceText } from './fixes/edits';
import type { Rule } from './rule';
import { typeSpan, writtenTypes, type WrittenType } from './columnDefinitions';
import { whereItRuns } from './statementFacts';
import { isToolBookkeepingTable } from './toolTables';

/** What a type rule needs to say. */
export interface TypeRuleSpec {
  id: string;
  defaultSeverity?: Severity;
  summary: string;
  help: string;
  /** True for the types the rule reports. */
  reports(type: ColumnType): boolean;
  /** What to write instead, first in the message ("Use bigint"): the Problems panel cuts the rest. */
  action(written: WrittenType): string;
  /** Why, after the column it is about. */
  why(written: WrittenType): string;
  /** The type to write instead, or null for no fix. */
  replacement(type: ColumnType): string | null;
}

/** A rule reporting column types, with a fix that replaces the type. */
export function typeRule(spec: TypeRuleSpec): Rule {
  return {
    id: spec.id,
    defaultSeverity: spec.defaultSeverity ?? 'warning',
    category: 'convention',
    summary: spec.summary,
    help: spec.help,
    check({ analysis, report }) {
      for (const at of analysis.statements) {
        for (const written of writtenTypes(at)) {
          if (!spec.reports(written.type) || isToolBookkeepingTable(written.table)) continue;
          const span = typeSpan(analysis, at, written);
          const replacement = spec.replacement(written.type);
          const fix = span && replacement ? fixOf(`Use ${replacement}`, replaceText(analysis.file, span, replacement + (written.type.array ? '[]' : ''))) : null;
          report(span ?? at.offsets, `${spec.action(written)} for ${written.table}.${written.column}${whereItRuns(at)}. ${spec.why(written)}`, fix ? { fix } : {});
        }
      }
    },
  };
}
