// The one place that reads and writes Drydock's settings. Every key has a default here, and the
// run settings shared with the CLI come from core's DEFAULT_SETTINGS (package.json declares the
// same defaults; a core-tier test keeps them equal).
import * as vscode from 'vscode';
import { DEFAULT_FORMAT_OPTIONS } from '../core/formatOptions';
import { DEFAULT_SETTINGS, withDefaults, type DrydockSettings } from '../core/settings';

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

/** The drydock.format.* settings as written by the user (validated where they are used). */
export interface FormatSettings {
  keywordCase: string;
  indent: number | null;
  lineWidth: number;
}

const SECTION = 'drydock';
const DEFAULT_MAX_RUNS = 10;

/** Typed, read-on-demand view of the `drydock.*` settings. */
export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** Settings the core runner takes, with core's defaults for anything missing or invalid. */
  get runSettings(): DrydockSettings {
    const s = this.section;
    return withDefaults({
      lockTimeoutMs: s.get<number>('lockTimeoutMs', DEFAULT_SETTINGS.lockTimeoutMs),
      statementTimeoutMs: s.get<number>('statementTimeoutMs', DEFAULT_SETTINGS.statementTimeoutMs),
      runFixQueries: s.get<boolean>('runFixQueries', DEFAULT_SETTINGS.runFixQueries),
      migrationsGlobs: s.get<string[]>('migrationsGlobs', [...DEFAULT_SETTINGS.migrationsGlobs]),
    });
  }

  get connections(): ConfiguredConnection[] {
    const raw = this.section.get<unknown[]>('connections', []);
    return Array.isArray(raw) ? raw.filter(isConfiguredConnection) : [];
  }

  get activeConnection(): string {
    return this.section.get<string>('activeConnection', '');
  }

  get diagnosticsEnabled(): boolean {
    return this.section.get<boolean>('diagnostics.enabled', true);
  }

  get dryRunOnSave(): boolean {
    return this.section.get<boolean>('dryRunOnSave', false);
  }

  get maxRuns(): number {
    const value = this.section.get<number>('results.maxRuns', DEFAULT_MAX_RUNS);
    return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_RUNS;
  }

  /** drydock.migrationTool: "auto" or a migration tool's name (checked against core's list by the caller). */
  get migrationTool(): string {
    return this.section.get<string>('migrationTool', 'auto');
  }

  /** drydock.format.*: null indent means "follow the editor's tab size". */
  get formatSettings(): FormatSettings {
    const s = this.section;
    return {
      keywordCase: s.get<string>('format.keywordCase', DEFAULT_FORMAT_OPTIONS.keywordCase),
      indent: s.get<number | null>('format.indent', null),
      lineWidth: s.get<number>('format.lineWidth', DEFAULT_FORMAT_OPTIONS.lineWidth),
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

  /** Connections are machine-specific: written to user settings unless the workspace already has them. */
  private target(): vscode.ConfigurationTarget {
    const inspected = this.section.inspect('connections');
    return inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  }
}

function isConfiguredConnection(value: unknown): value is ConfiguredConnection {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}
