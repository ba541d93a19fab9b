// What a statement changes outside the database it runs in, read from its parse tree: roles and
// their memberships and settings, databases, tablespaces, the server's configuration, replication
// slots and origins, subscriptions, prepared transactions, files and programs on the server, other
// databases reached through dblink. These live in PostgreSQL's shared catalogs (pg_authid,
// pg_auth_members, pg_db_role_setting, pg_database, pg_tablespace, pg_shdescription,
// pg_shseclabel, pg_shdepend, pg_replication_origin, pg_subscription, pg_parameter_acl) or outside
// the catalogs altogether; a scratch database shares them with every other database of its server.
import type { Node, RoleSpec } from '../parse/pgTypes';

/** A role as a statement names it: by name, or by a keyword (CURRENT_USER, PUBLIC, every role) that always means roles that exist. */
export type RoleRef = { name: string } | { keyword: string };

/** One way a statement reaches beyond its database. */
export type ClusterReach =
  /** Changes these roles themselves (settings, attributes, name, comment, or drops them). */
  | { kind: 'roles'; what: string; roles: RoleRef[] }
  /** Adds or removes memberships: each pair is (role, member). */
  | { kind: 'memberships'; what: string; pairs: [RoleRef, RoleRef][] }
  /** Changes these databases; `mappable`: the same statement on another database means the same thing (SET, GRANT). */
  | { kind: 'databases'; what: string; databases: string[]; mappable: boolean }
  /** Reaches the server itself; `escapesRollback`: a rolled-back transaction does not undo it. */
  | { kind: 'server'; what: string; escapesRollback: boolean; functionName?: string };

/**
 * Functions whose effect is the server's, not one database's: replication slots and origins,
 * cluster-wide statistics, WAL and backups, files on the server, other databases (dblink). None of
 * them is undone by a rollback.
 */
const SERVER_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ...['pg_create_physical_replication_slot', 'pg_create_logical_replication_slot', 'pg_drop_replication_slot',
    'pg_copy_physical_replication_slot', 'pg_copy_logical_replication_slot', 'pg_replication_slot_advance',
    'pg_logical_slot_get_changes', 'pg_logical_slot_get_binary_changes', 'pg_sync_replication_slots'].map((f) => [f, 'a replication slot'] as const),
  ...['pg_replication_origin_create', 'pg_replication_origin_drop', 'pg_replication_origin_advance'].map((f) => [f, 'a replication origin'] as const),
  ...['pg_stat_reset_shared', 'pg_stat_reset_slru', 'pg_stat_reset_replication_slot', 'pg_stat_reset_subscription_stats'].map((f) => [f, 'the server\'s statistics'] as const),
  ...['pg_switch_wal', 'pg_create_restore_point', 'pg_backup_start', 'pg_backup_stop', 'pg_start_backup', 'pg_stop_backup',
    'pg_promote', 'pg_rotate_logfile', 'pg_wal_replay_pause', 'pg_wal_replay_resume'].map((f) => [f, 'the server\'s WAL, backups or logs'] as const),
  ...['lo_export', 'pg_file_write', 'pg_file_rename', 'pg_file_unlink', 'pg_file_sync'].map((f) => [f, 'a file on the server'] as const),
  ...['dblink', 'dblink_exec', 'dblink_connect', 'dblink_connect_u', 'dblink_send_query', 'dblink_open'].map((f) => [f, 'another database (dblink)'] as const),
]);

/** What a call of this function reaches, or null for a function that stays in its database. */
export function serverFunctionReach(name: string): ClusterReach | null {
  const target = SERVER_FUNCTIONS.get(name.toLowerCase());
  return target ? { kind: 'server', what: `${name}() changes ${target}`, escapesRollback: true, functionName: name.toLowerCase() } : null;
}

const ROLE_KEYWORDS: Readonly<Record<string, string>> = {
  ROLESPEC_CURRENT_ROLE: 'CURRENT_ROLE', ROLESPEC_CURRENT_USER: 'CURRENT_USER', ROLESPEC_SESSION_USER: 'SESSION_USER', ROLESPEC_PUBLIC: 'PUBLIC',
};

