// What the "New Migration from Template" wizard asks for each kind, as data, and how the answers
// become template parameters. The editor only shows the questions; the decisions live here.
import type { CatalogColumn } from './catalog';
import type { GinOperatorClass, TemplateKind, TemplateParams } from './kinds';
import type { MigrationTool } from './tools';

/** How a kind's columns are chosen. */
export interface KindQuestions {
  label: string;
  detail: string;
  /** 'many': pick one or more; 'one': exactly one; 'timestamp': the column the trigger sets. */
  columns: 'many' | 'one' | 'timestamp';
  /** Only these column types are offered (null: any). */
  columnTypes: RegExp | null;
}

export const KIND_QUESTIONS: Readonly<Record<TemplateKind, KindQuestions>> = {
  index: { label: 'B-tree index', detail: 'idx_<table>_<columns>: single, composite or partial (WHERE), built CONCURRENTLY', columns: 'many', columnTypes: null },
  gin: { label: 'GIN index on jsonb', detail: 'idx_<table>_<column> USING gin (jsonb_path_ops or jsonb_ops)', columns: 'one', columnTypes: /^jsonb$/ },
  check: { label: 'CHECK constraint', detail: 'chk_<table>_<column>: IN (…), BETWEEN, or > 0; added NOT VALID then validated', columns: 'one', columnTypes: null },
  trigger: { label: 'updated_at trigger', detail: 'update_<table>_updated_at: sets the column to now() on every UPDATE', columns: 'timestamp', columnTypes: /^(timestamp|date)/ },
  unique: { label: 'Unique constraint', detail: 'uq_<table>_<columns>: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX', columns: 'many', columnTypes: null },
};

/** The columns worth offering for a kind, the likeliest first (updated_at for the trigger). */
export function columnChoices(kind: TemplateKind, columns: readonly CatalogColumn[]): CatalogColumn[] {
  const { columnTypes } = KIND_QUESTIONS[kind];
  const offered = columnTypes ? columns.filter((c) => columnTypes.test(c.type)) : [...columns];
  if (kind === 'trigger') offered.sort((a, b) => Number(b.name === 'updated_at') - Number(a.name === 'updated_at'));
  return offered;
}

/** The shapes a CHECK can take. */
export type CheckShape = 'values' | 'range' | 'positive';

/** The wizard's answers, as typed or picked. */
export interface WizardAnswers {
  table: string;
  columns: readonly string[];
  where?: string;
  opclass?: GinOperatorClass;
  checkShape?: CheckShape;
  /** "a, b, c" for an enumeration; "1..5" or "1-5" for a range. */
  checkInput?: string;
}

/** Template parameters from the answers; throws with a message the editor can show. */
export function paramsFromAnswers(kind: TemplateKind, answers: WizardAnswers): TemplateParams {
  const params: TemplateParams = { table: answers.table.trim(), columns: answers.columns.map((c) => c.trim()).filter((c) => c !== '') };
  if (kind === 'index' && answers.where?.trim()) params.where = answers.where.trim();
  if (kind === 'gin') params.opclass = answers.opclass ?? 'jsonb_path_ops';
  if (kind === 'check') {
    const input = answers.checkInput?.trim() ?? '';
    if (answers.checkShape === 'values') {
      const values = input.split(',').map((v) => v.trim().replace(/^'(.*)'$/, '$1')).filter((v) => v !== '');
      if (values.length === 0) throw new Error('list at least one allowed value, e.g. draft, published, archived');
      params.values = values;
    } else if (answers.checkShape === 'range') {
      const match = /^(-?\d+(?:\.\d+)?)\s*(?:\.\.|-|,|\s+to\s+|\s+and\s+)\s*(-?\d+(?:\.\d+)?)$/i.exec(input);
      if (!match) throw new Error(`a range looks like 1..5, got ${JSON.stringify(input)}`);
      params.min = Number(match[1]);
      params.max = Number(match[2]);
    }
  }
  return params;
}

/** Tools whose migrations are single files directly in the migrations folder. */
const FLAT_LAYOUT: ReadonlySet<MigrationTool> = new Set(['plain', 'dbmate', 'goose', 'flyway']);

/**
 * Where a migration started from an explorer folder goes: that folder for tools that keep flat
 * files in one folder; the detected folder for sqitch (deploy/revert/verify below it), diesel (a
 * folder per migration) and graphile (always current.sql).
 */
export function migrationDir(tool: MigrationTool, detectedDir: string, clickedDir: string | undefined): string {
  return clickedDir !== undefined && FLAT_LAYOUT.has(tool) ? clickedDir : detectedDir;
}
