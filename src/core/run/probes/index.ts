// The probes every run uses, in the order the statement loop calls them.
import { catalogChangesProbe } from './catalogChanges';
import { fixQueryProbe } from './fixQuery';
import { leftoverIndexesProbe } from './leftoverIndexes';
import { relationStateProbe } from './relationState';
import type { ProbeFactory } from './probe';

/**
 * The default probes: what the statement did to the declared objects and to the tables it touches
 * (locks, rewrites, scans), measured before anything else queries the session, explanations last.
 * (A statement's notices and row count come with its answer: the statement loop records them.)
 */
export const DEFAULT_PROBES: readonly ProbeFactory[] = [catalogChangesProbe, relationStateProbe, leftoverIndexesProbe, fixQueryProbe];
