// Says on stderr which files drydock.json's startAfter keeps from being judged, so a check that
// reports nothing on them is never mistaken for a check that found nothing.
import path from 'node:path';
import { isUpToStartAfter } from '../core/config/drydockConfig';
import type { Io } from './io';
import type { FileLintSettings } from './lintConfig';

/** One stderr line per drydock.json whose startAfter covers some of the files. */
export function noteStartAfter(files: readonly string[], config: FileLintSettings, io: Io): void {
  const covered = new Map<string, { startAfter: string; count: number }>();
  for (const file of files) {
    const found = config.configFor(file);
    if (!found?.startAfter || !isUpToStartAfter(found, path.resolve(io.cwd(), file))) continue;
    const entry = covered.get(found.path) ?? { startAfter: found.startAfter, count: 0 };
    entry.count++;
    covered.set(found.path, entry);
  }
  for (const [configFile, { startAfter, count }] of covered) {
    io.stderr.write(`drydock: ${count} file(s) at or before startAfter ${startAfter} (${path.relative(io.cwd(), configFile) || configFile}): read for the schema, not judged\n`);
  }
}
