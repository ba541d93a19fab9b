// Actions on the Migration Runs view: reveal, copy SQL, copy error, open / run the fix query,
// re-run, remove, clear.
import * as vscode from 'vscode';
import type { Range } from '../../core/model/positions';
import { errorAsText } from '../../core/output/text';
import { COMMANDS, registerCommands } from '../commands';
import type { DrydockContext } from '../context';
import { toRange } from '../convert';
import { SERVER_COMMANDS, SHADOW_CONNECTION_NAME, type FixQueryParams, type FixQueryResult } from '../../server/protocol';
import { refuseRunInRestrictedMode, type MigrationRunner } from '../run/runCommands';
import { toWire } from '../run/wireConnections';
import type { ErrorNode, FixRowsNode, RunNode, StatementNode } from './resultsTree';

const reveal = () => async (file: string, range: Range): Promise<void> => {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const selection = toRange(range);
  await vscode.window.showTextDocument(document, { selection, preserveFocus: false });
};

function fixQueryDocumentText(node: ErrorNode): string {
  const e = node.error;
  return `-- Drydock: rows behind ${e.label} ${e.sqlstate} (${e.title})\n-- ${e.message.replace(/\n/g, ' ')}\n${e.fixQuery ?? ''}\n`;
}

/** Renders query results as a Markdown table (cells escaped, long values shortened). */
export function resultsAsMarkdown(title: string, fields: string[], rows: Record<string, unknown>[], how = 'read-only transaction, rolled back'): string {
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return (text.length > 200 ? `${text.slice(0, 199)}…` : text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  };
  const header = `| ${fields.join(' | ')} |\n| ${fields.map(() => '---').join(' | ')} |`;
  const body = rows.map((r) => `| ${fields.map((f) => cell(r[f])).join(' | ')} |`).join('\n');
  return `# ${title}\n\n${rows.length} row(s), ${how}.\n\n${header}\n${body}\n`;
}

/** The columns of rows, in the order they first appear. */
function fieldsOf(rows: readonly Record<string, unknown>[]): string[] {
  const fields = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) fields.add(key);
  return [...fields];
}

/** Opens the rows the run's fix query found as a read-only Markdown table: no query, the same on every backend (the shadow too). */
const showFixRows = (ctx: DrydockContext) => async (node: FixRowsNode | ErrorNode): Promise<vscode.TextDocument | undefined> => {
  const errorNode = 'errorNode' in node ? node.errorNode : node;
  const e = errorNode.error;
  const rows = ctx.log.maskDeep(e.fixRows ?? []);
  const table = resultsAsMarkdown(`${e.label}: ${e.title}`, fieldsOf(rows), rows, 'as the run found them (its transaction rolled back)');
  const content = `${table}\n\`\`\`sql\n${e.fixQuery ?? ''}\n\`\`\`\n`;
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(document, { preview: true });
  return document;
};

/** Where a run's fix query reads: the run's connection (password resolved now), or the shadow of that run. */
async function fixQueryParams(ctx: DrydockContext, node: ErrorNode, sql: string): Promise<FixQueryParams | undefined> {
  const { request, serverRunId } = node.entry;
  if (request.connectionName === SHADOW_CONNECTION_NAME) return serverRunId ? { sql, runId: serverRunId } : undefined;
  const connection = await ctx.connections.resolve(request.connectionName);
  return connection ? { sql, connection: toWire(connection) } : undefined;
}

const runFixQuery = (ctx: DrydockContext) => async (node: ErrorNode) => {
  if (!node?.error?.fixQuery) return undefined;
  const params = await fixQueryParams(ctx, node, node.error.fixQuery);
  if (!params) {
    // A shadow run the server no longer knows (or a connection removed since): the rows the run found still open.
    if (node.error.fixRows) {
      await showFixRows(ctx)(node);
      void vscode.window.showInformationMessage(`Drydock: showing the rows the run found; the fix query cannot run again (${node.entry.request.connectionName === SHADOW_CONNECTION_NAME ? 'the language server no longer holds that shadow run' : `connection "${node.entry.request.connectionName}" no longer exists`}).`);
      return undefined;
    }
    void vscode.window.showWarningMessage(node.entry.request.connectionName === SHADOW_CONNECTION_NAME
      ? 'Drydock: the language server no longer holds that shadow run; dry-run the file again to run its fix query.'
      : `Connection "${node.entry.request.connectionName}" no longer exists.`);
    return undefined;
  }
  try {
    // Masked before the table shortens long values: a cut must not show a password's first characters.
    const result = ctx.log.maskDeep(await ctx.server.execute<FixQueryResult>(SERVER_COMMANDS.runFixQuery, params));
    const content = resultsAsMarkdown(`${node.error.label}: ${node.error.title}`, result.fields, result.rows);
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(document, { preview: true });
    return result;
  } catch (err) {
    const message = ctx.log.mask(err instanceof Error ? err.message : String(err));
    ctx.log.error(`fix query failed: ${message}`);
    void vscode.window.showErrorMessage(`Drydock: the fix query failed: ${message}`);
    return undefined;
  }
};

/** Registers the Migration Runs view's item and title actions. */
export function registerResultActions(ctx: DrydockContext, runner: MigrationRunner): void {
  registerCommands(ctx, {
    [COMMANDS.revealResult]: reveal,
    [COMMANDS.copySql]: () => (node: StatementNode) => vscode.env.clipboard.writeText(node.statement.sql),
    [COMMANDS.copyError]: () => (node: ErrorNode) => vscode.env.clipboard.writeText(errorAsText(node.error)),
    [COMMANDS.openFixQuery]: () => async (node: ErrorNode) => {
      const document = await vscode.workspace.openTextDocument({ language: 'sql', content: fixQueryDocumentText(node) });
      return vscode.window.showTextDocument(document);
    },
    // Connecting is what Restricted Mode forbids: there the fix query only opens as text.
    [COMMANDS.runFixQuery]: { needs: 'trusted', enabled: runFixQuery, disabled: () => () => undefined },
    [COMMANDS.showFixRows]: showFixRows,
    [COMMANDS.rerun]: { needs: 'trusted', enabled: () => (node: RunNode) => runner.run(node.entry.request), disabled: refuseRunInRestrictedMode },
    [COMMANDS.removeRun]: (c) => (node: RunNode) => c.results.remove(node.entry.id),
    [COMMANDS.clearRuns]: (c) => () => c.results.clear(),
  });
}
