// What both extension-test runners (offline code-server host, desktop VS Code) prepare outside the
// editor: a throwaway PostgreSQL whose address reaches the extension host through environment
// variables, and a scratch copy of the fixture workspace the tests may edit freely.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The compiled test entry the extension host loads (its `run()` starts mocha). */
export const testsEntry = path.join(projectRoot, 'out', 'test', 'extension', 'index.js');

/** Fails early, with the command to run, when the build outputs the host needs are missing. */
export function requireBuildOutputs() {
  for (const file of [testsEntry, path.join(projectRoot, 'dist', 'extension.js')]) {
    if (!fs.existsSync(file)) {
      console.error(`extension tests: ${path.relative(projectRoot, file)} is missing; run \`npm run build\` first`);
      process.exit(1);
    }
  }
}

/** Copies test/fixtures/workspace to a temp directory and returns its path. */
export function scratchWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-ext-ws-'));
  fs.cpSync(path.join(projectRoot, 'test', 'fixtures', 'workspace'), dir, { recursive: true });
  return dir;
}

/**
 * Starts a throwaway PostgreSQL and returns the environment variables that describe it to the
 * tests, plus a stop function. The password travels separately so tests can store it as a secret.
 */
export async function startTestDatabase() {
  const { startPostgres } = require(path.join(projectRoot, 'out', 'test', 'support', 'throwawayPostgres.js'));
  const pg = await startPostgres();
  const env = {
    DRYDOCK_TEST_PG_HOST: '127.0.0.1',
    DRYDOCK_TEST_PG_PORT: String(pg.port),
    DRYDOCK_TEST_PG_USER: pg.user,
    DRYDOCK_TEST_PG_PASSWORD: pg.password,
    DRYDOCK_TEST_PG_ADMIN_URL: pg.url('postgres'),
  };
  return { env, label: pg.label, stop: () => pg.stop() };
}
