// A small LSP client for the core tier: starts the bundled server (`node dist/server.js --stdio` or
// the CLI's `drydock lsp`) as a child process, speaks JSON-RPC with vscode-languageserver-protocol,
// answers the requests a real client answers (configuration, progress creation, registrations),
// and keeps every byte the server sends (stdout and stderr) so a test can search all of it.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type Diagnostic, type InitializeResult, type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from './database';

export interface LspClientOptions {
  /** 'server': node dist/server.js --stdio; 'cli': node dist/cli.js lsp. */
  entry?: 'server' | 'cli';
  env?: Record<string, string>;
  /** The `drydock` settings section the client answers workspace/configuration with. */
  settings?: Record<string, unknown>;
  /** Options for the server's node (a bench passes --cpu-prof to profile the server). */
  nodeArgs?: string[];
}

/** A file path as a URI. */
export const uriOf = (file: string): string => pathToFileURL(file).toString();

export class LspTestClient {
  readonly connection: ProtocolConnection;
  /** Everything the server wrote, in order: its messages and its stderr. */
  traffic = '';
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly notifications: { method: string; params: unknown }[] = [];
  /** The URIs the server asked to show (window/showDocument). */
  readonly shownDocuments: string[] = [];
  /** Where the server asked to put the cursor in each shown document (absent: no selection asked). */
  readonly shownSelections = new Map<string, { start: { line: number; character: number } }>();
  private readonly waiters: (() => void)[] = [];
  private readonly exited: Promise<number | null>;
  private versions = new Map<string, number>();

  private constructor(readonly child: ChildProcess, public settings: Record<string, unknown>) {
    child.stdout!.on('data', (d: Buffer) => { this.traffic += d.toString('utf8'); });
    child.stderr!.on('data', (d: Buffer) => { this.traffic += d.toString('utf8'); });
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      this.wake();
    });
    for (const method of ['drydock/runFinished', '$/progress', 'window/logMessage', 'window/showMessage']) {
      this.connection.onNotification(method, (params: unknown) => {
        this.notifications.push({ method, params });
        this.wake();
      });
    }
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((i) => (i.section === 'drydock' ? this.settings : null)));
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/codeLens/refresh', () => null);
    this.connection.onRequest('window/showMessageRequest', () => null);
    this.connection.onRequest('window/showDocument', (params: { uri: string; selection?: { start: { line: number; character: number } } }) => {
      this.shownDocuments.push(params.uri);
      if (params.selection) this.shownSelections.set(params.uri, params.selection);
      this.wake();
      return { success: true };
    });
    this.connection.listen();
  }

  /** Starts the server with a clean environment (PATH; HOME in a temp folder unless given). */
  static start(options: LspClientOptions = {}): LspTestClient {
    const entry = options.entry === 'cli' ? [path.join(repoRoot, 'dist', 'cli.js'), 'lsp', '--stdio'] : [path.join(repoRoot, 'dist', 'server.js'), '--stdio'];
    const args = [...(options.nodeArgs ?? []), ...entry];
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    return new LspTestClient(child, options.settings ?? {});
  }

  /** initialize + initialized, with the capabilities a full client declares. */
  async initialize(rootFolder: string, initializationOptions: Record<string, unknown> = {}): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid, rootUri: uriOf(rootFolder), workspaceFolders: [{ uri: uriOf(rootFolder), name: 'root' }], initializationOptions,
      capabilities: {
        workspace: { configuration: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] }, didChangeConfiguration: { dynamicRegistration: true }, codeLens: { refreshSupport: true } },
        window: { workDoneProgress: true, showDocument: { support: true } },
        textDocument: { publishDiagnostics: {}, hover: { contentFormat: ['markdown'] }, codeAction: {} },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(file: string, text: string): string {
    const uri = uriOf(file);
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    return uri;
  }

  /** Replaces the whole text of an open document. */
  change(uri: string, text: string): void {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Resolves when `predicate` holds (checked on every notification), or rejects after a generous safety net. */
  async until<T>(what: string, predicate: () => T | undefined | null | false, timeoutMs = 120_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** The diagnostics of `uri` once some were published that satisfy `predicate`. */
  diagnosticsOf(uri: string, predicate: (d: Diagnostic[]) => boolean = (d) => d.length > 0): Promise<Diagnostic[]> {
    return this.until(`diagnostics of ${uri}`, () => {
      const list = this.diagnostics.get(uri);
      return list && predicate(list) ? list : undefined;
    });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  executeCommand<R>(command: string, argument: unknown): Promise<R> {
    return this.connection.sendRequest<R>('workspace/executeCommand', { command, arguments: [argument] });
  }

  /** shutdown + exit; resolves with the process's exit code. */
  async stop(): Promise<number | null> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.child.kill();
    }
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** Applies LSP text edits (whole-document positions) to a text. */
export function applyEdits(text: string, edits: readonly { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (lineStarts[p.line] ?? text.length) + p.character;
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}
