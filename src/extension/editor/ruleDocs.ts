// Where a rule's documentation opens from the editor (a diagnostic's code, a hover's link): its
// page inside the installed extension. docs/rules/<id>.md ships in the VSIX (.vscodeignore,
// checked by scripts/package-vsix.mjs), so the link works offline and always describes the
// installed version's rule; the project has no public documentation site to link to instead.
import * as vscode from 'vscode';
import { ruleDocsPath } from '../../core/rules/rule';

/** The file URI of a rule's docs page in the extension's folder. */
export function ruleDocsUri(extensionUri: vscode.Uri, ruleId: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, ...ruleDocsPath(ruleId).split('/'));
}
