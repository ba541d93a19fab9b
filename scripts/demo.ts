// `npm run demo`: first the main job with nothing but Node — the example history dry-run on the
// shadow (PGlite, in this process): the schema and the four earlier migrations replayed as
// committed migrations, then the last one dry-run. Then the server-based demo: a throwaway
// PostgreSQL from the project's own dependencies, the example schema loaded, the five example
// migrations dry-run then applied, and a failure explained (duplicate rows seeded into a fresh copy).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { formatReport } from '../src/core/output/text';
import { runMigrations } from '../src/core/run/runner';
import { exampleMigrations, seedApp } from '../test/support/database';
import { startPostgres } from '../test/support/throwawayPostgres';
import { pgBackend } from '../src/core/db/pg/pgBackend';
import { PgliteShadow } from '../src/core/shadow/pgliteShadow';
import { runShadowDryRun } from '../src/core/shadow/shadowRun';

async function exec(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The example history as a plain numbered folder (the schema as its first migration) in a temp dir. */
function exampleHistory(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-demo-'));
  fs.copyFileSync(path.join(seedApp, 'schema.sql'), path.join(dir, '000_schema.sql'));
  for (const file of exampleMigrations()) fs.writeFileSync(path.join(dir, path.basename(file.path)), file.text);
  return dir;
}

async function shadowDemo(color: boolean): Promise<void> {
  const dir = exampleHistory();
  const shadow = new PgliteShadow({ cacheDir: null });
  try {
    const last = exampleMigrations().at(-1)!;
    const absolutePath = path.join(dir, path.basename(last.path));
    console.log(`Dry-run of ${path.basename(last.path)} on the shadow (PGlite, in this process; no server):\n`);
    const report = await runShadowDryRun([{ path: path.basename(last.path), absolutePath, text: last.text }], { host: shadow, displayPath: (p) => path.basename(p) });
    console.log(formatReport(report, color), '\n');
  } finally {
    await shadow.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const color = process.stdout.isTTY === true;
  await shadowDemo(color);
  console.log('Then the same migrations on a real server. Starting a throwaway PostgreSQL…');
  const server = await startPostgres();
  try {
    const schema = fs.readFileSync(path.join(seedApp, 'schema.sql'), 'utf8');
    const database = await server.createDatabase();
    const url = server.url(database);
    await exec(url, schema);
    const connection = { connectionString: url };
    console.log(`PostgreSQL ${server.major} on port ${server.port}, example schema loaded.\n`);
    for (const mode of ['dry-run', 'apply'] as const) {
      const report = await runMigrations(exampleMigrations(), { mode, backend: pgBackend(connection) });
      // The apply runs the same files: its findings are the dry-run's, counted instead of listed again.
      if (mode === 'apply') console.log('The same files applied (the findings are the dry-run\'s, so only counted):\n');
      console.log(formatReport(report, color, { findings: mode === 'apply' ? 'counted' : 'listed' }), '\n');
    }
    const dirty = server.url(await server.createDatabase());
    await exec(dirty, schema);
    await exec(dirty, `INSERT INTO user_profiles (email) VALUES ('ada@example.com');
      INSERT INTO conversation_sessions (user_id) SELECT id FROM user_profiles;
      INSERT INTO conversation_messages (session_id, message_order, role, content)
      SELECT s.id, o, 'user', 'hello' FROM conversation_sessions s, (VALUES (1), (2), (2)) v(o);`);
    console.log('And a failure explained: duplicate (session_id, message_order) rows seeded, then a dry-run:\n');
    const failed = await runMigrations(exampleMigrations(), { mode: 'dry-run', backend: pgBackend({ connectionString: dirty }) });
    console.log(formatReport(failed, color, { findings: 'counted' }));
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
