// psql, the reference every faithfulness test compares Drydock with: the same files applied by
// PostgreSQL's own client in one session (`-1`: one transaction), stopping at the first error.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const CANDIDATES = ['/usr/bin/psql', ...['18', '17', '16', '15', '14', '13'].map((v) => `/usr/lib/postgresql/${v}/bin/psql`)];

/** The psql binary of this machine (Debian's postgresql-client). */
export function psqlBinary(): string {
  const found = CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) throw new Error('psql is not installed (apt-get install postgresql-client): the faithfulness tests compare Drydock with it');
  return found;
}

export interface PsqlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Applies files with psql in one session; `singleTransaction` wraps them all in one transaction
 * (psql -1); `verbosity: 'sqlstate'` makes errors print as `ERROR:  <SQLSTATE>`.
 */
export function psqlFiles(url: string, files: readonly string[], options: { singleTransaction: boolean; verbosity?: 'default' | 'sqlstate' }): Promise<PsqlResult> {
  const args = [
    '--no-psqlrc', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', `VERBOSITY=${options.verbosity ?? 'default'}`,
    ...(options.singleTransaction ? ['-1'] : []), '-d', url, ...files.flatMap((f) => ['-f', f]),
  ];
  return new Promise((resolve) => {
    const child = spawn(psqlBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', PGCONNECT_TIMEOUT: '10' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
