// The "Migration Runs" view: renders the reports in the results store. Never does I/O; every
// node is built from a RunReport core already produced.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../../core/model/findings';
import type { CheckStatus, ErrorReport, HistoryFailure, MeasuredLock, NoticeReport, RunOutcome, RunReport, StatementReport, StatementStatus, VerificationCheck } from '../../core/model/report';
import { historyFailureOutcome, isHistoryError } from '../../core/output/text';
import { durationText } from '../../core/model/quantities';
import { isLockMode, lockModeSql } from '../../core/sql/lockModes';
import { strongestLockWord } from '../../server/measurement';
import { COMMANDS } from '../commands';
import { endingOf, type ResultsStore, type RunEntry } from './results';
import { pushAll } from '../../core/model/arrays';

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);

const OUTCOME_ICONS: Record<RunOutcome, vscode.ThemeIcon> = {
  succeeded: icon('pass', 'testing.iconPassed'),
  failed: icon('error', 'testing.iconFailed'),
  refused: icon('circle-slash', 'problemsWarningIcon.foreground'),
  cancelled: icon('debug-stop', 'problemsWarningIcon.foreground'),
};

const STATUS_ICONS: Record<StatementStatus, vscode.ThemeIcon> = {
  ok: icon('pass', 'testing.iconPassed'),
  failed: icon('error', 'testing.iconFailed'),
  skipped: icon('circle-slash'),
  simulated: icon('beaker'),
};

const CHECK_ICONS: Record<CheckStatus, vscode.ThemeIcon> = {
  ok: icon('pass', 'testing.iconPassed'),
  missing: icon('error', 'testing.iconFailed'),
  invalid: icon('error', 'testing.iconFailed'),
  'not-validated': icon('warning', 'problemsWarningIcon.foreground'),
  disabled: icon('warning', 'problemsWarningIcon.foreground'),
  mismatch: icon('error', 'testing.iconFailed'),
  skipped: icon('circle-slash'),
  dropped: icon('trash'),
};

/** Any node of the view. */
export type ResultNode = RunNode | StatementNode | ErrorNode | DetailNode | VerificationNode | CheckNode | GroupNode | HistoryNode | FixRowsNode;

function revealCommand(file: string | undefined, range: StatementReport['range'] | undefined): vscode.Command | undefined {
  if (!file || !range) return undefined;
  return { command: COMMANDS.revealResult, title: 'Reveal in Editor', arguments: [file, range] };
}

/** "4.1 s" or "830 ms". */
function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** What replaying the history cost, for the run's tooltip ("" when the run had no shadow). */
function replayText(report: RunReport): string[] {
  const shadow = report.shadow;
  if (!shadow) return [];
  const cached = shadow.restored > 0 ? `, ${shadow.restored} of them restored from the snapshot cache` : '';
  return [
    `Earlier migrations: ${shadow.history} applied first on ${shadow.label}${cached}; replaying ${shadow.replayed} took ${duration(shadow.replayMs)}, starting the shadow ${duration(shadow.bootMs)}.`,
    `The duration shown (${duration(report.timings.totalMs)}) includes that replay; the files' own statements took ${duration(report.timings.executeMs)}.`,
  ];
}

/** One run: the files as its label; outcome, staleness and duration as its short description; everything else in its tooltip. */
export class RunNode extends vscode.TreeItem {
  override readonly contextValue = 'drydock.run';

