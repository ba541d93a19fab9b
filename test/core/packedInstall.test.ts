// The package as users install it: `npm pack`, the tarball installed into a scratch project outside
// the repository with `npm install --offline` (the package declares no dependencies — its bundles
// hold them — so nothing is fetched and no install script runs), then every command through
// `npx drydock`, the way a user or a CI job calls it. What the tarball lacks (templates/, the
// WebAssembly parser, PGlite's files, the shadow's worker) shows up here and nowhere else.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from '../support/database';
import { startPostgres, type ThrowawayPostgres } from '../support/throwawayPostgres';

interface Ran { code: number | null; stdout: string; stderr: string }

// npm itself is run by the node that runs the tests: its npm-cli.js sits next to it in a standard install.
function npmCli(): string {
  const candidates = [path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error('npm-cli.js not found next to node');
  return found;
}

function npxCli(): string {
  return path.join(path.dirname(npmCli()), 'npx-cli.js');
}

let home = '';
let project = '';
let tarball = '';

/** A clean environment: PATH, and HOME (npm's cache and Drydock's shadow cache) in the scratch area. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: home, npm_config_cache: path.join(home, '.npm'), npm_config_update_notifier: 'false', ...extra };
}

function run(script: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  const child = spawn(process.execPath, [script, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `npx drydock ARGS` in the scratch project (--offline: the installed package, never the registry). */
const drydock = (args: readonly string[], env: Record<string, string> = {}) => run(npxCli(), ['--offline', 'drydock', ...args], project, cleanEnv(env));

describe('the packed tarball, installed in a scratch project and run with npx', () => {
  before(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-packed-'));
    const packed = spawnSync(process.execPath, [npmCli(), 'pack', '--ignore-scripts', '--json', '--pack-destination', home], { cwd: repoRoot, env: cleanEnv(), encoding: 'utf8' });
    assert.equal(packed.status, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(home, info!.filename);
    project = path.join(home, 'project');
    fs.mkdirSync(path.join(project, 'db', 'migrations'), { recursive: true });
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
    fs.writeFileSync(path.join(project, 'db', 'migrations', '001_users.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n');
    fs.writeFileSync(path.join(project, 'db', 'migrations', '002_users_email.sql'), 'CREATE INDEX users_email ON users (email);\n');
    const installed = await run(npmCli(), ['install', '--offline', '--no-audit', '--no-fund', tarball], project, cleanEnv());
    assert.equal(installed.code, 0, installed.stdout + installed.stderr);
    // No install script of the package's own: npm 11 would hold it back for approval.
    assert.doesNotMatch(installed.stderr, /install-scripts/);
  });
  after(() => {
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  test('the tarball holds the bundles and what they load, and no source, tests or dependencies to install', () => {
    const list = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' }).stdout.split('\n');
    for (const needed of ['package/dist/cli.js', 'package/dist/server.js', 'package/dist/shadowWorker.js', 'package/dist/libpg-query.wasm',
      'package/dist/pglite/pglite.wasm', 'package/templates/index.up.sql', 'package/schemas/drydock.schema.json']) {
      assert.ok(list.includes(needed), `${needed} is packed`);
    }
    assert.deepEqual(list.filter((f) => /^package\/(src|test|out|bench|scripts|node_modules)\//.test(f)), []);
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'pg-drydock', 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), []);
    const scripts = manifest.scripts ?? {};
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(scripts[hook], undefined, `no ${hook} script`);
  });

  test('check and rules run from the installed package (the WebAssembly parser found next to the bundle)', async () => {
    const checked = await drydock(['check', 'db/migrations']);
    assert.equal(checked.code, 1, checked.stderr);
    assert.match(checked.stdout, /002_users_email\.sql:1:1: error: .*\[require-concurrent-index-creation\]/);
    const rules = await drydock(['rules', '--json']);
    assert.equal(rules.code, 0, rules.stderr);
    assert.ok((JSON.parse(rules.stdout) as unknown[]).length > 10);
  });

  test('new finds its templates inside the installed package', async () => {
    const written = await drydock(['new', 'index', '--table', 'users', '--columns', 'email', '--json']);
    assert.equal(written.code, 0, written.stdout + written.stderr);
    const files = (JSON.parse(written.stdout) as { files: string[] }).files;
    assert.ok(files.length > 0);
    assert.ok(files.some((f) => /CREATE INDEX CONCURRENTLY/.test(fs.readFileSync(path.resolve(project, f), 'utf8'))), files.join(', '));
    for (const f of files) fs.rmSync(path.resolve(project, f), { force: true });
  });

  test('dry-run --shadow and audit replay the history in PGlite from the installed package', async () => {
    const dry = await drydock(['dry-run', '--shadow', 'db/migrations/002_users_email.sql']);
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.match(dry.stdout, /succeeded, rolled back/);
    assert.match(dry.stdout, /1 earlier .*migration\(s\) applied first/);
    const audit = await drydock(['audit', 'db/migrations']);
    assert.notEqual(audit.code, 2, audit.stdout + audit.stderr);
    assert.match(audit.stdout, /002_users_email/);
  });

  describe('on a real PostgreSQL', () => {
    let server: ThrowawayPostgres;
    before(async () => { server = await startPostgres(); });
    after(async () => { await server.stop(); });

    test('apply then verify, and the language server answers initialize', async () => {
      const db = server.url(await server.createDatabase());
      const applied = await drydock(['apply', '--yes', '--db', db, 'db/migrations']);
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);
      const verified = await drydock(['verify', '--db', db, 'db/migrations']);
      assert.equal(verified.code, 0, verified.stdout + verified.stderr);
      assert.doesNotMatch(verified.stdout + verified.stderr, new RegExp(server.password));
      const lsp = spawn(process.execPath, [npxCli(), '--offline', 'drydock', 'lsp', '--stdio'], { cwd: project, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
      lsp.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      const answer = await new Promise<string>((resolve) => {
        let out = '';
        lsp.stdout.on('data', (d) => {
          out += d;
          if (/"id":1/.test(out) && /"capabilities"/.test(out)) resolve(out);
        });
        lsp.on('close', () => resolve(out));
      });
      lsp.kill();
      assert.match(answer, /"capabilities"/);
    });
  });
});