function roleRef(spec: RoleSpec | undefined): RoleRef {
  if (!spec) return { keyword: 'ALL' };
  if (spec.roletype === 'ROLESPEC_CSTRING' && spec.rolename !== undefined) return { name: spec.rolename };
  return { keyword: ROLE_KEYWORDS[spec.roletype ?? ''] ?? 'ALL' };
}

function roleRefs(nodes: Node[] | undefined): RoleRef[] {
  return (nodes ?? []).flatMap((n) => ('RoleSpec' in n ? [roleRef(n.RoleSpec)] : 'AccessPriv' in n ? [{ name: n.AccessPriv.priv_name ?? '' }] : []));
}

/** The name a String node holds (database, tablespace and role objects of COMMENT, ALTER … OWNER). */
function stringOf(node: Node | undefined): string {
  return node && 'String' in node ? node.String.sval ?? '' : '';
}

const roleName = (r: RoleRef) => ('name' in r ? r.name : r.keyword);

/** Every (role, member) pair of two lists. */
function pairs(roles: RoleRef[], members: RoleRef[]): [RoleRef, RoleRef][] {
  return roles.flatMap((role) => members.map((member): [RoleRef, RoleRef] => [role, member]));
}

const server = (what: string, escapesRollback = false): ClusterReach => ({ kind: 'server', what, escapesRollback });

/** A shared object by its object type (COMMENT, SECURITY LABEL, ALTER … OWNER, RENAME), or null for one in the database. */
function sharedObject(objectType: string | undefined, name: string, statement: string): ClusterReach | null {
  switch (objectType) {
    case 'OBJECT_DATABASE': return { kind: 'databases', what: `${statement} database ${name}`, databases: [name], mappable: false };
    case 'OBJECT_ROLE': return { kind: 'roles', what: `${statement} role ${name}`, roles: [{ name }] };
    case 'OBJECT_TABLESPACE': return server(`${statement} tablespace ${name}`);
    case 'OBJECT_SUBSCRIPTION': return server(`${statement} subscription ${name}`);
    default: return null;
  }
}

type Reader = (node: Node) => ClusterReach[];

