// The probes every run uses, in the order the statement loop calls them.
import { fixQueryProbe } from './fixQuery';
import { leftoverIndexesProbe } from './leftoverIndexes';
import { noticesProbe } from './notices';
import type { ProbeFactory } from './probe';

/** The default probes: notices first (they arrive while the statement runs), explanations after. */
export const DEFAULT_PROBES: readonly ProbeFactory[] = [noticesProbe, leftoverIndexesProbe, fixQueryProbe];
