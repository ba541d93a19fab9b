// Checks that what the files declare exists and is healthy, in one catalog round trip, and answers
// the name-pattern questions teams ask (idx_%, uq_%, chk_%, update_%_updated_at) for the same tables.
import type { Session } from '../db/backend';
import type { CheckStatus, IndexUsage, InventoryItem, VerificationCheck } from '../model/report';
import type { ParsedFile } from '../parse/parseMigration';
import { CATALOG_QUERY, catalogLookups, type CatalogAnswer } from './catalogQuery';
import { expectedObjects, type Expectation, type StatementPlace } from './expectations';
import type { CatalogMeasurement } from './measurement';
import { foundUnder, verdictFor } from './verdicts';

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
  const laterCodeRan = proofsThatCodeRan(files, expectations, (i) => foundUnder(answer, String(i)) !== undefined);
  const checks = expectations.map((e, i): VerificationCheck => {
    const m = measured[i];
    const verdict = verdictFor(e, String(i), answer, m, e.codeNamingItAfter ? laterCodeRan(e.codeNamingItAfter) : undefined);
    const check: VerificationCheck = { kind: e.kind, name: e.name, table: e.table, status: verdict.status, detail: verdict.detail, file: e.file, statementIndex: e.statementIndex };
    // Without a measurement, a dropped object is named as a dry-run would have seen it go.
    const currentName = verdict.foundAs ?? (m ? m.name : verdict.status === 'dropped' && e.droppedAs !== null ? e.droppedAs : e.currentName);
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

/**
 * For a statement that runs SQL built at run time, an object that proves it ran on this database:
 * one declared unconditionally after it, under a name nothing declared before it, that exists. The
 * database may be behind the files; then what that SQL dropped cannot be told from what never ran.
 */
function proofsThatCodeRan(files: readonly ParsedFile[], expectations: readonly Expectation[], found: (i: number) => boolean): (place: StatementPlace) => string | undefined {
  const fileOrder = new Map(files.map((f, i) => [f.file, i]));
  const position = (file: string, statementIndex: number): [number, number] => [fileOrder.get(file) ?? -1, statementIndex];
  const after = (a: [number, number], b: [number, number]): boolean => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
  const proofs = new Map<string, string | undefined>();
  return (place) => {
    const key = `${place.file}#${place.statementIndex}`;
    if (proofs.has(key)) return proofs.get(key);
    const at = position(place.file, place.statementIndex);
    const declaredBefore = new Set(expectations
      .filter((e) => e.declaration && !after(position(e.file, e.statementIndex), at))
      .map((e) => `${e.kind} ${e.name}`));
    const proof = expectations.findIndex((e, i) => e.present && e.declaration !== null && !e.declaration.guarded
      && after(position(e.file, e.statementIndex), at) && !declaredBefore.has(`${e.kind} ${e.name}`) && found(i));
    const said = proof < 0 ? undefined : `${expectations[proof]!.kind} ${expectations[proof]!.name}`;
    proofs.set(key, said);
    return said;
  };
}
