// Whole-history benchmark and truth check (not a test): a real project's migration folder applied
// by psql in one session with -1 (the baseline), then dry-run by Drydock on an empty database of the
// same server, then `verify` of the psql-built database. Prints the ratio of the two wall times
// and every failure and every verification result that is not ok: psql applied the same files
// without error, so each one is a false result.
//
//   node out/bench/history.bench.js --layout diesel|prisma|plain|golang-migrate DIR [--rounds N]
//   node out/bench/history.bench.js --layout auto DIR [--setup SQL]…
//
// `--layout auto` lists the folder as Drydock's shadow does (its tool detected: goose, sqlx,
// Atlas, Flyway, sql-migrate, postgres-migrations, …), builds the reference migration by migration
// with psql as the tool would (each in a transaction unless the tool runs it outside one; up
// sections only; `--setup` first in each session), and adds `drydock audit` on a scratch database of
// the same server: every static claim measured, and the share of them the measurement contradicts.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import { readToolNoTransaction } from '../src/core/config/toolNoTransaction';
import { pgBackend } from '../src/core/db/pg/pgBackend';
import type { AuditReport } from '../src/core/model/auditReport';
import { summaryLine } from '../src/core/output/auditFormats';
import type { RunReport } from '../src/core/model/report';
import { readDirectives } from '../src/core/parse/directives';
import { runMigrations, type MigrationFile } from '../src/core/run/runner';
import { migrationsIn } from '../src/core/shadow/history';
import { auditHistory } from '../src/core/shadow/historyAudit';
import { REPLAY_STYLES } from '../src/core/shadow/replayStyles';
import { ScratchDatabaseShadow } from '../src/core/shadow/scratchDatabase';
import { runShadowDryRun } from '../src/core/shadow/shadowRun';
import { sql } from '../test/support/database';
import { failingChecks, historyBookkeeping, historyFiles, isHistoryLayout, runsOutsideTransaction } from '../test/support/histories';
import { psqlFiles } from '../test/support/psql';
import { startPostgres } from '../test/support/throwawayPostgres';
import { median } from './stats';

function falseResults(report: RunReport): string[] {
  const out: string[] = [];
  if (report.outcome !== 'succeeded' && report.error) out.push(`${report.outcome}: ${report.error.sqlstate} ${report.error.message} (${report.error.file ?? ''}:${report.error.position?.line ?? ''})`);
  for (const c of failingChecks(report.verification) as typeof report.verification) {
    out.push(`${c.status} ${c.kind} ${c.name}${c.table ? ` on ${c.table}` : ''}: ${c.detail} [${path.basename(path.dirname(c.file))}/${path.basename(c.file)}]`);
  }
  return out;
}

/** The declared objects whose status the first report (a dry-run) and the second (verify) give differently. */
function disagreements(dry: RunReport, verify: RunReport): string[] {
  const key = (c: RunReport['verification'][number]) => `${c.kind} ${c.name} [${c.file.split(/[\\/]/).slice(-2).join('/')}#${c.statementIndex}]`;
  const verified = new Map(verify.verification.map((c) => [key(c), c]));
  const out: string[] = [];
  for (const c of dry.verification) {
    const other = verified.get(key(c));
    if (!other) out.push(`${key(c)}: dry-run ${c.status}, not checked by verify`);
    else if (other.status !== c.status) out.push(`${key(c)}: dry-run ${c.status} (${c.detail}); verify ${other.status} (${other.detail})`);
    verified.delete(key(c));
  }
  for (const [k, c] of verified) out.push(`${k}: verify ${c.status}, not checked by the dry-run`);
  return out;
}

/** Each report's verification in numbers, and every false result in it; then where the dry-run and verify disagree. */
function printTruth(reports: [string, RunReport][]): void {
  for (const [name, report] of reports) {
    const wrong = falseResults(report);
    const checks = report.verification.length;
    const statuses = [...new Set(report.verification.map((c) => c.status))].map((st) => `${st} ${report.verification.filter((c) => c.status === st).length}`).join(', ');
    console.log(`  ${name}: ${report.outcome}, ${checks} verification checks (${statuses}), ${wrong.length} false result(s)`);
    for (const line of wrong.slice(0, 40)) console.log(`    ${line}`);
    if (wrong.length > 40) console.log(`    … and ${wrong.length - 40} more`);
  }
  const [dry, verify] = reports.map(([, r]) => r);
  if (dry && verify) {
    const differ = disagreements(dry, verify);
    console.log(`  dry-run and verify disagree on ${differ.length} declared object(s)`);
    for (const line of differ.slice(0, 20)) console.log(`    ${line}`);
  }
}

const FAILING_CHECKS = new Set(['missing', 'invalid', 'mismatch', 'disabled']);

