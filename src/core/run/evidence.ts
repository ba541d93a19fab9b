// After a run measured its statements, each static finding that claims something measurable (a
// rewrite, a scan, a lock) is compared with what PostgreSQL did: confirmed, contradicted (then
// downgraded to info, saying what was measured), or left static when the measurement cannot
// tell — the statement did not run, ran without being measured, on another major version than
// the one the finding was judged for, or the lock was already held by an earlier statement.
import type { AnalysedStatement } from '../analyse/fileAnalysis';
import type { Evidence, Finding } from '../model/findings';
import type { LintSettings } from '../model/lintSettings';
import type { RunReport, StatementReport } from '../model/report';
import type { CheckedFile } from '../rules/checkMigration';
import { ruleById } from '../rules/registry';
import type { MeasurableClaim } from '../rules/rule';
import { LOCK_MODES, lockModeSql, type LockMode } from '../sql/lockModes';
import { durationText } from '../model/quantities';

/** What the comparison concluded for one finding, and the sentence that says so. */
interface Verdict {
  evidence: Evidence;
  sentence?: string;
}

/** "public.orders", "\"Orders\"" and "orders" name the same table: compare without quotes and without public. */
function sameRelation(measured: string, predicted: string): boolean {
  const bare = (name: string) => name.replace(/"/g, '').replace(/^public\./, '');
  return bare(measured) === bare(predicted);
}

function rank(mode: string): number {
  return LOCK_MODES.indexOf(mode as LockMode);
}

/** The analysed statement the finding is about: the innermost one whose range holds the finding's. */
function analysedAt(file: CheckedFile, finding: Finding): AnalysedStatement | undefined {
  let best: AnalysedStatement | undefined;
  for (const at of file.analysis.statements) {
    if (at.offsets.start > finding.offsets.start || at.offsets.end < finding.offsets.end) continue;
    if (!best || at.offsets.end - at.offsets.start < best.offsets.end - best.offsets.start) best = at;
  }
  return best;
}

function statementAt(report: RunReport, finding: Finding): StatementReport | undefined {
  return report.statements.find((s) => s.file === finding.file && s.offsets.start <= finding.offsets.start && finding.offsets.end <= s.offsets.end);
}

function compareRewrites(tables: readonly string[], measured: StatementReport): Verdict {
  const rewritten = tables.flatMap((t) => measured.rewrites.filter((r) => (r.kind === 'table' || r.kind === 'materialized view') && sameRelation(r.relation, t)));
  if (rewritten.length > 0) return { evidence: 'confirmed', sentence: `Confirmed by the run: ${rewritten.map((r) => `rewrote ${r.relation}`).join(', ')}.` };
  const compared = tables.filter((t) => measured.measuredRelations?.some((m) => sameRelation(m, t)));
  if (compared.length === 0) return { evidence: 'static' };
  return { evidence: 'contradicted', sentence: `Measured in the run: PostgreSQL did not rewrite ${compared.join(', ')} (its storage is unchanged).` };
}

function compareScans(tables: readonly string[], measured: StatementReport): Verdict {
  const scanned = tables.flatMap((t) => measured.scans.filter((s) => sameRelation(s.relation, t)));
  if (scanned.length > 0) return { evidence: 'confirmed', sentence: `Confirmed by the run: ${scanned.map((s) => `scanned ${s.relation} (${s.reason})`).join(', ')}.` };
  // A table rewritten by the statement is read in full too, without a scan being counted.
  if (measured.rewrites.some((r) => tables.some((t) => sameRelation(r.relation, t)))) return { evidence: 'confirmed', sentence: `Confirmed by the run: rewrote ${tables.join(', ')}, reading every row.` };
  const compared = tables.filter((t) => measured.measuredRelations?.some((m) => sameRelation(m, t)));
  if (compared.length === 0) return { evidence: 'static' };
  return { evidence: 'contradicted', sentence: `Measured in the run: PostgreSQL did not scan ${compared.join(', ')}.` };
}

function compareLocks(at: AnalysedStatement, measured: StatementReport, earlier: readonly StatementReport[]): Verdict {
  // A simulated statement (CONCURRENTLY run without it) measured another statement's locks.
  if (measured.status === 'simulated' || measured.measuredRelations === undefined) return { evidence: 'static' };
  const predicted = at.effects.locks.filter((l) => rank(l.mode) >= rank('ShareUpdateExclusiveLock'));
  if (predicted.length === 0) return { evidence: 'static' };
  const confirmed: string[] = [];
  const weaker: string[] = [];
  for (const lock of predicted) {
    // A lock on "the table of index i": the measured lock on a table the prediction does not name is
    // that table's — when the measurement is the statement's own. Inside a DO block or a called
    // function it is the whole block's: a table another statement of it locked is another's.
    const ownMeasurement = at.nested === null && at.calledFrom === undefined;
    const taken = lock.onTableOfIndex
      ? ownMeasurement ? measured.locks.find((l) => !predicted.some((p) => sameRelation(l.relation, p.relation)) && rank(l.mode) >= rank(lock.mode)) : undefined
      : measured.locks.find((l) => sameRelation(l.relation, lock.relation));
    if (taken && rank(taken.mode) >= rank(lock.mode)) {
      const held = taken.heldWhile > 0 ? `, held ${durationText(taken.heldMs)} while ${taken.heldWhile} later statement(s) ran` : '';
      confirmed.push(`${lockModeSql(taken.mode as LockMode)} on ${taken.relation}${held}`);
      continue;
    }
    // Already held by an earlier statement: this one needed it, but it could not be measured here.
    if (earlier.some((s) => s.locks.some((l) => sameRelation(l.relation, lock.relation) && rank(l.mode) >= rank(lock.mode)))) continue;
    if (taken) weaker.push(`${lockModeSql(taken.mode as LockMode)} on ${taken.relation}, not ${lockModeSql(lock.mode)}`);
  }
  if (confirmed.length > 0) return { evidence: 'confirmed', sentence: `Confirmed by the run: took ${confirmed.join('; ')}.` };
  if (weaker.length > 0) return { evidence: 'contradicted', sentence: `Measured in the run: took only ${weaker.join('; ')}.` };
  return { evidence: 'static' };
}

function verdictFor(claim: MeasurableClaim, at: AnalysedStatement, measured: StatementReport, earlier: readonly StatementReport[]): Verdict {
  if (claim === 'rewrite') return at.effects.rewrites.length > 0 ? compareRewrites(at.effects.rewrites, measured) : { evidence: 'static' };
  if (claim === 'scan') {
    const tables = at.effects.scans.length > 0 ? at.effects.scans : at.effects.rewrites;
    return tables.length > 0 ? compareScans(tables, measured) : { evidence: 'static' };
  }
  return compareLocks(at, measured, earlier);
}

/** The server's major version, e.g. 17 from 170004. */
function serverMajor(report: RunReport): number | null {
  return report.server ? Math.floor(report.server.versionNum / 10000) : null;
}

/**
 * Sets `evidence` on every rule finding of the report, comparing the measurable ones with the
 * statements' measurements. `settingsOf` gives the settings each file was judged with.
 */
export function attachEvidence(report: RunReport, files: readonly CheckedFile[], settingsOf: (file: CheckedFile) => LintSettings): void {
  const byPath = new Map(files.map((f) => [f.file, f]));
  const major = serverMajor(report);
  for (const finding of report.diagnostics) {
    const rule = ruleById(finding.ruleId);
    if (!rule) continue;
    finding.evidence = 'static';
    const file = byPath.get(finding.file);
    const measured = statementAt(report, finding);
    if (!rule.claims || !file || !measured || (measured.status !== 'ok' && measured.status !== 'simulated')) continue;
    const at = analysedAt(file, finding);
    if (!at) continue;
    const earlier = report.statements.slice(0, report.statements.indexOf(measured));
    const verdict = verdictFor(rule.claims, at, measured, earlier);
    if (verdict.evidence === 'static' || !verdict.sentence) continue;
    if (verdict.evidence === 'contradicted' && at.conditions.length > 0) {
      // In a branch of its DO block or function body (an IF, a loop, a handler, a protected block
      // that may have failed): nothing measured may mean only that the branch did not run.
      finding.message += ' (Not compared with the run: it is in a branch that may not have run.)';
      continue;
    }
    const judgedFor = settingsOf(file).pgVersion;
    if (verdict.evidence === 'contradicted' && major !== null && major !== judgedFor) {
      // PostgreSQL versions differ in what rewrites and scans (fast defaults since 11, …): a
      // measurement on another major says nothing about the target's behaviour.
      finding.message += ` (The run on PostgreSQL ${major} did not show it, but the target is PostgreSQL ${judgedFor}: not compared.)`;
      continue;
    }
    finding.evidence = verdict.evidence;
    finding.message += ` ${verdict.sentence}`;
    if (verdict.evidence === 'contradicted' && finding.severity !== 'info') {
      finding.downgradedFrom = finding.severity;
      finding.message += ` Downgraded from ${finding.severity} to info.`;
      finding.severity = 'info';
    }
  }
}
