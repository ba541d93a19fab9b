// Defaults of the editor-only `drydock.*` settings and the values the enumerated ones accept (the
// run settings shared with the CLI are core's DEFAULT_SETTINGS). Config reads settings against
// this table; no vscode import, so the core-tier test test/core/packageDefaults.test.ts checks it
// against package.json.
import { DEFAULT_FORMAT_OPTIONS, type FormatOptions } from '../core/format/formatOptions';
import { MIGRATION_TOOLS, type MigrationTool } from '../core/templates/toolNames';

/** drydock.migrationTool's values: a tool core knows, or "auto" (detect it). */
export const MIGRATION_TOOL_SETTINGS: readonly (MigrationTool | 'auto')[] = ['auto', ...MIGRATION_TOOLS];

/** drydock.format.keywordCase's values. */
export const KEYWORD_CASES: readonly FormatOptions['keywordCase'][] = ['upper', 'lower', 'preserve'];

/** The drydock.format.* settings, validated. */
export interface FormatSettings {
  keywordCase: FormatOptions['keywordCase'];
  /** Spaces per indent level; null follows the editor's tab size. */
  indent: number | null;
  lineWidth: number;
}

/** The editor-only settings, by key under `drydock.`. */
export interface EditorSettings {
  connections: unknown[];
  activeConnection: string;
  'diagnostics.enabled': boolean;
  /** null: on for the shadow, off for connections. */
  dryRunOnSave: boolean | null;
  /** Whether a save VS Code made on its own (files.autoSave) dry-runs too; false: only the user's saves. */
  dryRunOnAutoSave: boolean;
  shadowConnection: string;
  /** SQL the project's own migration runner sends first on its session (the CLI's --shadow-setup). */
  shadowSetup: string[];
  'results.maxRuns': number;
  migrationTool: MigrationTool | 'auto';
  'format.keywordCase': FormatOptions['keywordCase'];
  /** null: follow the editor's tab size. */
  'format.indent': number | null;
  'format.lineWidth': number;
  /** Name of a configured connection to a production-sized database, read only for statistics. */
  referenceConnection: string;
}

/** The default of every editor-only setting. */
export const EDITOR_SETTING_DEFAULTS: Readonly<EditorSettings> = Object.freeze({
  connections: [],
  activeConnection: '',
  'diagnostics.enabled': true,
  dryRunOnSave: null,
  dryRunOnAutoSave: false,
  shadowConnection: '',
  shadowSetup: [],
  'results.maxRuns': 10,
  migrationTool: 'auto',
  'format.keywordCase': DEFAULT_FORMAT_OPTIONS.keywordCase,
  'format.indent': null,
  'format.lineWidth': DEFAULT_FORMAT_OPTIONS.lineWidth,
  referenceConnection: '',
});
