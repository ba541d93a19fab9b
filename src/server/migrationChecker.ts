// The check the editor runs on open and save, judged as `drydock check DIR` judges the file: the
// drydock.json above it (severities, pgVersion, assumeInTransaction, exclude), the other
// migrations of its folder around it (in the order the project's tool applies them, excluded
// files left out), then the rules. It imports no `vscode`, so bench/editorCheck.bench.ts can time
// exactly this path in plain Node. Parsed context files are kept between saves, keyed by their
// text, and so is the schema they teach, so a save parses and learns only the saved file.
import fs from 'node:fs';
import type { LearnedContext } from '../core/analyse/fileAnalysis';
import type { ConfigResolver, DrydockConfig } from '../core/config/drydockConfig';
import { readToolNoTransaction } from '../core/config/toolNoTransaction';
import type { LintSettings } from '../core/model/lintSettings';
import type { ToolNoTransaction } from '../core/model/toolNoTransaction';
import type { ParsedFile, ReparseCache } from '../core/parse/parseMigration';
import type { CheckedFile } from '../core/rules/checkMigration';
import type { History, HistoryMigration } from '../core/shadow/history';
import { checkEngine, type CheckEngine } from './engine';

/** A drydock.json that cannot be used, at the place it is wrong (1-based line and column). */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** UTF-16 length of the text to underline there (the key or token; at least 1). */
  length: number;
  message: string;
}

/** What checking one file came to. */
export type CheckOutcome =
  | { kind: 'checked'; checked: CheckedFile; settings: LintSettings; config: string | null; contextFiles: number }
  | { kind: 'excluded'; config: string }
  | { kind: 'config-error'; problem: ConfigProblem };

/** What the checker asks its host. */
export interface MigrationCheckerHost {
  /** The text of a file open with unsaved edits, or undefined to read it from disk. */
  openText?(file: string): string | undefined;
  /** The major version of the server the active connection last reached, if a run has told. */
  serverMajor?(): number | undefined;
  /** Something went wrong that is not the file's fault (a context file vanished mid-read). */
  warn?(message: string): void;
  /** Something the log should say (a .squawk.toml read in place of a drydock.json). */
  info?(message: string): void;
  /**
   * The folder around a file changed on disk since an edit's check reused its listing (a migration
   * added, removed or rewritten): the file's diagnostics need checking again.
   */
  folderChanged?(file: string): void;
}

/** How a check reads the migrations around the file. */
export type FolderListing =
  /** Listed now (open, save, a run): what is on disk at this moment. */
  | 'fresh'
  /**
   * The last listing, when there is one, listed again just after the check (an edit's check: the
   * folder is not what the user is changing, and listing a history of hundreds of migrations on
   * every keystroke costs ~1,000 file stats); if that listing differs, folderChanged says so.
   */
  | 'reuse';

/** How many parsed context files are kept (a few long histories open at once). */
const MAX_CACHED_CONTEXT = 5000;
/** How many files' learned contexts are kept (each is the schema of the migrations before one file). */
const MAX_LEARNED = 50;
/** How many files' folder listings are kept for their edits' checks. */
const MAX_LISTINGS = 50;

/** Checks migration files for the editor, with their config and context. */
export class MigrationChecker {
  private resolver: ConfigResolver | null = null;
  /** The .squawk.toml files whose reading the log has said (again after a config change). */
  private readonly squawkSaid = new Set<string>();
  private readonly parsed = new Map<string, ParsedFile>();
  private readonly learned = new Map<string, LearnedContext>();
  /** The checked files' last parses: an edit re-parses only the statements around it. */
  private reparse: ReparseCache | null = null;
  /** Each checked file's last listing of its folder, for its edits' checks. */
  private readonly listings = new Map<string, History>();
  /** Files whose folder is to be listed again once the current check is done. */
  private readonly relisting = new Set<string>();

  constructor(private readonly host: MigrationCheckerHost = {}) {}

  /** Forgets every drydock.json read so far (one was created, changed or deleted). */
  invalidateConfig(): void {
    this.resolver = null;
    this.squawkSaid.clear();
    // A drydock.json's tool and folder decide the listing.
    this.listings.clear();
  }

