// `drydock audit DIR`: the history in DIR replayed on a shadow migration by migration, each
// dry-run and measured before it is applied as its tool applies it; every finding of `check`
// confirmed or contradicted by the measurement. Exit 0 when every migration dry-ran and applied
// and every declared object verified, 1 when one did not, 2 on usage, drydock.json or a shadow
// that could not be made.
import fs from 'node:fs';
import path from 'node:path';
import { connectionEndpoint, maskSecrets, secretsOf } from '../../core/db/connection';
import type { AuditReport } from '../../core/model/auditReport';
import { auditReportChunks, renderAuditOutcome } from '../../core/output/auditFormats';
import { visibleText } from '../../core/output/visibleText';
import { auditHistory } from '../../core/shadow/historyAudit';
import { PgliteShadow } from '../../core/shadow/pgliteShadow';
import { ScratchDatabaseShadow } from '../../core/shadow/scratchDatabase';
import type { ShadowHost } from '../../core/shadow/shadowHost';
import { compileWasmForShortRun } from '../baselineWasm';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, environmentSecrets, resolveCliConnection, wantsColor, type Io } from '../io';
import { fileLintSettings, pgVersionOption } from '../lintConfig';
import { OUTPUT_OPTIONS, milliseconds, outputFormatOf, parseCommandArgs } from '../options';
import { writeReport } from '../reportOutput';
import { shadowConfigOf } from '../shadowConfig';
import { TOOL_VERSION } from '../toolVersion';
import { docsBaseUri } from '../docsBase';
import { readSource } from '../readSource';

const AUDIT_OPTIONS = {
  ...OUTPUT_OPTIONS,
  'shadow-db': { type: 'string' },
  'shadow-setup': { type: 'string', multiple: true },
  'lock-timeout': { type: 'string' },
  'statement-timeout': { type: 'string' },
  'pg-version': { type: 'string' },
} as const;

function exitCodeOf(report: AuditReport): number {
  if (report.outcome === 'succeeded') return EXIT_OK;
  return report.server === null ? EXIT_USAGE : EXIT_FAILED;
}

/** The shadow: a scratch database on --shadow-db's server, else PGlite (no snapshot cache: an audit replays from an empty database). */
function auditHost(shadowDb: string | undefined, io: Io, option: string): { host: ShadowHost; secrets: string[] } {
  if (shadowDb === undefined) return { host: new PgliteShadow({ cacheDir: null }), secrets: [] };
  const server = resolveCliConnection(shadowDb, io, option);
  return { host: new ScratchDatabaseShadow({ server, projectDatabases: [connectionEndpoint(server).database] }), secrets: secretsOf(server) };
}

/** The progress line on an interactive stderr (none when piped or for machine-readable output). */
function progressLine(io: Io, machineReadable: boolean): ((done: number, total: number, file: string) => void) | undefined {
  if (machineReadable || io.stderr.isTTY !== true) return undefined;
  return (done, total, file) => io.stderr.write(`\r\u001b[Kaudit: ${done + 1}/${total} ${visibleText(file)}`);
}

/** `drydock audit` with the arguments after the command name. */
export async function runAudit(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('audit', { args: argv, allowPositionals: true, strict: true, options: AUDIT_OPTIONS });
  const format = outputFormatOf(values);
  if (positionals.length !== 1) throw new UsageError('audit needs exactly one DIR: the migrations folder whose history it replays');
  const folder = positionals[0]!;
  const absolute = path.resolve(io.cwd(), folder);
  if (!fs.statSync(absolute, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`audit needs a migrations folder, and ${folder} is not one`);
  const settings = {
    lockTimeoutMs: milliseconds(values['lock-timeout'], '--lock-timeout'),
    statementTimeoutMs: milliseconds(values['statement-timeout'], '--statement-timeout'),
  };
  const pgVersion = pgVersionOption(values['pg-version']);
  // Read up front: a bad drydock.json is a usage error before anything starts.
  const config = fileLintSettings(io, pgVersion !== undefined ? { pgVersion } : {});
  // The drydock.json that applies to the folder's files (the folder itself is the history: its `migrations` is not needed).
  const configured = shadowConfigOf(config.configFor(path.join(absolute, 'drydock.json')), { setup: values['shadow-setup'], shadowDb: values['shadow-db'] }, io);
  const shadow = auditHost(configured.shadowDb, io, configured.shadowDbOption);
  const secrets = [...environmentSecrets(io, argv), ...shadow.secrets];
  const progress = progressLine(io, format !== 'text');
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  // PGlite runs on this thread (no handler could run until its statement ends): Ctrl-C ends the process there.
  const handlesSigint = shadow.host.kind !== 'pglite';
  if (handlesSigint) process.once('SIGINT', onSigint);
  compileWasmForShortRun();
  let report: AuditReport;
  try {
    report = await auditHistory({
      host: shadow.host, folder: absolute, folderLabel: folder, setup: configured.setup, settings, signal: abort.signal,
      ...(configured.tool ? { tool: configured.tool } : {}),
      ...(configured.noTransactionDirective ? { noTransactionDirective: configured.noTransactionDirective } : {}),
      displayPath: (p) => path.relative(io.cwd(), p),
      lintSettings: (file) => config.settingsFor(file),
      onSkipped: (file, kind) => io.stderr.write(`drydock: skipped ${path.relative(io.cwd(), file)}: it is ${kind}, not a regular file\n`),
      ...(progress ? { onProgress: progress } : {}),
    });
  } catch (err) {
    await shadow.host.close();
    if (err instanceof Error) err.message = maskSecrets(err.message, secrets);
    throw err;
  } finally {
    if (handlesSigint) process.off('SIGINT', onSigint);
    if (progress) io.stderr.write('\r\u001b[K');
  }
  const color = wantsColor(io, values['no-color'] === true) && format === 'text';
  await writeReport(io, {
    pieces: () => auditReportChunks(report, format, { color, baseDir: io.cwd(), toolVersion: TOOL_VERSION, secrets, docsBaseUri: docsBaseUri(io), sourceOf: readSource }),
    outcome: (reason) => renderAuditOutcome(report, format, reason),
    verdict: () => `${report.outcome}: ${report.migrations.filter((m) => m.applied).length} of ${report.migrations.length} migration(s) applied`,
  }, secrets);
  await shadow.host.close();
  return exitCodeOf(report);
}
