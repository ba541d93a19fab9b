// Before a scratch-database shadow sends anything: every statement of the history (and of the
// targets) that would act beyond the scratch database is found in the parse tree, the statements
// of DO blocks included, and either mapped onto the scratch database where that is exact or
// refused at its place. What the parse cannot see (SQL built at run time) is the run-time guard's.
import type { OffsetRange } from '../model/positions';
import { LineIndex } from '../model/lineIndex';
import { doBodyOf, innerStatementsOf } from '../parse/innerStatements';
import { parseMigrationSync } from '../parse/parseMigration';
import type { Node } from '../parse/pgTypes';
import { StatementText, type Token } from '../parse/statementText';
import type { StatementLocation } from '../run/classify';
import { clusterReachOf, serverFunctionReach, type ClusterReach, type RoleRef } from './clusterReach';
import type { HistoryMigration } from './history';

/** What the seal knows about the server before the run. */
export interface SealContext {
  /** Roles that exist on the server before the run: a migration may not change them. */
  existingRoles: ReadonlySet<string>;
  /** The names the project's database goes by: `ALTER DATABASE <one of them> SET …` (and GRANT … ON DATABASE) is mapped onto the scratch database. */
  projectDatabases: ReadonlySet<string>;
  /** The scratch database's name (a bare identifier: drydock_shadow_…). */
  scratch: string;
}

/** A statement the scratch shadow will not send. */
export interface SealRefusal {
  where: StatementLocation;
  /** The statement's reach, in words ("ALTER ROLE dev SET"). */
  what: string;
  /** Why it is not sent. */
  reason: string;
}

/** A file as the scratch shadow sends it. */
export interface SealedText {
  /** The text with the project's database names mapped onto the scratch database. */
  text: string;
  /** Names the file creates roles under (CREATE ROLE, in DO blocks too): the replay records them as the run's. */
  createsRoles: string[];
}

/** 'history': replayed and committed; 'target': dry-run in a transaction that is rolled back, so only what a rollback does not undo is refused. */
export type SealScope = 'history' | 'target';

// Words every reach is spelled with; a file holding none is not parsed (a long history is mostly such files).
const MAY_REACH = /\b(role|user|group|owned|database|tablespace|system|subscription|grant|revoke|comment|label|prepare|commit|rollback|copy|do|execute)\b|pg_|lo_export|dblink/i;

interface Found {
  reach: ClusterReach;
  /** Where the reaching statement (or call) is in the file. */
  offsets: OffsetRange;
  /** The offsets are the statement's own text (not a whole DO block standing for a statement in a string). */
  exact: boolean;
}

const isExisting = (ctx: SealContext) => (r: RoleRef) => !('name' in r) || ctx.existingRoles.has(r.name);
const describe = (r: RoleRef) => ('name' in r ? `role ${r.name}` : r.keyword === 'ALL' ? 'every role' : r.keyword);

/** Why a reach may not be sent, or null when it may (as written, or mapped: 'map'). */
function verdict(reach: ClusterReach, ctx: SealContext, scope: SealScope): string | 'map' | null {
  if (scope === 'target') return reach.kind === 'server' && reach.escapesRollback ? 'a rollback does not undo it' : null;
  switch (reach.kind) {
    case 'roles': {
      const existing = reach.roles.find(isExisting(ctx));
      return existing ? `${describe(existing)} exists on the shadow's server (roles are shared by all its databases)` : null;
    }
    case 'memberships': {
      const pair = reach.pairs.find(([role, member]) => isExisting(ctx)(role) && isExisting(ctx)(member));
      return pair ? `it changes a membership between roles that exist on the shadow's server (${describe(pair[1])} in ${describe(pair[0])})` : null;
    }
    case 'databases': {
      const other = reach.databases.find((d) => !ctx.projectDatabases.has(d));
      if (other !== undefined) return `database ${other} is not the project's database (${[...ctx.projectDatabases].join(', ') || 'none known'})`;
      return reach.mappable ? 'map' : 'only SET/RESET and GRANT/REVOKE on the project\'s database can be mapped onto the scratch database';
    }
    case 'server': return 'it acts on the server itself, which every database there shares';
  }
}

