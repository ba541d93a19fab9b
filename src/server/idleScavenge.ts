// Young-generation garbage collection in the server's idle time. A check of a long migration
// allocates a few MB; V8 scavenges its young generation when it fills, in the middle of whichever
// check fills it, and a scavenge copies everything still alive there (the last check's results,
// kept for hover and code actions) — measured in the server's check loop, 8 scavenges in 100
// checks, each one of the slowest checks. Scavenged right after a check is published, while the
// editor's next edit waits out its settle delay anyway, the next check starts with an empty young
// generation and a check's allocation fits in it. Only the young generation: a full collection
// forced this way made every check after it slower (V8 drops the compiled code it judged cold).
import v8 from 'node:v8';
import vm from 'node:vm';

type Collect = (options: { type: 'minor' }) => void;

let collect: Collect | null | undefined;

/** V8's own collector, exposed to a fresh context only (the server's globals stay as they are); null where it cannot be had. */
function collector(): Collect | null {
  if (collect !== undefined) return collect;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    collect = typeof gc === 'function' ? (gc as Collect) : null;
  } catch {
    collect = null;
  }
  return collect;
}

let pending: NodeJS.Immediate | null = null;

/** Scavenges the young generation once the current turn's work is done (coalesced); false where V8's collector is not available. */
export function scavengeWhenIdle(): boolean {
  const gc = collector();
  if (!gc) return false;
  pending ??= setImmediate(() => {
    pending = null;
    gc({ type: 'minor' });
  });
  return true;
}
