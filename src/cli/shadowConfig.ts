// The shadow's settings for a dry-run or an audit: drydock.json's shadowSetup, shadowConnection,
// tool and migrations folder, with the command-line flags (--shadow-setup, --shadow-db) winning.
// Which one is used is said on stderr, so a replay that sends SQL nobody typed is never a surprise.
import path from 'node:path';
import type { DrydockConfig } from '../core/config/drydockConfig';
import { expandShadowConnection } from '../core/config/projectSettings';
import type { HistoryTool } from '../core/shadow/historyTools';
import { UsageError, type Io } from './io';

/** What the shadow is told, and where each part came from. */
export interface ShadowConfig {
  setup: string[];
  /** The shadow server's URL (--shadow-db's, else drydock.json's expanded), or undefined for PGlite. */
  shadowDb: string | undefined;
  /** What names the shadow server in messages: --shadow-db or drydock.json's shadowConnection. */
  shadowDbOption: string;
  tool?: HistoryTool;
  migrationsFolder?: string;
  noTransactionDirective?: string;
}

/** The shadow settings from the flags and the config above the files (null: none), with what was used said on stderr. */
export function shadowConfigOf(config: DrydockConfig | null, flags: { setup: readonly string[] | undefined; shadowDb: string | undefined }, io: Io): ShadowConfig {
  const say = (text: string) => io.stderr.write(`drydock: ${text}\n`);
  const shown = config ? path.relative(io.cwd(), config.path) || config.path : '';
  let setup: string[] = [];
  if (flags.setup !== undefined && flags.setup.length > 0) {
    setup = [...flags.setup];
    if (config && config.shadowSetup.length > 0) say(`--shadow-setup replaces ${shown}'s shadowSetup`);
  } else if (config && config.shadowSetup.length > 0) {
    setup = config.shadowSetup.map((e) => e.sql);
    const sources = config.shadowSetup.map((e) => (e.file ? path.relative(io.cwd(), e.file) : 'inline SQL'));
    say(`shadow setup from ${shown}'s shadowSetup (${sources.join(', ')})`);
  }
  let shadowDb = flags.shadowDb;
  let shadowDbOption = '--shadow-db';
  if (shadowDb !== undefined) {
    if (config?.shadowConnection) say(`--shadow-db replaces ${shown}'s shadowConnection`);
  } else if (config?.shadowConnection) {
    try {
      shadowDb = expandShadowConnection(config.shadowConnection, io.env, shown);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    shadowDbOption = `${shown}'s shadowConnection`;
    say(`shadow on the server of ${shown}'s shadowConnection (a scratch database)`);
  }
  const result: ShadowConfig = { setup, shadowDb, shadowDbOption };
  if (config?.tool) {
    result.tool = config.tool;
    say(`migration tool ${config.tool} (${shown}'s tool)`);
  }
  if (config?.migrations) result.migrationsFolder = config.migrations;
  if (config?.noTransactionDirective) result.noTransactionDirective = config.noTransactionDirective;
  return result;
}
