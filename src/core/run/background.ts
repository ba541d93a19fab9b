// Work a run does while it waits for the server: a generator's steps, driven in short slices
// between the I/O the run waits for, so that CPU work nothing sent depends on (judging every rule,
// working out what the probes will ask of each statement) overlaps the statements' execution.
import { performance } from 'node:perf_hooks';
import { allSteps, type Steps } from '../model/steps';

/** Work done in steps between other work; `done()` resolves once it finished (or rethrows its error). */
export interface BackgroundWork {
  done(): Promise<void>;
  /** Takes no further step (done() then resolves without the result). */
  stop(): void;
}

// How long background work keeps the thread per turn of the event loop: a statement's answer that
// arrives meanwhile waits at most this long (a whole-history run's statements take ~1 ms each).
const SLICE_MS = 0.2;

/**
 * Drives the steps in short slices, one slice per turn of the event loop (setImmediate runs after
 * the I/O that is ready has been handled), then hands over the result.
 */
export function inBackground<T>(steps: Steps<T>, finished: (result: T) => void): BackgroundWork {
  // Settled into a value at once: an error must wait for done(), not become an unhandled rejection.
  let stopped = false;
  const outcome = new Promise<{ error: unknown } | null>((resolve) => {
    const slice = () => {
      if (stopped) return void resolve(null);
      try {
        const until = performance.now() + SLICE_MS;
        for (;;) {
          const next = steps.next();
          if (next.done) {
            finished(next.value);
            return void resolve(null);
          }
          if (performance.now() >= until) return void setImmediate(slice);
        }
      } catch (error) {
        resolve({ error });
      }
    };
    setImmediate(slice);
  });
  return {
    done: async () => {
      const failed = await outcome;
      if (failed) throw failed.error;
    },
    stop: () => {
      stopped = true;
    },
  };
}

/** Takes every step now, on this thread (when there is nothing to wait for that the steps could fill). */
export function rightAway<T>(steps: Steps<T>, finished: (result: T) => void): BackgroundWork {
  let outcome: { error: unknown } | null = null;
  try {
    finished(allSteps(steps));
  } catch (error) {
    outcome = { error };
  }
  return {
    done: async () => {
      if (outcome) throw outcome.error;
    },
    stop: () => undefined,
  };
}
