// The files a run covers. Apart from migrationPaths.ts so that `check`, which reads every script,
// does not load the shadow's history listing.
import { migrationsIn } from '../core/shadow/history';
import { expandDirs, sqlFilesUnder, type OnSkipped } from './migrationPaths';

/**
 * Each FILE as given; each DIR's migrations as its tool lists and orders them (crates.io's diesel
 * folder: versions without their dashes, no down.sql, not the loose data_oauth_github.sql diesel
 * never runs; a shell glob gets all three wrong), or, for a folder whose tool lists nothing there
 * (a project root), its forward .sql files (no diesel down.sql, golang-migrate NNN_x.down.sql,
 * sqitch revert/) walked in name order. Files named like migrations that are not regular files (a
 * FIFO would block the read) are left out and passed to `onSkipped`.
 */
export function expandRunPaths(args: readonly string[], onSkipped?: OnSkipped): string[] {
  return expandDirs(args, (dir) => {
    const { migrations, skipped } = migrationsIn(dir);
    for (const s of skipped) onSkipped?.(s.file, s.kind);
    const listed = migrations.map((m) => m.file);
    return listed.length > 0 ? listed : sqlFilesUnder(dir, true, onSkipped);
  });
}
