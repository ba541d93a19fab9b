// The questions Drydock asks the user. Kept behind one object so the extension-host tests can
// answer them (a modal dialog or an input box would otherwise wait for a person) through the
// exported `_private`.
import * as vscode from 'vscode';

/** How serious a notification is. */
export type NotificationKind = 'info' | 'warning' | 'error';

/** Questions that need the user's answer. */
export interface Prompts {
  /** A notification with action buttons; resolves with the action chosen, undefined when dismissed. */
  notify(kind: NotificationKind, message: string, actions: readonly string[]): Promise<string | undefined>;
  /**
   * Modal confirmation; resolves true only when the user chose `action`. `safeFirst` is a button
   * shown before `action`, so the dialog's default (Enter) is not the risky choice; choosing it
   * resolves with its label.
   */
  confirm(message: string, detail: string, action: string, safeFirst?: string): Promise<boolean | string>;
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
  async notify(kind, message, actions) {
    const show = { info: vscode.window.showInformationMessage, warning: vscode.window.showWarningMessage, error: vscode.window.showErrorMessage }[kind];
    return show(message, ...actions);
  },
  async confirm(message, detail, action, safeFirst) {
    // VS Code's modal makes its first button the default one (Enter): the safe choice goes there.
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, ...(safeFirst ? [safeFirst] : []), action);
    if (choice === action) return true;
    return choice !== undefined && choice === safeFirst ? choice : false;
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