  constructor(readonly entry: RunEntry, newest: boolean, stale: boolean) {
    const { report } = entry;
    const files = report.files.map((f) => path.basename(f));
    super(files.length > 2 ? `${files[0]} and ${files.length - 1} more` : files.join(', '),
      newest ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    const ending = endingOf(report);
    const history = report.historyFailure ? ' · history failed' : '';
    // A refusal says why (a syntax error is not a missing connection); how other runs ended is in the tooltip.
    const reason = report.outcome === 'refused' ? ` · ${ending}` : '';
    this.description = `${stale ? 'stale · ' : ''}${report.mode} ${report.outcome}${reason}${history} · ${duration(report.timings.totalMs)}`;
    this.iconPath = stale ? icon('history') : OUTCOME_ICONS[report.outcome];
    // The id changes once a newer run arrives: VS Code then forgets that this run was expanded, and only the newest stays open.
    this.id = `run-${entry.id}-${newest ? 'newest' : 'older'}`;
    this.tooltip = [
      `${report.mode} ${report.outcome} (${ending}) in ${duration(report.timings.totalMs)}`,
      ...(stale ? ['Stale: a file changed since this run; re-run it to see the run of the text as it is now.'] : []),
      ...(report.historyFailure ? [`The history failed at ${report.historyFailure.file}: ${historyFailureOutcome(report.historyFailure)}.`] : []),
      ...replayText(report),
      `Connection: ${entry.request.connectionName} (${entry.connectionLabel})`,
      report.server ? `Server: PostgreSQL ${report.server.version}` : 'Server: not reached',
      `Started: ${report.startedAt}`,
      ...report.files,
    ].join('\n');
  }

  children(): ResultNode[] {
    const { report } = this.entry;
    const nodes: ResultNode[] = report.statements.map((s) => new StatementNode(s, this.entry));
    const statementError = report.statements.some((s) => s.error);
    if (report.error && !statementError && !isHistoryError(report)) nodes.unshift(new ErrorNode(report.error, this.entry));
    if (report.historyFailure) nodes.unshift(new HistoryNode(report.historyFailure, this.entry));
    for (const d of report.diagnostics) {
      nodes.push(new DetailNode(findingLabel(d), `${path.basename(d.file)}:${d.range.start.line} ${d.message}`,
        revealCommand(d.file, d.range), findingIcon(d)));
    }
    if (report.verification.length > 0) nodes.push(new VerificationNode(report.verification));
    for (const index of report.leftovers) nodes.push(new DetailNode('Invalid index left behind', index, undefined, icon('warning')));
    return nodes;
  }
}

/** The earlier file's path on disk: the report names it relative to the workspace folder of the run's files. */
function historyFilePath(file: string, report: RunReport): string {
  if (path.isAbsolute(file)) return file;
  const folder = vscode.workspace.workspaceFolders?.find((f) => report.files.some((r) => r.startsWith(f.uri.fsPath + path.sep)));
  return folder ? path.join(folder.uri.fsPath, file) : file;
}

/** An earlier migration that failed: the history's error, never the run's files', and what the files ran on instead. */
export class HistoryNode extends vscode.TreeItem {
  override readonly contextValue = 'drydock.history';

  constructor(readonly failure: HistoryFailure, readonly entry: RunEntry) {
    super(`Earlier migration failed: ${path.basename(failure.file)}${failure.error.position ? `:${failure.error.position.line}` : ''}`, vscode.TreeItemCollapsibleState.Collapsed);
    this.description = failure.filesRan ? `not this file's error · ran on the state before it` : 'not this file\'s error · files not run';
    this.iconPath = icon('warning', 'problemsWarningIcon.foreground');
    this.tooltip = `${failure.error.message}\n\n${historyFailureOutcome(failure)}.`;
    this.command = revealCommand(historyFilePath(failure.file, entry.report), failure.error.range);
  }

