// Runs the extension's mocha suite inside a real VS Code extension host, offline and headless
// (code-server + headless Chromium: scripts/vscode-host.mjs).
//
// Two host sessions run against one throwaway PostgreSQL: "main", where the folder is trusted
// (workspace trust disabled), and "untrusted", where it opens in Restricted Mode. Exits with the
// first failure.
//
//   node scripts/run-extension-tests.mjs [--vsix] [main|untrusted ...]
// --vsix: package the extension with vsce and run the tests against the unpacked package (what a
// user installs: the bundle and its wasm, no node_modules) instead of the working tree.
// Env: DRYDOCK_EXT_TEST_TIMEOUT_MS (default 900000 per session: a safety net, the suite grew past 300 s on a loaded 2-core machine), DRYDOCK_EXT_TEST_VERBOSE=1,
// DRYDOCK_EXT_TEST_GREP (mocha grep), DRYDOCK_EXT_TEST_FILES (parts of test file names, comma-separated),
// DRYDOCK_EXT_SCREENSHOT=<file.png> (the screenshot test asks this script, which owns the browser, to
// capture the workbench into that file).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot, requireBuildOutputs, scratchWorkspace, startTestDatabase, testsEntry } from './extension-test-env.mjs';
import { driveWorkbench, installHost, startCodeServer, unpackedVsix } from './vscode-host.mjs';

const SESSIONS = { main: { restrictedMode: false }, untrusted: { restrictedMode: true } };
const timeoutMs = Number(process.env.DRYDOCK_EXT_TEST_TIMEOUT_MS || 900_000);

async function runSession(name, hostDir, extensionPath, dbEnv) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `drydock-ext-${name}-`));
  const folder = scratchWorkspace();
  try {
    const { restrictedMode } = SESSIONS[name];
    console.log(`\n== extension tests: ${name} session (${restrictedMode ? 'Restricted Mode' : 'trusted folder'}) ==`);
    const server = await startCodeServer(hostDir, scratch, restrictedMode, {
      ...dbEnv, DRYDOCK_EXT_SUITE: name, DRYDOCK_TEST_USER_DATA_DIR: path.join(scratch, 'user'),
      // The language server's test hook (a request that holds its thread, for the hang test).
      DRYDOCK_TEST_HOOKS: '1',
    });
    let code;
    try {
      code = await driveWorkbench(server.url, extensionPath, folder, { testsEntry, timeoutMs });
    } finally {
      server.stop();
    }
    if (code === 'timeout') {
      console.error(`extension tests (${name}) timed out after ${timeoutMs} ms`);
      code = 124;
    }
    if (code !== 0) console.error(`--- code-server log (last lines) ---\n${fs.readFileSync(server.logFile, 'utf8').slice(-3000)}`);
    return code;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function main() {
  requireBuildOutputs();
  const args = process.argv.slice(2);
  const fromVsix = args.includes('--vsix');
  const wanted = args.filter((a) => a !== '--vsix');
  const names = wanted.length > 0 ? wanted : Object.keys(SESSIONS);
  for (const name of names) if (!(name in SESSIONS)) throw new Error(`unknown session "${name}"`);
  const hostDir = installHost();
  const extensionPath = fromVsix ? unpackedVsix() : projectRoot;
  console.log(`extension under test: ${fromVsix ? 'the packaged .vsix' : 'the working tree'}`);
  const db = await startTestDatabase();
  let exitCode = 0;
  try {
    for (const name of names) {
      const code = await runSession(name, hostDir, extensionPath, db.env);
      console.log(`extension tests (${name}) exit code: ${code}`);
      if (code !== 0 && exitCode === 0) exitCode = typeof code === 'number' ? code : 1;
    }
  } finally {
    await db.stop();
    if (fromVsix) fs.rmSync(path.dirname(extensionPath), { recursive: true, force: true });
  }
  process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
