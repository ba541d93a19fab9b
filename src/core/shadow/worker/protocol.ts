// The messages between a WorkerShadow (the thread that asked for a dry-run) and its worker (the
// thread that runs PGlite). Everything here is plain data: functions (display paths, lint settings,
// the clock) are resolved on the asking side, or asked for by message while the worker waits.
import type { CompiledPglite } from '../../db/pglite/pgliteInstance';
import type { LintSettings } from '../../model/lintSettings';
import type { RunReport, ServerInfo, ShadowReport } from '../../model/report';
import type { DrydockSettingsInput } from '../../model/settings';
import type { RunProgress } from '../../run/statementLoop';
import type { HistoryTool } from '../historyTools';
import type { ShadowTarget } from '../shadowRun';

/** What the worker is given when it starts. */
export interface WorkerStart {
  /** Where snapshots are kept; null keeps none. */
  cacheDir: string | null;
  /** PGlite's modules compiled by an earlier worker of the same owner (null: the worker compiles them). */
  compiled: CompiledPglite | null;
}

/** One dry-run, as the worker receives it. */
export interface RunRequest {
  type: 'run';
  id: number;
  targets: ShadowTarget[];
  settings?: DrydockSettingsInput;
  tool?: HistoryTool | 'auto';
  migrationsFolder?: string;
  noTransactionDirective?: string;
  setup: readonly string[];
  /** Each target's lint settings by its path (absent: the defaults). */
  lintSettings?: [string, LintSettings][];
  /** The run's start, as the caller's clock said (the report's startedAt). */
  startedAt: string;
}

/** The display names of the history's files, in the order the worker listed them. */
export interface NamesAnswer {
  type: 'names';
  id: number;
  names: string[];
}

export type ToWorker = RunRequest | NamesAnswer | { type: 'close' };

/** The shadow once prepared, for a report the caller builds should the worker end afterwards. */
export interface PreparedInfo {
  server: ServerInfo;
  stats: Pick<ShadowReport, 'kind' | 'label' | 'restored' | 'replayed' | 'bootMs' | 'replayMs'>;
  lacks: string[];
}

/** An error thrown by the dry-run in the worker, as data. */
export interface ThrownError {
  message: string;
  name: string;
  code?: string;
}

export type FromWorker =
  /** The history found: the worker waits for the files' display names (a NamesAnswer). */
  | { type: 'history'; id: number; tool: HistoryTool; files: string[] }
  /** Earlier migration `index` is about to be replayed. */
  | { type: 'replay'; id: number; index: number; total: number }
  | ({ type: 'prepared'; id: number } & PreparedInfo)
  /** A statement of the targets is about to run. */
  | { type: 'progress'; id: number; progress: RunProgress }
  | { type: 'skipped'; id: number; file: string; kind: string }
  | { type: 'report'; id: number; report: RunReport }
  | { type: 'error'; id: number; error: ThrownError }
  /** A snapshot for the owner to write to the cache (the worker's own event loop may be stuck in a statement). */
  | { type: 'snapshot'; key: string; tarball: Uint8Array }
  /** PGlite's modules, compiled by the worker (once): the owner hands them to the workers it starts later. */
  | ({ type: 'compiled' } & CompiledPglite)
  /** The worker closed its shadow (every snapshot handed over before this) and is about to end. */
  | { type: 'closed' };
