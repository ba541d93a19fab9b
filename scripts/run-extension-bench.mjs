// The extension host's event loop while Drydock works (bench/extensionHost/eventLoop.ts), measured
// inside a real extension host (code-server + headless Chromium, scripts/vscode-host.mjs). Writes
// the bench workspace, runs the bench as the host's tests module, and prints its figures as a table.
//
//   node scripts/run-extension-bench.mjs [--vsix] [--history <migrations folder> [--history-label <text>]]
// --history: the long history for (c) (e.g. Lemmy's 342-migration diesel folder); without it, a
// generated 300-migration history. The host is given DRYDOCK_BENCH_FROZEN_S (default 120) seconds to
// come back from (d); a host that does not is reported as frozen.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { projectRoot } from './extension-test-env.mjs';
import { driveWorkbench, installHost, startCodeServer, unpackedVsix } from './vscode-host.mjs';

const require = createRequire(import.meta.url);
const benchEntry = path.join(projectRoot, 'out', 'bench', 'extensionHost', 'eventLoop.js');
const frozenAfterMs = Number(process.env.DRYDOCK_BENCH_FROZEN_S || 120) * 1000;
const timeoutMs = Number(process.env.DRYDOCK_BENCH_TIMEOUT_MS || 900_000);

const { values } = parseArgs({ options: { vsix: { type: 'boolean' }, history: { type: 'string' }, 'history-label': { type: 'string' } } });

function write(root, relative, text) {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** A generated history of `count` migrations (tables, indexes, columns, a view now and then). */
function writeGeneratedHistory(root, count) {
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(4, '0');
    const lines = [`CREATE TABLE t${i} (id bigint PRIMARY KEY, a int, note text, created_at timestamptz DEFAULT now());`,
      `CREATE INDEX t${i}_a ON t${i} (a);`];
    if (i > 1) lines.push(`ALTER TABLE t${i - 1} ADD COLUMN t${i}_id bigint REFERENCES t${i} (id);`);
    if (i % 10 === 0) lines.push(`CREATE VIEW v${i} AS SELECT id, a FROM t${i} WHERE a > 0;`);
    write(root, `history/migrations/${n}_step.sql`, `${lines.join('\n')}\n`);
  }
  return { target: `history/migrations/${String(count).padStart(4, '0')}_step.sql`, label: `a generated ${count}-migration history` };
}

/** The last migration of a copied history folder, in name order (diesel's <version>/up.sql included). */
function copyHistory(root, source) {
  fs.cpSync(source, path.join(root, 'history', 'migrations'), { recursive: true });
  const entries = fs.readdirSync(source).sort();
  const last = entries[entries.length - 1];
  const target = fs.statSync(path.join(source, last)).isDirectory() ? `${last}/up.sql` : last;
  const count = entries.length;
  return { target: `history/migrations/${target}`, label: values['history-label'] ?? `a ${count}-migration history (${path.basename(path.dirname(source))})` };
}

function benchWorkspace() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-bench-ws-'));
  const { generatedMigration } = require(path.join(projectRoot, 'out', 'bench', 'generated.js'));
  // (a): 1,000 lines (500 statements, each after a comment line).
  write(root, 'edit/migrations/0001_big.sql', generatedMigration(500));
  // (b) and the run after (d): a short history on the shadow.
  write(root, 'saves/migrations/001_users.sql', 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n');
  write(root, 'saves/migrations/002_projects.sql', 'CREATE TABLE projects (id bigint PRIMARY KEY, owner_id bigint REFERENCES users (id));\n');
  write(root, 'saves/migrations/003_index.sql', 'CREATE INDEX projects_owner ON projects (owner_id);\n');
  write(root, 'loop/migrations/001_table.sql', 'CREATE TABLE spin (id int);\n');
  write(root, 'loop/migrations/002_forever.sql', 'DO $$ BEGIN LOOP END LOOP; END $$;\n');
  write(root, 'notes.txt', 'Opened before measuring: the first document activates VS Code\'s onLanguage extensions.\n');
  const history = values.history ? copyHistory(root, path.resolve(values.history)) : writeGeneratedHistory(root, 300);
  // Lemmy's runner holds advisory lock 0, which one of its migrations checks for.
  write(root, '.vscode/settings.json', JSON.stringify({ 'files.autoSave': 'off', 'drydock.shadowSetup': ['SELECT pg_advisory_lock(0)'] }, null, 2));
  const layout = {
    bigFile: 'edit/migrations/0001_big.sql', warmUpFile: 'notes.txt', saveFile: 'saves/migrations/003_index.sql', loopFile: 'loop/migrations/002_forever.sql',
    historyTarget: history.target, historyLabel: history.label,
  };
  return { root, layout };
}

