// One publishDiagnostics stream per file, made of three parts: the rules' findings (judged as
// `drydock check DIR` judges the file, with what the last run confirmed or contradicted), a broken
// drydock.json's problem (on the drydock.json), and each failed statement's classified error after a
// run (shown while the statement's text is what ran). Checks run on open and save at once and
// after edits once typing pauses; an older result arriving late is dropped, and so is one for a
// version the document has already left. A publish identical to the last one for that document is
// not sent again: an editor converts and redraws every publish (a 1,000-line file's findings cost
// VS Code's extension host 50–140 ms each), and a run or a save re-derives unchanged findings often.
import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { RunReport } from '../core/model/report';
import type { ServerContext } from './context';
import { filePathOf, isConfigUri } from './documents';
import { scavengeWhenIdle } from './idleScavenge';
import { lastRunOf, withRunEvidence } from './lastRun';
import { configProblemToDiagnostic, errorToDiagnostic, fileUri, findingToDiagnostic } from './lspConvert';
import type { ConfigProblem, FolderListing } from './migrationChecker';

/** How long after the last edit a document is checked again (each edit pushes the check back). */
export const EDIT_SETTLE_MS = 300;

/** A run's error, shown while its statement's text is still what ran. */
interface RunError {
  diagnostic: Diagnostic;
  offsets: { start: number; end: number };
  sql: string;
}

/** Owns what the server publishes as diagnostics. */
export class Diagnostics {
  private readonly checked = new Map<string, Diagnostic[]>();
  private readonly config = new Map<string, Diagnostic[]>();
  private readonly runErrors = new Map<string, RunError[]>();
  private readonly generation = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** What was last sent for each document (a new publish equal to it is skipped; never changed after it is sent). */
  private readonly published = new Map<string, Diagnostic[]>();
  /** Checks of each document started and not finished. */
  private readonly running = new Map<string, number>();
  /** Who waits for a document's checks to be done (whenSettled). */
  private readonly settleWaiters = new Map<string, (() => void)[]>();

  constructor(private readonly ctx: ServerContext) {}

  /** Checks a document again once edits pause. */
  scheduleCheck(document: TextDocument): void {
    clearTimeout(this.timers.get(document.uri));
    this.timers.set(document.uri, setTimeout(() => {
      this.timers.delete(document.uri);
      const current = this.ctx.documents.get(document.uri);
      if (current) void this.check(current, true, 'reuse');
      this.wakeIfSettled(document.uri);
    }, EDIT_SETTLE_MS));
  }

