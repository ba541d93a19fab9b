// Checks that what the files declare exists and is healthy, in one catalog round trip, and answers
// the name-pattern questions teams ask (idx_%, uq_%, chk_%, update_%_updated_at) for the same tables.
import type { Session } from '../db/backend';
import type { CheckStatus, IndexUsage, InventoryItem, VerificationCheck } from '../model/report';
import type { ParsedFile } from '../parse/parseMigration';
import { CATALOG_QUERY, catalogLookups, type CatalogAnswer } from './catalogQuery';
import { expectedObjects } from './expectations';
import type { CatalogMeasurement } from './measurement';
import { verdictFor } from './verdicts';

export interface VerificationResult {
  checks: VerificationCheck[];
  inventory: InventoryItem[];
  indexUsage: IndexUsage[];
  /** The checks showing the migration did not leave the database as declared. */
  failures: VerificationCheck[];
}

const FAILING: CheckStatus[] = ['missing', 'invalid', 'mismatch', 'disabled'];

/**
 * Verifies every object the files declare, in one catalog query on `session`: after a run, by
 * what the run measured (`measurement`: OIDs, and the statements that dropped or renamed them),
 * else (verify of a database built elsewhere) by what the files' statements predict.
 */
export async function verifyDeclaredObjects(session: Session, files: ParsedFile[], measurement?: CatalogMeasurement): Promise<VerificationResult> {
  const { expectations, tables } = expectedObjects(files);
  if (expectations.length === 0 && tables.length === 0) return { checks: [], inventory: [], indexUsage: [], failures: [] };
  const measured = expectations.map((e) => (e.declaration ? measurement?.get(e.declaration) : undefined));
  const lookups = expectations.map((e, i) => ({ expectation: e, oid: measured[i]?.oid ?? null }));
  const result = await session.query(CATALOG_QUERY, [JSON.stringify(catalogLookups(lookups, tables))]);
  const answer = result.rows[0]?.answer as CatalogAnswer;
  const checks = expectations.map((e, i): VerificationCheck => {
    const m = measured[i];
    const verdict = verdictFor(e, String(i), answer, m);
    const check: VerificationCheck = { kind: e.kind, name: e.name, table: e.table, status: verdict.status, detail: verdict.detail, file: e.file, statementIndex: e.statementIndex };
    const currentName = m ? m.name : e.currentName;
    if (currentName !== e.name) check.currentName = currentName;
    const changedBy = m ? m.droppedBy ?? m.renamedBy : e.fate?.by;
    if (changedBy) check.changedBy = { ...changedBy };
    return check;
  });
  const failures = checks.filter((c, i) => FAILING.includes(c.status) || (c.status === 'not-validated' && expectations[i]?.validated));
  const indexUsage = answer.usage.map((u) => ({
    ...u, scans: Number(u.scans), tuplesRead: Number(u.tuplesRead), tuplesFetched: Number(u.tuplesFetched), sizeBytes: Number(u.sizeBytes),
  }));
  return { checks, inventory: answer.inventory, indexUsage, failures };
}
