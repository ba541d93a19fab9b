// The drydock.json settings for the files a command was given, read the same way by `check` and
// by the run commands, so a dry-run reports what `drydock check` reports on the same file.
import path from 'node:path';
import { ConfigError, ConfigResolver, isExcluded, type DrydockConfig } from '../core/config/drydockConfig';
import type { LintSettings } from '../core/model/lintSettings';
import { RULES } from '../core/rules/registry';
import { UsageError, type Io } from './io';

/** Each file's settings by the path it was given as, and the files its config excludes. */
export interface FileLintSettings {
  settingsFor(file: string): LintSettings;
  excluded(file: string): boolean;
  /** The drydock.json that applies to the file, or null. */
  configFor(file: string): DrydockConfig | null;
}

/** Reads the drydock.json above each file (relative paths from the working directory); a bad one is a usage error. */
export function fileLintSettings(io: Io, overrides: { pgVersion?: number } = {}): FileLintSettings {
  const resolver = new ConfigResolver(new Set(RULES.map((r) => r.id)));
  const guarded = <T>(read: () => T): T => {
    try {
      return read();
    } catch (err) {
      if (err instanceof ConfigError) throw new UsageError(`invalid drydock.json: ${err.message}`);
      throw err;
    }
  };
  return {
    settingsFor: (file) => guarded(() => resolver.lintSettingsFor(path.resolve(io.cwd(), file), overrides)),
    configFor: (file) => guarded(() => resolver.forFile(path.resolve(io.cwd(), file))),
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
