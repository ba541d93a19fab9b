// The bundled CLI (the artefact users get) as a child process with a clean environment: PATH, and
// HOME in the temporary folder unless the test gives its own (the shadow's cache lives under it).
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './database';

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** Runs `dist/cli.js` with these arguments in `cwd` (default: the repository), `env` added to the clean one, `input` on its standard input. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; input?: string | Buffer } = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** Starts `dist/cli.js` as runCli does, and hands over the process too (to signal it while it runs). */
export function startCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; input?: string | Buffer } = {}): { child: ChildProcess; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), ...args], {
    cwd: options.cwd ?? repoRoot, env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...options.env }, stdio: [options.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  // Standard input, when given, is written whole and closed (a command reading `-` reads to its end).
  if (options.input !== undefined) child.stdin!.end(options.input);
  const result = new Promise<CliResult>((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => { stdout += d; });
    child.stderr!.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, result };
}
