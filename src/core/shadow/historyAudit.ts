// `drydock audit`: measure every static claim of a whole history. The history is replayed from an
// empty shadow, migration by migration: each one is first dry-run (with every probe: locks,
// rewrites, scans, verification) against the state the migrations before it built, then applied
// as its tool applies it. The findings are those of `drydock check` on the folder (each file
// judged with the others as context), and each one whose rule claims something measurable is
// compared with what PostgreSQL did in that migration's dry-run: confirmed or contradicted.
import type { DatabaseBackend } from '../db/backend';
import type { AuditedMigration, AuditReport } from '../model/auditReport';
import type { LintSettings } from '../model/lintSettings';
import { DEFAULT_LINT_SETTINGS } from '../model/lintSettings';
import type { ErrorReport, RunReport } from '../model/report';
import type { DrydockSettingsInput } from '../model/settings';
import { directiveLine } from '../config/projectNoTransaction';
import { readToolNoTransaction } from '../config/toolNoTransaction';
import type { ToolNoTransaction } from '../model/toolNoTransaction';
import { loadParser, parseMigrationSync, type ParsedFile } from '../parse/parseMigration';
import { checkFiles, type CheckedFile } from '../rules/checkMigration';
import { RULES } from '../rules/registry';
import { classifyError } from '../run/classify';
import { attachEvidence } from '../run/evidence';
import { runMigrations } from '../run/runner';
import { countClaims } from './auditClaims';
import { summarizeAudit } from './auditSummary';
import { migrationsIn, type HistoryMigration } from './history';
import type { HistoryTool } from './historyTools';
import type { DisplayPath } from './replay';
import { REPLAY_STYLES } from './replayStyles';
import type { PreparedShadow, ReplayPlan, ShadowHost } from './shadowHost';
import { extensionsCreatedIn } from './shadowRun';

export interface AuditOptions {
  host: ShadowHost;
  /** The migrations folder (absolute). */
  folder: string;
  /** How the report names the folder. */
  folderLabel?: string;
  /** The tool, when the shell knows better than detection ("auto" detects). */
  tool?: HistoryTool | 'auto';
  /** drydock.json's noTransactionDirective: a migration holding it is dry-run and applied outside a transaction. */
  noTransactionDirective?: string;
  /** How files are named in the report (default: their absolute path). */
  displayPath?: DisplayPath;
  /** SQL the project's own runner sends first on its session (see ReplayPlan.setup); the dry-runs share that session. */
  setup?: readonly string[];
  /** Timeouts for each migration's dry-run. */
  settings?: DrydockSettingsInput;
  /** The rules' settings for each file (by the name the report gives it), e.g. from drydock.json. */
  lintSettings?: (file: string) => LintSettings;
  signal?: AbortSignal;
  /** Called before each migration is dry-run. */
  onProgress?: (done: number, total: number, file: string) => void;
  /** Called for each file named like a migration that is not a regular file (left out). */
  onSkipped?: (file: string, kind: string) => void;
  now?: () => Date;
}

/** A migration's dry-run, and whether it ran the very text the folder holds (a scratch database maps a few names). */
interface DryRun {
  report: RunReport;
  asWritten: boolean;
}

/** Only the rules that decide whether a file may be sent: the audit judges the whole folder once, as `check` does. */
function runnabilityOnly(settings: LintSettings): LintSettings {
  return { ...settings, rules: Object.fromEntries(RULES.map((r) => [r.id, r.category === 'runnability' ? settings.rules[r.id] ?? r.defaultSeverity : 'off'])) };
}

/** Settings whose version nobody gave, judged for the shadow's major version (as a run does). */
function forServer(settings: LintSettings, major: number | null): LintSettings {
  return settings.pgVersionAssumed && major !== null ? { ...settings, pgVersion: major, pgVersionAssumed: false } : settings;
}

/** The error of a dry-run that did not succeed, or of Drydock's own failure while running it. */
function dryRunFailure(report: RunReport): ErrorReport | undefined {
  return report.outcome === 'succeeded' ? undefined : report.error;
}