  /** Checks `text` as the content of the absolute path `file`. */
  async check(file: string, text: string, listing: FolderListing = 'fresh'): Promise<CheckOutcome> {
    const core = await checkEngine();
    // At once when the parser is loaded; it is replaced after a statement ran it out of stack (the abandoned parse stays in its memory).
    await core.parser.loadParser();
    try {
      const config = this.resolverOf(core).forFile(file);
      if (config?.squawkNotes && !this.squawkSaid.has(config.path)) {
        this.squawkSaid.add(config.path);
        this.host.info?.(`no drydock.json above ${file}; read ${config.path}: ${config.squawkNotes.join('; ')}`);
      }
      if (config && core.config.isExcluded(config, file)) return { kind: 'excluded', config: config.path };
      const settings = this.settingsOf(core, config, file);
      const { context, later } = this.folderOf(core, file, config, listing);
      const [checked] = core.rules.checkFiles([core.parser.parseMigrationSync(file, text, readToolNoTransaction(file) ?? core.config.projectNoTransaction(config, text), this.reparse ??= new core.parser.ReparseCache())], { settings, context: this.learnedOf(core, file, context), later });
      return { kind: 'checked', checked: checked!, settings, config: config?.path ?? null, contextFiles: context.length };
    } catch (err) {
      if (err instanceof core.config.ConfigError) return { kind: 'config-error', problem: problemOf(err, this.textOf(err.file)) };
      throw err;
    }
  }

  /**
   * The rules' settings for each file of a run, as its diagnostics use them; a ConfigProblem when
   * a drydock.json above one of them is broken (the run must not go ahead judged by defaults).
   * Read afresh: a run must not be judged by a config the file watcher has not reported yet.
   */
  async lintSettingsFor(files: readonly string[]): Promise<Map<string, LintSettings> | ConfigProblem> {
    const core = await checkEngine();
    const resolver = new core.config.ConfigResolver(knownRules(core));
    try {
      return new Map(files.map((file) => [file, this.settingsOf(core, resolver.forFile(file), file)]));
    } catch (err) {
      if (err instanceof core.config.ConfigError) return problemOf(err, this.textOf(err.file));
      throw err;
    }
  }

  /** The drydock.json that applies to a file, read afresh (as for a run's settings); a ConfigProblem when it is broken. */
  async configFor(file: string): Promise<DrydockConfig | null | ConfigProblem> {
    const core = await checkEngine();
    try {
      return new core.config.ConfigResolver(knownRules(core)).forFile(file);
    } catch (err) {
      if (err instanceof core.config.ConfigError) return problemOf(err, this.textOf(err.file));
      throw err;
    }
  }

  /** drydock.json's noTransactionDirective in the file's text (null when absent, not configured, or the config is broken: a run then refuses on it). */
  async projectNoTransactionOf(file: string, text: string): Promise<ToolNoTransaction | null> {
    const config = await this.configFor(file);
    const core = await checkEngine();
    return config !== null && 'path' in config ? core.config.projectNoTransaction(config, text) : null;
  }

  /** Validates a drydock.json's text on its own (opened or saved in the editor): its problem, or null. */
  async validateConfig(file: string, text: string): Promise<ConfigProblem | null> {
    const core = await checkEngine();
    try {
      core.config.parseConfig(file, text, knownRules(core));
      return null;
    } catch (err) {
      if (err instanceof core.config.ConfigError) return problemOf(err, text);
      throw err;
    }
  }

