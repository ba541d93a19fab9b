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

interface StatementSpan {
  file: string;
  start: number;
  end: number;
}

function squawkFindings(files: string[]): Located[] {
  const run = runProcess(squawkBinary(root), ['--reporter', 'json', ...files]);
  const parsed = JSON.parse(run.stdout || '[]') as { file: string; line: number; rule_name: string }[];
  // Squawk's JSON lines are 0-based.
  return parsed.map((f) => ({ rule: f.rule_name, file: path.resolve(f.file), line: f.line + 1 }));
}

function drydockFindings(files: string[]): { findings: Located[]; statements: StatementSpan[] } {
  const run = runProcess(process.execPath, [cli, 'check', '--format', 'json', ...files]);
  const report = JSON.parse(run.stdout) as {
    diagnostics: { ruleId: string; file: string; range: { start: { line: number } } }[];
    statements: { file: string; range: { start: { line: number }; end: { line: number } } }[];
  };
  return {
    findings: report.diagnostics.map((d) => ({ rule: d.ruleId, file: path.resolve(d.file), line: d.range.start.line })),
    statements: report.statements.map((s) => ({ file: path.resolve(s.file), start: s.range.start.line, end: s.range.end.line })),
  };
}

/** Findings are compared per statement: the tools point at different parts of one statement (Squawk at the subcommand). */
function byStatement(findings: Located[], statements: StatementSpan[]): Located[] {
  const perFile = new Map<string, StatementSpan[]>();
  for (const s of statements) perFile.set(s.file, [...(perFile.get(s.file) ?? []), s]);
  return findings.map((f) => {
    const holder = (perFile.get(f.file) ?? []).filter((s) => s.start <= f.line && f.line <= s.end).pop();
    return holder ? { ...f, line: holder.start } : f;
  });
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
  const ours_ = drydockFindings(files);
  const squawk = byStatement(squawkFindings(files), ours_.statements);
  const drydock = byStatement(ours_.findings, ours_.statements);
  const ours = new Set(RULES.map((r) => r.id));
  const shared = [...new Set(squawk.map((f) => f.rule))].filter((r) => ours.has(r)).sort();
  const squawkOnlyRules = [...new Set(squawk.map((f) => f.rule))].filter((r) => !ours.has(r)).sort();
  const relative = (file: string) => path.relative(path.resolve(corpus), file);
  console.log(`${files.length} files under ${path.basename(path.resolve(corpus))}: squawk ${squawk.length} findings, drydock ${drydock.length}`);
  console.log(`rule${' '.repeat(46)}squawk  drydock  files squawk>drydock  files drydock>squawk   (compared per statement)`);
  for (const rule of [...shared, ...[...ours].filter((r) => !shared.includes(r) && drydock.some((f) => f.rule === r)).sort()]) {
    const s = countBy(squawk, rule);
    const d = countBy(drydock, rule);
    // Per statement (its first line): where one tool reports more often than the other.
    const extra = (a: Map<string, number[]>, b: Map<string, number[]>) => [...a].flatMap(([file, lines]) => {
      const other = [...(b.get(file) ?? [])];
      const left = lines.filter((l) => {
        const i = other.indexOf(l);
        if (i >= 0) other.splice(i, 1);
        return i < 0;
      });
      return left.length > 0 ? [[file, left] as [string, number[]]] : [];
    });
    const moreSquawk = extra(s, d);
    const moreDrydock = extra(d, s);
    const total = (m: Map<string, number[]>) => [...m.values()].reduce((n, l) => n + l.length, 0);
    console.log(`${rule.padEnd(50)}${String(total(s)).padStart(6)}  ${String(total(d)).padStart(7)}  ${String(moreSquawk.length).padStart(19)}  ${String(moreDrydock.length).padStart(19)}`);
    for (const [file, lines] of moreSquawk.slice(0, EXAMPLES)) console.log(`    squawk only: ${relative(file)}:${lines.join(',')}`);
    for (const [file, lines] of moreDrydock.slice(0, EXAMPLES)) console.log(`    drydock only: ${relative(file)}:${lines.join(',')}`);
  }
  if (squawkOnlyRules.length) console.log(`Squawk rules Drydock has no rule of that name for: ${squawkOnlyRules.join(', ')}`);
}

main();