/** Audits the history in `folder`: see the file comment. */
export async function auditHistory(options: AuditOptions): Promise<AuditReport> {
  const t0 = performance.now();
  const startedAt = (options.now ?? (() => new Date()))().toISOString();
  await loadParser();
  const display = options.displayPath ?? ((p: string) => p);
  const { tool, migrations, skipped } = migrationsIn(options.folder, options.tool, options.noTransactionDirective);
  for (const s of skipped) options.onSkipped?.(s.file, s.kind);
  const lintSettings = options.lintSettings ?? (() => DEFAULT_LINT_SETTINGS);
  const directive = options.noTransactionDirective;
  const projectDirective = (text: string): ToolNoTransaction | null => {
    const line = directive ? directiveLine(text, directive) : null;
    return line === null ? null : { tool: 'drydock.json', configFile: 'drydock.json', line };
  };
  const files = migrations.map((m) => ({ path: display(m.file), text: m.text, toolNoTransaction: readToolNoTransaction(m.file) ?? projectDirective(m.text) }));
  const dryRuns: (DryRun | undefined)[] = [];
  const plan: ReplayPlan = {
    tool, style: REPLAY_STYLES[tool], migrations, targets: [], extensions: extensionsCreatedIn(migrations.map((m) => m.text)),
    displayPath: display, setup: options.setup ?? [],
    ...(options.signal ? { signal: options.signal } : {}),
    beforeEach: async (index: number, sent: HistoryMigration, backend: DatabaseBackend) => {
      const file = files[index]!;
      options.onProgress?.(index, migrations.length, file.path);
      const report = await runMigrations([{ ...file, text: sent.text }], {
        mode: 'dry-run', backend,
        lintSettings: (f) => runnabilityOnly(lintSettings(f)),
        ...(options.settings ? { settings: options.settings } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
      dryRuns[index] = { report, asWritten: sent.text === file.text };
    },
  };
  const report: AuditReport = {
    auditVersion: 1, folder: options.folderLabel ?? options.folder, tool, startedAt, server: null, shadow: options.host.kind === 'pglite' ? 'PGlite' : 'scratch database',
    outcome: 'succeeded', judgedFor: lintSettings(files[0]?.path ?? '').pgVersion, migrations: [], diagnostics: [], statements: [], verification: [], claims: [],
    summary: summarizeAudit({ migrations: [], statements: [], diagnostics: [], claims: [] }),
    timings: { totalMs: 0, dryRunMs: 0, applyMs: 0 },
  };
  let prepared: PreparedShadow;
  try {
    prepared = await options.host.prepare(plan);
  } catch (err) {
    // The shadow itself could not be made (no server, a wrong password, no CREATEDB): said, never thrown.
    const error = classifyError(err);
    error.message = `the shadow could not be prepared: ${error.message}`;
    report.error = error;
    report.outcome = 'failed';
    report.timings.totalMs = performance.now() - t0;
    return report;
  }
  try {
    report.server = prepared.server;
    report.shadow = prepared.stats.label;
    const major = Math.floor(prepared.server.versionNum / 10000);
    judge(report, files, dryRuns, (file) => forServer(lintSettings(file), major));
    report.migrations = migrations.map((m, i) => audited(m, files[i]!.path, dryRuns[i], i < prepared.stats.replayed, report.diagnostics));
    if (prepared.failure) {
      report.error = prepared.failure.error;
      const failed = report.migrations.find((m) => !m.applied);
      if (failed) failed.applyError = prepared.failure.error;
    }
    report.outcome = outcomeOf(report, prepared);
    report.summary = summarizeAudit(report);
    report.timings.dryRunMs = dryRuns.reduce((ms, d) => ms + (d?.report.timings.totalMs ?? 0), 0);
    report.timings.applyMs = Math.max(0, prepared.stats.replayMs - report.timings.dryRunMs);
  } finally {
    await prepared.release().catch(() => undefined);
  }
  report.timings.totalMs = performance.now() - t0;
  return report;
}

/**
 * The findings of `drydock check` on the whole folder (every file judged with the others as
 * context), each measurable one compared with its migration's dry-run; the dry-runs' statements
 * and verification gathered in order.
 */
function judge(report: AuditReport, files: readonly { path: string; text: string; toolNoTransaction: ToolNoTransaction | null }[],
  dryRuns: readonly (DryRun | undefined)[], settingsFor: (file: string) => LintSettings): void {
  const parsed: ParsedFile[] = files.map((f) => parseMigrationSync(f.path, f.text, f.toolNoTransaction));
  const checked: CheckedFile[] = checkFiles(parsed, { settings: (f) => settingsFor(f.file) });
  report.judgedFor = settingsFor(files[0]?.path ?? '').pgVersion;
  for (const [i, file] of checked.entries()) {
    const dryRun = dryRuns[i];
    for (const finding of file.diagnostics) finding.evidence = 'static';
    if (dryRun) {
      report.statements.push(...dryRun.report.statements);
      report.verification.push(...dryRun.report.verification);
      // A text the shadow changed (a database name mapped) has other offsets: its findings stay unmeasured.
      if (dryRun.asWritten) {
        dryRun.report.diagnostics = file.diagnostics;
        attachEvidence(dryRun.report, [file], (f) => settingsFor(f.file));
      }
    }
    report.diagnostics.push(...file.diagnostics);
  }
  report.claims = countClaims(report.diagnostics);
}

function audited(m: HistoryMigration, file: string, dryRun: DryRun | undefined, applied: boolean, findings: readonly { file: string }[]): AuditedMigration {
  const error = dryRun ? dryRunFailure(dryRun.report) : undefined;
  return {
    file, version: m.version, noTransaction: m.noTransaction, dryRun: dryRun?.report.outcome ?? 'cancelled',
    ...(error ? { dryRunError: error } : {}),
    applied, statements: dryRun?.report.statements.length ?? 0, findings: findings.filter((f) => f.file === file).length,
  };
}

// Verification statuses that say a migration did not do what it declares.
const FAILING_CHECKS = new Set(['missing', 'invalid', 'mismatch', 'disabled']);

/** cancelled; failed when a migration did not apply, a dry-run failed, or a declared object did not verify; else succeeded. */
function outcomeOf(report: AuditReport, prepared: PreparedShadow): AuditReport['outcome'] {
  if (prepared.cancelled) return 'cancelled';
  if (prepared.failure) return 'failed';
  if (report.migrations.some((m) => m.dryRun === 'failed')) return 'failed';
  if (report.verification.some((c) => FAILING_CHECKS.has(c.status))) return 'failed';
  return 'succeeded';
}
