// Migration files written by a test into a scratch folder of its own, removed when the test file ends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import type { MigrationFile } from '../../src/core/run/runner';

/** Writes files (name → SQL) into a fresh folder per call under the test file's scratch folder. */
export type MigrationWriter = (files: Record<string, string>, folder?: string) => MigrationFile[];

/** A writer whose scratch folder (prefixed `drydock-<prefix>-`) is removed after the test file. */
export function scratchMigrations(prefix: string): MigrationWriter {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `drydock-${prefix}-`));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));
  return (files, folder = 'case') => {
    const dir = fs.mkdtempSync(path.join(scratch, `${folder}-`));
    return Object.entries(files).map(([name, text]) => {
      fs.writeFileSync(path.join(dir, name), text);
      return { path: path.join(dir, name), text };
    });
  };
}
