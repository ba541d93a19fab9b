// `npm run demo`: starts a throwaway PostgreSQL from the project's own dependencies, loads the
// example schema, dry-runs then applies the five example migrations, prints the reports, and
// finally shows a failure explained (duplicate rows seeded into a fresh copy).
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { formatReport } from '../src/core/output/text';
import { runMigrations } from '../src/core/run/runner';
import { exampleMigrations, seedApp } from '../test/support/database';
import { startPostgres } from '../test/support/throwawayPostgres';
import { pgBackend } from '../src/core/db/pg/pgBackend';

async function exec(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const color = process.stdout.isTTY === true;
  console.log('Starting a throwaway PostgreSQL…');
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
      console.log(formatReport(report, color), '\n');
    }
    const dirty = server.url(await server.createDatabase());
    await exec(dirty, schema);
    await exec(dirty, `INSERT INTO user_profiles (email) VALUES ('ada@example.com');
      INSERT INTO conversation_sessions (user_id) SELECT id FROM user_profiles;
      INSERT INTO conversation_messages (session_id, message_order, role, content)
      SELECT s.id, o, 'user', 'hello' FROM conversation_sessions s, (VALUES (1), (2), (2)) v(o);`);
    console.log('And a failure explained: duplicate (session_id, message_order) rows seeded, then a dry-run:\n');
    const failed = await runMigrations(exampleMigrations(), { mode: 'dry-run', backend: pgBackend({ connectionString: dirty }) });
    console.log(formatReport(failed, color));
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
