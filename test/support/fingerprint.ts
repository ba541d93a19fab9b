// What a run could change on a server, as comparable text: the adversarial and property tests take
// it before and after a run and require it unchanged (dry-run, shadow) or changed all-or-nothing
// (apply). Two parts: the database's own content (catalog of every non-system schema, every row,
// sequence positions) and the cluster around it (roles and memberships, role and database
// settings, databases, tablespaces, ALTER SYSTEM's file, advisory locks, locks of other sessions,
// prepared transactions, replication slots, shared comments). What PostgreSQL itself changes on
// a rolled-back transaction (statistics, relpages/reltuples, relhasindex) is left out: README's
// Known limits list those.
import { Client } from 'pg';

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'`;

/** Queries whose text results, in order, describe one database's content. */
const DATABASE_PARTS: Record<string, string> = {
  schemas: `SELECT string_agg(n.nspname || ' ' || n.nspowner::regrole::text, E'\\n' ORDER BY n.nspname) FROM pg_namespace n WHERE ${USER_SCHEMAS}`,
  relations: `SELECT string_agg(format('%s.%s %s %s %s', n.nspname, c.relname, c.relkind, c.relpersistence, c.relowner::regrole), E'\\n' ORDER BY n.nspname, c.relname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS}`,
  columns: `SELECT string_agg(format('%s.%s %s %s %s', a.attrelid::regclass, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)), E'\\n' ORDER BY a.attrelid::regclass::text, a.attnum)
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE ${USER_SCHEMAS} AND a.attnum > 0 AND NOT a.attisdropped`,
  constraints: `SELECT string_agg(format('%s %s %s %s', conrelid::regclass, conname, convalidated, pg_get_constraintdef(c.oid)), E'\\n' ORDER BY conrelid::regclass::text, conname)
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE ${USER_SCHEMAS}`,
  indexes: `SELECT string_agg(format('%s %s', pg_get_indexdef(i.indexrelid), i.indisvalid), E'\\n' ORDER BY i.indexrelid::regclass::text)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS}`,
  triggers: `SELECT string_agg(format('%s %s %s', tgrelid::regclass, tgname, tgenabled), E'\\n' ORDER BY tgrelid::regclass::text, tgname) FROM pg_trigger WHERE NOT tgisinternal`,
  functions: `SELECT string_agg(format('%s %s', p.oid::regprocedure, md5(coalesce(p.prosrc, ''))), E'\\n' ORDER BY p.oid::regprocedure::text)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMAS}`,
  types: `SELECT string_agg(format('%s %s', t.oid::regtype, t.typtype), E'\\n' ORDER BY t.oid::regtype::text)
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE ${USER_SCHEMAS} AND t.typtype IN ('e', 'd', 'c', 'r', 'm') AND t.typrelid = 0`,
  enumValues: `SELECT string_agg(format('%s %s %s', enumtypid::regtype, enumsortorder, enumlabel), E'\\n' ORDER BY enumtypid::regtype::text, enumsortorder) FROM pg_enum`,
  extensions: `SELECT string_agg(extname || ' ' || extversion, E'\\n' ORDER BY extname) FROM pg_extension`,
  policies: `SELECT string_agg(format('%s %s', polrelid::regclass, polname), E'\\n' ORDER BY polrelid::regclass::text, polname) FROM pg_policy`,
  comments: `SELECT string_agg(format('%s %s %s %s', classoid::regclass, objoid, objsubid, md5(description)), E'\\n' ORDER BY classoid::regclass::text, objoid, objsubid)
    FROM pg_description WHERE objoid >= 16384`,
  grants: `SELECT string_agg(format('%s %s', c.oid::regclass, c.relacl), E'\\n' ORDER BY c.oid::regclass::text)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS} AND c.relacl IS NOT NULL`,
  largeObjects: `SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_largeobject_metadata`,
};

