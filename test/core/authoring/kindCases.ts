// Template parameters shared by the authoring tests: each kind's variants on the example schema.
import type { MigrationTool, TemplateKind, TemplateParams } from '../../../src/core/templates';

/** Parameters that exercise each kind's variants (all on the example schema's tables). */
export interface KindCase {
  kind: TemplateKind;
  label: string;
  params: TemplateParams;
  /** False when the guard is expected to skip creation on the example schema. */
  creates?: boolean;
  /** SQL run on the example schema first: the state the migration is written against. */
  setup?: string;
}

export const KIND_CASES: readonly KindCase[] = [
  { kind: 'index', label: 'b-tree', params: { table: 'conversation_messages', columns: ['session_id'] } },
  { kind: 'index', label: 'composite', params: { table: 'conversation_messages', columns: ['session_id', 'created_at'] } },
  { kind: 'index', label: 'partial, in a transaction', params: { table: 'lesson_sessions', columns: ['user_id'], where: 'completed_at IS NULL', concurrently: false } },
  { kind: 'index', label: 'guarded, table missing', params: { table: 'conversation_interactions', columns: ['session_id'], guarded: true }, creates: false },
  { kind: 'gin', label: 'jsonb_path_ops', params: { table: 'user_profiles', columns: ['learning_goals'] } },
  { kind: 'gin', label: 'guarded, jsonb_ops', params: { table: 'learning_paths', columns: ['path_data'], guarded: true, opclass: 'jsonb_ops' } },
  { kind: 'gin', label: 'guarded, text column', params: { table: 'conversation_sessions', columns: ['conversation_context'], guarded: true }, creates: false },
  { kind: 'check', label: 'enumeration', params: { table: 'lesson_sessions', columns: ['status'], values: ['in_progress', 'completed', 'abandoned'] } },
  { kind: 'check', label: 'enumeration of digits on a text column', params: { table: 'lessons', columns: ['status'], values: ['1', '2'] } },
  { kind: 'check', label: 'enumeration on an integer column', params: { table: 'lessons', columns: ['difficulty_level'], values: ['1', '2', '3'] } },
  { kind: 'check', label: 'range', params: { table: 'user_profiles', columns: ['proficiency_level'], min: 1, max: 5 } },
  { kind: 'check', label: 'positive', params: { table: 'conversation_messages', columns: ['message_order'] } },
  { kind: 'trigger', label: 'updated_at', params: { table: 'user_profiles' } },
  { kind: 'trigger', label: 'shared function', params: { table: 'lessons', functionName: 'update_updated_at_column' },
    setup: 'CREATE FUNCTION update_updated_at_column() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at = now(); RETURN NEW; END$$' },
  { kind: 'unique', label: 'unique index only, in a transaction', params: { table: 'lesson_versions', columns: ['lesson_id', 'version'], asConstraint: false, concurrently: false } },
  { kind: 'unique', label: 'concurrent index + constraint', params: { table: 'user_profiles', columns: ['email'] } },
];

/**
 * True where the renderer refuses the case: graphile keeps one current.sql, sent as one query, so
 * a concurrent unique index and the statement attaching it as a constraint cannot share it.
 */
export function refusedAsOneQuery(kind: TemplateKind, params: TemplateParams, tool: MigrationTool): boolean {
  return tool === 'graphile' && kind === 'unique' && params.concurrently !== false && params.asConstraint !== false;
}
