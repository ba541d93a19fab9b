// Drydock's findings next to Squawk's, per rule name the two share, on a real corpus of migrations
// (a folder given as the argument or DRYDOCK_BENCH_CORPUS; BENCH_ONLY=up.sql keeps only files of
// that name). For each rule: both totals, and the files where one tool reports more often than the
// other, with examples, so every difference can be looked at and explained (docs/squawk-comparison.md).
import path from 'node:path';
import { RULES } from '../src/core/rules/registry';
import { runProcess, sqlFilesUnder, squawkBinary } from './processes';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const EXAMPLES = Number(process.env.COMPARE_EXAMPLES ?? 3);

interface Located {
  rule: string;
  file: string;
  line: number;
}

function squawkFindings(files: string[]): Located[] {
  const run = runProcess(squawkBinary(root), ['--reporter', 'json', ...files]);
  const parsed = JSON.parse(run.stdout || '[]') as { file: string; line: number; rule_name: string }[];
  // Squawk's JSON lines are 0-based.
  return parsed.map((f) => ({ rule: f.rule_name, file: path.resolve(f.file), line: f.line + 1 }));
}

function drydockFindings(files: string[]): Located[] {
  const run = runProcess(process.execPath, [cli, 'check', '--format', 'json', ...files]);
  const report = JSON.parse(run.stdout) as { diagnostics: { ruleId: string; file: string; range: { start: { line: number } } }[] };
  return report.diagnostics.map((d) => ({ rule: d.ruleId, file: path.resolve(d.file), line: d.range.start.line }));
}

function countBy(findings: Located[], rule: string): Map<string, number[]> {
  const byFile = new Map<string, number[]>();
  for (const f of findings) if (f.rule === rule) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f.line]);
  return byFile;
}

function main(): void {
  const corpus = process.argv[2] ?? process.env.DRYDOCK_BENCH_CORPUS;
  if (!corpus) throw new Error('usage: node out/bench/compare-squawk.js MIGRATIONS_DIR (or DRYDOCK_BENCH_CORPUS)');
  const only = process.env.BENCH_ONLY ? new RegExp(`^${process.env.BENCH_ONLY.replace(/[.]/g, '\\.')}$`) : undefined;
  const files = sqlFilesUnder(corpus, only);
  const squawk = squawkFindings(files);
  const drydock = drydockFindings(files);
  const ours = new Set(RULES.map((r) => r.id));
  const shared = [...new Set(squawk.map((f) => f.rule))].filter((r) => ours.has(r)).sort();
  const squawkOnlyRules = [...new Set(squawk.map((f) => f.rule))].filter((r) => !ours.has(r)).sort();
  const relative = (file: string) => path.relative(path.resolve(corpus), file);
  console.log(`${files.length} files under ${path.basename(path.resolve(corpus))}: squawk ${squawk.length} findings, drydock ${drydock.length}`);
  console.log(`rule${' '.repeat(46)}squawk  drydock  files squawk>drydock  files drydock>squawk`);
  for (const rule of [...shared, ...[...ours].filter((r) => !shared.includes(r) && drydock.some((f) => f.rule === r)).sort()]) {
    const s = countBy(squawk, rule);
    const d = countBy(drydock, rule);
    const moreSquawk = [...s].filter(([file, lines]) => lines.length > (d.get(file)?.length ?? 0));
    const moreDrydock = [...d].filter(([file, lines]) => lines.length > (s.get(file)?.length ?? 0));
    const total = (m: Map<string, number[]>) => [...m.values()].reduce((n, l) => n + l.length, 0);
    console.log(`${rule.padEnd(50)}${String(total(s)).padStart(6)}  ${String(total(d)).padStart(7)}  ${String(moreSquawk.length).padStart(19)}  ${String(moreDrydock.length).padStart(19)}`);
    for (const [file, lines] of moreSquawk.slice(0, EXAMPLES)) console.log(`    squawk only: ${relative(file)}:${lines.filter((l) => !(d.get(file) ?? []).includes(l)).join(',') || lines.join(',')}`);
    for (const [file, lines] of moreDrydock.slice(0, EXAMPLES)) console.log(`    drydock only: ${relative(file)}:${lines.filter((l) => !(s.get(file) ?? []).includes(l)).join(',') || lines.join(',')}`);
  }
  if (squawkOnlyRules.length) console.log(`Squawk rules Drydock has no rule of that name for: ${squawkOnlyRules.join(', ')}`);
}

main();
