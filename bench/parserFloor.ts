// The floor of `drydock check` on this parser (run as its own process by check.bench): Node starts,
// loads the PostgreSQL parser as check does (Liftoff only, small young generation), reads every
// file and parses it as check does (large files in pieces), and keeps nothing. No rule, analysis
// or output: whatever check does beyond this is Drydock's own cost.
import fs from 'node:fs';
import { compileWasmForShortRun } from '../src/cli/baselineWasm';
import { keepYoungGenerationSmall } from '../src/cli/smallYoungGeneration';
import { parseInChunks } from '../src/core/parse/chunkedParse';
import { loadParser, parseSql } from '../src/core/parse/pgParser';

async function main(): Promise<void> {
  compileWasmForShortRun();
  keepYoungGenerationSmall();
  await loadParser();
  let statements = 0;
  for (const file of process.argv.slice(2)) {
    const text = fs.readFileSync(file, 'utf8');
    statements += (parseInChunks(text) ?? parseSql(text)).stmts?.length ?? 0;
  }
  process.stdout.write(`${statements} statements\n`);
}

void main();
