// drydock.json's startAfter: the migrations up to and including that version are old, deployed
// history (strong_migrations' start_after, the Postgres Language Server's migrations.after). Their
// findings are not reported — every rule is off for them — but they are still read: they teach
// the schema the later files are judged by, and the shadow still replays them. A run still refuses
// what it cannot send (runnability rules decide a run whatever the settings say).
import { compareMigrationVersions, migrationVersionOf } from '../model/migrationVersion';
import type { LintSettings, RuleSetting } from '../model/lintSettings';
import type { DrydockConfig } from './drydockConfig';

/** True when the file's version is at or before the config's startAfter (a file without a version never is). */
export function isUpToStartAfter(config: DrydockConfig | null, file: string): boolean {
  if (!config?.startAfter) return false;
  const version = migrationVersionOf(file);
  return version !== null && compareMigrationVersions(version, config.startAfter) <= 0;
}

/** The settings for the file: every rule off when startAfter covers it, else as they are. */
export function underStartAfter(settings: LintSettings, config: DrydockConfig | null, file: string, knownRules: Iterable<string>): LintSettings {
  if (!isUpToStartAfter(config, file)) return settings;
  const rules: Record<string, RuleSetting> = {};
  for (const id of knownRules) rules[id] = 'off';
  return { ...settings, rules };
}
