// Runs the rule registry over parsed files: the findings, in file order, and whether each file
// may run (no error-severity finding).
import type { Finding, Severity } from '../model/findings';
import type { RunModeSpec } from '../model/runModes';
import { loadParser, parseMigrationSync, type ParsedFile } from '../parse/parseMigration';
import { RULES } from './registry';
import type { FindingDetails, Rule } from './rule';

/** A parsed file with what the rules found in it. */
export interface CheckedFile extends ParsedFile {
  diagnostics: Finding[];
  /** False when an error-severity finding means the file must not run. */
  runnable: boolean;
}

/** How the rules run: for which run mode, and with which severities. */
export interface CheckOptions {
  /** The run the files are checked for; null or absent for a plain check. */
  mode?: RunModeSpec | null;
  /** A severity per rule id, or 'off'; rules not named keep their default. */
  severities?: Readonly<Record<string, Severity | 'off'>>;
  /** The rules to run (default: the registry). */
  rules?: readonly Rule[];
}

function checkOne(file: ParsedFile, files: readonly ParsedFile[], options: CheckOptions): Finding[] {
  const rules = options.rules ?? RULES;
  const found: { finding: Finding; order: number }[] = [];
  rules.forEach((rule, order) => {
    const configured = options.severities?.[rule.id];
    if (configured === 'off') return;
    rule.check({
      file, files, mode: options.mode ?? null,
      report: (at, message, details: FindingDetails = {}) => {
        const finding: Finding = {
          ruleId: rule.id, severity: configured ?? details.severity ?? rule.defaultSeverity, message, help: details.help ?? rule.help,
          file: file.file, range: file.lines.rangeOf(at), offsets: at,
        };
        if (details.fix) finding.fix = details.fix;
        found.push({ finding, order });
      },
    });
  });
  // File order; at the same place, registry order.
  return found.sort((a, b) => a.finding.offsets.start - b.finding.offsets.start || a.order - b.order).map((f) => f.finding);
}

/** Runs the rules over files checked (or run) together. */
export function checkFiles(files: readonly ParsedFile[], options: CheckOptions = {}): CheckedFile[] {
  return files.map((file) => {
    const diagnostics = checkOne(file, files, options);
    return { ...file, diagnostics, runnable: !diagnostics.some((d) => d.severity === 'error') };
  });
}

/** Parses one file and runs the rules over it (after `loadParser()`). */
export function checkMigrationSync(file: string, text: string, options: CheckOptions = {}): CheckedFile {
  return checkFiles([parseMigrationSync(file, text)], options)[0]!;
}

/** Parses one file with the real PostgreSQL parser (loading it on first use) and runs the rules. */
export async function checkMigration(file: string, text: string, options: CheckOptions = {}): Promise<CheckedFile> {
  await loadParser();
  return checkMigrationSync(file, text, options);
}