/** One reader per statement kind that can reach the cluster (a table, as the parse tree names them). */
const READERS: Readonly<Record<string, Reader>> = {
  // CREATE ROLE is allowed: the replay records the role and drops it with the scratch database.
  CreateRoleStmt: () => [],
  AlterRoleStmt: (n) => {
    const stmt = 'AlterRoleStmt' in n ? n.AlterRoleStmt : {};
    const role = roleRef(stmt.role);
    const options = (stmt.options ?? []).flatMap((o) => ('DefElem' in o ? [o.DefElem] : []));
    // ALTER GROUP g ADD/DROP USER u changes memberships only.
    if (options.length > 0 && options.every((o) => o.defname === 'rolemembers')) {
      const members = options.flatMap((o) => (o.arg && 'List' in o.arg ? roleRefs(o.arg.List.items) : []));
      return [{ kind: 'memberships', what: `ALTER GROUP ${roleName(role)}`, pairs: pairs([role], members) }];
    }
    return [{ kind: 'roles', what: `ALTER ROLE ${roleName(role)}`, roles: [role] }];
  },
  AlterRoleSetStmt: (n) => {
    const stmt = 'AlterRoleSetStmt' in n ? n.AlterRoleSetStmt : {};
    const role = roleRef(stmt.role);
    // A setting for one database lives and dies with that database, whoever's role it is.
    if (stmt.database) return [{ kind: 'databases', what: `ALTER ROLE ${roleName(role)} IN DATABASE ${stmt.database}`, databases: [stmt.database], mappable: true }];
    return [{ kind: 'roles', what: `ALTER ROLE ${roleName(role)} SET`, roles: [role] }];
  },
  DropRoleStmt: (n) => {
    const roles = roleRefs('DropRoleStmt' in n ? n.DropRoleStmt.roles : []);
    return [{ kind: 'roles', what: `DROP ROLE ${roles.map(roleName).join(', ')}`, roles }];
  },
  GrantRoleStmt: (n) => {
    const stmt = 'GrantRoleStmt' in n ? n.GrantRoleStmt : {};
    const granted = roleRefs(stmt.granted_roles);
    return [{ kind: 'memberships', what: `${stmt.is_grant ? 'GRANT' : 'REVOKE'} ${granted.map(roleName).join(', ')}`, pairs: pairs(granted, roleRefs(stmt.grantee_roles)) }];
  },
  ReassignOwnedStmt: (n) => {
    const roles = roleRefs('ReassignOwnedStmt' in n ? n.ReassignOwnedStmt.roles : []);
    return [{ kind: 'roles', what: `REASSIGN OWNED BY ${roles.map(roleName).join(', ')} (it reassigns databases and tablespaces too)`, roles }];
  },
  DropOwnedStmt: (n) => {
    const roles = roleRefs('DropOwnedStmt' in n ? n.DropOwnedStmt.roles : []);
    return [{ kind: 'roles', what: `DROP OWNED BY ${roles.map(roleName).join(', ')} (it revokes privileges on databases and tablespaces too)`, roles }];
  },
  AlterDatabaseSetStmt: (n) => {
    const name = 'AlterDatabaseSetStmt' in n ? n.AlterDatabaseSetStmt.dbname ?? '' : '';
    return [{ kind: 'databases', what: `ALTER DATABASE ${name} SET`, databases: [name], mappable: true }];
  },
  AlterDatabaseStmt: (n) => {
    const name = 'AlterDatabaseStmt' in n ? n.AlterDatabaseStmt.dbname ?? '' : '';
    return [{ kind: 'databases', what: `ALTER DATABASE ${name}`, databases: [name], mappable: false }];
  },
  AlterDatabaseRefreshCollStmt: (n) => {
    const name = 'AlterDatabaseRefreshCollStmt' in n ? n.AlterDatabaseRefreshCollStmt.dbname ?? '' : '';
    return [{ kind: 'databases', what: `ALTER DATABASE ${name} REFRESH COLLATION VERSION`, databases: [name], mappable: false }];
  },
  CreatedbStmt: (n) => [server(`CREATE DATABASE ${'CreatedbStmt' in n ? n.CreatedbStmt.dbname ?? '' : ''}`)],
  DropdbStmt: (n) => {
    const name = 'DropdbStmt' in n ? n.DropdbStmt.dbname ?? '' : '';
    return [{ kind: 'databases', what: `DROP DATABASE ${name}`, databases: [name], mappable: false }];
  },
  GrantStmt: (n) => {
    const stmt = 'GrantStmt' in n ? n.GrantStmt : {};
    const verb = stmt.is_grant ? 'GRANT' : 'REVOKE';
    const names = (stmt.objects ?? []).map(stringOf);
    if (stmt.objtype === 'OBJECT_DATABASE') return [{ kind: 'databases', what: `${verb} … ON DATABASE ${names.join(', ')}`, databases: names, mappable: true }];
    if (stmt.objtype === 'OBJECT_TABLESPACE') return [server(`${verb} … ON TABLESPACE ${names.join(', ')}`)];
    if (stmt.objtype === 'OBJECT_PARAMETER_ACL') return [server(`${verb} … ON PARAMETER ${names.join(', ')}`)];
    return [];
  },
  CommentStmt: (n) => {
    const stmt = 'CommentStmt' in n ? n.CommentStmt : {};
    const found = sharedObject(stmt.objtype, stringOf(stmt.object), 'COMMENT ON');
    return found ? [found] : [];
  },
  SecLabelStmt: (n) => {
    const stmt = 'SecLabelStmt' in n ? n.SecLabelStmt : {};
    const found = sharedObject(stmt.objtype, stringOf(stmt.object), 'SECURITY LABEL ON');
    return found ? [found] : [];
  },
  AlterOwnerStmt: (n) => {
    const stmt = 'AlterOwnerStmt' in n ? n.AlterOwnerStmt : {};
    const found = sharedObject(stmt.objectType, stringOf(stmt.object), 'ALTER … OWNER TO on');
    return found ? [found] : [];
  },
  RenameStmt: (n) => {
    const stmt = 'RenameStmt' in n ? n.RenameStmt : {};
    const found = sharedObject(stmt.renameType, stmt.subname ?? stringOf(stmt.object), 'RENAME of');
    return found ? [found] : [];
  },
  CreateTableSpaceStmt: (n) => [server(`CREATE TABLESPACE ${'CreateTableSpaceStmt' in n ? n.CreateTableSpaceStmt.tablespacename ?? '' : ''}`)],
  DropTableSpaceStmt: (n) => [server(`DROP TABLESPACE ${'DropTableSpaceStmt' in n ? n.DropTableSpaceStmt.tablespacename ?? '' : ''}`)],
  AlterTableSpaceOptionsStmt: (n) => [server(`ALTER TABLESPACE ${'AlterTableSpaceOptionsStmt' in n ? n.AlterTableSpaceOptionsStmt.tablespacename ?? '' : ''}`)],
  AlterSystemStmt: () => [server('ALTER SYSTEM (the server\'s configuration file)')],
  CreateSubscriptionStmt: (n) => [server(`CREATE SUBSCRIPTION ${'CreateSubscriptionStmt' in n ? n.CreateSubscriptionStmt.subname ?? '' : ''}`, true)],
  AlterSubscriptionStmt: (n) => [server(`ALTER SUBSCRIPTION ${'AlterSubscriptionStmt' in n ? n.AlterSubscriptionStmt.subname ?? '' : ''}`, true)],
  DropSubscriptionStmt: (n) => [server(`DROP SUBSCRIPTION ${'DropSubscriptionStmt' in n ? n.DropSubscriptionStmt.subname ?? '' : ''}`, true)],
  TransactionStmt: (n) => {
    const kind = 'TransactionStmt' in n ? n.TransactionStmt.kind : undefined;
    if (kind === 'TRANS_STMT_PREPARE') return [server('PREPARE TRANSACTION (a prepared transaction outlives the session and holds its locks)', true)];
    if (kind === 'TRANS_STMT_COMMIT_PREPARED' || kind === 'TRANS_STMT_ROLLBACK_PREPARED') return [server('COMMIT/ROLLBACK PREPARED (another session\'s transaction)', true)];
    return [];
  },
  CopyStmt: (n) => {
    const stmt = 'CopyStmt' in n ? n.CopyStmt : {};
    if (stmt.is_program) return [server(`COPY … ${stmt.is_from ? 'FROM' : 'TO'} PROGRAM (a program on the server)`, true)];
    if (stmt.filename && !stmt.is_from) return [server('COPY … TO a file on the server', true)];
    return [];
  },
};

