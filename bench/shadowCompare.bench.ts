// Replays a whole migration history on the PGlite shadow and on PostgreSQL (a scratch database of a
// throwaway server), and compares the schemas both end with: the shadow must build what the server
// builds. The target is a read-only file placed after the last migration; a probe takes the
// schema's fingerprint in the target's transaction.
//   node out/bench/shadowCompare.bench.js <migrations folder> <script name: up.sql | migration.sql | …> [--setup SQL]
// A script name that starts with a dot (.up.sql, .sql) means a folder of migration files with that
// ending (golang-migrate's NNN_x.up.sql, plain NNN_x.sql) instead of a folder per migration.
import fs from 'node:fs';
import path from 'node:path';
import type { ProbeFactory } from '../src/core/run/probes/probe';
import { PgliteShadow } from '../src/core/shadow/pgliteShadow';
import { ScratchDatabaseShadow } from '../src/core/shadow/scratchDatabase';
import type { ShadowHost } from '../src/core/shadow/shadowHost';
import { runShadowDryRun } from '../src/core/shadow/shadowRun';
import { startPostgres } from '../test/support/throwawayPostgres';

// Every schema object outside the system schemas. NOT NULL constraints are left out of
// pg_constraint's part: PostgreSQL 18 lists them there, 17 does not (attnotnull covers both).
const FINGERPRINT = `SELECT concat_ws(E'\\n',
  (SELECT string_agg(format('%s %s', c.relname, c.relkind), E'\\n' ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname !~ '^pg_(toast_)?temp'),
  (SELECT string_agg(format('%s.%s %s %s', a.attrelid::regclass, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull), E'\\n' ORDER BY a.attrelid::regclass::text, a.attnum)
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v', 'm', 'p')),
  (SELECT string_agg(format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)), E'\\n' ORDER BY conrelid::regclass::text, conname)
     FROM pg_constraint WHERE contype <> 'n' AND connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)),
  (SELECT string_agg(pg_get_indexdef(indexrelid), E'\\n' ORDER BY indexrelid::regclass::text) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')),
  (SELECT string_agg(format('%s %s', tgrelid::regclass, tgname), E'\\n' ORDER BY tgrelid::regclass::text, tgname) FROM pg_trigger WHERE NOT tgisinternal),
  (SELECT string_agg(p.oid::regprocedure::text, E'\\n' ORDER BY p.oid::regprocedure::text) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))) AS schema`;

function fingerprintInto(out: { schema?: string }): ProbeFactory {
  return ({ session }) => ({
    name: 'schema-fingerprint',
    after: async () => { out.schema = String((await session.query(FINGERPRINT)).rows[0]?.schema ?? ''); },
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const setupAt = args.indexOf('--setup');
  const setup = setupAt >= 0 ? [args[setupAt + 1]!] : [];
  const [dir, script] = setupAt >= 0 ? args.filter((_, i) => i !== setupAt && i !== setupAt + 1) : args;
  if (!dir || !script) throw new Error('usage: shadowCompare.bench.js <migrations folder> <script name> [--setup SQL]');
  const flat = script.startsWith('.');
  const migrations = flat
    ? fs.readdirSync(dir).filter((n) => n.endsWith(script) && /^\d/.test(n))
    : fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, script)));
  const targetDir = flat ? dir : path.join(dir, `99999999999999_drydock_compare`);
  const absolutePath = path.join(targetDir, flat ? `99999999999999_drydock_compare${script}` : script);
  fs.mkdirSync(targetDir, { recursive: true });
  fs.writeFileSync(absolutePath, 'SELECT 1;\n');
  const server = await startPostgres();
  try {
    const schemas: string[] = [];
    const hosts: [string, ShadowHost][] = [
      [`PostgreSQL ${server.major} (scratch database)`, new ScratchDatabaseShadow({ server: { connectionString: server.url() } })],
      ['PGlite (shadow)', new PgliteShadow({ cacheDir: null })],
    ];
    console.log(`shadow compare: ${migrations.length} migrations in ${dir}`);
    for (const [name, host] of hosts) {
      const out: { schema?: string } = {};
      const t0 = performance.now();
      try {
        const report = await runShadowDryRun([{ path: path.basename(absolutePath), absolutePath, text: 'SELECT 1;\n' }], { host, setup, probes: [fingerprintInto(out)] });
        const failure = report.error ? `: ${report.error.message}` : '';
        console.log(`${name.padEnd(32)} ${report.outcome}, ${report.shadow!.history} ${report.shadow!.tool} migrations replayed in ${(report.shadow!.replayMs / 1000).toFixed(1)} s (whole run ${((performance.now() - t0) / 1000).toFixed(1)} s)${failure}`);
      } finally {
        await host.close();
      }
      schemas.push(out.schema ?? '');
    }
    const [server17, pglite] = schemas.map((s) => s.split('\n'));
    const onlyServer = server17!.filter((l) => !pglite!.includes(l));
    const onlyPglite = pglite!.filter((l) => !server17!.includes(l));
    console.log(`schema: ${server17!.length} catalog lines; only on the server: ${onlyServer.length}, only in PGlite: ${onlyPglite.length}`);
    for (const line of onlyServer.slice(0, 10)) console.log(`  server only: ${line}`);
    for (const line of onlyPglite.slice(0, 10)) console.log(`  PGlite only: ${line}`);
  } finally {
    if (flat) fs.rmSync(absolutePath, { force: true });
    else fs.rmSync(targetDir, { recursive: true, force: true });
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
