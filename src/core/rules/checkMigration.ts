// Runs the rule registry over parsed files: the findings, in file order, and whether each file
// may run (no error from a runnability rule). Severities come from the settings (drydock.json);
// inline ignores silence findings, and an ignore that silences nothing is itself reported.
import { analyseFiles, analyseFilesStepwise, type FileAnalysis, type LearnedContext } from '../analyse/fileAnalysis';
import type { Finding, Severity } from '../model/findings';
import { DEFAULT_LINT_SETTINGS, type LintSettings, type RuleSetting } from '../model/lintSettings';
import type { OffsetRange } from '../model/positions';
import type { RunModeSpec } from '../model/runModes';
import { allSteps, type Steps } from '../model/steps';
import { loadParser, parseMigrationSync, type ParsedFile } from '../parse/parseMigration';
import { ignoreFor, readIgnores, type IgnoreComment } from './ignores';
import { RULES, ruleById } from './registry';
import type { FindingDetails, Rule } from './rule';
import { bareIgnoreMessage, UNUSED_IGNORE_ID, unusedIgnoreMessage } from './unused-ignore';
import { internalErrorFinding } from './internal-error';

/** A parsed file with what the rules found in it. */
export interface CheckedFile extends ParsedFile {
  diagnostics: Finding[];
  /**
   * False when a run must not send the file: a runnability rule refused it (in a run, whatever
   * ignores and severities say) or failed.
   */
  runnable: boolean;
  /** The facts the rules judged by: statements with predicted locks, schema, transaction (for hovers and fixes). */
  analysis: FileAnalysis;
}

/** How the rules run: for which run mode, with which settings, and in which context. */
export interface CheckOptions {
  /** The run the files are checked for; null or absent for a plain check. */
  mode?: RunModeSpec | null;
  /** A severity per rule id, or 'off', over the settings' own; rules not named keep their default. */
  severities?: Readonly<Record<string, RuleSetting>>;
  /** The settings (pgVersion, assumeInTransaction, rule severities), one for all files or per file (drydock.json found from each). */
  settings?: LintSettings | ((file: ParsedFile) => LintSettings);
  /**
   * Earlier migrations of the folder: they teach the schema (tables, column types), nothing in them
   * is reported. A LearnedContext (analyse/fileAnalysis.ts) is learned once for many checks.
   */
  context?: readonly ParsedFile[] | LearnedContext;
  /**
   * Later migrations of the folder: what holds at any point (the indexes a table ever gets) counts,
   * as when the whole folder is checked together; nothing in them is reported.
   */
  later?: readonly ParsedFile[];
  /** The rules to run (default: the registry). */
  rules?: readonly Rule[];
}

interface Found {
  finding: Finding;
  order: number;
}

function severityOf(rule: Rule, settings: LintSettings, options: CheckOptions): RuleSetting | undefined {
  return options.severities?.[rule.id] ?? settings.rules[rule.id];
}

function reportUnusedIgnores(ignores: readonly IgnoreComment[], file: ParsedFile, settings: LintSettings, options: CheckOptions, add: (f: Finding) => void): void {
  const configured = options.severities?.[UNUSED_IGNORE_ID] ?? settings.rules[UNUSED_IGNORE_ID];
  if (configured === 'off') return;
  const rule = ruleById(UNUSED_IGNORE_ID)!;
  for (const ignore of ignores) {
    // Squawk's comments also serve Squawk, which may report what Drydock does not: never "unused".
    if (ignore.tool !== 'drydock') continue;
    if (ignore.ruleIds.length === 0) {
      add({
        ruleId: UNUSED_IGNORE_ID, severity: configured ?? rule.defaultSeverity, message: bareIgnoreMessage(ignore),
        help: rule.help, file: file.file, range: file.lines.rangeOf(ignore.offsets), offsets: ignore.offsets,
      });
    }
    for (const id of ignore.ruleIds) {
      if (ignore.used.has(id)) continue;
      const known = ruleById(id);
      if (known && severityOf(known, settings, options) === 'off') continue;
      add({
        ruleId: UNUSED_IGNORE_ID, severity: configured ?? rule.defaultSeverity, message: unusedIgnoreMessage(id, ignore, known !== undefined),
        help: rule.help, file: file.file, range: file.lines.rangeOf(ignore.offsets), offsets: ignore.offsets,
      });
    }
  }
}

