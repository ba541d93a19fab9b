// `drydock check`: the rules without a database, on every file given (folders walked), with each
// file's drydock.json. Exit 0 when no error finding remains, 1 when one does, 2 on usage, config
// or parse errors (a file the parser refuses, or that is not text).
import type { LintSettings } from '../../core/model/lintSettings';
import type { CheckReport } from '../../core/model/checkReport';
import { checkReportChunks, renderCheckOutcome } from '../../core/output/formats';
import { loadParser, parseMigrationSync, type ParsedFile } from '../../core/parse/parseMigration';
import { checkFiles } from '../../core/rules/checkMigration';
import { compileWasmForShortRun } from '../baselineWasm';
import { keepYoungGenerationSmall } from '../smallYoungGeneration';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, environmentSecrets, readMigrationFiles, wantsColor, type Io } from '../io';
import { fileLintSettings, pgVersionOption } from '../lintConfig';
import { noteStartAfter } from '../startAfterNote';
import { expandMigrationPaths } from '../migrationPaths';
import { OUTPUT_OPTIONS, outputFormatOf, parseCommandArgs } from '../options';
import { writeReport } from '../reportOutput';
import { TOOL_VERSION } from '../toolVersion';

/** Findings that mean a file could not be read as SQL at all. */
const PARSE_ERRORS = new Set(['syntax-error', 'binary-file']);

/** `drydock check` with the arguments after the command name. */
export async function runCheck(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', {
    args: argv, allowPositionals: true, strict: true, options: { ...OUTPUT_OPTIONS, 'pg-version': { type: 'string' } },
  });
  const format = outputFormatOf(values);
  const pgVersion = pgVersionOption(values['pg-version']);
  if (positionals.length === 0) throw new UsageError('check needs at least one FILE or DIR');
  const config = fileLintSettings(io, pgVersion !== undefined ? { pgVersion } : {});
  const settings = new Map<string, LintSettings>();
  const paths: string[] = [];
  for (const file of expandMigrationPaths(positionals)) {
    if (config.excluded(file)) continue;
    settings.set(file, config.settingsFor(file));
    paths.push(file);
  }
  noteStartAfter(paths, config, io);
  const files = readMigrationFiles(paths);
  compileWasmForShortRun();
  keepYoungGenerationSmall();
  await loadParser();
  // Checked together, in order: earlier files teach the schema the later ones are judged by.
  const checked = checkFiles(files.map((f) => parseMigrationSync(f.path, f.text, config.noTransactionOf(f))), {
    settings: (file: ParsedFile) => settings.get(file.file) ?? config.settingsFor(file.file),
  });
  const report: CheckReport = {
    files: paths,
    diagnostics: checked.flatMap((p) => p.diagnostics),
    statements: checked.flatMap((p) => p.statements.map((s) => ({ file: s.file, index: s.index, kind: s.kind, range: s.range, role: s.role }))),
  };
  const exitCode = report.diagnostics.some((d) => PARSE_ERRORS.has(d.ruleId) && d.severity === 'error') ? EXIT_USAGE
    : report.diagnostics.some((d) => d.severity === 'error') ? EXIT_FAILED : EXIT_OK;
  // check connects nowhere, but a migration can quote a password the environment holds.
  const secrets = environmentSecrets(io);
  await writeReport(io, {
    pieces: () => checkReportChunks(report, format, { color: wantsColor(io, values['no-color'] === true) && format === 'text', baseDir: io.cwd(), toolVersion: TOOL_VERSION, secrets }),
    // The exit code carries the verdict when the findings cannot be written.
    outcome: (reason) => renderCheckOutcome(report, format, reason),
    verdict: () => `${report.diagnostics.filter((d) => d.severity === 'error').length} error(s)`,
  }, secrets);
  return exitCode;
}
