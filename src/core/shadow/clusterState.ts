// The state a server shares between its databases, as rows that can be compared: roles,
// memberships, role and database settings, databases, tablespaces, shared comments and security
// labels, replication slots and origins, subscriptions, parameter privileges, prepared
// transactions. Each row says which roles and which database it belongs to, so a change can be
// told to be the run's own (its roles, its scratch database) or not.
import type { Session } from '../db/backend';

/** One row of the shared state. */
export interface ClusterRow {
  kind: string;
  /** What the row is about, stable across changes of its value (an oid, a name). */
  key: string;
  value: string;
  /** The row in words, for messages ("settings of role dev in every database"). */
  label: string;
  /** Roles (oids) the row belongs to: dropping any of them removes it. */
  roles: number[];
  /** The database (oid) the row belongs to, 0 for none: dropping it removes the row. */
  database: number;
}

/**
 * PostgreSQL's shared catalogs (pg_class.relisshared) the state reads, directly or through a view.
 * pg_shdepend is left out: its rows for shared objects follow the owners and privileges of the
 * databases and tablespaces read here, and its other rows belong to one database.
 */
export const WATCHED_CATALOGS: readonly string[] = ['pg_authid', 'pg_auth_members', 'pg_database', 'pg_db_role_setting', 'pg_tablespace',
  'pg_shdescription', 'pg_shseclabel', 'pg_replication_origin', 'pg_subscription', 'pg_parameter_acl'];

/** Kinds a rollback does not undo: they are compared with the run's start, not with the transaction's view. */
export const NON_TRANSACTIONAL_KINDS: ReadonlySet<string> = new Set(['slot']);

const userName = (oid: string) => `CASE WHEN ${oid} = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(${oid}) END`;
const databaseName = (oid: string) => `(SELECT d.datname FROM pg_catalog.pg_database d WHERE d.oid = ${oid})`;

/** One part of the state: its query, and the catalog columns it reads when not every role may read them. */
interface Part {
  kind: string;
  sql: string;
  needs?: { table: string; columns: string[] };
}

/** Every part, schema-qualified (a migration may have set search_path to anything). */
const PARTS: readonly Part[] = [
  {
    kind: 'role',
    sql: `SELECT 'role', r.oid::text, concat_ws(' ', r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,
       r.rolreplication, r.rolconnlimit, r.rolvaliduntil, r.rolbypassrls), 'role ' || r.rolname, r.oid::text, '0' FROM pg_catalog.pg_roles r`,
  },
  {
    // pg_roles shows every password as ********: only a superuser sees them change.
    kind: 'role password',
    sql: `SELECT 'role password', a.oid::text, pg_catalog.md5(coalesce(a.rolpassword, '')), 'password of role ' || a.rolname, a.oid::text, '0' FROM pg_catalog.pg_authid a`,
    needs: { table: 'pg_authid', columns: ['rolname', 'rolpassword'] },
  },
  {
    kind: 'membership',
    sql: `SELECT 'membership', m.roleid || ' ' || m.member || ' ' || m.grantor, (pg_catalog.to_jsonb(m) - 'oid')::text,
       format('membership of %s in %s', ${userName('m.member')}, ${userName('m.roleid')}), m.roleid || ',' || m.member, '0'
     FROM pg_catalog.pg_auth_members m`,
  },
  {
    kind: 'setting',
    sql: `SELECT 'setting', s.setdatabase || ' ' || s.setrole, pg_catalog.array_to_string(s.setconfig, E'\\n'),
       format('settings of %s in %s', coalesce('role ' || ${userName('s.setrole')}, 'every role'), coalesce('database ' || ${databaseName('s.setdatabase')}, 'every database')),
       CASE WHEN s.setrole = 0 THEN '' ELSE s.setrole::text END, s.setdatabase::text
     FROM pg_catalog.pg_db_role_setting s`,
  },
  {
    kind: 'database',
    sql: `SELECT 'database', d.oid::text, concat_ws(' ', d.datname, d.datdba, d.encoding, d.datistemplate, d.datallowconn, d.dattablespace),
       'database ' || d.datname, '', '0' FROM pg_catalog.pg_database d`,
  },
  {
    // Apart from the database row: the scratch database's own privileges and limit are the run's to change.
    kind: 'database access',
    sql: `SELECT 'database access', d.oid::text, concat_ws(' ', d.datconnlimit, d.datacl), 'privileges or connection limit of database ' || d.datname, '', d.oid::text
     FROM pg_catalog.pg_database d`,
  },
  {
    kind: 'tablespace',
    sql: `SELECT 'tablespace', t.oid::text, concat_ws(' ', t.spcname, t.spcowner, t.spcacl, t.spcoptions), 'tablespace ' || t.spcname, '', '0' FROM pg_catalog.pg_tablespace t`,
  },
  ...[['comment', 'pg_shdescription', 'pg_catalog.md5(c.description)'], ['security label', 'pg_shseclabel', "c.provider || ' ' || pg_catalog.md5(c.label)"]].map(([kind, table, value]) => ({
    kind: kind!,
    sql: `SELECT '${kind}', c.classoid || ' ' || c.objoid, ${value},
         format('${kind} on %s', CASE c.classoid WHEN 'pg_catalog.pg_authid'::pg_catalog.regclass THEN 'role ' || ${userName('c.objoid')}
           WHEN 'pg_catalog.pg_database'::pg_catalog.regclass THEN 'database ' || ${databaseName('c.objoid')} ELSE c.classoid::pg_catalog.regclass || ' ' || c.objoid END),
         CASE WHEN c.classoid = 'pg_catalog.pg_authid'::pg_catalog.regclass THEN c.objoid::text ELSE '' END,
         CASE WHEN c.classoid = 'pg_catalog.pg_database'::pg_catalog.regclass THEN c.objoid::text ELSE '0' END
       FROM pg_catalog.${table} c`,
    needs: { table: table!, columns: ['classoid', 'objoid'] },
  })),
  {
    kind: 'slot',
    sql: `SELECT 'slot', l.slot_name::text, concat_ws(' ', l.plugin, l.slot_type, l.database, l.temporary), 'replication slot ' || l.slot_name, '', '0' FROM pg_catalog.pg_replication_slots l`,
  },
  {
    kind: 'origin',
    sql: `SELECT 'origin', o.roident::text, o.roname, 'replication origin ' || o.roname, '', '0' FROM pg_catalog.pg_replication_origin o`,
    needs: { table: 'pg_replication_origin', columns: ['roident', 'roname'] },
  },
  {
    // Readable by every role from PostgreSQL 15 (but its connection string); a superuser's before.
    kind: 'subscription',
    sql: `SELECT 'subscription', u.oid::text, concat_ws(' ', u.subname, u.subdbid, u.subowner, u.subenabled), 'subscription ' || u.subname, '', '0' FROM pg_catalog.pg_subscription u`,
    needs: { table: 'pg_subscription', columns: ['oid', 'subname', 'subdbid', 'subowner', 'subenabled'] },
  },
  {
    kind: 'prepared transaction',
    sql: `SELECT 'prepared transaction', x.gid, concat_ws(' ', x.owner, x.database), 'prepared transaction ' || x.gid, '', '0' FROM pg_catalog.pg_prepared_xacts x`,
  },
  {
    // PostgreSQL 15's GRANT SET ON PARAMETER.
    kind: 'parameter',
    sql: `SELECT 'parameter', p.parname, p.paracl::text, 'privileges on parameter ' || p.parname, '', '0' FROM pg_catalog.pg_parameter_acl p`,
    needs: { table: 'pg_parameter_acl', columns: ['parname', 'paracl'] },
  },
];

