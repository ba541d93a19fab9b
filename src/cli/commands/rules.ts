// `drydock rules`: every rule with its default severity, summary and docs page.
import { RULES } from '../../core/rules/registry';
import { ruleDocsPath } from '../../core/rules/rule';
import { EXIT_OK, UsageError, type Io } from '../io';
import { parseCommandArgs } from '../options';
import { maxOf } from '../../core/model/arrays';

/** `drydock rules` with the arguments after the command name. */
export async function runRules(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('rules', { args: argv, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } } });
  if (positionals.length > 0) throw new UsageError(`rules takes no arguments, got ${positionals.join(' ')}`);
  const rules = RULES.map((r) => ({ id: r.id, severity: r.defaultSeverity, summary: r.summary, docs: ruleDocsPath(r.id) }));
  if (values.json) {
    io.stdout.write(JSON.stringify(rules, null, 2) + '\n');
    return EXIT_OK;
  }
  const width = maxOf(rules.map((r) => r.id.length));
  for (const r of rules) io.stdout.write(`${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.summary}\n${' '.repeat(width + 11)}${r.docs}\n`);
  return EXIT_OK;
}