/** One file's findings, and whether a run may send it. */
function checkOne(file: ParsedFile, settings: LintSettings, analysisOf: () => FileAnalysis, files: readonly ParsedFile[], options: CheckOptions): { findings: Finding[]; runnable: boolean } {
  const rules = options.rules ?? RULES;
  const ignores = readIgnores(file, () => analysisOf().statements);
  const found: Found[] = [];
  // What a run may send is the runner's to decide, not the lint settings': a runnability rule's
  // refusal makes the file unrunnable in every mode, and in a run it is reported whatever an
  // ignore or drydock.json says (in a plain check they still choose what is shown).
  const running = options.mode?.executes === true;
  let runnable = true;
  for (const [order, rule] of rules.entries()) {
    if (rule.id === UNUSED_IGNORE_ID) continue;
    const configured = severityOf(rule, settings, options);
    const decidesRun = rule.category === 'runnability';
    if (configured === 'off' && !decidesRun) continue;
    const add = (finding: Finding) => found.push({ finding, order });
    try {
      rule.check({
        file, files, get analysis() { return analysisOf(); }, mode: options.mode ?? null,
        report: (at: OffsetRange, message: string, details: FindingDetails = {}) => {
          const refusal = decidesRun && (details.severity ?? rule.defaultSeverity) === 'error';
          if (refusal) runnable = false;
          const ignored = ignores.length > 0 && ignoreFor(ignores, rule.id, at) !== undefined;
          if (refusal && running) {
            add(findingOf(rule, file, at, 'error', (ignored || configured !== undefined) ? `${message} ${REFUSAL_NOTE}` : message, details));
            return;
          }
          if (ignored || configured === 'off') return;
          add(findingOf(rule, file, at, configured ?? details.severity ?? rule.defaultSeverity, message, details));
        },
      });
    } catch (err) {
      // A rule's own failure is reported as such, for this file; the other rules still judge it.
      // Whether the file may be sent is unknown when a runnability rule failed: it may not.
      if (decidesRun) runnable = false;
      add(internalErrorFinding(rule, file, err, decidesRun && running));
    }
  }
  if (rules.some((r) => r.id === UNUSED_IGNORE_ID)) {
    reportUnusedIgnores(ignores, file, settings, options, (finding) => found.push({ finding, order: rules.length }));
  }
  // File order; at the same place, registry order.
  const findings = found.sort((a, b) => a.finding.offsets.start - b.finding.offsets.start || a.order - b.order).map((f) => f.finding);
  return { findings, runnable };
}

const REFUSAL_NOTE = '(A run refuses this whatever ignores or drydock.json say: they change what `drydock check` reports, never what a run may send.)';

function findingOf(rule: Rule, file: ParsedFile, at: OffsetRange, severity: Severity, message: string, details: FindingDetails): Finding {
  const finding: Finding = { ruleId: rule.id, severity, message, help: details.help ?? rule.help, file: file.file, range: file.lines.rangeOf(at), offsets: at };
  if (details.fix) finding.fix = details.fix;
  return finding;
}

function settingsResolver(options: CheckOptions): (file: ParsedFile) => LintSettings {
  const settings = options.settings;
  if (typeof settings === 'function') return settings;
  return () => settings ?? DEFAULT_LINT_SETTINGS;
}

/** The rules that decide whether a file may run (all a run needs before it knows the server). */
export const RUNNABILITY_RULES: readonly Rule[] = RULES.filter((rule) => rule.category === 'runnability');

/** Runs the rules over files checked (or run) together. */
export function checkFiles(files: readonly ParsedFile[], options: CheckOptions = {}): CheckedFile[] {
  return allSteps(checkFilesStepwise(files, options));
}

/**
 * checkFiles in steps: the analysis, one file per step, then the rules, one file per step. A
 * caller that has something to wait for (a run awaiting the server) judges between the waits.
 */
export function* checkFilesStepwise(files: readonly ParsedFile[], options: CheckOptions = {}): Steps<CheckedFile[]> {
  const settingsFor = settingsResolver(options);
  const analysisOptions = {
    settingsFor,
    together: options.mode !== null && options.mode !== undefined,
    ...(options.context ? { context: options.context } : {}),
    ...(options.later ? { later: options.later } : {}),
  };
  // The runnability rules read the parsed files only: a check of those alone (a run's plan, before
  // the server is known) analyses nothing unless something asks for the analysis afterwards.
  let analyses: FileAnalysis[] | null = null;
  if ((options.rules ?? RULES).some((rule) => rule.category !== 'runnability')) analyses = yield* analyseFilesStepwise(files, analysisOptions);
  const analysisOf = (i: number) => (analyses ??= analyseFiles(files, analysisOptions))[i]!;
  const checked: CheckedFile[] = [];
  for (const [i, file] of files.entries()) {
    yield;
    const { findings: diagnostics, runnable } = checkOne(file, analyses?.[i]?.settings ?? settingsFor(file), () => analysisOf(i), files, options);
    const result = { ...file, diagnostics, runnable } as CheckedFile;
    // Made when first asked for; a copy of the checked file ({ ...checked }) asks for it.
    Object.defineProperty(result, 'analysis', { get: () => analysisOf(i), enumerable: true, configurable: true });
    checked.push(result);
  }
  return checked;
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
