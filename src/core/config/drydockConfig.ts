// drydock.json: one configuration for the editor and the CLI, found by searching upwards from each
// migration file. It sets the rules' severities, the target PostgreSQL version, whether the
// migration tool runs each file in a transaction, and files to leave out. Its JSON schema
// (schemas/drydock.schema.json) gives editors completion; this file is what Drydock enforces.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_LINT_SETTINGS, type LintSettings, type RuleSetting } from '../model/lintSettings';
import { globToRegExp } from './globs';
import { PROJECT_SETTING_KEYS, readProjectSettings, type ProjectSettings } from './projectSettings';
import { SQUAWK_CONFIG_FILE_NAME, parseSquawkConfig } from './squawkConfig';
import { underStartAfter } from './startAfter';

export { isUpToStartAfter, underStartAfter } from './startAfter';
export { projectNoTransaction } from './projectNoTransaction';

export const CONFIG_FILE_NAME = 'drydock.json';

/** The contents of a drydock.json, validated. */
export interface DrydockConfig extends ProjectSettings {
  /** Absolute path of the file it was read from. */
  path: string;
  rules: Record<string, RuleSetting>;
  pgVersion: number | null;
  assumeInTransaction: boolean | null;
  /** Globs relative to the config file's folder. */
  exclude: string[];
  /** Read from a .squawk.toml (no drydock.json above the file): what was mapped and what was left aside. */
  squawkNotes?: string[];
}

/** A drydock.json that cannot be used: the message names the file, line and column. */
export class ConfigError extends Error {
  constructor(readonly file: string, readonly line: number, readonly column: number, readonly detail: string) {
    super(`${file}:${line}:${column}: ${detail}`);
  }
}

const SETTINGS: readonly RuleSetting[] = ['off', 'info', 'warning', 'error'];
export const CONFIG_KEYS: readonly string[] = ['$schema', 'rules', 'pgVersion', 'assumeInTransaction', 'exclude', ...PROJECT_SETTING_KEYS];
const KEYS = new Set(CONFIG_KEYS);

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Where a key is written (its first occurrence as a JSON string key), for error messages. */
function keyPosition(text: string, key: string): { line: number; column: number } {
  const at = text.indexOf(`${JSON.stringify(key)}`);
  return positionOf(text, at < 0 ? 0 : at);
}

/**
 * Parses and validates a drydock.json's text; `knownRules` are the rule ids it may name, `readFile`
 * reads the .sql files its shadowSetup names (null: no such file).
 */
