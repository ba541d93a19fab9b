// The "Migration Runs" view: renders the reports in the results store. Never does I/O; every
// node is built from a RunReport core already produced.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding } from '../../core/model/findings';
import type { CheckStatus, ErrorReport, NoticeReport, RunOutcome, StatementReport, StatementStatus, VerificationCheck } from '../../core/model/report';
import { lockText } from '../../core/output/text';
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
export type ResultNode = RunNode | StatementNode | ErrorNode | DetailNode | VerificationNode | CheckNode | GroupNode;

function revealCommand(file: string | undefined, range: StatementReport['range'] | undefined): vscode.Command | undefined {
  if (!file || !range) return undefined;
  return { command: COMMANDS.revealResult, title: 'Reveal in Editor', arguments: [file, range] };
}

/** One run: files, mode, connection, server, outcome, duration, committed or rolled back. */
export class RunNode extends vscode.TreeItem {
  override readonly contextValue = 'drydock.run';

  constructor(readonly entry: RunEntry, newest: boolean) {
    const { report } = entry;
    const files = report.files.map((f) => path.basename(f));
    super(`${report.mode}: ${files.length > 2 ? `${files.length} files` : files.join(', ')}`,
      newest ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    const ending = endingOf(report);
    const server = report.server ? ` · PG ${report.server.version}` : '';
    this.description = `${report.outcome} · ${ending} · ${Math.round(report.timings.totalMs)} ms · ${entry.request.connectionName}${server}`;
    this.iconPath = OUTCOME_ICONS[report.outcome];
    this.id = `run-${entry.id}`;
    this.tooltip = [
      `${report.mode} ${report.outcome} (${ending})`,
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
    if (report.error && !statementError) nodes.unshift(new ErrorNode(report.error, this.entry));
    for (const d of report.diagnostics) {
      nodes.push(new DetailNode(findingLabel(d), `${path.basename(d.file)}:${d.range.start.line} ${d.message}`,
        revealCommand(d.file, d.range), icon(d.severity === 'error' ? 'error' : 'info')));
    }
    if (report.verification.length > 0) nodes.push(new VerificationNode(report.verification));
    for (const index of report.leftovers) nodes.push(new DetailNode('Invalid index left behind', index, undefined, icon('warning')));
    return nodes;
  }
}

/** A finding's label in the tree: what the run measured about it, else how serious it is. */
function findingLabel(d: Finding): string {
  if (d.evidence === 'confirmed') return 'Confirmed';
  if (d.evidence === 'contradicted') return 'Contradicted';
  return d.severity === 'error' ? 'Problem' : 'Note';
}

/** The measurements of a statement as groups: Locks, Rewrites, Scans, Impact (only those it has). */
function measurementGroups(s: StatementReport): GroupNode[] {
  const groups: GroupNode[] = [];
  const locks = s.locks.filter((l) => !l.createdInRun);
  if (locks.length > 0) groups.push(new GroupNode('Locks', locks.map((l) => new DetailNode(l.mode.replace(/Lock$/, ''), lockText(l), undefined, icon('lock'))), icon('lock')));
  if (s.rewrites.length > 0) groups.push(new GroupNode('Rewrites', s.rewrites.map((r) => new DetailNode(r.kind, r.relation, undefined, icon('sync'))), icon('sync')));
  if (s.scans.length > 0) groups.push(new GroupNode('Scans', s.scans.map((sc) => new DetailNode(sc.relation, `${sc.reason} (${sc.rows} rows)`, undefined, icon('search'))), icon('search')));
  if (s.impact && s.impact.length > 0) groups.push(new GroupNode('Impact', s.impact.map((i) => new DetailNode(i.relation, i.summary, undefined, icon('flame'))), icon('flame', 'problemsWarningIcon.foreground')));
  return groups;
}

/** A statement: its first line, status icon and duration; children are notices, rows, error, measurements. */
export class StatementNode extends vscode.TreeItem {
  constructor(readonly statement: StatementReport, readonly entry: RunEntry) {
    const hasChildren = statement.notices.length > 0 || statement.rows !== null || statement.error !== undefined || statement.note !== undefined
      || measurementGroups(statement).length > 0;
    super(firstLine(statement.sql), hasChildren
      ? (statement.error ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed)
      : vscode.TreeItemCollapsibleState.None);
    this.contextValue = `drydock.statement.${statement.status}`;
    this.iconPath = STATUS_ICONS[statement.status];
    const lock = strongestLockWord(statement);
    this.description = `${statement.status} · ${Math.round(statement.durationMs)} ms${lock ? ` · ${lock}` : ''}${statement.rewrites.length > 0 ? ' · rewrite' : ''}`;
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
    if (e.fixRows) nodes.push(new DetailNode('Fix query rows', `${e.fixRows.length}`, undefined, icon('table')));
    return nodes;
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

  constructor(private readonly store: ResultsStore) {
    this.subscription = store.onDidChange(() => this.refresh());
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
    if (!node) return this.store.runs.map((entry, i) => new RunNode(entry, i === 0));
    return node.children();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
