// The probes every run uses, in the order the statement loop calls them.
import { catalogChangesProbe } from './catalogChanges';
import { fixQueryProbe } from './fixQuery';
import { leftoverIndexesProbe } from './leftoverIndexes';
import { noticesProbe } from './notices';
import type { ProbeFactory } from './probe';

/**
 * The default probes: notices first (they arrive while the statement runs), then what the statement
 * did to the declared objects (measured before anything else queries the session), explanations last.
 */
export const DEFAULT_PROBES: readonly ProbeFactory[] = [noticesProbe, catalogChangesProbe, leftoverIndexesProbe, fixQueryProbe];