/** The audit in numbers: how its migrations went, the false verification results, and the claims measured. */
function printAudit(report: AuditReport, root: string): void {
  const rel = (f: string) => path.relative(root, path.resolve(f));
  const dryRan = report.migrations.filter((m) => m.dryRun === 'succeeded').length;
  const applied = report.migrations.filter((m) => m.applied).length;
  const failing = report.verification.filter((c) => FAILING_CHECKS.has(c.status));
  console.log(`  audit (${report.shadow}, judged for PostgreSQL ${report.judgedFor}): ${report.outcome}; ${dryRan} of ${report.migrations.length} dry-run, ${applied} applied as ${report.tool} applies them, ${report.statements.length} statements measured, ${(report.timings.totalMs / 1000).toFixed(1)} s`);
  for (const m of report.migrations.filter((x) => x.dryRun !== 'succeeded' && x.applied || x.applyError)) {
    const e = m.applyError ?? m.dryRunError;
    console.log(`    ${m.applyError ? 'not applied' : `dry-run ${m.dryRun}`} ${rel(m.file)}: ${e ? `${e.sqlstate} ${e.message.split('\n')[0]}` : ''}`);
  }
  console.log(`  audit verification: ${report.verification.length} checks, ${failing.length} false result(s)`);
  for (const c of failing) console.log(`    ${c.status} ${c.kind} ${c.name}${c.table ? ` on ${c.table}` : ''}: ${c.detail} [${rel(c.file)}]`);
  console.log(`  summary: ${summaryLine(report.summary)}`);
  for (const c of report.claims.filter((x) => x.claim !== null)) console.log(`    ${c.ruleId.padEnd(40)} findings ${String(c.findings).padStart(5)}, confirmed ${String(c.confirmed).padStart(4)}, contradicted ${String(c.contradicted).padStart(4)}, not measured ${String(c.notMeasured).padStart(4)}`);
  for (const d of report.diagnostics.filter((x) => x.evidence === 'contradicted')) {
    console.log(`    contradicted ${rel(d.file)}:${d.range.start.line} [${d.ruleId}] ${d.message.replace(/^.*?(Measured in the run:)/, '$1')}`);
  }
}

/**
 * A folder as Drydock's shadow lists it: psql builds the reference migration by migration as the
 * tool would; Drydock dry-runs the whole folder and verifies the reference; then the audit.
 */
