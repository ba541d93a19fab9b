// The one place that reads and writes Drydock's settings, and validates them: a missing or invalid
// value reads as its default. The run settings shared with the CLI default to core's
// DEFAULT_SETTINGS, the others to EDITOR_SETTING_DEFAULTS (package.json declares the same
// defaults; a core-tier test keeps them equal).
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, withDefaults, type DrydockSettings } from '../core/model/settings';
import type { MigrationTool } from '../core/templates/toolNames';
import { EDITOR_SETTING_DEFAULTS as DEFAULTS, KEYWORD_CASES, MIGRATION_TOOL_SETTINGS, type EditorSettings, type FormatSettings } from '../server/settingsDefaults';

export type { FormatSettings };

/** A named connection as the user configured it (never with a password). */
export interface ConfiguredConnection {
  name: string;
  connectionString?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  allowApply?: boolean;
}

const SECTION = 'drydock';

const isPositiveInteger = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
const oneOf = <T extends string>(values: readonly T[]) => (value: unknown): value is T => (values as readonly unknown[]).includes(value);

/** Typed, read-on-demand view of the `drydock.*` settings. */
export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** Settings the core runner takes, with core's defaults for anything missing or invalid. */
  get runSettings(): DrydockSettings {
    const s = this.section;
    return withDefaults({
      lockTimeoutMs: s.get<number | string>('lockTimeoutMs', DEFAULT_SETTINGS.lockTimeoutMs),
      statementTimeoutMs: s.get<number | string>('statementTimeoutMs', DEFAULT_SETTINGS.statementTimeoutMs),
      runFixQueries: s.get<boolean>('runFixQueries', DEFAULT_SETTINGS.runFixQueries),
      migrationsGlobs: s.get<string[]>('migrationsGlobs', [...DEFAULT_SETTINGS.migrationsGlobs]),
    });
  }

  get connections(): ConfiguredConnection[] {
    const raw = this.section.get<unknown>('connections', DEFAULTS.connections);
    return Array.isArray(raw) ? raw.filter(isConfiguredConnection) : [];
  }

  /** The connections of the user's own settings alone, whatever a workspace defines (a workspace cannot write them). */
  get userConnections(): ConfiguredConnection[] {
    const raw = this.section.inspect<unknown>('connections')?.globalValue;
    return Array.isArray(raw) ? raw.filter(isConfiguredConnection) : [];
  }

  get activeConnection(): string {
    return this.valid('activeConnection', (v): v is string => typeof v === 'string');
  }

  get diagnosticsEnabled(): boolean {
    return this.valid('diagnostics.enabled', isBoolean);
  }

  /** drydock.referenceConnection: the configured connection whose statistics scale measured rewrites (empty: none). */
  get referenceConnection(): string {
    return this.valid('referenceConnection', (v): v is string => typeof v === 'string');
  }

  /** drydock.dryRunOnSave: true, false, or null (unset: on for the shadow, off for connections). */
  get dryRunOnSave(): boolean | null {
    return this.valid('dryRunOnSave', (v): v is boolean | null => v === null || isBoolean(v));
  }

  /** drydock.dryRunOnAutoSave: whether saves VS Code makes on its own (files.autoSave) dry-run too. */
  get dryRunOnAutoSave(): boolean {
    return this.valid('dryRunOnAutoSave', isBoolean);
  }

  /** drydock.shadowConnection: a server URL for scratch shadow databases, or "" for PGlite. */
  get shadowConnection(): string {
    return this.valid('shadowConnection', (v): v is string => typeof v === 'string').trim();
  }

  get maxRuns(): number {
    return this.valid('results.maxRuns', isPositiveInteger);
  }

  /** drydock.migrationTool: "auto" or a migration tool core knows. */
  get migrationTool(): MigrationTool | 'auto' {
    return this.valid('migrationTool', oneOf(MIGRATION_TOOL_SETTINGS));
  }

  /** drydock.format.*: null indent means "follow the editor's tab size". */
  get formatSettings(): FormatSettings {
    return {
      keywordCase: this.valid('format.keywordCase', oneOf(KEYWORD_CASES)),
      indent: this.valid('format.indent', (v): v is number | null => v === null || isPositiveInteger(v)),
      lineWidth: this.valid('format.lineWidth', isPositiveInteger),
    };
  }

  async setConnections(connections: ConfiguredConnection[]): Promise<void> {
    await this.section.update('connections', connections, this.target());
  }

  async setActiveConnection(name: string): Promise<void> {
    await this.section.update('activeConnection', name, this.target());
  }

  /** True when a change event touches any Drydock setting (or one key of it). */
  affects(event: vscode.ConfigurationChangeEvent, key?: string): boolean {
    return event.affectsConfiguration(key ? `${SECTION}.${key}` : SECTION);
  }

  /** The setting's value when `isValid` accepts it, else its default. */
  private valid<K extends keyof EditorSettings>(key: K, isValid: (value: unknown) => value is EditorSettings[K]): EditorSettings[K] {
    const value = this.section.get<unknown>(key, DEFAULTS[key]);
    return isValid(value) ? value : DEFAULTS[key];
  }

  /** Connections are machine-specific: written to user settings unless the workspace already has them. */
  private target(): vscode.ConfigurationTarget {
    const inspected = this.section.inspect('connections');
    return inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  }
}

function isConfiguredConnection(value: unknown): value is ConfiguredConnection {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}