function printTable(rows, rss, frozen, turns) {
  const profiled = turns.size > 0;
  console.log(`\n| scenario | max delay | p99 delay |${profiled ? ' longest busy stretch | longest busy stretch with Drydock code |' : ''} took | outcome |\n|---|---|---|${profiled ? '---|---|' : ''}---|---|`);
  for (const [name, max, p99, took, outcome] of rows) {
    const [longest, withDrydock] = turns.get(name) ?? [];
    const profile = profiled ? ` ${longest ?? '—'} ms | ${withDrydock ?? '—'} ms |` : '';
    console.log(`| ${name} | ${max} ms | ${p99} ms |${profile} ${took} s | ${outcome} |`);
  }
  if (frozen) console.log(`| (d) endless DO loop dry-run, cancelled after 3 s | ≥ ${frozenAfterMs / 1000} s (host frozen) | — | — | the extension host did not turn again within ${frozenAfterMs / 1000} s |`);
  console.log(`\nextension host RSS: ${rss.map(([when, mib]) => `${when} ${mib} MiB`).join('; ')}`);
}

async function main() {
  if (!fs.existsSync(benchEntry)) {
    console.error('run-extension-bench: out/bench/extensionHost/eventLoop.js is missing; run `npm run build` first');
    process.exit(1);
  }
  const hostDir = installHost();
  const extensionPath = values.vsix ? unpackedVsix() : projectRoot;
  const { root, layout } = benchWorkspace();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-bench-host-'));
  const rows = [];
  const rss = [];
  /** With DRYDOCK_BENCH_PROFILE_DIR: per scenario, the longest busy stretch of the thread and the longest one that ran Drydock's code. */
  const turns = new Map();
  let endless;
  const frozen = new Promise((resolve) => (endless = resolve));
  let loopStarted = false;
  const onLine = (line) => {
    const [kind, ...fields] = line.split('\t');
    if (kind === 'eventloop-bench') rows.push(fields);
    else if (kind === 'eventloop-bench-turns') turns.set(fields[0], fields.slice(1));
    else if (kind === 'eventloop-bench-rss') rss.push(fields);
    else if (kind === 'eventloop-bench-note' && fields[0]?.startsWith('(d) starting')) {
      loopStarted = true;
      setTimeout(endless, frozenAfterMs).unref();
    }
    if (kind.startsWith('eventloop-bench') || process.env.DRYDOCK_EXT_TEST_VERBOSE) console.log(line);
  };
  let code;
  try {
    const server = await startCodeServer(hostDir, scratch, false, { DRYDOCK_BENCH_LAYOUT: JSON.stringify(layout) });
    try {
      code = await driveWorkbench(server.url, extensionPath, root, { testsEntry: benchEntry, timeoutMs, stop: frozen, onLine });
    } finally {
      server.stop();
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
    if (values.vsix) fs.rmSync(path.dirname(extensionPath), { recursive: true, force: true });
  }
  const hung = code === 'stopped' && loopStarted && rows.length < 4;
  printTable(rows, rss, hung, turns);
  process.exit(code === 0 || hung ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
