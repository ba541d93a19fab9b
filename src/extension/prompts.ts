// The questions Drydock asks the user. Kept behind one object so the extension-host tests can
// answer them (a modal dialog or an input box would otherwise wait for a person) through the
// exported `_private`.
import * as vscode from 'vscode';

/** Questions that need the user's answer. */
export interface Prompts {
  /** Modal confirmation; resolves true only when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** A line of text; undefined when dismissed. */
  input(options: vscode.InputBoxOptions): Promise<string | undefined>;
  /** One of `items`; undefined when dismissed. */
  pick(items: string[], options: vscode.QuickPickOptions): Promise<string | undefined>;
  /** One of `items`, shown with their descriptions and details; undefined when dismissed. */
  pickItem<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  /** Any number of `items`; undefined when dismissed. */
  pickItems<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<readonly T[] | undefined>;
}

/** The real dialogs. */
export const editorPrompts: Prompts = {
  async confirm(message, detail, action) {
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
    return choice === action;
  },
  async input(options) {
    return vscode.window.showInputBox(options);
  },
  async pick(items, options) {
    return vscode.window.showQuickPick(items, options);
  },
  async pickItem(items, options) {
    return vscode.window.showQuickPick([...items], options);
  },
  async pickItems(items, options) {
    return vscode.window.showQuickPick([...items], { ...options, canPickMany: true });
  },
};
