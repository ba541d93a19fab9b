// The probes every run uses, in the order the statement loop calls them.
import { catalogChangesProbe } from './catalogChanges';
import { fixQueryProbe } from './fixQuery';
import { leftoverIndexesProbe } from './leftoverIndexes';
import { noticesProbe } from './notices';
import { relationStateProbe } from './relationState';
import type { ProbeFactory } from './probe';

/**
 * The default probes: notices first (they arrive while the statement runs), then what the statement
 * did to the declared objects and to the tables it touches (locks, rewrites, scans), measured before
 * anything else queries the session, explanations last.
 */
export const DEFAULT_PROBES: readonly ProbeFactory[] = [noticesProbe, catalogChangesProbe, relationStateProbe, leftoverIndexesProbe, fixQueryProbe];
