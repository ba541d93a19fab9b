// Formatting a SQL document or a range of it: core's formatSql does the work and refuses what it
// cannot format without changing meaning. Shared by the language server and the VS Code extension.
import type { FormatOptions } from '../core/format/formatOptions';
import type { FormatOutcome } from '../core/format/formatSql';
import { formatText } from './engine';
import type { FormatSettings } from './settingsDefaults';

/** The editor's own formatting options (LSP's and VS Code's share these two). */
export interface EditorFormatting {
  tabSize: number;
  insertSpaces: boolean;
}

/** The format options from the (validated) drydock.format.* settings; indent and tabs follow the editor's unless set. */
export function readFormatOptions(editor: EditorFormatting, settings: FormatSettings): FormatOptions {
  return { keywordCase: settings.keywordCase, indent: settings.indent ?? editor.tabSize, useTabs: !editor.insertSpaces, lineWidth: settings.lineWidth };
}

/** Formats `text` (a whole document, or whole lines of it) as the settings and the editor say. */
export function formatSqlText(text: string, editor: EditorFormatting, settings: FormatSettings): Promise<FormatOutcome> {
  return formatText(text, readFormatOptions(editor, settings));
}
