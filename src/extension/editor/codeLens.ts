// "Dry-run · Apply · Verify" at the top of SQL files on disk, in trusted workspaces.
import * as vscode from 'vscode';
import { COMMANDS, stateHolds } from '../commands';
import type { DrydockContext } from '../context';

class MigrationCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!stateHolds('trusted')) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lens = (title: string, command: string) => new vscode.CodeLens(top, { title, command, arguments: [document.uri] });
    return [
      lens('$(beaker) Dry-run', COMMANDS.dryRunMigration),
      lens('$(cloud-upload) Apply', COMMANDS.applyMigration),
      lens('$(checklist) Verify', COMMANDS.verifyMigration),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Registers the CodeLens provider for SQL files on disk. */
export function registerCodeLens(ctx: DrydockContext): void {
  const provider = new MigrationCodeLensProvider();
  ctx.subscribe(
    provider,
    vscode.languages.registerCodeLensProvider({ language: 'sql', scheme: 'file' }, provider),
    vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()),
  );
}
