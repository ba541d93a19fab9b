// drydock.json's noTransactionDirective: the comment line with which the project's own runner (one
// Drydock does not know, or a wrapper around one it does) runs a migration outside a transaction.
// A file holding that line is judged, run and replayed as its runner runs it, as a known tool's
// directive would make it.
import type { ToolNoTransaction } from '../model/toolNoTransaction';
import type { DrydockConfig } from './drydockConfig';

/** The 1-based line of the first comment line that starts with the directive, or null. */
export function directiveLine(text: string, directive: string): number | null {
  // Most files do not hold it: one search before reading lines.
  if (!text.includes(directive)) return null;
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim().startsWith(directive));
  return at < 0 ? null : at + 1;
}

/** The project's directive in the file, as the tool configuration saying it runs outside a transaction; null when absent or not configured. */
export function projectNoTransaction(config: DrydockConfig | null, text: string): ToolNoTransaction | null {
  if (!config?.noTransactionDirective) return null;
  const line = directiveLine(text, config.noTransactionDirective);
  return line === null ? null : { tool: 'drydock.json', configFile: config.path, line };
}