/** The cluster around every database: shared catalogs and server-wide state. */
const CLUSTER_PARTS: Record<string, string> = {
  roles: `SELECT string_agg(format('%s %s %s %s %s %s %s %s', rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolconnlimit), E'\\n' ORDER BY rolname) FROM pg_roles`,
  memberships: `SELECT string_agg(format('%s %s %s', roleid::regrole, member::regrole, admin_option), E'\\n' ORDER BY roleid::regrole::text, member::regrole::text) FROM pg_auth_members`,
  roleAndDatabaseSettings: `SELECT string_agg(format('%s %s %s', coalesce(d.datname, '*'), coalesce(r.rolname, '*'), s.setconfig), E'\\n' ORDER BY 1)
    FROM pg_db_role_setting s LEFT JOIN pg_database d ON d.oid = s.setdatabase LEFT JOIN pg_roles r ON r.oid = s.setrole`,
  databases: `SELECT string_agg(format('%s %s %s %s %s', datname, datdba::regrole, datallowconn, datconnlimit, datacl), E'\\n' ORDER BY datname) FROM pg_database`,
  tablespaces: `SELECT string_agg(format('%s %s %s', spcname, spcowner::regrole, spcacl), E'\\n' ORDER BY spcname) FROM pg_tablespace`,
  sharedComments: `SELECT string_agg(format('%s %s %s', classoid::regclass, objoid, md5(description)), E'\\n' ORDER BY 1) FROM pg_shdescription`,
  systemSettings: `SELECT string_agg(format('%s %s %s', sourcefile, name, setting), E'\\n' ORDER BY sourcefile, seqno) FROM pg_file_settings`,
  preparedTransactions: `SELECT string_agg(format('%s %s %s', gid, owner, database), E'\\n' ORDER BY gid) FROM pg_prepared_xacts`,
  replicationSlots: `SELECT string_agg(format('%s %s %s', slot_name, slot_type, database), E'\\n' ORDER BY slot_name) FROM pg_replication_slots`,
  advisoryLocks: `SELECT string_agg(format('%s %s %s %s', classid, objid, objsubid, mode), E'\\n' ORDER BY 1) FROM pg_locks WHERE locktype = 'advisory'`,
  // Held by other client sessions' transactions or by prepared transactions (no pid). A session
  // that just closed may still be listed while its backend exits (it holds no transaction), and
  // autovacuum's workers come and go: neither is something a run left behind.
  otherSessionsLocks: `SELECT string_agg(format('%s %s %s', l.locktype, coalesce(l.relation::regclass::text, ''), l.mode), E'\\n' ORDER BY 1)
    FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.pid IS DISTINCT FROM pg_backend_pid() AND l.locktype NOT IN ('virtualxid', 'transactionid', 'advisory') AND (l.pid IS NULL OR (a.xact_start IS NOT NULL AND a.backend_type = 'client backend'))`,
  otherTransactions: `SELECT string_agg(format('%s %s', datname, state), E'\\n' ORDER BY 1) FROM pg_stat_activity
    WHERE pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL`,
};

/** Runs one query and returns its rows: a pg client, a Drydock session (PGlite), anything that answers SQL. */
export type Querier = (sql: string) => Promise<Record<string, unknown>[]>;

/** Every row of every user table, as md5 per table (ordered by the row's text, so physical order does not count). */
async function dataPart(query: Querier): Promise<string> {
  const tables = await query(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_SCHEMAS} AND c.relkind IN ('r', 'p', 'm', 'S') ORDER BY 1`);
  const lines: string[] = [];
  for (const { name, kind } of tables) {
    const sql = kind === 'S'
      ? `SELECT format('%s %s', last_value, is_called) AS v FROM ${String(name)}`
      : `SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS v FROM ${String(name)} t`;
    const [row] = await query(sql);
    lines.push(`${String(name)} ${String(row?.v ?? '')}`);
  }
  return lines.join('\n');
}

async function parts(query: Querier, queries: Record<string, string>): Promise<string[]> {
  const out: string[] = [];
  for (const [name, sql] of Object.entries(queries)) {
    const [row] = await query(`SELECT (${sql}) AS v`);
    out.push(`## ${name}\n${String(row?.v ?? '')}`);
  }
  return out;
}

/** The fingerprint through any querier; `cluster: false` leaves out the cluster part. */
export async function fingerprintWith(query: Querier, options: { cluster?: boolean } = {}): Promise<string> {
  const out = await parts(query, DATABASE_PARTS);
  out.push(`## data\n${await dataPart(query)}`);
  if (options.cluster !== false) out.push(...await parts(query, CLUSTER_PARTS));
  return out.join('\n');
}

async function withClient<T>(url: string, body: (query: Querier) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await body(async (sql) => (await client.query(sql)).rows as Record<string, unknown>[]);
  } finally {
    await client.end();
  }
}

/** A fingerprint of one database's content and of the cluster around it (connecting as `url`, a superuser). */
export function fingerprint(url: string, options: { cluster?: boolean } = {}): Promise<string> {
  return withClient(url, (query) => fingerprintWith(query, options));
}

/** Only the cluster part: roles, settings, databases, tablespaces, slots, prepared transactions, locks. */
export function clusterFingerprint(url: string): Promise<string> {
  return withClient(url, async (query) => (await parts(query, CLUSTER_PARTS)).join('\n'));
}

/** The first differing line of two fingerprints, for assertion messages. */
export function fingerprintDiff(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let section = '';
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]?.startsWith('## ')) section = a[i]!;
    if (a[i] !== b[i]) return `${section}: before ${JSON.stringify(a[i] ?? null)}, after ${JSON.stringify(b[i] ?? null)}`;
  }
  return 'identical';
}
