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

/** Kinds a rollback does not undo: they are compared with the run's start, not with the transaction's view. */
export const NON_TRANSACTIONAL_KINDS: ReadonlySet<string> = new Set(['slot']);

const userName = (oid: string) => `CASE WHEN ${oid} = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(${oid}) END`;
const databaseName = (oid: string) => `(SELECT d.datname FROM pg_catalog.pg_database d WHERE d.oid = ${oid})`;

/** Every part, schema-qualified (a migration may have set search_path to anything). */
function stateQuery(options: StateOptions): string {
  const password = options.passwords ? ", pg_catalog.md5(coalesce((SELECT a.rolpassword FROM pg_catalog.pg_authid a WHERE a.oid = r.oid), ''))" : '';
  const parts = [
    `SELECT 'role', r.oid::text, concat_ws(' ', r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin,
       r.rolreplication, r.rolconnlimit, r.rolvaliduntil, r.rolbypassrls${password}), 'role ' || r.rolname, r.oid::text, '0'
     FROM pg_catalog.pg_roles r`,
    `SELECT 'membership', m.roleid || ' ' || m.member || ' ' || m.grantor, (pg_catalog.to_jsonb(m) - 'oid')::text,
       format('membership of %s in %s', ${userName('m.member')}, ${userName('m.roleid')}), m.roleid || ',' || m.member, '0'
     FROM pg_catalog.pg_auth_members m`,
    `SELECT 'setting', s.setdatabase || ' ' || s.setrole, pg_catalog.array_to_string(s.setconfig, E'\\n'),
       format('settings of %s in %s', coalesce('role ' || ${userName('s.setrole')}, 'every role'), coalesce('database ' || ${databaseName('s.setdatabase')}, 'every database')),
       CASE WHEN s.setrole = 0 THEN '' ELSE s.setrole::text END, s.setdatabase::text
     FROM pg_catalog.pg_db_role_setting s`,
    `SELECT 'database', d.oid::text, concat_ws(' ', d.datname, d.datdba, d.encoding, d.datistemplate, d.datallowconn, d.dattablespace),
       'database ' || d.datname, '', '0' FROM pg_catalog.pg_database d`,
    `SELECT 'database access', d.oid::text, concat_ws(' ', d.datconnlimit, d.datacl), 'privileges or connection limit of database ' || d.datname, '', d.oid::text
     FROM pg_catalog.pg_database d`,
    `SELECT 'tablespace', t.oid::text, concat_ws(' ', t.spcname, t.spcowner, t.spcacl, t.spcoptions), 'tablespace ' || t.spcname, '', '0' FROM pg_catalog.pg_tablespace t`,
    ...[['comment', 'pg_shdescription', 'pg_catalog.md5(c.description)'], ['security label', 'pg_shseclabel', "c.provider || ' ' || pg_catalog.md5(c.label)"]].map(([kind, table, value]) =>
      `SELECT '${kind}', c.classoid || ' ' || c.objoid, ${value},
         format('${kind} on %s', CASE c.classoid WHEN 'pg_catalog.pg_authid'::pg_catalog.regclass THEN 'role ' || ${userName('c.objoid')}
           WHEN 'pg_catalog.pg_database'::pg_catalog.regclass THEN 'database ' || ${databaseName('c.objoid')} ELSE c.classoid::pg_catalog.regclass || ' ' || c.objoid END),
         CASE WHEN c.classoid = 'pg_catalog.pg_authid'::pg_catalog.regclass THEN c.objoid::text ELSE '' END,
         CASE WHEN c.classoid = 'pg_catalog.pg_database'::pg_catalog.regclass THEN c.objoid::text ELSE '0' END
       FROM pg_catalog.${table} c`),
    `SELECT 'slot', l.slot_name::text, concat_ws(' ', l.plugin, l.slot_type, l.database, l.temporary), 'replication slot ' || l.slot_name, '', '0' FROM pg_catalog.pg_replication_slots l`,
    `SELECT 'origin', o.roident::text, o.roname, 'replication origin ' || o.roname, '', '0' FROM pg_catalog.pg_replication_origin o`,
    `SELECT 'subscription', u.oid::text, concat_ws(' ', u.subname, u.subdbid, u.subowner, u.subenabled), 'subscription ' || u.subname, '', '0' FROM pg_catalog.pg_subscription u`,
    `SELECT 'prepared transaction', x.gid, concat_ws(' ', x.owner, x.database), 'prepared transaction ' || x.gid, '', '0' FROM pg_catalog.pg_prepared_xacts x`,
    // pg_parameter_acl is PostgreSQL 15's (GRANT SET ON PARAMETER).
    ...(options.serverVersionNum >= 150000 ? [`SELECT 'parameter', p.parname, p.paracl::text, 'privileges on parameter ' || p.parname, '', '0' FROM pg_catalog.pg_parameter_acl p`] : []),
  ];
  return parts.join('\nUNION ALL\n');
}

/** What the reader may see: role passwords only for a superuser (pg_authid); pg_parameter_acl from PostgreSQL 15. */
export interface StateOptions {
  passwords: boolean;
  serverVersionNum: number;
}

const oids = (list: unknown) => String(list ?? '').split(',').filter((s) => s !== '').map(Number);

/** Reads the shared state on a session (outside or inside a transaction: it sees what that session sees). */
export async function readClusterState(session: Session, options: StateOptions): Promise<ClusterRow[]> {
  const result = await session.query(`SELECT * FROM (${stateQuery(options)}) AS state (kind, key, value, label, roles, database)`);
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