async function auto(dir: string, setup: readonly string[]): Promise<void> {
  const root = path.resolve(dir);
  const { tool, migrations } = migrationsIn(root);
  const files: MigrationFile[] = migrations.map((m) => ({ path: m.file, text: m.text, toolNoTransaction: readToolNoTransaction(m.file) }));
  const server = await startPostgres(undefined, { autovacuum: 'off' });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-history-'));
  const database = async () => {
    const url = server.url(await server.createDatabase());
    for (const statement of REPLAY_STYLES[tool].bookkeeping) await sql(url, statement);
    return url;
  };
  try {
    const reference = await database();
    for (const [i, m] of migrations.entries()) {
      // The up section only, after the project runner's setup, in the tool's transaction.
      const file = path.join(scratch, `${String(i).padStart(5, '0')}.sql`);
      fs.writeFileSync(file, `${setup.map((s) => `${s};\n`).join('')}${readDirectives(m.text).runnableText}`);
      const result = await psqlFiles(reference, [file], { singleTransaction: !m.noTransaction });
      if (result.code !== 0) throw new Error(`psql failed on ${path.relative(root, m.file)}: ${result.stderr.split('\n').filter((l) => /ERROR/.test(l)).join('\n')}`);
    }
    const statements = files.reduce((n, f) => n + f.text.split(';').length - 1, 0);
    console.log(`history: ${files.length} ${tool} migrations (${migrations.filter((m) => m.noTransaction).length} outside a transaction), ~${statements} statements, PostgreSQL ${server.major}`);
    // With a runner's setup, the whole folder is dry-run on the shadow, which sends it first on the run's session.
    const dryReport = setup.length === 0
      ? await runMigrations(files, { mode: 'dry-run', backend: pgBackend({ connectionString: await database() }) })
      : await runShadowDryRun(files.map((f) => ({ ...f, absolutePath: f.path })), { host: new ScratchDatabaseShadow({ server: { connectionString: server.url('postgres') } }), tool, setup });
    const verifyReport = await runMigrations(files, { mode: 'verify', backend: pgBackend({ connectionString: reference }) });
    printTruth([['dry-run of the whole folder', dryReport], ['verify of the database psql built migration by migration', verifyReport]]);
    const host = new ScratchDatabaseShadow({ server: { connectionString: server.url('postgres') } });
    const audit = await auditHistory({ host, folder: root, tool, setup, displayPath: (p) => p });
    printAudit(audit, root);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    await server.stop();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { layout: { type: 'string', default: 'plain' }, rounds: { type: 'string', default: '3' }, setup: { type: 'string', multiple: true } } });
  const dir = positionals[0];
  const layout = values.layout;
  if (dir && layout === 'auto') return auto(dir, values.setup ?? []);
  if (!dir || !isHistoryLayout(layout)) throw new Error('usage: history.bench --layout diesel|prisma|plain|golang-migrate|auto DIR');
  // psql reads the files from disk: a sql-migrate file's Down section would run forward.
  if (layout === 'sql-migrate') throw new Error('history.bench: sql-migrate folders are not supported (psql would run their Down sections)');
  const files = historyFiles(dir, layout);
  const paths = files.map((f) => f.path);
  const rounds = Number(values.rounds);
  // psql commits what it applied: autovacuum would then analyse those tables during the next round's
  // measured runs. Nothing measured here depends on it.
  const server = await startPostgres(undefined, { autovacuum: 'off' });
  const database = async () => {
    const url = server.url(await server.createDatabase());
    const bookkeeping = historyBookkeeping(layout);
    if (bookkeeping) await sql(url, bookkeeping);
    return url;
  };
  try {
    // psql -1 cannot apply a history with migrations its tool runs outside a transaction
    // (CREATE INDEX CONCURRENTLY): the reference is then built as the tool builds it, each migration
    // by its own psql, in a transaction unless the tool says not, and no ratio is printed.
    const outside = new Set(files.filter((f) => runsOutsideTransaction(f, layout)));
    if (outside.size > 0) {
      const reference = await database();
      for (const f of files) {
        const result = await psqlFiles(reference, [f.path], { singleTransaction: !outside.has(f) });
        if (result.code !== 0) throw new Error(`psql failed on ${f.path}: ${result.stderr.split('\n').filter((l) => /ERROR/.test(l)).join('\n')}`);
      }
      const dryReport = await runMigrations(files, { mode: 'dry-run', backend: pgBackend({ connectionString: await database() }) });
      const verifyReport = await runMigrations(files, { mode: 'verify', backend: pgBackend({ connectionString: reference }) });
      console.log(`history: ${files.length} migrations (${values.layout}), ${dryReport.statements.length} statements, PostgreSQL ${server.major}; ${outside.size} run outside a transaction, so no psql -1 baseline (no ratio)`);
      printTruth([['dry-run', dryReport], ['verify of the database psql built migration by migration', verifyReport]]);
      return;
    }
    const psqlTimes: number[] = [];
    const drydockTimes: number[] = [];
    let reference = '';
    let dryReport: RunReport | null = null;
    for (let i = 0; i < rounds; i++) {
      const psqlDb = await database();
      let t0 = performance.now();
      const result = await psqlFiles(psqlDb, paths, { singleTransaction: true });
      psqlTimes.push(performance.now() - t0);
      if (result.code !== 0) throw new Error(`psql -1 failed on this history: ${result.stderr.split('\n').filter((l) => /ERROR/.test(l)).join('\n')}`);
      reference = psqlDb;
      const dryDb = await database();
      t0 = performance.now();
      dryReport = await runMigrations(files, { mode: 'dry-run', backend: pgBackend({ connectionString: dryDb }) });
      drydockTimes.push(performance.now() - t0);
    }
    const verifyReport = await runMigrations(files, { mode: 'verify', backend: pgBackend({ connectionString: reference }) });
    const statements = dryReport!.statements.length;
    console.log(`history: ${files.length} migrations (${values.layout}), ${statements} statements, PostgreSQL ${server.major}, median of ${rounds}`);
    console.log(`  psql -1 (baseline): ${median(psqlTimes).toFixed(0)} ms (rounds: ${psqlTimes.map((t) => t.toFixed(0)).join(', ')})`);
    console.log(`  drydock dry-run incl. parse and verification: ${median(drydockTimes).toFixed(0)} ms (rounds: ${drydockTimes.map((t) => t.toFixed(0)).join(', ')}; verification ${dryReport!.timings.verifyMs.toFixed(0)} ms)`);
    // Each round's Drydock run follows its psql run: their ratio moves less with the machine's load.
    const perRound = drydockTimes.map((t, i) => t / psqlTimes[i]!);
    console.log(`  ratio drydock/psql: ${(median(drydockTimes) / median(psqlTimes)).toFixed(2)}x (medians); per round ${median(perRound).toFixed(2)}x (median of ${perRound.map((r) => r.toFixed(2)).join(', ')})`);
    printTruth([['dry-run', dryReport!], ['verify of the psql-built database', verifyReport]]);
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
