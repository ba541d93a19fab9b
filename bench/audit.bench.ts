// `drydock audit` over a real history: the figures a README quotes for it (statements measured,
// findings, claims confirmed and contradicted, the contradicted share of the measurable claims)
// and its cost against bare PGlite applying the same files, as their tool would, with nothing
// measured, judged or verified. Figures are printed, never asserted.
//
//   npm run bench:audit -- DIR [--tool auto|goose|…] [--setup SQL]… [--shadow-db URL] [--rounds N]
//
// Both sides start cold (a fresh PGlite from the shipped data directory, no snapshot cache), so
// the ratio is what the audit adds to replaying the history: a dry-run per migration, its
// measurements, the rules and the verification. With --shadow-db the audit runs on a scratch
// database of that server; the ratio is still against bare PGlite.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PgliteInstance } from '../src/core/db/pglite/pgliteInstance';
import type { AuditReport } from '../src/core/model/auditReport';
import { summaryLine } from '../src/core/output/auditFormats';
import { readDirectives } from '../src/core/parse/directives';
import { loadParser, parseMigrationSync } from '../src/core/parse/parseMigration';
import { migrationsIn, type HistoryMigration } from '../src/core/shadow/history';
import { auditHistory } from '../src/core/shadow/historyAudit';
import { isHistoryTool, type HistoryTool } from '../src/core/shadow/historyTools';
import { PgliteShadow } from '../src/core/shadow/pgliteShadow';
import { REPLAY_STYLES } from '../src/core/shadow/replayStyles';
import { ScratchDatabaseShadow } from '../src/core/shadow/scratchDatabase';
import { extensionsCreatedIn } from '../src/core/shadow/shadowRun';
import { median } from './stats';

/** The history applied on a fresh PGlite as its tool applies it (up sections, its transactions), nothing else. */
async function bareApply(tool: HistoryTool, migrations: readonly HistoryMigration[], setup: readonly string[]): Promise<number> {
  const t0 = performance.now();
  const instance = await PgliteInstance.boot({ dataDir: null, extensions: extensionsCreatedIn(migrations.map((m) => m.text)) });
  const style = REPLAY_STYLES[tool];
  try {
    for (const s of [...setup, ...style.bookkeeping]) await instance.db.exec(s);
    for (const m of migrations) {
      const text = readDirectives(m.text).runnableText;
      try {
        if (m.noTransaction) {
          // Outside a transaction each statement is its own query (CONCURRENTLY refuses a multi-statement one).
          for (const s of parseMigrationSync(m.file, text).statements) if (s.role === 'statement') await instance.db.exec(s.sql);
        } else if (style.transaction === 'tool') {
          await instance.db.exec(`BEGIN;\n${text}\n;COMMIT;`);
        } else {
          await instance.db.exec(text);
        }
      } catch (err) {
        throw new Error(`bare PGlite could not apply ${m.file}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } finally {
    await instance.db.close();
  }
  return performance.now() - t0;
}

async function audit(folder: string, tool: HistoryTool | 'auto', setup: readonly string[], shadowDb: string | undefined): Promise<{ ms: number; report: AuditReport }> {
  const host = shadowDb ? new ScratchDatabaseShadow({ server: { connectionString: shadowDb } }) : new PgliteShadow({ cacheDir: null });
  const t0 = performance.now();
  try {
    const report = await auditHistory({ host, folder, tool, setup, displayPath: (p) => path.relative(folder, p) });
    return { ms: performance.now() - t0, report };
  } finally {
    if (host instanceof PgliteShadow) await host.close();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { tool: { type: 'string', default: 'auto' }, setup: { type: 'string', multiple: true }, 'shadow-db': { type: 'string' }, rounds: { type: 'string', default: '3' } },
  });
  const dir = positionals[0];
  const toolArg = values.tool;
  if (!dir || (toolArg !== 'auto' && !isHistoryTool(toolArg))) throw new Error('usage: audit.bench DIR [--tool auto|TOOL] [--setup SQL]… [--shadow-db URL] [--rounds N]');
  const folder = path.resolve(dir);
  const setup = values.setup ?? [];
  const rounds = Math.max(1, Number(values.rounds) || 1);
  const { tool, migrations } = migrationsIn(folder, toolArg);
  await loadParser();
  console.log(`history: ${path.basename(folder)}, ${migrations.length} ${tool} migrations (${migrations.filter((m) => m.noTransaction).length} outside a transaction); ${rounds} round(s), cold each`);

  const audits: number[] = [];
  const bare: number[] = [];
  let last: AuditReport | null = null;
  let bareFailure: string | null = null;
  for (let r = 0; r < rounds; r++) {
    const run = await audit(folder, toolArg, setup, values['shadow-db']);
    audits.push(run.ms);
    last = run.report;
    if (bareFailure) continue;
    try {
      bare.push(await bareApply(tool, migrations, setup));
    } catch (err) {
      // The audit's figures stand on their own; only the ratio needs the bare run.
      bareFailure = err instanceof Error ? err.message : String(err);
    }
  }
  const report = last!;
  const failed = report.migrations.filter((m) => m.dryRun !== 'succeeded' || !m.applied);
  console.log(`audit: ${report.outcome} on ${report.shadow}, judged for PostgreSQL ${report.judgedFor}${failed.length > 0 ? `; ${failed.length} migration(s) not dry-run or not applied, first ${failed[0]!.file}` : ''}`);
  if (report.error) console.log(`  ${report.error.label}: ${report.error.message.split('\n')[0]}`);
  console.log(`summary: ${summaryLine(report.summary)}`);
  for (const c of report.claims.filter((x) => x.claim !== null && x.contradicted > 0)) console.log(`  contradicted: ${c.ruleId} ${c.contradicted} of ${c.findings}`);
  const a = median(audits);
  if (bareFailure) {
    console.log(`time (median): audit ${(a / 1000).toFixed(2)} s; no ratio: ${bareFailure}`);
    return;
  }
  const b = median(bare);
  console.log(`time (median): audit ${(a / 1000).toFixed(2)} s, bare PGlite applying the same files ${(b / 1000).toFixed(2)} s, ratio ${(a / b).toFixed(1)}×`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
