// The safety findings a template is expected to carry, and why. Templates are designed to be safe,
// so every other finding (above info) is a defect; these are the choices a template makes on
// purpose (or, for check, a known limit) and the rules say so plainly.
import type { Finding } from '../../../src/core/model/findings';
import type { MigrationTool, TemplateKind, TemplateParams } from '../../../src/core/templates';

interface Expected {
  kinds: TemplateKind[];
  when: (params: TemplateParams, tool: MigrationTool) => boolean;
  rules: string[];
  why: string;
}

const EXPECTED: readonly Expected[] = [
  {
    kinds: ['index', 'gin', 'unique'],
    when: (p) => p.concurrently === false || p.guarded === true,
    rules: ['require-concurrent-index-creation', 'require-concurrent-index-deletion'],
    why: 'the user asked for a build in a transaction, or a guarded build in a DO block, which cannot be CONCURRENTLY: it does block writes',
  },
  {
    kinds: ['check'],
    when: (_params, tool) => tool === 'graphile',
    rules: ['constraint-missing-not-valid', 'lock-held-across-statements'],
    why: 'graphile-migrate commits current.sql as one migration, so the VALIDATE shares the NOT VALID add\'s transaction and its lock (every other tool gets the VALIDATE as a migration of its own)',
  },
];

/** True when the template is expected to carry this finding (see EXPECTED for why). */
export function expectedTemplateFinding(kind: TemplateKind, params: TemplateParams, tool: MigrationTool, finding: Finding): boolean {
  return EXPECTED.some((e) => e.kinds.includes(kind) && e.when(params, tool) && e.rules.includes(finding.ruleId));
}
