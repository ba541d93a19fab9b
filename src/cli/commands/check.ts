// `drydock check`: the rules without a database, on every file given.
import { parseArgs } from 'node:util';
import type { CheckReport } from '../../core/model/checkReport';
import { renderCheckReport } from '../../core/output/formats';
import { loadParser, parseMigrationSync } from '../../core/parse/parseMigration';
import { checkFiles } from '../../core/rules/checkMigration';
import { EXIT_OK, EXIT_USAGE, UsageError, readMigrationFiles, wantsColor, type Io } from '../io';
import { OUTPUT_OPTIONS, outputFormatOf } from '../options';
import { TOOL_VERSION } from '../toolVersion';
import type { CliCommand } from './command';

export const checkCommand: CliCommand = {
  name: 'check',
  synopsis: 'check FILE...',
  summary: 'the rules only (no database): syntax, psql meta-commands, transaction control',
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OUTPUT_OPTIONS });
    const format = outputFormatOf(values);
    if (positionals.length === 0) throw new UsageError('check needs at least one FILE');
    const files = readMigrationFiles(positionals);
    await loadParser();
    // Checked together, as a run would see them.
    const checked = checkFiles(files.map((f) => parseMigrationSync(f.path, f.text)));
    const report: CheckReport = {
      files: positionals,
      diagnostics: checked.flatMap((p) => p.diagnostics),
      statements: checked.flatMap((p) => p.statements.map((s) => ({ file: s.file, index: s.index, kind: s.kind, range: s.range, role: s.role }))),
    };
    io.stdout.write(renderCheckReport(report, format, { color: wantsColor(io, values['no-color'] === true) && format === 'text', baseDir: io.cwd(), toolVersion: TOOL_VERSION }) + '\n');
    return checked.every((p) => p.runnable) ? EXIT_OK : EXIT_USAGE;
  },
};
