// Helpers shared by the database-backed tests: one cluster per server under test per file, a fresh
// database per test made from a template that already holds the example schema.
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { Client } from 'pg';
import type { MigrationFile } from '../../src/core/run/runner';
import { serversUnderTest, startPostgres, type PostgresBinaries, type ThrowawayPostgres } from './throwawayPostgres';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const seedApp = path.join(repoRoot, 'examples', 'seed-app');

/**
 * Runs `body` once per server under test (or per `servers` given), each inside its own describe()
 * with a running cluster.
 */
export function describeEachServer(title: string, body: (server: () => ThrowawayPostgres) => void, servers: PostgresBinaries[] = serversUnderTest()): void {
  for (const binaries of servers) {
    describe(`${title} (PostgreSQL ${binaries.major})`, () => {
      let server: ThrowawayPostgres | null = null;
      before(async () => { server = await startPostgres(binaries); });
      after(async () => { await server?.stop(); });
      body(() => {
        if (!server) throw new Error('server not started');
        return server;
      });
    });
  }
}

/** Runs SQL on a database of the server (as the superuser) and returns the rows. */
export async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

const templates = new WeakMap<ThrowawayPostgres, Promise<string>>();

/** A fresh database holding the seed-app schema (cloned from a template made once per cluster). */
export async function seededDatabase(server: ThrowawayPostgres): Promise<string> {
  let template = templates.get(server);
  if (!template) {
    template = (async () => {
      const name = await server.createDatabase();
      await sql(server.url(name), fs.readFileSync(path.join(seedApp, 'schema.sql'), 'utf8'));
      return name;
    })();
    templates.set(server, template);
  }
  return server.createDatabase(await template);
}

/** The five example migrations, in order. */
export function exampleMigrations(): MigrationFile[] {
  const dir = path.join(seedApp, 'migrations');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()
    .map((f) => ({ path: path.join('examples', 'seed-app', 'migrations', f), text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/** A fixture under test/fixtures as a migration file. */
export function fixture(name: string): MigrationFile {
  return { path: `test/fixtures/${name}`, text: fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', name), 'utf8') };
}

/** Everything in the public schema that a migration could change, as one comparable text. */
export async function catalogSnapshot(url: string): Promise<string> {
  const rows = await sql<{ snapshot: string }>(url, `
    SELECT concat_ws(E'\\n',
      (SELECT string_agg(format('%s %s %s', c.relname, c.relkind, c.relpersistence), E'\\n' ORDER BY c.relname)
         FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace),
      (SELECT string_agg(format('%s.%s %s %s %s', a.attrelid::regclass, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)), E'\\n' ORDER BY a.attrelid::regclass::text, a.attnum)
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped),
      (SELECT string_agg(format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)), E'\\n' ORDER BY conrelid::regclass::text, conname)
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace),
      (SELECT string_agg(pg_get_indexdef(indexrelid), E'\\n' ORDER BY indexrelid::regclass::text)
         FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)),
      (SELECT string_agg(format('%s %s %s', tgrelid::regclass, tgname, tgenabled), E'\\n' ORDER BY tgrelid::regclass::text, tgname)
         FROM pg_trigger WHERE NOT tgisinternal),
      (SELECT string_agg(format('%s %s', oid::regprocedure, md5(prosrc)), E'\\n' ORDER BY oid::regprocedure::text)
         FROM pg_proc WHERE pronamespace = 'public'::regnamespace)
    ) AS snapshot`);
  return rows[0]?.snapshot ?? '';
}
