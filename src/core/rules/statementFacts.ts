// Small readings of an analysed statement that many rules share: its text and tokens at their
// file offsets, the table it targets, and its predicted effects in plain words.
import { blocksReadsOrWrites, describeEffects, lockOn } from '../analyse/describeEffects';
import type { AnalysedStatement, FileAnalysis } from '../analyse/fileAnalysis';
import type { PredictionContext } from '../analyse/predictEffects';
import { StatementText } from '../parse/statementText';

/** The statement's own text, as written in the file. */
export function statementText(analysis: FileAnalysis, at: AnalysedStatement): string {
  return analysis.file.text.slice(at.offsets.start, at.offsets.end);
}

/** The statement's tokens and the file offset they count from, or null when its text is not the file's (an EXECUTE with escapes). */
export function statementTokens(analysis: FileAnalysis, at: AnalysedStatement): { text: StatementText; base: number } | null {
  if (at.nested !== null && analysis.offsetOf(at, 0) === null) return null;
  return { text: new StatementText(statementText(analysis, at)), base: at.offsets.start };
}

/** True when the statement takes a lock that blocks reads or writes on a table that existed before this run. */
export function blocksExistingTable(analysis: FileAnalysis, at: AnalysedStatement, table: string): boolean {
  const lock = lockOn(at.effects, table);
  return lock !== undefined && blocksReadsOrWrites(lock.mode) && !analysis.isNewTable(table, at);
}

/** The prediction's sentence, with a leading space, or '' when it takes no lock. */
export function effectsSentence(at: AnalysedStatement): string {
  const sentence = describeEffects(at.effects);
  return sentence ? ` ${sentence}` : '';
}

/** " (inside the DO block)" for inner statements, so a finding says where the SQL really runs. */
export function whereItRuns(at: AnalysedStatement): string {
  if (at.calledFrom) {
    const line = at.calledFrom.call.range.start.line;
    return ` (in ${at.calledFrom.functionName}()${at.nested === 'execute' ? ', run by EXECUTE' : ''}, called on line ${line})`;
  }
  return at.nested === 'execute' ? ' (run by EXECUTE in the DO block)' : at.nested === 'body' ? ' (inside the DO block)' : '';
}

/**
 * The file offset just after the statement's leading keywords when they match `leading` (e.g.
 * /^CREATE\s+(UNIQUE\s+)?INDEX\b/i), or after the first token `word` found by the scanner when a
 * comment sits between them; null when neither finds it.
 */
export function afterLeadingKeywords(analysis: FileAnalysis, at: AnalysedStatement, leading: RegExp, word: string): number | null {
  const text = statementText(analysis, at);
  const match = leading.exec(text);
  if (match) return at.offsets.start + match[0].length;
  const tokens = statementTokens(analysis, at);
  const index = tokens?.text.findToken(word) ?? -1;
  return tokens && index >= 0 ? tokens.base + tokens.text.tokens[index]!.end : null;
}

/** What the prediction knows at this statement: the target version and the schema so far. */
export function predictionContext(analysis: FileAnalysis, at: AnalysedStatement): PredictionContext {
  return { pgVersion: analysis.settings.pgVersion, schema: analysis.schema, order: at.order, timeZoneUtc: at.timeZoneUtc === true };
}
