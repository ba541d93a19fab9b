// A language server over stdio on a migrations folder, with a throwaway PostgreSQL database that
// the folder's runs use: what a describe of LSP runs on a real server sets up before its tests and
// removes after them.
import fs from 'node:fs';
import type { WireConnection } from '../../src/server/protocol';
import { writeFolder } from '../core/shadow/folders';
import { sql } from './database';
import { LspTestClient } from './lspClient';
import { startPostgres, type ThrowawayPostgres } from './throwawayPostgres';

export interface LspOnPostgres {
  server: ThrowawayPostgres;
  client: LspTestClient;
  root: string;
  url: string;
  /** The database as a connection the commands take (its password travels in the request, in memory). */
  connection: WireConnection;
}

/** Starts PostgreSQL, runs `setup` in a new database, writes the folder and starts the server on it (no dry-run on save). */
export async function startLspOnPostgres(files: Record<string, string>, setup: readonly string[]): Promise<LspOnPostgres> {
  const server = await startPostgres();
  const url = server.url(await server.createDatabase());
  for (const statement of setup) await sql(url, statement);
  const root = writeFolder(files);
  const client = LspTestClient.start();
  await client.initialize(root, { dryRunOnSave: false });
  return { server, client, root, url, connection: { name: 'dev', settings: { connectionString: url } } };
}

/** Stops what startLspOnPostgres started (any part of it that did start). */
export async function stopLspOnPostgres(started: Partial<LspOnPostgres> | undefined): Promise<void> {
  await started?.client?.stop();
  await started?.server?.stop();
  if (started?.root) fs.rmSync(started.root, { recursive: true, force: true });
}