/** An identifier token's name as PostgreSQL reads it, or null for a form not read here (U&"…"). */
function identifierValue(token: Token): string | null {
  if (token.text.startsWith('"')) return token.text.slice(1, -1).replace(/""/g, '"');
  return /^[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*$/.test(token.text) ? token.text.toLowerCase() : null;
}

const NAME_LIST_ENDS = new Set(['SET', 'RESET', 'TO', 'FROM', ';']);

/** The edits that name the scratch database instead of the project's, or null when they cannot be made exactly. */
function databaseEdits(text: string, found: Found, names: readonly string[], ctx: SealContext): { start: number; end: number }[] | null {
  if (!found.exact) return null;
  const statement = new StatementText(text.slice(found.offsets.start, found.offsets.end));
  const at = statement.findToken('DATABASE');
  if (at < 0) return null;
  const edits: { start: number; end: number }[] = [];
  for (const token of statement.tokens.slice(at + 1)) {
    if (NAME_LIST_ENDS.has(token.upper)) break;
    if (token.text === ',') continue;
    const value = identifierValue(token);
    if (value === null || !ctx.projectDatabases.has(value)) return null;
    edits.push({ start: found.offsets.start + token.start, end: found.offsets.start + token.end });
  }
  return edits.length === names.length ? edits : null;
}

/** Narrows a call's place to the function's name when the statement's text spells it. */
function callOffsets(text: string, offsets: OffsetRange, name: string): OffsetRange {
  const statement = new StatementText(text.slice(offsets.start, offsets.end));
  const at = statement.tokens.findIndex((t, i) => identifierValue(t) === name && statement.tokens[i + 1]?.text === '(');
  const token = statement.tokens[at];
  return token ? { start: offsets.start + token.start, end: offsets.start + token.end } : offsets;
}

/** The server functions a DO body calls outside its SQL statements (PERFORM, assignments, conditions), by the body's tokens. */
function bodyCalls(stmtSql: string, stmtStart: number, node: Node): Found[] {
  const body = 'DoStmt' in node ? doBodyOf(node.DoStmt) : null;
  if (!body || body.language !== 'plpgsql') return [];
  const at = stmtSql.indexOf(body.body);
  const tokens = new StatementText(body.body).tokens;
  return tokens.flatMap((t, i) => {
    const reach = tokens[i + 1]?.text === '(' ? serverFunctionReach(identifierValue(t) ?? '') : null;
    if (!reach) return [];
    const offsets = at >= 0 ? { start: stmtStart + at + t.start, end: stmtStart + at + t.end } : { start: stmtStart, end: stmtStart + stmtSql.length };
    return [{ reach, offsets, exact: at >= 0 }];
  });
}

/** Every reach of a file's statements (DO blocks' statements and calls included), in file order, and the roles it creates. */
function reachesOf(text: string, file: string): { found: Found[]; createsRoles: string[] } {
  const found: Found[] = [];
  const createsRoles: string[] = [];
  const take = (node: Node, offsets: OffsetRange, exact: boolean) => {
    if ('CreateRoleStmt' in node && node.CreateRoleStmt.role) createsRoles.push(node.CreateRoleStmt.role);
    for (const reach of clusterReachOf(node)) {
      found.push({ reach, offsets: reach.kind === 'server' && reach.functionName && exact ? callOffsets(text, offsets, reach.functionName) : offsets, exact });
    }
  };
  for (const s of parseMigrationSync(file, text).statements) {
    take(s.node, s.offsets, true);
    if (!('DoStmt' in s.node)) continue;
    for (const inner of innerStatementsOf(s.node, s.sql, s.offsets.start)) take(inner.node, inner.offsets, inner.sqlStart !== null);
    found.push(...bodyCalls(s.sql, s.offsets.start, s.node));
  }
  return { found, createsRoles };
}

/**
 * The file as the scratch shadow sends it (the project's database mapped onto the scratch
 * database), or the first statement it refuses. `display` names the file in the refusal.
 */
export function sealText(text: string, display: string, ctx: SealContext, scope: SealScope): SealedText | SealRefusal {
  if (!MAY_REACH.test(text)) return { text, createsRoles: [] };
  const { found, createsRoles } = reachesOf(text, display);
  const edits: { start: number; end: number }[] = [];
  for (const f of found) {
    const decided = verdict(f.reach, ctx, scope);
    const mapped = decided === 'map' && f.reach.kind === 'databases' ? databaseEdits(text, f, f.reach.databases, ctx) : null;
    if (decided === null) continue;
    if (mapped) {
      edits.push(...mapped);
      continue;
    }
    const reason = decided === 'map' ? 'it names the project\'s database where Drydock cannot rewrite the name exactly (a string built in a DO block)' : decided;
    return { where: { file: display, sql: text.slice(f.offsets.start, f.offsets.end), offsets: f.offsets, lines: new LineIndex(text) }, what: f.reach.what, reason };
  }
  let sealed = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) sealed = sealed.slice(0, edit.start) + ctx.scratch + sealed.slice(edit.end);
  return { text: sealed, createsRoles };
}

/** True when sealText refused the file. */
export function isRefusal(sealed: SealedText | SealRefusal): sealed is SealRefusal {
  return 'reason' in sealed;
}

/** A plan the scratch shadow may send: the history's texts and the setup SQL mapped, and the roles each migration creates (by file). */
export interface SealedPlan {
  migrations: HistoryMigration[];
  setup: string[];
  createsRoles: ReadonlyMap<string, readonly string[]>;
}

/** Where a plan was refused: the refusal, and the history migration it is in (null for a target or the setup SQL). */
export interface PlanRefusal {
  refusal: SealRefusal;
  migration: HistoryMigration | null;
}

/** What a plan holds: the history, the runner's setup SQL (sent as a migration would be), the targets (rolled back). */
export interface PlanTexts {
  migrations: readonly HistoryMigration[];
  setup: readonly string[];
  targets: readonly { path: string; text: string }[];
  displayPath: (file: string) => string;
}

/** Seals every history migration and setup statement (mapped or refused) and every target (refused only for what a rollback does not undo). */
export function sealPlan(plan: PlanTexts, ctx: SealContext): SealedPlan | PlanRefusal {
  const sealed: HistoryMigration[] = [];
  const createsRoles = new Map<string, readonly string[]>();
  const setup: string[] = [];
  for (const sql of plan.setup) {
    const result = sealText(sql, '--shadow-setup', ctx, 'history');
    if (isRefusal(result)) return { refusal: result, migration: null };
    setup.push(result.text);
  }
  for (const m of plan.migrations) {
    const result = sealText(m.text, plan.displayPath(m.file), ctx, 'history');
    if (isRefusal(result)) return { refusal: result, migration: m };
    sealed.push(result.text === m.text ? m : { ...m, text: result.text });
    if (result.createsRoles.length > 0) createsRoles.set(m.file, result.createsRoles);
  }
  for (const t of plan.targets) {
    const result = sealText(t.text, t.path, ctx, 'target');
    if (isRefusal(result)) return { refusal: result, migration: null };
  }
  return { migrations: sealed, setup, createsRoles };
}
