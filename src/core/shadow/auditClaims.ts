// An audit's findings counted per rule by what the measurement concluded: how many of a rule's
// claims PostgreSQL confirmed, how many it contradicted, and how many could not be measured.
import type { ClaimCount } from '../model/auditReport';
import type { Finding } from '../model/findings';
import { ruleById } from '../rules/registry';

/** Per rule (in id order), its findings by evidence; a rule that claims nothing measurable counts its findings only. */
export function countClaims(findings: readonly Finding[]): ClaimCount[] {
  const counts = new Map<string, ClaimCount>();
  for (const f of findings) {
    const claim = ruleById(f.ruleId)?.claims ?? null;
    let count = counts.get(f.ruleId);
    if (!count) counts.set(f.ruleId, count = { ruleId: f.ruleId, claim, findings: 0, confirmed: 0, contradicted: 0, notMeasured: 0 });
    count.findings += 1;
    if (claim === null) continue;
    if (f.evidence === 'confirmed') count.confirmed += 1;
    else if (f.evidence === 'contradicted') count.contradicted += 1;
    else count.notMeasured += 1;
  }
  return [...counts.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId));
}

/** The measurable claims of an audit, summed over its rules. */
export function claimTotals(claims: readonly ClaimCount[]): { claimed: number; confirmed: number; contradicted: number; notMeasured: number } {
  const measurable = claims.filter((c) => c.claim !== null);
  const sum = (pick: (c: ClaimCount) => number) => measurable.reduce((n, c) => n + pick(c), 0);
  return { claimed: sum((c) => c.findings), confirmed: sum((c) => c.confirmed), contradicted: sum((c) => c.contradicted), notMeasured: sum((c) => c.notMeasured) };
}
