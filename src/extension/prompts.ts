// The questions Drydock asks the user. Kept behind one object so the extension-host tests can
// answer modal dialogs (which would otherwise wait for a click) through the exported `_private`.
import * as vscode from 'vscode';

/** Questions that need the user's answer. */
export interface Prompts {
  /** Modal confirmation; resolves true only when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
}

/** The real dialogs. */
export const editorPrompts: Prompts = {
  async confirm(message, detail, action) {
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
    return choice === action;
  },
};
