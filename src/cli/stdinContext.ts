// The folder around SQL read from standard input and named by --stdin-filename: the migrations its
// tool lists before and after that name (those drydock.json excludes left out), parsed, so the
// rules judge it as they judge that file in the editor. Loaded only for standard input: `check` of
// files does not list histories.
import path from 'node:path';
import { parseMigrationSync, type ParsedFile } from '../core/parse/parseMigration';
import { findHistoryFor } from '../core/shadow/history';
import type { Io } from './io';
import type { FileLintSettings } from './lintConfig';

/** The parsed migrations before (`context`) and after (`later`) the name; none when its folder cannot be read. */
export function folderAround(io: Io, stdinFilename: string, config: FileLintSettings): { context?: ParsedFile[]; later?: ParsedFile[] } {
  let history;
  try {
    // Listed as the editor lists that file's folder: drydock.json's tool and migrations folder count.
    history = findHistoryFor(path.resolve(io.cwd(), stdinFilename), config.configFor(stdinFilename));
  } catch {
    return {};
  }
  const parse = (migrations: readonly { file: string; text: string }[]) => migrations
    .filter((m) => !config.excluded(m.file))
    .map((m) => parseMigrationSync(m.file, m.text));
  return { context: parse(history.migrations), later: parse(history.later) };
}