  private textOf(file: string): string | undefined {
    try {
      return this.host.openText?.(file) ?? fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  private resolverOf(core: CheckEngine): ConfigResolver {
    this.resolver ??= new core.config.ConfigResolver(knownRules(core));
    return this.resolver;
  }

  // pgVersion: the config's, else the connected server's major, else core's default; every rule off at or before startAfter.
  private settingsOf(core: CheckEngine, config: DrydockConfig | null, file: string): LintSettings {
    const major = config?.pgVersion == null ? this.host.serverMajor?.() : undefined;
    return core.config.underStartAfter(core.config.lintSettingsOf(config, major !== undefined ? { pgVersion: major } : {}), config, file, knownRules(core));
  }

  /**
   * The other migrations of the file's folder, parsed (from the cache when their text is unchanged),
   * before and after it in the tool's order, without the ones drydock.json excludes: what `drydock
   * check` of the folder would check together with the file.
   */
  private folderOf(core: CheckEngine, file: string, config: DrydockConfig | null, listing: FolderListing): { context: ParsedFile[]; later: ParsedFile[] } {
    // drydock.json's tool and folder, as the shadow replays them.
    const list = () => core.history.findHistoryFor(file, config);
    let history = listing === 'reuse' ? this.listings.get(file) : undefined;
    if (history) {
      this.relistSoon(file, list);
    } else {
      try {
        history = this.listed(file, list());
      } catch (err) {
        // A file deleted between listing and reading: judge without context this time.
        this.listings.delete(file);
        this.host.warn?.(`reading the migrations around ${file} failed: ${err instanceof Error ? err.message : String(err)}`);
        return { context: [], later: [] };
      }
    }
    return { context: this.parsedAll(core, history.migrations), later: this.parsedAll(core, history.later) };
  }

  private listed(file: string, history: History): History {
    if (!this.listings.has(file) && this.listings.size >= MAX_LISTINGS) this.listings.clear();
    this.listings.set(file, history);
    return history;
  }

  /**
   * Lists the file's folder again after the check that reused its last listing: a timer's turn
   * comes after the check's publish (promise callbacks), so the listing is never in an edit's wait.
   */
  private relistSoon(file: string, list: () => History): void {
    if (this.relisting.has(file)) return;
    this.relisting.add(file);
    setTimeout(() => {
      this.relisting.delete(file);
      const used = this.listings.get(file);
      let fresh: History | null = null;
      try {
        fresh = list();
      } catch {
        // Vanished mid-read: the next check lists it afresh and says what went wrong.
      }
      if (fresh) this.listed(file, fresh);
      else this.listings.delete(file);
      if (!fresh || !used || !sameListing(used, fresh)) this.host.folderChanged?.(file);
    }, 0);
  }

  /**
   * The schema the context teaches, learned once per file and kept while the same parsed files
   * (their texts unchanged) come before it: a save then learns only the saved file, however long
   * the history before it.
   */
  private learnedOf(core: CheckEngine, file: string, context: readonly ParsedFile[]): LearnedContext {
    const known = this.learned.get(file);
    if (known && known.files.length === context.length && known.files.every((f, i) => f === context[i])) return known;
    const learned = new core.analysis.LearnedContext(context);
    if (this.learned.size >= MAX_LEARNED) this.learned.clear();
    this.learned.set(file, learned);
    return learned;
  }

  private parsedAll(core: CheckEngine, migrations: readonly HistoryMigration[]): ParsedFile[] {
    const resolver = this.resolverOf(core);
    const parsed: ParsedFile[] = [];
    for (const migration of migrations) {
      if (core.config.isExcluded(resolver.forFile(migration.file), migration.file)) continue;
      const text = this.host.openText?.(migration.file) ?? migration.text;
      let known = this.parsed.get(migration.file);
      if (!known || known.text !== text) {
        known = core.parser.parseMigrationSync(migration.file, text);
        if (this.parsed.size >= MAX_CACHED_CONTEXT) this.parsed.clear();
        this.parsed.set(migration.file, known);
      }
      parsed.push(known);
    }
    return parsed;
  }
}

/** The same migrations, in the same order, with the same texts and settings: a check would read the same context. */
function sameListing(a: History, b: History): boolean {
  const same = (x: readonly HistoryMigration[], y: readonly HistoryMigration[]) => x.length === y.length
    && x.every((m, i) => m.file === y[i]!.file && m.text === y[i]!.text && m.noTransaction === y[i]!.noTransaction && m.version === y[i]!.version);
  return a.tool === b.tool && same(a.migrations, b.migrations) && same(a.later, b.later);
}

function knownRules(core: CheckEngine): Set<string> {
  return new Set(core.registry.RULES.map((r) => r.id));
}

/** The length of the JSON token at a 1-based line/column (a quoted key, a value), for the underline. */
function tokenLength(text: string | undefined, line: number, column: number): number {
  const lineText = text?.split('\n')[line - 1];
  if (lineText === undefined) return 1;
  const rest = lineText.slice(column - 1);
  const token = /^"(?:[^"\\]|\\.)*"|^[^\s,:{}[\]]+/.exec(rest)?.[0];
  return Math.max(token?.length ?? 1, 1);
}

function problemOf(err: { file: string; line: number; column: number; detail: string }, text?: string): ConfigProblem {
  return { file: err.file, line: err.line, column: err.column, length: tokenLength(text, err.line, err.column), message: err.detail };
}
