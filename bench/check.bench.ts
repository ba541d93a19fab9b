// `drydock check` against Squawk (benchmark, not a test): both tools as whole processes, every rule
// on, on (a) a generated 10,000-statement migration and (b) a real corpus of migrations given as
// an argument or DRYDOCK_BENCH_CORPUS (a folder; only files named like BENCH_ONLY, e.g. up.sql,
// when set). Prints the medians, Drydock's time as a ratio of Squawk's, and peak RSS; and, as a
// second baseline, the bare parser's process (bench/parserFloor.ts): the part no rule adds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedMigration } from './generated';
import { median } from './stats';
import { runProcess, sqlFilesUnder, squawkBinary, type ProcessRun } from './processes';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const floor = path.join(__dirname, 'parserFloor.js');

interface Measured {
  runs: ProcessRun[];
  ms: number;
  cpuMs: number | null;
  peakMiB: number | null;
  findings: number;
}

function summarise(runs: ProcessRun[], countFindings: (stdout: string) => number): Measured {
  const peaks = runs.map((r) => r.peakMiB).filter((p): p is number => p !== null);
  const cpu = runs.map((r) => r.cpuMs).filter((c): c is number => c !== null);
  return { runs, ms: median(runs.map((r) => r.ms)), cpuMs: cpu.length ? median(cpu) : null, peakMiB: peaks.length ? Math.max(...peaks) : null, findings: countFindings(runs[0]!.stdout) };
}

/** Median over rounds of one tool's time over another's in the same round (steadier than a ratio of medians on a busy machine). */
function perRound(a: Measured, b: Measured): number {
  return median(a.runs.map((r, i) => r.ms / b.runs[i]!.ms));
}

function compare(label: string, files: string[]): void {
  const squawk = squawkBinary(root);
  const lines = (stdout: string) => stdout.split('\n').filter((l) => /^\S.*:\d+:\d+: (error|warning|info)/.test(l)).length;
  const tools = {
    squawk: () => runProcess(squawk, ['--reporter', 'gcc', ...files]),
    floor: () => runProcess(process.execPath, [floor, ...files]),
    drydock: () => runProcess(process.execPath, [cli, 'check', '--no-color', ...files]),
  };
  const runs: Record<keyof typeof tools, ProcessRun[]> = { squawk: [], floor: [], drydock: [] };
  for (const run of Object.values(tools)) run(); // warm the file cache
  // Interleaved, so that a busy moment of the machine falls on all three alike.
  for (let round = 0; round < ROUNDS; round++) for (const [name, run] of Object.entries(tools)) runs[name as keyof typeof tools].push(run());
  const baseline = summarise(runs.squawk, lines);
  const parser = summarise(runs.floor, () => 0);
  const drydock = summarise(runs.drydock, lines);
  const mib = (m: Measured) => (m.peakMiB === null ? 'n/a' : `${m.peakMiB.toFixed(0)} MiB`);
  const cpu = (m: Measured) => (m.cpuMs === null ? 'n/a' : `${m.cpuMs.toFixed(0)} ms`);
  console.log(`${label}: ${files.length} file(s), median of ${ROUNDS} whole-process runs of each, interleaved`);
  console.log(`  squawk --reporter gcc (baseline): wall ${baseline.ms.toFixed(0)} ms, cpu ${cpu(baseline)}, peak RSS ${mib(baseline)}, ${baseline.findings} findings`);
  console.log(`  bare parser (load, parse, keep nothing): wall ${parser.ms.toFixed(0)} ms, cpu ${cpu(parser)}, peak RSS ${mib(parser)}`);
  console.log(`  drydock check (every rule):       wall ${drydock.ms.toFixed(0)} ms, cpu ${cpu(drydock)}, peak RSS ${mib(drydock)}, ${drydock.findings} findings`);
  const cpuRatio = drydock.cpuMs !== null && baseline.cpuMs !== null ? `, cpu ${(drydock.cpuMs / baseline.cpuMs).toFixed(2)}x` : '';
  console.log(`  ratio drydock/squawk: wall ${perRound(drydock, baseline).toFixed(2)}x per round${cpuRatio} (target <= 1.5x); drydock peak RSS ${mib(drydock)} (target <= 100 MiB)`);
  console.log(`  ratio bare parser/squawk: wall ${perRound(parser, baseline).toFixed(2)}x per round (what no rule adds); drydock/bare parser: ${perRound(drydock, parser).toFixed(2)}x`);
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-check-bench-'));
  try {
    const file = path.join(dir, 'generated.sql');
    fs.writeFileSync(file, generatedMigration(10_000));
    compare('(a) generated 10,000-statement migration', [file]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const corpus = process.argv[2] ?? process.env.DRYDOCK_BENCH_CORPUS;
  if (!corpus) {
    console.log('(b) real corpus: skipped (pass a migrations folder as the argument or DRYDOCK_BENCH_CORPUS)');
    return;
  }
  const only = process.env.BENCH_ONLY ? new RegExp(`^${process.env.BENCH_ONLY.replace(/[.]/g, '\\.')}$`) : undefined;
  compare(`(b) corpus ${path.basename(path.resolve(corpus))}`, sqlFilesUnder(corpus, only));
}

main();
