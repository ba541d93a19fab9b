// The one place the language server reads the `drydock` settings: pulled with
// `workspace/configuration` when the client offers it (VS Code, Neovim), else taken from the last
// `workspace/didChangeConfiguration` push, else the defaults. Every value is validated: a missing
// or invalid one reads as its default (core's DEFAULT_SETTINGS for the run settings shared with the
// CLI, EDITOR_SETTING_DEFAULTS for the others — the defaults package.json declares).
import type { Connection } from 'vscode-languageserver/node';
import { withDefaults, type DrydockSettings } from '../core/model/settings';
import { SETTINGS_SECTION, type DrydockSettingsSection } from './protocol';
import { EDITOR_SETTING_DEFAULTS as DEFAULTS, KEYWORD_CASES, type FormatSettings } from './settingsDefaults';

/** The settings the server works with, validated. */
export interface ServerSettings {
  /** The runner's settings (timeouts, fix queries, migration globs). */
  run: DrydockSettings;
  diagnosticsEnabled: boolean;
  /** null: on for the shadow (no connection configured), off for connections. */
  dryRunOnSave: boolean | null;
  /** A server URL (no password) for scratch shadow databases, or "" for PGlite. */
  shadowConnection: string;
  /** SQL the project's own runner sends first on its session: sent first on the shadow's replay. */
  shadowSetup: string[];
  maxRuns: number;
  format: FormatSettings;
  /** The names of the configured connections and the chosen one: whether runs have anywhere to go but the shadow. */
  connectionNames: string[];
  activeConnection: string;
}

/** The connection runs use, as the extension chooses it: the selected one, else the only one configured. */
export function activeConnectionOf(settings: ServerSettings): string | undefined {
  if (settings.activeConnection && settings.connectionNames.includes(settings.activeConnection)) return settings.activeConnection;
  return settings.connectionNames.length === 1 ? settings.connectionNames[0] : undefined;
}

const isPositiveInteger = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;
const isString = (value: unknown): value is string => typeof value === 'string';
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

function valid<T>(value: unknown, isValid: (v: unknown) => v is T, fallback: T): T {
  return isValid(value) ? value : fallback;
}

function objectOr(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

/**
 * The settings from the section's raw value. Dotted keys come nested (`diagnostics.enabled` as
 * `{ diagnostics: { enabled } }`), as VS Code and most clients send them; a flat dotted key is read too.
 */
export function readSettings(raw: unknown): ServerSettings {
  const section = objectOr(raw) as DrydockSettingsSection & Record<string, unknown>;
  const nested = (group: string, key: string): unknown => objectOr(section[group])[key] ?? section[`${group}.${key}`];
  const connections = Array.isArray(section.connections) ? section.connections : [];
  return {
    run: withDefaults({
      ...(section.lockTimeoutMs !== undefined ? { lockTimeoutMs: section.lockTimeoutMs } : {}),
      ...(section.statementTimeoutMs !== undefined ? { statementTimeoutMs: section.statementTimeoutMs } : {}),
      ...(isBoolean(section.runFixQueries) ? { runFixQueries: section.runFixQueries } : {}),
      ...(Array.isArray(section.migrationsGlobs) && section.migrationsGlobs.every(isString) ? { migrationsGlobs: section.migrationsGlobs } : {}),
    }),
    diagnosticsEnabled: valid(nested('diagnostics', 'enabled'), isBoolean, DEFAULTS['diagnostics.enabled']),
    dryRunOnSave: valid(section.dryRunOnSave, (v): v is boolean | null => v === null || isBoolean(v), DEFAULTS.dryRunOnSave),
    shadowConnection: valid(section.shadowConnection, isString, DEFAULTS.shadowConnection).trim(),
    shadowSetup: valid(section.shadowSetup, (v): v is string[] => Array.isArray(v) && v.every(isString), [...DEFAULTS.shadowSetup]),
    maxRuns: valid(nested('results', 'maxRuns'), isPositiveInteger, DEFAULTS['results.maxRuns']),
    format: {
      keywordCase: valid(nested('format', 'keywordCase'), (v): v is FormatSettings['keywordCase'] => (KEYWORD_CASES as readonly unknown[]).includes(v), DEFAULTS['format.keywordCase']),
      indent: valid(nested('format', 'indent'), (v): v is number | null => v === null || isPositiveInteger(v), DEFAULTS['format.indent']),
      lineWidth: valid(nested('format', 'lineWidth'), isPositiveInteger, DEFAULTS['format.lineWidth']),
    },
    connectionNames: connections.map((c) => objectOr(c).name).filter(isString),
    activeConnection: valid(section.activeConnection, isString, DEFAULTS.activeConnection),
  };
}

/** Where the settings come from, read afresh after each change notification. */
export class SettingsSource {
  private pulled: Promise<ServerSettings> | null = null;
  private pushed: unknown = undefined;
  private last: ServerSettings = readSettings(undefined);

  constructor(private readonly connection: Connection, private readonly canPull: () => boolean, private readonly onFailure: (message: string) => void) {}

  /** The current settings (pulled once per change). */
  current(): Promise<ServerSettings> {
    this.pulled ??= this.read().then((settings) => {
      this.last = settings;
      return settings;
    });
    return this.pulled;
  }

  /** The settings as last read (the defaults before the first read), for what cannot wait. */
  get latest(): ServerSettings {
    return this.last;
  }

  /** A `workspace/didChangeConfiguration` arrived: its settings (when pushed) replace what was known. */
  changed(pushedSettings: unknown): void {
    const section = objectOr(pushedSettings)[SETTINGS_SECTION];
    if (section !== undefined) this.pushed = section;
    this.pulled = null;
  }

  private async read(): Promise<ServerSettings> {
    if (!this.canPull()) return readSettings(this.pushed);
    try {
      const [section] = await this.connection.workspace.getConfiguration([{ section: SETTINGS_SECTION }]) as unknown[];
      return readSettings(section ?? this.pushed);
    } catch (err) {
      // A client that says it can answer but fails: the defaults, said once per change.
      this.onFailure(`reading the drydock settings failed: ${err instanceof Error ? err.message : String(err)}`);
      return readSettings(this.pushed);
    }
  }
}