export function parseConfig(file: string, withBom: string, knownRules: ReadonlySet<string>, readFile: (file: string) => string | null = readIfExists): DrydockConfig {
  // Editors on Windows save UTF-8 with a byte order mark; JSON.parse refuses it, and no editor counts it as a column.
  const text = withBom.startsWith('\uFEFF') ? withBom.slice(1) : withBom;
  const fail = (key: string, detail: string): never => {
    const { line, column } = keyPosition(text, key);
    throw new ConfigError(file, line, column, detail);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message);
    const { line, column } = positionOf(text, at ? Number(at[1]) : 0);
    throw new ConfigError(file, line, column, `not valid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(file, 1, 1, 'must be a JSON object');
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!KEYS.has(key)) fail(key, `unknown setting "${key}" (expected one of ${[...KEYS].join(', ')})`);
  const config: DrydockConfig = { path: file, rules: {}, pgVersion: null, assumeInTransaction: null, exclude: [], ...readProjectSettings(record, path.dirname(file), fail, readFile) };
  if (record.rules !== undefined) {
    if (typeof record.rules !== 'object' || record.rules === null || Array.isArray(record.rules)) fail('rules', '"rules" must be an object of rule id → "off" | "info" | "warning" | "error"');
    for (const [id, value] of Object.entries(record.rules as Record<string, unknown>)) {
      if (!knownRules.has(id)) fail(id, `"rules": unknown rule "${id}" (drydock rules lists them)`);
      if (typeof value !== 'string' || !(SETTINGS as readonly string[]).includes(value)) fail(id, `"rules.${id}" must be one of ${SETTINGS.join(', ')}, got ${JSON.stringify(value)}`);
      config.rules[id] = value as RuleSetting;
    }
  }
  if (record.pgVersion !== undefined) {
    if (typeof record.pgVersion !== 'number' || !Number.isInteger(record.pgVersion) || record.pgVersion < 9 || record.pgVersion > 99) {
      fail('pgVersion', `"pgVersion" must be a PostgreSQL major version such as 16, got ${JSON.stringify(record.pgVersion)}`);
    }
    config.pgVersion = record.pgVersion as number;
  }
  if (record.assumeInTransaction !== undefined) {
    if (typeof record.assumeInTransaction !== 'boolean') fail('assumeInTransaction', `"assumeInTransaction" must be true or false, got ${JSON.stringify(record.assumeInTransaction)}`);
    config.assumeInTransaction = record.assumeInTransaction as boolean;
  }
  if (record.exclude !== undefined) {
    if (!Array.isArray(record.exclude) || !record.exclude.every((g) => typeof g === 'string' && g !== '')) fail('exclude', '"exclude" must be an array of glob strings');
    config.exclude = record.exclude as string[];
  }
  return config;
}

/** The rules' settings under a config (or none), with what the shell says overriding it. */
export function lintSettingsOf(config: DrydockConfig | null, overrides: { pgVersion?: number } = {}): LintSettings {
  const given = overrides.pgVersion ?? config?.pgVersion ?? null;
  return {
    pgVersion: given ?? DEFAULT_LINT_SETTINGS.pgVersion,
    ...(given === null ? { pgVersionAssumed: true } : {}),
    assumeInTransaction: config?.assumeInTransaction ?? DEFAULT_LINT_SETTINGS.assumeInTransaction,
    rules: config?.rules ?? DEFAULT_LINT_SETTINGS.rules,
  };
}

/** True when the config's `exclude` globs match the (absolute) file. */
export function isExcluded(config: DrydockConfig | null, file: string): boolean {
  if (!config || config.exclude.length === 0) return false;
  const relative = path.relative(path.dirname(config.path), file).split(path.sep).join('/');
  return config.exclude.some((glob) => globToRegExp(glob).test(relative));
}

/**
 * Finds the drydock.json that applies to a file: the nearest one in its folder or a parent
 * folder. Caches per folder, so checking a whole tree reads each config once.
 */
export class ConfigResolver {
  private readonly byDir = new Map<string, DrydockConfig | null>();
  private readonly squawkByDir = new Map<string, DrydockConfig | null>();

  constructor(private readonly knownRules: ReadonlySet<string>, private readonly readFile: (file: string) => string | null = readIfExists) {}

  /** The rules' settings for an absolute file path: its drydock.json's, with the shell's overrides. Throws ConfigError. */
  lintSettingsFor(file: string, overrides: { pgVersion?: number } = {}): LintSettings {
    const config = this.forFile(file);
    return underStartAfter(lintSettingsOf(config, overrides), config, file, this.knownRules);
  }

  /**
   * The config for an absolute file path: the nearest drydock.json above it, else (none anywhere
   * above) the nearest .squawk.toml, else null. Throws ConfigError.
   */
  forFile(file: string): DrydockConfig | null {
    if (!path.isAbsolute(file)) throw new Error(`ConfigResolver needs an absolute path, got ${file}`);
    return this.forDir(path.dirname(file)) ?? this.squawkForDir(path.dirname(file));
  }

  private squawkForDir(dir: string): DrydockConfig | null {
    return this.nearest(dir, SQUAWK_CONFIG_FILE_NAME, this.squawkByDir, (file, text) => {
      const read = parseSquawkConfig(file, text, this.knownRules);
      if (!('config' in read)) throw new ConfigError(file, read.line, read.column, read.detail);
      return { ...read.config, squawkNotes: read.notes };
    });
  }

  private forDir(dir: string): DrydockConfig | null {
    return this.nearest(dir, CONFIG_FILE_NAME, this.byDir, (file, text) => parseConfig(file, text, this.knownRules, this.readFile));
  }

  /** The file named `name` in `dir` or the nearest folder above it, read by `parse`; each folder's answer kept in `cache`. */
  private nearest(dir: string, name: string, cache: Map<string, DrydockConfig | null>, parse: (file: string, text: string) => DrydockConfig): DrydockConfig | null {
    const cached = cache.get(dir);
    if (cached !== undefined) return cached;
    const candidate = path.join(dir, name);
    const text = this.readFile(candidate);
    const parent = path.dirname(dir);
    const found = text !== null ? parse(candidate, text) : parent === dir ? null : this.nearest(parent, name, cache, parse);
    cache.set(dir, found);
    return found;
  }
}

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw err;
  }
}
