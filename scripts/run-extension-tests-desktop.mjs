// Runs the same extension mocha suite in desktop VS Code through @vscode/test-electron, which
// downloads VS Code from Microsoft's update server: for machines with internet access (and a
// display, or xvfb-run). CI on this project's offline machines uses run-extension-tests.mjs.
//
//   npm run test:desktop                     # both sessions
//   node scripts/run-extension-tests-desktop.mjs untrusted
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { projectRoot, requireBuildOutputs, scratchWorkspace, startTestDatabase, testsEntry } from './extension-test-env.mjs';

const SESSIONS = { main: { restrictedMode: false }, untrusted: { restrictedMode: true } };

async function main() {
  requireBuildOutputs();
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(SESSIONS);
  const db = await startTestDatabase();
  let exitCode = 0;
  try {
    for (const name of names) {
      const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), `drydock-desktop-${name}-`));
      const folder = scratchWorkspace();
      try {
        await runTests({
          version: process.env.DRYDOCK_VSCODE_VERSION ?? 'stable',
          extensionDevelopmentPath: projectRoot,
          extensionTestsPath: testsEntry,
          launchArgs: [folder, '--disable-extensions', '--user-data-dir', userDataDir,
            ...(SESSIONS[name].restrictedMode ? [] : ['--disable-workspace-trust'])],
          extensionTestsEnv: { ...db.env, DRYDOCK_EXT_SUITE: name, DRYDOCK_TEST_USER_DATA_DIR: userDataDir, DRYDOCK_TEST_HOOKS: '1' },
        });
      } catch (err) {
        console.error(`desktop extension tests (${name}) failed: ${err instanceof Error ? err.message : err}`);
        exitCode = 1;
      } finally {
        fs.rmSync(userDataDir, { recursive: true, force: true });
        fs.rmSync(folder, { recursive: true, force: true });
      }
    }
  } finally {
    await db.stop();
  }
  process.exit(exitCode);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