// Definitions run nothing when they are created: the calls in a function's, view's or rule's body
// happen when it is used, and the run-time check sees those.
const DEFINITIONS = new Set(['CreateFunctionStmt', 'ViewStmt', 'RuleStmt', 'CreateTrigStmt', 'CreatePolicyStmt']);

/** The server functions a statement calls (its tree walked without recursion: expressions nest deeply). */
function functionCalls(node: Node): ClusterReach[] {
  const found: ClusterReach[] = [];
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item)) {
      for (const child of item) stack.push(child);
      continue;
    }
    if (!item || typeof item !== 'object') continue;
    const record = item as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (DEFINITIONS.has(key)) continue;
      if (key === 'FuncCall') {
        const names = (value as { funcname?: Node[] }).funcname ?? [];
        const reach = serverFunctionReach(stringOf(names[names.length - 1]));
        if (reach) found.push(reach);
      }
      if (value && typeof value === 'object') stack.push(value);
    }
  }
  return found;
}

/** Everything one statement (not the statements inside a DO block: the caller reads those) reaches beyond its database. */
export function clusterReachOf(node: Node): ClusterReach[] {
  const kind = Object.keys(node)[0] ?? '';
  const reader = READERS[kind];
  return [...(reader ? reader(node) : []), ...(DEFINITIONS.has(kind) ? [] : functionCalls(node))];
}
