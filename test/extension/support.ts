// Helpers for the extension-host suites: the activated extension's API, the throwaway PostgreSQL
// the runner started (described by DRYDOCK_TEST_PG_* variables), and fixture files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach } from 'mocha';
import { Client } from 'pg';
import * as vscode from 'vscode';
import type { DrydockApi } from '../../src/extension/extension';
import type { Prompts } from '../../src/extension/prompts';
import { REQUESTS } from '../../src/server/protocol';

export const EXTENSION_ID = 'drydock.pg-drydock';

/** The activated extension's exports. */
export async function drydock(): Promise<DrydockApi> {
  const extension = vscode.extensions.getExtension<DrydockApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  assert.ok(api, 'activate() returned no API (activation failed)');
  return api;
}

function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run the suite through scripts/run-extension-tests.mjs`);
  return value;
}

export const testServer = {
  host: () => env('DRYDOCK_TEST_PG_HOST'),
  port: () => Number(env('DRYDOCK_TEST_PG_PORT')),
  user: () => env('DRYDOCK_TEST_PG_USER'),
  password: () => env('DRYDOCK_TEST_PG_PASSWORD'),
};

async function withClient<T>(database: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ host: testServer.host(), port: testServer.port(), user: testServer.user(), password: testServer.password(), database });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

let databases = 0;
/** Creates an empty database on the test server and returns its name. */
export async function createDatabase(): Promise<string> {
  databases += 1;
  const name = `ext_${process.pid}_${databases}`;
  await withClient('postgres', (c) => c.query(`CREATE DATABASE ${name}`));
  return name;
}

/** Runs a query as the test (not through Drydock) and returns its rows. */
export function query(database: string, sql: string): Promise<Record<string, unknown>[]> {
  return withClient(database, async (c) => (await c.query(sql)).rows);
}

export async function tableExists(database: string, table: string): Promise<boolean> {
  const rows = await query(database, `SELECT to_regclass('public.${table}') IS NOT NULL AS present`);
  return rows[0]?.present === true;
}

/** Adds (or replaces) a connection through the real command, settings and secret storage. */
export async function addConnection(name: string, database: string, allowApply: boolean): Promise<void> {
  const saved = await vscode.commands.executeCommand<boolean>('drydock.addConnection', {
    name, host: testServer.host(), port: testServer.port(), database, user: testServer.user(), password: testServer.password(), allowApply,
  });
  assert.equal(saved, true, `addConnection(${name}) did not save`);
}

/** The URI of a file of the scratch copy of test/fixtures/workspace opened for this run. */
export function fixture(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is not open');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

/** The rules' diagnostics on a file (collection "drydock"; not a run's errors). */
export function drydockDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'drydock');
}

/** How many times the language server published diagnostics for each URI (the client sets them on every publish, empty included). */
const publishes = new Map<string, number>();
vscode.languages.onDidChangeDiagnostics((event) => {
  for (const uri of event.uris) publishes.set(uri.toString(), (publishes.get(uri.toString()) ?? 0) + 1);
});

/**
 * The Drydock diagnostics of a file once its check is done: the server published for it at least
 * once, then answers that no check of it is scheduled or running (the test hook checksSettled,
 * after its last publish on the same stream), and the client has set every list it received. The
 * checks run in the language server's process; this waits for events, not for a quiet period.
 */
export async function settledDiagnostics(uri: vscode.Uri, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  const key = uri.toString();
  await waitFor(`diagnostics published for ${uri.fsPath}`, () => (publishes.get(key) ?? 0) > 0, timeoutMs);
  const { server } = (await drydock())._private.context;
  await server.request(REQUESTS.testChecksSettled, { uri: key });
  await server.diagnosticsWritten();
  return drydockDiagnostics(uri);
}

/** The rule id a diagnostic carries as its code (`{ value, target }` for the rules). */
export function ruleIdOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** The code actions every provider offers on a range, as the lightbulb asks for them. */
export async function codeActionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
}

/** The markdown of every hover the providers return at a position, with markdown's backslash escapes removed (the text as read). */
export async function hoverTextAt(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  const unescape = (markdown: string) => markdown.replace(/\\([\\`*_{}[\]()#+\-.!~|<>])/g, '$1');
  return hovers.map((h) => h.contents.map((c) => unescape(typeof c === 'string' ? c : c.value)).join('\n'));
}

/** Polls until `check` returns a truthy value. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls for `ms` and fails as soon as `happened` returns a truthy value: for what must not happen. */
export async function neverWithin(what: string, happened: () => unknown | Promise<unknown>, ms = 1_500): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    assert.ok(!(await happened()), what);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every file under `dir`, recursively (none when it does not exist). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** The "Drydock" log channel's files on disk (the channel writes them asynchronously). */
export function drydockLogFiles(api: DrydockApi): string[] {
  const extensionHostLogs = path.join(api._private.context.extension.logUri.fsPath, '..');
  return filesUnder(extensionHostLogs).filter((f) => /Drydock/.test(path.basename(f)));
}

