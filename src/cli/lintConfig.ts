// The drydock.json settings for the files a command was given, read the same way by `check` and
// by the run commands, so a dry-run reports what `drydock check` reports on the same file.
import path from 'node:path';
import { ConfigError, ConfigResolver, isExcluded, projectNoTransaction, type DrydockConfig } from '../core/config/drydockConfig';
import type { ToolNoTransaction } from '../core/model/toolNoTransaction';
import type { MigrationFile } from '../core/run/runner';
import type { LintSettings } from '../core/model/lintSettings';
import { RULES } from '../core/rules/registry';
import { UsageError, type Io } from './io';

/** Each file's settings by the path it was given as, and the files its config excludes. */
export interface FileLintSettings {
  settingsFor(file: string): LintSettings;
  excluded(file: string): boolean;
  /** The drydock.json that applies to the file, or null. */
  configFor(file: string): DrydockConfig | null;
  /** Whether the file runs outside a transaction by its tool's configuration, or by drydock.json's noTransactionDirective. */
  noTransactionOf(file: MigrationFile): ToolNoTransaction | null;
}

/** Reads the drydock.json above each file (relative paths from the working directory); a bad one is a usage error. */
export function fileLintSettings(io: Io, overrides: { pgVersion?: number } = {}): FileLintSettings {
  const resolver = new ConfigResolver(new Set(RULES.map((r) => r.id)));
  // A .squawk.toml read in place of a drydock.json is said once, with what it mapped and left aside.
  const said = new Set<string>();
  const noted = (config: DrydockConfig | null): DrydockConfig | null => {
    if (config?.squawkNotes && !said.has(config.path)) {
      said.add(config.path);
      const shown = path.relative(io.cwd(), config.path) || config.path;
      io.stderr.write(`drydock: no drydock.json; read ${shown}${config.squawkNotes.map((n) => `\n  ${n}`).join('')}\n`);
    }
    return config;
  };
  const guarded = <T>(read: () => T): T => {
    try {
      return read();
    } catch (err) {
      if (err instanceof ConfigError) throw new UsageError(`invalid ${path.basename(err.file)}: ${err.message}`);
      throw err;
    }
  };
  return {
    settingsFor: (file) => guarded(() => {
      noted(resolver.forFile(path.resolve(io.cwd(), file)));
      return resolver.lintSettingsFor(path.resolve(io.cwd(), file), overrides);
    }),
    configFor: (file) => guarded(() => noted(resolver.forFile(path.resolve(io.cwd(), file)))),
    noTransactionOf: (file) => file.toolNoTransaction ?? guarded(() => projectNoTransaction(resolver.forFile(path.resolve(io.cwd(), file.path)), file.text)),
    excluded: (file) => guarded(() => {
      const absolute = path.resolve(io.cwd(), file);
      return isExcluded(resolver.forFile(absolute), absolute);
    }),
  };
}

/** `--pg-version 16` (or 16.4) as a major version. */
export function pgVersionOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const major = Number(/^(\d+)/.exec(value)?.[1]);
  if (!Number.isInteger(major) || major < 9 || major > 99) throw new UsageError(`--pg-version must be a PostgreSQL major version such as 16, got ${value}`);
  return major;
}
