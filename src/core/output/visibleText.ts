// Text from the database and the files (SQL, notices, error messages, file names) is the attacker's
// in a hostile migration: an ESC sequence or a CR could redraw the terminal ("succeeded:
// committed" over a failure), a bidi override could reorder what a reader sees. The readable
// formats show such characters as escapes instead, and keep each line of a multi-line value
// indented under the line it belongs to, so nothing from the data starts a line of its own.

// C0 controls but tab and newline, DEL, C1 controls, the bidi embeddings, overrides, isolates and
// marks, and the Unicode line and paragraph separators.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same, to ask whether a text holds any: a report has some 100,000 strings and almost none
// holds such a character, and a test is several times cheaper than a replace that finds nothing.
const ANY_INVISIBLE = new RegExp(INVISIBLE.source);

const NAMED: Readonly<Record<string, string>> = { '\r': '\\r', '\u000b': '\\v', '\f': '\\f', '\b': '\\b', '\u0000': '\\0' };

function escaped(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

// What CI runners read as commands in a log, whatever format Drydock writes (GitHub Actions takes
// `::cmd::` at a line's start after spaces, and the legacy `##[cmd]` anywhere, as Azure Pipelines
// takes `##vso[…]` and TeamCity `##teamcity[…]`).
const LINE_COMMAND = /(^|\n)([ \t]*):(?=:)/g;
const BRACKET_COMMAND = /#(?=#[\w-]*\[)/g;
const ANY_COMMAND = /(?:^|\n)[ \t]*:(?=:)|#(?=#[\w-]*\[)/;

/** The text with every control, bidi and line-separator character but tab and newline shown as an escape (`\x1b`, `\r`, `\u202e`). */
export function visibleText(text: string): string {
  return ANY_INVISIBLE.test(text) ? text.replace(INVISIBLE, escaped) : text;
}

/**
 * The text with what a CI runner would take for a command shown escaped (`\x3a:error::` at a
 * line's start, `\x23#[`): for a log that nothing else protects (the text format; the github
 * format brackets its readable part with ::stop-commands:: and escapes its annotations' data).
 */
export function withoutRunnerCommands(text: string): string {
  return ANY_COMMAND.test(text) ? text.replace(LINE_COMMAND, '$1$2\\x3a').replace(BRACKET_COMMAND, '\\x23') : text;
}

/**
 * The lines, each line's own line breaks (a multi-line notice, a file name with a newline)
 * continued two spaces deeper than the line they belong to: the report's own lines keep the
 * columns they start at. One line at a time, for reports of any size.
 */
export function* indentingContinuations(lines: Iterable<string>): Generator<string> {
  for (const line of lines) {
    if (!line.includes('\n')) {
      yield line;
      continue;
    }
    const indent = `${/^\s*/.exec(line)![0].replace(/\n/g, '')}  `;
    yield line.split('\n').map((part, n) => (n === 0 ? part : `${indent}${part}`)).join('\n');
  }
}

/** The lines joined by line breaks, continuations indented (indentingContinuations). */
export function joinIndentingContinuations(lines: readonly string[]): string {
  return [...indentingContinuations(lines)].join('\n');
}
