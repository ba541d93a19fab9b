// WebAssembly compiled by V8's baseline compiler only (Liftoff), for commands that end within
// seconds. By default V8 also recompiles the parser's hot functions with its optimising compiler
// on background threads; in a short `check` that work never pays for itself: measured on 342
// migrations it cost 0.8 s of CPU and 20 MiB of peak memory, and the process waited ~0.3 s at
// exit for compile jobs still running — even after checking a single statement. PGlite (the
// shadow) is 9 MB of WebAssembly: tiering it up cost more than it saved even for a replay of a
// whole 342-migration history (Lemmy, cold: 8.1 s → 6.9 s Liftoff-only; warm: 2.7 s → 1.6–1.8 s,
// and 340 → 240 MiB peak), most of it waiting at exit for the compile jobs to finish.
import v8 from 'node:v8';

/** Keeps WebAssembly compiled later in this process on Liftoff; call before the parser loads. */
export function compileWasmForShortRun(): void {
  v8.setFlagsFromString('--liftoff-only');
}