  children(): ResultNode[] {
    const nodes: ResultNode[] = [new ErrorNode(this.failure.error, this.entry)];
    nodes.push(new DetailNode('Ran on', historyFailureOutcome(this.failure), undefined, icon('info')));
    return nodes;
  }
}

/** A finding's label in the tree: what the run measured about it, else how serious it is. */
function findingLabel(d: Finding): string {
  if (d.evidence === 'confirmed') return 'Confirmed';
  if (d.evidence === 'contradicted') return 'Contradicted';
  return d.severity === 'error' ? 'Problem' : d.severity === 'warning' ? 'Warning' : 'Note';
}

/** A finding's icon: a confirmed one as serious as its severity says (never an info icon), a contradicted one as passed. */
function findingIcon(d: Finding): vscode.ThemeIcon {
  if (d.evidence === 'contradicted') return icon('pass', 'testing.iconPassed');
  if (d.severity === 'error') return icon('error', 'testing.iconFailed');
  if (d.severity === 'warning' || d.evidence === 'confirmed') return icon('warning', 'problemsWarningIcon.foreground');
  return icon('info');
}

/** "ACCESS EXCLUSIVE on orders", its cost ("blocks reads and writes · held 1.8 s") as the description. */
function lockNode(l: MeasuredLock): DetailNode {
  const mode = isLockMode(l.mode) ? lockModeSql(l.mode) : l.mode;
  const held = `held ${durationText(l.heldMs)}${l.heldWhile > 0 ? ` while ${l.heldWhile} later statement${l.heldWhile === 1 ? '' : 's'} ran` : ''}`;
  const node = new DetailNode(`${mode} on ${l.relation}`, `blocks ${l.blocks} · ${held}${l.simulated ? ' · measured without CONCURRENTLY' : ''}`, undefined, icon('lock'));
  return node;
}

/** The measurements of a statement as groups: Locks, Rewrites, Scans, Impact (only those it has). */
function measurementGroups(s: StatementReport): GroupNode[] {
  const groups: GroupNode[] = [];
  const locks = s.locks.filter((l) => !l.createdInRun);
  if (locks.length > 0) groups.push(new GroupNode('Locks', locks.map(lockNode), icon('lock')));
  if (s.rewrites.length > 0) groups.push(new GroupNode('Rewrites', s.rewrites.map((r) => new DetailNode(`${r.kind} ${r.relation} rewritten`, `about ${r.rows} rows (PostgreSQL's estimate)`, undefined, icon('sync'))), icon('sync')));
  // A scan's count is what its scans returned: every row version read (a row updated in the run counts twice), not the table's rows.
  if (s.scans.length > 0) {
    groups.push(new GroupNode('Full scans', s.scans.map((sc) => new DetailNode(`${sc.relation}: ${sc.reason}`, `${sc.rows} row version${sc.rows === 1 ? '' : 's'} read (dead ones too)`, undefined, icon('search'))), icon('search')));
  }
  if (s.impact && s.impact.length > 0) groups.push(new GroupNode('Impact', s.impact.map((i) => new DetailNode(i.relation, i.summary, undefined, icon('flame'))), icon('flame', 'problemsWarningIcon.foreground')));
  return groups;
}

/** A statement's text on one line (whitespace and comments folded), cut with an ellipsis past `max`. */
export function statementLabel(sql: string, max = 120): string {
  const folded = sql.replace(/--[^\n]*/g, ' ').replace(/\s+/g, ' ').trim();
  return folded.length > max ? `${folded.slice(0, max - 1)}…` : folded;
}

/** A statement: its first line, status icon and duration; children are notices, rows, error, measurements. */
export class StatementNode extends vscode.TreeItem {
  constructor(readonly statement: StatementReport, readonly entry: RunEntry) {
    const hasChildren = statement.notices.length > 0 || statement.rows !== null || statement.error !== undefined || statement.note !== undefined
      || measurementGroups(statement).length > 0;
    super(statementLabel(statement.sql), hasChildren
      ? (statement.error ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed)
      : vscode.TreeItemCollapsibleState.None);
    this.contextValue = `drydock.statement.${statement.status}`;
    this.iconPath = STATUS_ICONS[statement.status];
    const lock = strongestLockWord(statement);
    this.description = `line ${statement.range.start.line} · ${statement.status} · ${Math.round(statement.durationMs)} ms${lock ? ` · ${lock}` : ''}${statement.rewrites.length > 0 ? ' · rewrite' : ''}`;
    this.tooltip = new vscode.MarkdownString().appendCodeblock(statement.sql, 'sql');
    this.command = revealCommand(statement.file, statement.range);
  }

  children(): ResultNode[] {
    const s = this.statement;
    const nodes: ResultNode[] = s.notices.map((n) => noticeNode(n));
    if (s.rows !== null) nodes.push(new DetailNode('Rows', String(s.rows), undefined, icon('list-flat')));
    if (s.note) nodes.push(new DetailNode('Note', s.note, undefined, icon('info')));
    if (s.error) nodes.push(new ErrorNode(s.error, this.entry, s));
    pushAll(nodes, measurementGroups(s));
    return nodes;
  }
}

/** A labelled group of leaves (a statement's Locks, Rewrites, Scans, Impact). */
export class GroupNode extends vscode.TreeItem {
  override readonly contextValue = 'drydock.group';

  constructor(label: string, readonly items: DetailNode[], iconPath: vscode.ThemeIcon) {
    super(label, vscode.TreeItemCollapsibleState.Expanded);
    this.description = String(items.length);
    this.iconPath = iconPath;
  }

  children(): ResultNode[] {
    return this.items;
  }
}

/** A classified error: "Data conflict" / "Service temporarily unavailable" / "Database error". */
export class ErrorNode extends vscode.TreeItem {
  constructor(readonly error: ErrorReport, readonly entry: RunEntry, readonly statement?: StatementReport) {
    super(error.label, vscode.TreeItemCollapsibleState.Expanded);
    this.description = `${error.sqlstate} ${error.title}`;
    this.contextValue = error.fixQuery ? 'drydock.error.fixable' : 'drydock.error';
    this.iconPath = icon(error.category === 'operational' ? 'clock' : 'error', 'testing.iconFailed');
    this.tooltip = error.message;
    this.command = revealCommand(error.file ?? statement?.file, error.range ?? statement?.range);
  }

