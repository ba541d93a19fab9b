// `drydock check`: the rules without a database, on every file given (folders walked), with each
// file's drydock.json. Exit 0 when no error finding remains, 1 when one does, 2 on usage, config
// or parse errors (a file the parser refuses, or that is not text). `-` reads the SQL from standard
// input (stdinInput.ts); --fix and --diff apply the safe fixes first (checkFixes.ts).
import type { LintSettings } from '../../core/model/lintSettings';
import type { CheckReport } from '../../core/model/checkReport';
import { checkReportChunks, renderCheckOutcome } from '../../core/output/formats';
import { loadParser, parseMigrationSync, type ParsedFile } from '../../core/parse/parseMigration';
import { checkFiles, type CheckedFile } from '../../core/rules/checkMigration';
import type { SourceText } from '../../core/rules/fixes/fixUntilStable';
import type { MigrationFile } from '../../core/run/runner';
import { applyCheckFixes } from '../checkFixes';
import { STDIN_OPTIONS, readStdinMigration, readsStdin } from '../stdinInput';
import { compileWasmForShortRun } from '../baselineWasm';
import { keepYoungGenerationSmall } from '../smallYoungGeneration';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, environmentSecrets, readMigrationFiles, wantsColor, type Io } from '../io';
import { fileLintSettings, pgVersionOption } from '../lintConfig';
import { changedPredicate, filesChangedSince, neededWhenJudging, sliceAroundJudged } from '../changedSince';
import { noteStartAfter } from '../startAfterNote';
import { expandMigrationPaths } from '../migrationPaths';
import { OUTPUT_OPTIONS, outputFormatOf, parseCommandArgs } from '../options';
import { writeReport } from '../reportOutput';
import { TOOL_VERSION } from '../toolVersion';
import { docsBaseUri } from '../docsBase';

/** Findings that mean a file could not be read as SQL at all. */
const PARSE_ERRORS = new Set(['syntax-error', 'binary-file']);

/** `drydock check` with the arguments after the command name. */
export async function runCheck(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', {
    args: argv, allowPositionals: true, strict: true,
    options: { ...OUTPUT_OPTIONS, ...STDIN_OPTIONS, 'pg-version': { type: 'string' }, 'changed-since': { type: 'string' }, fix: { type: 'boolean' }, diff: { type: 'boolean' } },
  });
  const format = outputFormatOf(values);
  const pgVersion = pgVersionOption(values['pg-version']);
  if (positionals.length === 0) throw new UsageError('check needs at least one FILE or DIR, or - for SQL on standard input');
  if (values.fix && values.diff) throw new UsageError('--fix writes the fixed files and --diff only prints the changes: give one of them');
  const stdinFilename = values['stdin-filename'];
  const stdin = readsStdin(positionals, stdinFilename, 'check');
  const config = fileLintSettings(io, pgVersion !== undefined ? { pgVersion } : {});
  const settings = new Map<string, LintSettings>();
  const paths: string[] = [];
  for (const file of stdin ? [] : expandMigrationPaths(positionals)) {
    if (config.excluded(file)) continue;
    settings.set(file, config.settingsFor(file));
    paths.push(file);
  }
  if (stdin && values['changed-since'] !== undefined) throw new UsageError('--changed-since asks git which files changed: it does not go with - (standard input)');
  // --changed-since: only what git reports as changed is judged; every other file still teaches the schema.
  const judged = values['changed-since'] === undefined ? () => true : changedPredicate(filesChangedSince(values['changed-since'], positionals[0]!, io), io.cwd());
  noteStartAfter(paths.filter(judged), config, io);
  let files: MigrationFile[] = stdin ? [await readStdinMigration(io, stdinFilename)] : readMigrationFiles(paths.filter(neededWhenJudging(judged)));
  if (stdin && stdinFilename !== undefined && config.excluded(stdinFilename)) {
    io.stderr.write(`drydock: ${stdinFilename} is excluded by its drydock.json: nothing checked\n`);
    if (values.fix) io.stdout.write(files[0]!.text);
    return EXIT_OK;
  }
  const docs = docsBaseUri(io);
  compileWasmForShortRun();
  keepYoungGenerationSmall();
  await loadParser();
  // Standard input named as a file of a folder is judged with that folder's other migrations around it, as the editor judges it.
  const around = stdin && stdinFilename !== undefined ? await (await import('../stdinContext')).folderAround(io, stdinFilename, config) : {};
  const toolNoTransaction = new Map(files.map((f) => [f.path, config.noTransactionOf(f)]));
  // Checked together, in order: earlier files teach the schema the later ones are judged by.
  const judge = (texts: readonly SourceText[]): CheckedFile[] => {
    const slice = sliceAroundJudged(texts.map((f) => parseMigrationSync(f.path, f.text, toolNoTransaction.get(f.path))), (f) => judged(f.file));
    return checkFiles(slice.between, {
      settings: (file: ParsedFile) => settings.get(file.file) ?? config.settingsFor(file.file), ...around,
      ...(slice.before.length > 0 ? { context: slice.before } : {}),
      ...(slice.after.length > 0 ? { later: slice.after } : {}),
    }).filter((f) => judged(f.file));
  };
  if (values.fix || values.diff) {
    const fixed = applyCheckFixes(files, judge, { diff: values.diff === true, stdin }, io);
    if (values.diff) {
      io.stdout.write(fixed.stdout);
      return fixed.outcome.changed.length > 0 ? EXIT_FAILED : EXIT_OK;
    }
    files = fixed.outcome.files.map((f) => ({ ...f, toolNoTransaction: toolNoTransaction.get(f.path) ?? null }));
    if (stdin) {
      // The fixed SQL is the output, as formatters print theirs: the findings that remain go to stderr.
      io.stdout.write(fixed.stdout);
      io = { ...io, stdout: io.stderr };
    }
  }
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const checked = judge(files);
  if (values['changed-since'] !== undefined && checked.length === 0) io.stderr.write(`drydock: no migration among the files given changed since ${values['changed-since']}\n`);
  const report: CheckReport = {
    files: checked.map((f) => f.file),
    diagnostics: checked.flatMap((p) => p.diagnostics),
    statements: checked.flatMap((p) => p.statements.map((s) => ({ file: s.file, index: s.index, kind: s.kind, range: s.range, role: s.role }))),
  };
  const exitCode = report.diagnostics.some((d) => PARSE_ERRORS.has(d.ruleId) && d.severity === 'error') ? EXIT_USAGE
    : report.diagnostics.some((d) => d.severity === 'error') ? EXIT_FAILED : EXIT_OK;
  // check connects nowhere, but a migration can quote a password the environment holds.
  const secrets = environmentSecrets(io);
  await writeReport(io, {
    pieces: () => checkReportChunks(report, format, { color: wantsColor(io, values['no-color'] === true) && format === 'text', baseDir: io.cwd(), toolVersion: TOOL_VERSION, secrets, docsBaseUri: docs, sourceOf: (file) => texts.get(file) }),
    // The exit code carries the verdict when the findings cannot be written.
    outcome: (reason) => renderCheckOutcome(report, format, reason),
    verdict: () => `${report.diagnostics.filter((d) => d.severity === 'error').length} error(s)`,
  }, secrets);
  return exitCode;
}
