// The drydock.json settings that describe the project's migration runner rather than the rules: the
// SQL it sends first (shadowSetup), where the shadow goes (shadowConnection), the tool and its
// folder (tool, migrations) and the old history whose findings are not reported (startAfter). The
// editor's shadow and the CLI read them here, so both replay the same history the same way.
import fs from 'node:fs';
import path from 'node:path';
import { HISTORY_TOOL_NAMES } from '../model/migrationToolNames';

/** A tool whose history the shadow replays (shadow/historyTools.ts's HistoryTool). */
export type ConfiguredTool = (typeof HISTORY_TOOL_NAMES)[number];

/** One piece of the runner's setup SQL: written inline, or read from a .sql file next to drydock.json. */
export interface ShadowSetupEntry {
  sql: string;
  /** The file it was read from (absolute), or null when written inline. */
  file: string | null;
}

/** The runner settings of a drydock.json, validated (null or empty: not set). */
export interface ProjectSettings {
  shadowSetup: ShadowSetupEntry[];
  /** As written: a URL or conninfo without a password, `${env:NAME}` references expanded when used. */
  shadowConnection: string | null;
  tool: ConfiguredTool | null;
  /** The migrations folder, absolute. */
  migrations: string | null;
  /** The version as the tool numbers it, dashes removed, Flyway's `_` as `.` ("42", "20240101120000", "1.2"). */
  startAfter: string | null;
  /** The comment line with which the project's runner runs a file outside a transaction ("-- runner:no-transaction"). */
  noTransactionDirective: string | null;
}

export const PROJECT_SETTING_KEYS = ['shadowSetup', 'shadowConnection', 'tool', 'migrations', 'startAfter', 'noTransactionDirective'] as const;

/** Reports a bad value at its key (drydockConfig's located ConfigError). */
export type Fail = (key: string, detail: string) => never;

// An entry that is one word ending in .sql is a file; anything else (a space, a semicolon) is SQL.
const SETUP_FILE = /^[^\s;'"]+\.sql$/i;
const ENV_REFERENCE = /\$\{env:([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// postgres://user:secret@host, and conninfo's password=secret.
const URL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@?#]*:[^/@?#]+@/i;
const CONNINFO_PASSWORD = /(?:^|\s)password\s*=/i;
// 42, 007, 20240101120000, diesel's 2017-09-23-182408, Flyway's 1.2 / 1_2 / V1_2.
const VERSION = /^V?(\d+(?:[._]\d+)*|\d[\d-]*\d)$/i;

/** The startAfter value as a comparable version, or null when it is none. */
export function normalizeVersion(written: string): string | null {
  const match = VERSION.exec(written.trim());
  if (!match) return null;
  const body = match[1]!;
  return /[._]/.test(body) ? body.replace(/_/g, '.') : body.replace(/-/g, '');
}

function readSetup(value: unknown, dir: string, fail: Fail, readFile: (file: string) => string | null): ShadowSetupEntry[] {
  const entries = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(entries) || entries.length === 0 || !entries.every((e) => typeof e === 'string' && e.trim() !== '')) {
    fail('shadowSetup', '"shadowSetup" must be SQL, or a path to a .sql file relative to drydock.json, or an array of them');
  }
  return (entries as string[]).map((entry) => {
    if (!SETUP_FILE.test(entry.trim())) return { sql: entry, file: null };
    const file = path.resolve(dir, entry.trim());
    const sql = readFile(file);
    if (sql === null) return fail('shadowSetup', `"shadowSetup": ${entry.trim()} not found (a path relative to drydock.json's folder)`);
    return { sql, file };
  });
}

function readConnection(value: unknown, fail: Fail): string {
  if (typeof value !== 'string' || value.trim() === '') return fail('shadowConnection', '"shadowConnection" must be a connection URL without a password, or "${env:NAME}"');
  for (const [, name] of value.matchAll(ENV_REFERENCE)) {
    if (!ENV_NAME.test(name!)) fail('shadowConnection', `"shadowConnection": \${env:${name}} does not name an environment variable`);
  }
  // Only the text outside the references is written in the file; what a variable holds is the user's.
  const written = value.replace(ENV_REFERENCE, '');
  if (URL_PASSWORD.test(written) || CONNINFO_PASSWORD.test(written)) {
    fail('shadowConnection', '"shadowConnection" holds a password, and drydock.json is shared: write "${env:DRYDOCK_SHADOW_URL}" and set that variable, '
      + 'or leave the password to PGPASSWORD or ~/.pgpass');
  }
  return value.trim();
}

/** Reads and validates the runner settings of a drydock.json's object (`dir`: its folder). */
export function readProjectSettings(record: Record<string, unknown>, dir: string, fail: Fail, readFile: (file: string) => string | null): ProjectSettings {
  const settings: ProjectSettings = { shadowSetup: [], shadowConnection: null, tool: null, migrations: null, startAfter: null, noTransactionDirective: null };
  if (record.shadowSetup !== undefined) settings.shadowSetup = readSetup(record.shadowSetup, dir, fail, readFile);
  if (record.shadowConnection !== undefined) settings.shadowConnection = readConnection(record.shadowConnection, fail);
  if (record.tool !== undefined) {
    const tool = record.tool;
    if (typeof tool !== 'string' || !(tool === 'auto' || (HISTORY_TOOL_NAMES as readonly string[]).includes(tool))) {
      fail('tool', `"tool" must be "auto" or one of ${HISTORY_TOOL_NAMES.join(', ')}, got ${JSON.stringify(tool)}`);
    }
    settings.tool = tool === 'auto' ? null : tool as ConfiguredTool;
  }
  if (record.migrations !== undefined) {
    if (typeof record.migrations !== 'string' || record.migrations.trim() === '') fail('migrations', '"migrations" must be the migrations folder, relative to drydock.json');
    const folder = path.resolve(dir, (record.migrations as string).trim());
    if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) fail('migrations', `"migrations": ${record.migrations as string} is not a folder (relative to drydock.json's folder)`);
    settings.migrations = folder;
  }
  if (record.startAfter !== undefined) {
    const written = record.startAfter;
    const version = typeof written === 'string' ? normalizeVersion(written)
      : typeof written === 'number' && Number.isSafeInteger(written) && written >= 0 ? String(written) : null;
    if (version === null) {
      fail('startAfter', `"startAfter" must be a migration version as the tool numbers it (42, 20240101120000, 2017-09-23-182408, V1_2), got ${JSON.stringify(written)}`);
    }
    settings.startAfter = version;
  }
  if (record.noTransactionDirective !== undefined) {
    const directive = record.noTransactionDirective;
    if (typeof directive !== 'string' || !directive.trim().startsWith('--') || directive.trim().replace(/^--\s*/, '') === '' || /[\r\n]/.test(directive)) {
      fail('noTransactionDirective', `"noTransactionDirective" must be a SQL comment line such as "-- runner:no-transaction", got ${JSON.stringify(directive)}`);
    }
    settings.noTransactionDirective = (directive as string).trim();
  }
  return settings;
}

/**
 * The shadow connection with its `${env:NAME}` references expanded from `env` (the shell's
 * environment: core never reads it). Throws when a variable is not set.
 */
export function expandShadowConnection(value: string, env: Readonly<Record<string, string | undefined>>, configFile: string): string {
  return value.replace(ENV_REFERENCE, (_all, name: string) => {
    const set = env[name];
    if (set === undefined || set === '') throw new Error(`${configFile}: "shadowConnection" names \${env:${name}}, and that environment variable is not set`);
    return set;
  });
}