  /** Resolves once the document has no check scheduled or running (what it shows is its last check's). */
  whenSettled(uri: string): Promise<void> {
    if (this.settled(uri)) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.set(uri, [...this.settleWaiters.get(uri) ?? [], resolve]));
  }

  private settled(uri: string): boolean {
    return !this.timers.has(uri) && (this.running.get(uri) ?? 0) === 0;
  }

  private wakeIfSettled(uri: string): void {
    if (!this.settled(uri)) return;
    const waiters = this.settleWaiters.get(uri) ?? [];
    this.settleWaiters.delete(uri);
    for (const wake of waiters) wake();
  }

  /**
   * Checks a migration file and publishes its diagnostics; validates a drydock.json on its own.
   * `again: false` shows the remembered outcome of the document's version (after a run, for its evidence).
   */
  async check(document: TextDocument, again = true, listing: FolderListing = 'fresh'): Promise<void> {
    const uri = document.uri;
    this.running.set(uri, (this.running.get(uri) ?? 0) + 1);
    try {
      await this.checkNow(document, again, listing);
    } finally {
      this.running.set(uri, (this.running.get(uri) ?? 1) - 1);
      if (this.running.get(uri) === 0) this.running.delete(uri);
      this.wakeIfSettled(uri);
      // Nothing checking and no edit waiting: the check's garbage goes now, not inside the next check.
      if (this.running.size === 0 && this.timers.size === 0) scavengeWhenIdle();
    }
  }

  private async checkNow(document: TextDocument, again: boolean, listing: FolderListing): Promise<void> {
    const uri = document.uri;
    const settings = await this.ctx.settings.current();
    if (isConfigUri(uri)) {
      if (again) await this.validateConfig(document);
      return;
    }
    if (!settings.diagnosticsEnabled || !this.ctx.documents.isMigration(document, settings.run.migrationsGlobs)) {
      if (this.checked.delete(uri)) this.publish(uri);
      return;
    }
    const generation = (this.generation.get(uri) ?? 0) + 1;
    this.generation.set(uri, generation);
    try {
      const outcome = await (again ? this.ctx.checks.check(document, listing) : this.ctx.checks.current(document));
      // A newer check started, the document closed, or it was edited since (the check of that edit is scheduled).
      if (this.generation.get(uri) !== generation || this.ctx.documents.get(uri)?.version !== document.version) return;
      if (outcome.kind === 'checked') {
        // What the last run concluded about these findings, where the statements are unchanged since.
        const run = lastRunOf(this.ctx.reports.reports, outcome.checked.file, outcome.checked.text);
        this.checked.set(uri, withRunEvidence(outcome.checked.diagnostics, run).map((f) => findingToDiagnostic(f, this.ctx.docsLink)));
      } else {
        // Excluded by its drydock.json, or that drydock.json is broken (shown on it): nothing here.
        this.checked.delete(uri);
        if (outcome.kind === 'config-error') this.showConfigProblem(outcome.problem);
      }
      this.publish(uri);
    } catch (err) {
      this.ctx.log.error(`checking ${filePathOf(uri) ?? uri} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Checks every open document again (a drydock.json, the settings or the target server changed). */
  checkAll(): void {
    this.ctx.checks.dependenciesChanged();
    for (const uri of [...this.config.keys()]) {
      this.config.delete(uri);
      this.publish(uri);
    }
    for (const d of this.ctx.documents.all()) void this.check(d);
  }

  /** Checks the other open migrations again: the one saved is part of their context. */
  checkOthers(saved: TextDocument): void {
    for (const d of this.ctx.documents.all()) {
      if (d.uri !== saved.uri && !isConfigUri(d.uri)) void this.check(d);
    }
  }

  /** Shows the open migrations' findings again with the latest runs' evidence (nothing is checked again). */
  showRunEvidence(): void {
    for (const d of this.ctx.documents.all()) void this.check(d, false);
  }

  /** Shows what is wrong with a drydock.json, on it. */
  showConfigProblem(problem: ConfigProblem): void {
    const uri = fileUri(problem.file);
    this.config.set(uri, [configProblemToDiagnostic(problem)]);
    this.publish(uri);
  }

  /** Replaces the run errors with this run's: each failed statement's error at the place it points to. */
  showRun(report: RunReport): void {
    const before = [...this.runErrors.keys()];
    this.runErrors.clear();
    for (const statement of report.statements) {
      if (!statement.error) continue;
      const file = statement.error.file ?? statement.file;
      const uri = fileUri(file);
      const list = this.runErrors.get(uri) ?? [];
      list.push({ diagnostic: errorToDiagnostic(statement.error, file, statement.range), offsets: statement.offsets, sql: statement.sql });
      this.runErrors.set(uri, list);
    }
    for (const uri of new Set([...before, ...this.runErrors.keys()])) this.publish(uri);
  }

  /** Forgets a closed document: its diagnostics, its check generation and its remembered check. */
  closed(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.checked.delete(uri);
    this.generation.delete(uri);
    this.ctx.checks.forget(uri);
    this.publish(uri);
    // Reopened, the document is published afresh even when nothing changed.
    this.published.delete(uri);
  }

  /** Publishes the file's diagnostics as they stand. */
  publish(uri: string): void {
    const text = this.ctx.documents.get(uri)?.getText();
    // An edit makes a run's error stale: shown only while the statement's text is what ran.
    const runErrors = (this.runErrors.get(uri) ?? []).filter((e) => text === undefined || text.slice(e.offsets.start, e.offsets.end) === e.sql);
    const diagnostics = [...(this.checked.get(uri) ?? []), ...(this.config.get(uri) ?? []), ...runErrors.map((e) => e.diagnostic)];
    const last = this.published.get(uri);
    if (last && sameJson(last, diagnostics)) return;
    this.published.set(uri, diagnostics);
    void this.ctx.connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined);
  }

  private async validateConfig(document: TextDocument): Promise<void> {
    const file = filePathOf(document.uri);
    if (file === null) return;
    const problem = await this.ctx.checks.checker.validateConfig(file, document.getText());
    if (problem) this.showConfigProblem(problem);
    else if (this.config.delete(document.uri)) this.publish(document.uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

/**
 * Whether two JSON values are equal. Walked instead of compared as JSON text: a 1,000-line file's
 * diagnostics are written out as text once more by the connection, and the walk stops at the first
 * difference.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    // From both ends: typing at a file's end changes its last diagnostics.
    for (let i = 0, j = a.length - 1; i <= j; i++, j--) if (!sameJson(a[j], b[j]) || !sameJson(a[i], b[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let keys = 0;
  for (const key in left) {
    if (!(key in right) || !sameJson(left[key], right[key])) return false;
    keys += 1;
  }
  return keys === Object.keys(right).length;
}