  children(): ResultNode[] {
    const e = this.error;
    const fields: [string, string | undefined][] = [
      ['Message', e.message], ['Detail', e.detail], ['Hint', e.hint], ['Context', e.context],
      ['Constraint', e.constraint], ['Table', e.table], ['Fix query', e.fixQuery],
    ];
    const nodes: ResultNode[] = fields.filter((f): f is [string, string] => Boolean(f[1])).map(([label, value]) => new DetailNode(label, value));
    if (e.fixRows) nodes.push(new FixRowsNode(this));
    return nodes;
  }
}

/** The rows the fix query found when the run measured them: opens them as a table (no query: the run's own rows, on any backend). */
export class FixRowsNode extends vscode.TreeItem {
  override readonly contextValue = 'drydock.fixRows';

  constructor(readonly errorNode: ErrorNode) {
    const rows = errorNode.error.fixRows ?? [];
    super(`Rows the fix query found: ${rows.length}`, vscode.TreeItemCollapsibleState.None);
    this.description = rows.length > 0 ? 'click to open as a table' : 'none';
    this.iconPath = icon('table');
    this.tooltip = 'Opens the rows the run found as a read-only table. Run Fix Query reads them again now.';
    this.command = { command: COMMANDS.showFixRows, title: 'Show Fix Query Rows', arguments: [this] };
  }

  children(): ResultNode[] {
    return [];
  }
}

/** A label: value leaf (message, detail, hint, notice, row count…). */
export class DetailNode extends vscode.TreeItem {
  override readonly contextValue = 'drydock.detail';

  constructor(label: string, readonly value: string, command?: vscode.Command, iconPath?: vscode.ThemeIcon) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.description = firstLine(value);
    this.tooltip = value;
    if (command) this.command = command;
    if (iconPath) this.iconPath = iconPath;
  }

  children(): ResultNode[] {
    return [];
  }
}

/** Every object the files declare and whether the database has it as declared. */
export class VerificationNode extends vscode.TreeItem {
  override readonly contextValue = 'drydock.verification';

  constructor(readonly checks: VerificationCheck[]) {
    super('Verification', vscode.TreeItemCollapsibleState.Expanded);
    const ok = checks.filter((c) => c.status === 'ok').length;
    this.description = `${ok} of ${checks.length} ok`;
    this.iconPath = ok === checks.length ? icon('pass', 'testing.iconPassed') : icon('warning', 'problemsWarningIcon.foreground');
  }

  children(): ResultNode[] {
    return this.checks.map((c) => new CheckNode(c));
  }
}

/** One verification check: kind, name, status and detail. */
export class CheckNode extends vscode.TreeItem {
  override readonly contextValue = 'drydock.check';

  constructor(readonly check: VerificationCheck) {
    super(`${check.kind} ${check.name}`, vscode.TreeItemCollapsibleState.None);
    this.description = `${check.status}${check.table ? ` · ${check.table}` : ''}`;
    this.tooltip = check.detail;
    this.iconPath = CHECK_ICONS[check.status];
  }

  children(): ResultNode[] {
    return [];
  }
}

function noticeNode(notice: NoticeReport): DetailNode {
  const text = [notice.message, notice.detail, notice.hint].filter(Boolean).join('\n');
  return new DetailNode(notice.severity, text, undefined, icon('comment'));
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line.trim();
}

/** Tree data provider over the results store. */
export class RunResultsTreeProvider implements vscode.TreeDataProvider<ResultNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ResultNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  private readonly edits: vscode.Disposable;
  private editTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly store: ResultsStore) {
    this.subscription = store.onDidChange(() => this.refresh());
    // An edit to a file of a shown run may make it stale: redrawn once the typing pauses.
    this.edits = vscode.workspace.onDidChangeTextDocument((e) => {
      if (!this.store.runs.some((r) => r.report.files.includes(e.document.uri.fsPath))) return;
      clearTimeout(this.editTimer);
      this.editTimer = setTimeout(() => this.refresh(), 300);
    });
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: ResultNode): vscode.TreeItem {
    return node;
  }

  /** Runs are the view's roots (reveal needs this; only runs are revealed). */
  getParent(): ResultNode | undefined {
    return undefined;
  }

  getChildren(node?: ResultNode): ResultNode[] {
    if (!node) return this.store.runs.map((entry, i) => new RunNode(entry, i === 0, isStale(entry.report)));
    return node.children();
  }

  dispose(): void {
    clearTimeout(this.editTimer);
    this.edits.dispose();
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/**
 * True when a file of the run reads otherwise now than when it ran: a statement's text is not at
 * its place in the open document any more. Files not open in the editor are not read (a view does
 * no I/O); they count as unchanged.
 */
export function isStale(report: RunReport): boolean {
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.fsPath, d]));
  return report.statements.some((s) => {
    const document = open.get(s.file);
    return document !== undefined && document.getText().slice(s.offsets.start, s.offsets.end) !== s.sql;
  });
}
