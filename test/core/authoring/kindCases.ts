// Template parameters shared by the authoring tests: each kind's variants on the example schema.
import type { TemplateKind, TemplateParams } from '../../../src/core/templates';

/** Parameters that exercise each kind's variants (all on the example schema's tables). */
export const KIND_CASES: readonly { kind: TemplateKind; label: string; params: TemplateParams }[] = [
  { kind: 'index', label: 'b-tree', params: { table: 'conversation_messages', columns: ['session_id'] } },
  { kind: 'index', label: 'composite', params: { table: 'conversation_messages', columns: ['session_id', 'created_at'] } },
  { kind: 'index', label: 'partial, in a transaction', params: { table: 'lesson_sessions', columns: ['user_id'], where: 'completed_at IS NULL', concurrently: false } },
  { kind: 'gin', label: 'jsonb_path_ops', params: { table: 'user_profiles', columns: ['learning_goals'] } },
  { kind: 'gin', label: 'guarded, jsonb_ops', params: { table: 'learning_paths', columns: ['path_data'], guarded: true, opclass: 'jsonb_ops' } },
  { kind: 'check', label: 'enumeration', params: { table: 'lesson_sessions', columns: ['status'], values: ['scheduled', 'in_progress', 'completed'] } },
  { kind: 'check', label: 'range', params: { table: 'lesson_sessions', columns: ['rating'], min: 1, max: 5 } },
  { kind: 'check', label: 'positive', params: { table: 'lessons', columns: ['duration_minutes'] } },
  { kind: 'trigger', label: 'updated_at', params: { table: 'user_profiles' } },
  { kind: 'unique', label: 'concurrent index + constraint', params: { table: 'user_profiles', columns: ['user_id'] } },
];
