// The shadow worker's entry (bundled as dist/shadowWorker.js): one PGlite shadow kept warm between
// runs in this thread, each dry-run run whole here and its report posted back as data. The thread
// that owns the worker ends it to cancel a statement or enforce statement_timeout (a WebAssembly
// loop cannot be interrupted from inside), so this side needs no cancel of its own: it says what
// it is about to run, and the owner decides.
import { parentPort, workerData } from 'node:worker_threads';
import { compiledPglite, useCompiledPglite } from '../../db/pglite/pgliteInstance';
import { DEFAULT_LINT_SETTINGS } from '../../model/lintSettings';
import { findHistory } from '../history';
import { PgliteShadow } from '../pgliteShadow';
import type { ShadowHost } from '../shadowHost';
import { runShadowDryRun } from '../shadowRun';
import type { FromWorker, RunRequest, ThrownError, ToWorker, WorkerStart } from './protocol';

const port = parentPort;
if (!port) throw new Error('the shadow worker runs in a worker thread');
const start = workerData as WorkerStart;
const waitingForNames = new Map<number, (names: string[]) => void>();
if (start.compiled) useCompiledPglite(start.compiled);
/** Whether the owner has PGlite's compiled modules (handed in at the start, or sent once compiled here). */
let ownerHasModules = start.compiled !== null;

function post(message: FromWorker, transfer?: ArrayBuffer[]): void {
  port!.postMessage(message, transfer);
}

/** Hands a snapshot to the owner, moved rather than copied (its bytes are not used here again). */
function writeSnapshot(key: string, tarball: Uint8Array): void {
  const whole = tarball.byteOffset === 0 && tarball.byteLength === tarball.buffer.byteLength && tarball.buffer instanceof ArrayBuffer;
  const own = whole ? tarball : tarball.slice();
  post({ type: 'snapshot', key, tarball: own }, [own.buffer as ArrayBuffer]);
}

const shadow = new PgliteShadow({ cacheDir: start.cacheDir, writeSnapshot });

/** The shadow, saying when it is prepared (the owner stops timing the replay there). */
function announcing(id: number): ShadowHost {
  return {
    kind: shadow.kind,
    get running() {
      return shadow.running;
    },
    prepare: async (plan) => {
      const prepared = await shadow.prepare(plan);
      const lacks = Object.entries(prepared.backend.capabilities).filter(([, has]) => !has).map(([name]) => name);
      post({ type: 'prepared', id, server: prepared.server, stats: prepared.stats, lacks });
      if (!ownerHasModules) {
        ownerHasModules = true;
        const modules = await compiledPglite();
        if (modules) post({ type: 'compiled', ...modules });
      }
      return prepared;
    },
    close: () => shadow.close(),
  };
}

/** The display names the owner gives the history's files (its displayPath is a function: it stays there). */
function namesOf(id: number, request: RunRequest): Promise<Map<string, string>> {
  const history = findHistory(request.targets.map((t) => t.absolutePath), request.tool, request.migrationsFolder, request.noTransactionDirective);
  const files = history.migrations.map((m) => m.file);
  return new Promise((resolve) => {
    waitingForNames.set(id, (names) => resolve(new Map(files.map((file, i) => [file, names[i] ?? file]))));
    post({ type: 'history', id, tool: history.tool, files });
  });
}

function thrown(err: unknown): ThrownError {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return { message: e.message, name: e.name, ...(typeof code === 'string' ? { code } : {}) };
}

async function run(request: RunRequest): Promise<void> {
  const { id } = request;
  try {
    const names = await namesOf(id, request);
    const lint = request.lintSettings ? new Map(request.lintSettings) : null;
    const startedAt = new Date(request.startedAt);
    const report = await runShadowDryRun(request.targets, {
      host: announcing(id),
      setup: request.setup,
      now: () => startedAt,
      displayPath: (file) => names.get(file) ?? file,
      ...(request.settings ? { settings: request.settings } : {}),
      ...(request.tool ? { tool: request.tool } : {}),
      ...(request.migrationsFolder ? { migrationsFolder: request.migrationsFolder } : {}),
      ...(request.noTransactionDirective ? { noTransactionDirective: request.noTransactionDirective } : {}),
      ...(lint ? { lintSettings: (file: string) => lint.get(file) ?? DEFAULT_LINT_SETTINGS } : {}),
      onReplay: (index, total) => post({ type: 'replay', id, index, total }),
      onProgress: (progress) => post({ type: 'progress', id, progress }),
      onSkipped: (file, kind) => post({ type: 'skipped', id, file, kind }),
    });
    post({ type: 'report', id, report });
  } catch (err) {
    post({ type: 'error', id, error: thrown(err) });
  }
}

async function close(): Promise<void> {
  await shadow.close().catch(() => undefined);
  post({ type: 'closed' });
  port!.close();
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'run') void run(message);
  else if (message.type === 'names') {
    waitingForNames.get(message.id)?.(message.names);
    waitingForNames.delete(message.id);
  } else void close();
});
