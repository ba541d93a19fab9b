// Entry point the VS Code extension host loads (`extensionTestsPath`): runs one mocha suite in
// this process, where `vscode` is the real API. DRYDOCK_EXT_SUITE picks the folder: "main"
// (workspace trusted) or "untrusted" (Restricted Mode). The last line printed is the plain summary
// `N passed, N failed`; a run in which no test ran fails. DRYDOCK_EXT_TEST_FILES (comma-separated
// parts of file names, e.g. "12-quick,13-hover") runs only those files, for iterating on one.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

const SUITE_FOLDERS: Record<string, string> = { main: 'suite', untrusted: 'untrusted' };

/** Called by VS Code once the development extension is loaded; rejects when any test failed. */
export async function run(): Promise<void> {
  const suite = process.env.DRYDOCK_EXT_SUITE ?? 'main';
  const folder = SUITE_FOLDERS[suite];
  if (!folder) throw new Error(`unknown DRYDOCK_EXT_SUITE "${suite}"`);
  const dir = path.join(__dirname, folder);
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  if (process.env.DRYDOCK_EXT_TEST_GREP) mocha.grep(process.env.DRYDOCK_EXT_TEST_GREP);
  const only = (process.env.DRYDOCK_EXT_TEST_FILES ?? '').split(',').filter((p) => p !== '');
  const chosen = (file: string) => only.length === 0 || only.some((p) => file.includes(p));
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js') && chosen(f)).sort()) {
    mocha.addFile(path.join(dir, file));
  }
  const { passed, failed } = await new Promise<{ passed: number; failed: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? 0 }));
  });
  console.log(`${passed} passed, ${failed} failed`);
  if (passed + failed === 0) throw new Error(`no extension tests ran in ${folder}/`);
  if (failed > 0) throw new Error(`${failed} extension test(s) failed`);
}