/** The parts a session's role can read (a catalog that does not exist on this server is none of them). */
export interface StateOptions {
  readable: ReadonlySet<string>;
}

/** Which parts this session can read: the catalogs every role reads, and the others where it has the privilege. */
export async function stateOptions(session: Session): Promise<StateOptions> {
  const guarded = PARTS.filter((p) => p.needs);
  const checks = guarded.map(({ needs }) => {
    const table = `pg_catalog.to_regclass('pg_catalog.${needs!.table}')`;
    const columns = needs!.columns.map((c) => `pg_catalog.has_column_privilege(${table}, '${c}', 'SELECT')`).join(' AND ');
    return `coalesce(${columns}, false)`;
  });
  const result = await session.query(`SELECT ARRAY[${checks.join(', ')}]::bool[] AS readable`);
  const readable = (result.rows[0]?.readable ?? []) as boolean[];
  return { readable: new Set(PARTS.filter((p) => !p.needs || readable[guarded.indexOf(p)] === true).map((p) => p.kind)) };
}

function stateQuery(options: StateOptions): string {
  return PARTS.filter((p) => options.readable.has(p.kind)).map((p) => p.sql).join('\nUNION ALL\n');
}

const oids = (list: unknown) => String(list ?? '').split(',').filter((s) => s !== '').map(Number);

/** The name the state query is kept planned under on a session no migration runs on (planning it costs more than running it). */
export const STATE_QUERY_NAME = 'drydock_cluster_state';

/**
 * Reads the shared state on a session (outside or inside a transaction: it sees what that session
 * sees), kept planned under `plannedAs` (null: unnamed). On a session a migration runs on, only
 * under a name it cannot know and after checking the statement is still Drydock's
 * (replaySessionCheck.ts): it can deallocate a name and prepare other text under it.
 */
export async function readClusterState(session: Session, options: StateOptions, plannedAs: string | null = STATE_QUERY_NAME): Promise<ClusterRow[]> {
  const sql = `SELECT * FROM (${stateQuery(options)}) AS state (kind, key, value, label, roles, database)`;
  const result = await session.query(sql, [], plannedAs ?? undefined);
  return result.rows.map((r) => ({
    kind: String(r.kind), key: String(r.key), value: String(r.value ?? ''), label: String(r.label ?? ''),
    roles: oids(r.roles), database: Number(r.database),
  }));
}

/** A row that differs between two states: absent on one side when it was created or removed. */
export interface ClusterChange {
  before?: ClusterRow;
  after?: ClusterRow;
}

const rowId = (r: ClusterRow) => `${r.kind}\u0000${r.key}`;

/** The rows of `after` that are not in `before`, were removed, or changed. */
export function clusterChanges(before: readonly ClusterRow[], after: readonly ClusterRow[]): ClusterChange[] {
  const old = new Map(before.map((r) => [rowId(r), r]));
  const changes: ClusterChange[] = [];
  for (const row of after) {
    const was = old.get(rowId(row));
    old.delete(rowId(row));
    if (!was) changes.push({ after: row });
    else if (was.value !== row.value) changes.push({ before: was, after: row });
  }
  for (const was of old.values()) changes.push({ before: was });
  return changes;
}

/** A change in words: "role dev changed", "database victim removed". */
export function describeChange(change: ClusterChange): string {
  const row = change.after ?? change.before!;
  return `${row.label} ${!change.before ? 'created' : !change.after ? 'removed' : 'changed'}`;
}
