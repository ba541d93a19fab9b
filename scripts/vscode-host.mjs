// The offline VS Code extension host both the extension tests and the extension-host bench drive:
// code-server serves the workbench and runs the extension host as a Node process on this machine,
// headless Chromium (driven by playwright-core) opens the workbench with the development and tests
// paths in the workbench's `payload`, and the workbench reports the tests module's result by
// calling window.codeAutomationExit(code), which this module exposes to the page.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { projectRoot } from './extension-test-env.mjs';

const require = createRequire(import.meta.url);
const verbose = Boolean(process.env.DRYDOCK_EXT_TEST_VERBOSE);
// Browser noise that says nothing about the extension.
const NOISE = new RegExp([
  'iframe which has both', 'Failed to load resource', 'service worker', 'connection token', 'Creating a socket',
  'ChatSessionStore', 'additional builtin extensions', 'open-vsx\\.org', 'AI generated workspace trust',
  'refused to show dialog in tests. Contents: Do you trust',
].join('|'), 'i');

/** Installs (or finds cached) code-server and returns its install directory. */
export function installHost() {
  const result = spawnSync('bash', [path.join(projectRoot, 'scripts', 'setup-vscode-host.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`setup-vscode-host.sh failed with ${result.status}`);
  return result.stdout.trim().split('\n').pop();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, server, logFile) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not start:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
}

/** Starts code-server in its own process group (so its extension hosts stop with it). */
export async function startCodeServer(hostDir, scratch, restrictedMode, env) {
  const port = await freePort();
  const logFile = path.join(scratch, 'code-server.log');
  const args = [
    path.join(hostDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--user-data-dir', path.join(scratch, 'user'), '--extensions-dir', path.join(scratch, 'extensions'),
    '--config', path.join(scratch, 'config.yaml'),
    // Workspace trust is on only where the folder is to open in Restricted Mode.
    ...(restrictedMode ? [] : ['--disable-workspace-trust']),
  ];
  const out = fs.openSync(logFile, 'w');
  const server = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...env } });
  fs.closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    process.off('exit', stop);
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  // Also when this script dies early (an exception, Ctrl-C): no code-server left behind.
  process.on('exit', stop);
  try {
    await waitForHealth(url, server, logFile);
  } catch (err) {
    stop();
    throw err;
  }
  return { url, logFile, stop };
}

/**
 * Opens the workbench in headless Chromium with `testsEntry` as the tests module and resolves with
 * the code it exited with, 'timeout', or 'stopped' once `stop` (a promise) settles. `onLine` sees each
 * console line the page prints.
 */
export async function driveWorkbench(serverUrl, extensionPath, folder, { testsEntry, timeoutMs, stop, onLine = (line) => console.log(line) }) {
  const { chromium } = require('playwright-core');
  const host = new URL(serverUrl).host;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${host}${extensionPath}`],
    ['extensionTestsPath', `vscode-remote://${host}${testsEntry}`],
  ];
  const url = `${serverUrl}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
    let finish;
    const exited = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    page.on('console', async (message) => {
      let args = await Promise.all(message.args().map((a) => a.jsonValue().catch(() => String(a))));
      if (typeof args[0] === 'string' && args[0].startsWith('%c')) args = args.slice(2); // log styling
      const line = args.length > 0 ? util.format(...args) : message.text();
      if (verbose || !NOISE.test(line)) onLine(message.type() === 'log' ? line : `[${message.type()}] ${line}`);
    });
    page.on('pageerror', (err) => onLine(`[pageerror] ${err.message}`));
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    void stop?.then(() => finish('stopped'));
    const screenshots = setInterval(() => void captureWhenAsked(page), 200);
    await page.goto(url);
    const code = await exited;
    clearTimeout(timer);
    clearInterval(screenshots);
    return code;
  } finally {
    await browser.close();
  }
}

/**
 * Takes the screenshot a screenshot test requested (request/done files beside the target). A request
 * that names a file (its content: a path ending in .png) goes there, so one run can take several.
 */
async function captureWhenAsked(page) {
  const configured = process.env.DRYDOCK_EXT_SCREENSHOT;
  if (!configured || !fs.existsSync(`${configured}.request`)) return;
  // "<file.png> [x y width height]": where to save it, and the part of the page to keep.
  const [named = '', ...box] = fs.readFileSync(`${configured}.request`, 'utf8').trim().split(/\s+/);
  fs.rmSync(`${configured}.request`);
  const target = named.endsWith('.png') ? named : configured;
  const [x, y, width, height] = box.map(Number);
  const clip = box.length === 4 && [x, y, width, height].every(Number.isFinite) ? { x, y, width, height } : undefined;
  await page.screenshot({ path: target, ...(clip ? { clip } : {}) });
  fs.writeFileSync(`${configured}.done`, '');
  console.log(`screenshot saved to ${target}`);
}

/** Packages the extension and returns the unpacked package's extension/ folder. */
export function unpackedVsix() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-vsix-'));
  const result = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'package-vsix.mjs'), '--unpack', dir], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('packaging the extension failed');
  return path.join(dir, 'extension');
}
