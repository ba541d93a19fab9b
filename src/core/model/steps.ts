// Work in steps: a generator that yields between pieces of work and returns its result, so that a
// caller with something to wait for (a run awaiting the server) can take the steps in between,
// and any other caller takes them all at once.

/** Work that yields between its steps and returns a `T`. */
export type Steps<T> = Generator<void, T, void>;

/** Takes every step now and returns the result. */
export function allSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
