// The editor's shadow as drydock.json describes the project's runner: the SQL it sends first
// (shadowSetup), the server for scratch databases (shadowConnection), the tool and its folder. The
// editor's own settings (drydock.shadowSetup, drydock.shadowConnection) win when set, as the CLI's
// flags do; what was used is said in the log.
import type { DrydockConfig } from '../core/config/drydockConfig';
import { expandShadowConnection } from '../core/config/projectSettings';
import type { HistoryTool } from '../core/shadow/historyTools';
import type { ServerSettings } from './settings';

/** What the shadow of a run is told. */
export interface ProjectShadow {
  setup: string[];
  /** The shadow server's connection string (no password written in a setting), or "" for PGlite. */
  connection: string;
  tool?: HistoryTool;
  migrationsFolder?: string;
  noTransactionDirective?: string;
  /** What the log says about where these came from. */
  notes: string[];
}

/** The shadow settings for a run whose files `config` (or none) applies to. Throws when shadowConnection names an unset variable. */
export function projectShadowOf(settings: ServerSettings, config: DrydockConfig | null, env: Readonly<Record<string, string | undefined>>): ProjectShadow {
  const notes: string[] = [];
  let setup = settings.shadowSetup;
  if (setup.length > 0) {
    if (config && config.shadowSetup.length > 0) notes.push(`drydock.shadowSetup (editor setting) replaces ${config.path}'s shadowSetup`);
  } else if (config && config.shadowSetup.length > 0) {
    setup = config.shadowSetup.map((e) => e.sql);
    notes.push(`shadow setup from ${config.path}'s shadowSetup (${config.shadowSetup.map((e) => e.file ?? 'inline SQL').join(', ')})`);
  }
  let connection = settings.shadowConnection;
  if (connection === '' && config?.shadowConnection) {
    connection = expandShadowConnection(config.shadowConnection, env, config.path);
    notes.push(`shadow on the server of ${config.path}'s shadowConnection`);
  }
  const shadow: ProjectShadow = { setup, connection, notes };
  if (config?.tool) {
    shadow.tool = config.tool;
    notes.push(`migration tool ${config.tool} (${config.path}'s tool)`);
  }
  if (config?.migrations) shadow.migrationsFolder = config.migrations;
  if (config?.noTransactionDirective) shadow.noTransactionDirective = config.noTransactionDirective;
  return shadow;
}