/** Waits until a line of the Drydock log on disk matches `pattern`, and returns that line. */
export function waitForLogLine(api: DrydockApi, pattern: RegExp): Promise<string> {
  return waitFor(`a Drydock log line matching ${pattern}`, () => drydockLogFiles(api)
    .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'))
    .find((line) => pattern.test(line)));
}

/** A notification as scriptedPrompts saw it. */
export interface Notified {
  kind: string;
  message: string;
  actions: string[];
}

/** What scriptedPrompts answers: the confirmation, then input boxes and picks in order. */
export interface Script {
  /** true: the action; a string: the dialog's other (safe, first) button of that label; false: dismissed. */
  confirm?: boolean | string;
  /** Receives each confirmation's buttons, in the order shown (the first is the default). */
  buttons?: string[][];
  /** Receives each notification shown. */
  notified?: Notified[];
  /** Chooses a notification's action (undefined: dismissed, the default). */
  notifyAnswer?: (message: string, actions: readonly string[]) => string | undefined;
  inputs?: string[];
  picks?: string[];
  /** Answers to multiple-choice picks, in order: the labels chosen. */
  pickedMany?: string[][];
  /** Receives each confirmation asked ("message\ndetail"). */
  asked?: string[];
}

/** Prompts that answer from a script instead of waiting for a person (undefined when it runs out). */
export function scriptedPrompts(script: Script): Prompts {
  const inputs = [...(script.inputs ?? [])];
  const picks = [...(script.picks ?? [])];
  const pickedMany = [...(script.pickedMany ?? [])];
  return {
    notify: async (kind, message, actions) => {
      script.notified?.push({ kind, message, actions: [...actions] });
      return script.notifyAnswer?.(message, actions);
    },
    confirm: async (message, detail, action, safeFirst) => {
      script.asked?.push(`${message}\n${detail}`);
      script.buttons?.push([...(safeFirst ? [safeFirst] : []), action]);
      const answer = script.confirm ?? false;
      if (typeof answer === 'string') return answer === safeFirst ? answer : false;
      return answer;
    },
    input: async () => inputs.shift(),
    pick: async (items) => {
      const answer = picks.shift();
      assert.ok(answer === undefined || items.includes(answer), `"${answer}" is not among ${JSON.stringify(items)}`);
      return answer;
    },
    pickItem: async (items) => {
      const answer = picks.shift();
      if (answer === undefined) return undefined;
      const item = items.find((i) => i.label === answer);
      assert.ok(item, `"${answer}" is not among ${JSON.stringify(items.map((i) => i.label))}`);
      return item;
    },
    pickItems: async (items) => {
      const answer = pickedMany.shift();
      if (answer === undefined) return undefined;
      return answer.map((label) => {
        const item = items.find((i) => i.label === label);
        assert.ok(item, `"${label}" is not among ${JSON.stringify(items.map((i) => i.label))}`);
        return item;
      });
    },
  };
}

/** A node of the Migration Runs view, as the tests walk it. */
export type ResultNode = vscode.TreeItem & { children(): ResultNode[] };

export function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}

/** The run nodes of the Migration Runs view, newest first. */
export function runNodes(api: DrydockApi): ResultNode[] {
  return api._private.tree.getChildren() as ResultNode[];
}

/** What each test of a run suite gets: a fresh database, an empty view, answered prompts. */
export interface RunFixture {
  api: DrydockApi;
  database: string;
  /** The apply confirmations asked so far in this test ("message\ndetail"). */
  prompts: string[];
}

/**
 * Registers mocha hooks: before each test, a new database and a cleared Migration Runs view, and
 * modal confirmations answered "Apply" (a modal would otherwise wait for a click) and recorded.
 */
export function useRunFixture(): RunFixture {
  const state = { prompts: [] as string[] } as RunFixture;
  before(async () => {
    state.api = await drydock();
  });
  beforeEach(async () => {
    state.database = await createDatabase();
    state.prompts.length = 0;
    state.api._private.context.prompts = scriptedPrompts({ confirm: true, asked: state.prompts });
    await vscode.commands.executeCommand('drydock.results.clear');
  });
  return state;
}

/** Runs the tests with no connection configured at all, and puts the connections back afterwards. */
export function withoutConnections(): void {
  const config = () => vscode.workspace.getConfiguration('drydock');
  let saved: { connections: unknown; active: unknown } | undefined;
  before(async () => {
    saved = { connections: config().inspect('connections')?.globalValue, active: config().inspect('activeConnection')?.globalValue };
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await config().update('activeConnection', undefined, vscode.ConfigurationTarget.Global);
    (await drydock())._private.context.connections.fireChanged();
  });
  after(async () => {
    await config().update('connections', saved?.connections, vscode.ConfigurationTarget.Global);
    await config().update('activeConnection', saved?.active, vscode.ConfigurationTarget.Global);
    await config().update('dryRunOnSave', undefined, vscode.ConfigurationTarget.Global);
  });
}
