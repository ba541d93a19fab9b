// Loading and activating the bundled extension must not load the PostgreSQL parser: its 1.7 MB
// WebAssembly file is read and compiled when the parser module initialises, which costs activation
// ~100 ms. The bundle is loaded here outside VS Code, with a stand-in `vscode` module that answers
// every property with another stand-in, while every way Node can read a file or compile
// WebAssembly is watched.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { test } from 'node:test';

const bundle = path.join(__dirname, '..', '..', '..', 'dist', 'extension.js');

/** A value whose every property, call and construction is another such value. */
function standIn(): unknown {
  const target = function () {};
  return new Proxy(target, {
    // `then` stays undefined so an awaited stand-in is not taken for a promise.
    get: (_t, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => '' : standIn()),
    set: () => true,
    apply: () => standIn(),
    construct: () => standIn() as object,
    // esbuild's interop copies a module's prototype; a stand-in there answers every named import.
    getPrototypeOf: () => standIn() as object,
  });
}

type Resolver = (request: string, ...rest: unknown[]) => string;

/** Records every .wasm file read and every WebAssembly compilation while `load` runs. */
function watchWasm(load: () => void): string[] {
  const seen: string[] = [];
  const note = (file: unknown) => {
    if (String(file).endsWith('.wasm')) seen.push(String(file));
  };
  const restore: (() => void)[] = [];
  const patch = <T extends object, K extends keyof T>(owner: T, key: K, wrap: (original: T[K]) => T[K]) => {
    const original = owner[key];
    owner[key] = wrap(original);
    restore.push(() => { owner[key] = original; });
  };
  type Fn = (...args: unknown[]) => unknown;
  const spy = (original: unknown) => function (this: unknown, ...args: unknown[]) {
    note(args[0]);
    return (original as Fn).apply(this, args);
  };
  const compileSpy = (what: string) => (original: unknown) => function (this: unknown, ...args: unknown[]) {
    seen.push(`WebAssembly.${what}`);
    return (original as Fn).apply(this, args);
  };
  patch(fs, 'readFileSync', spy as never);
  patch(fs, 'readFile', spy as never);
  patch(fs, 'openSync', spy as never);
  patch(fs, 'createReadStream', spy as never);
  patch(fs.promises, 'readFile', spy as never);
  patch(fs.promises, 'open', spy as never);
  // Not in this project's TypeScript lib (no DOM), but present in Node.
  const wasm = (globalThis as unknown as { WebAssembly: { compile: unknown; instantiate: unknown } }).WebAssembly;
  patch(wasm, 'compile', compileSpy('compile') as never);
  patch(wasm, 'instantiate', compileSpy('instantiate') as never);
  try {
    load();
  } finally {
    for (const undo of restore.reverse()) undo();
  }
  return seen;
}

test('requiring and activating dist/extension.js reads no WebAssembly: the parser stays unloaded until a command needs it', async () => {
  assert.ok(fs.existsSync(bundle), 'dist/extension.js is missing: run `npm run build` first');
  const loader = Module as unknown as { _resolveFilename: Resolver; _cache: Record<string, unknown> };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request, ...rest) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  loader._cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: standIn() };
  try {
    let activated: unknown;
    const seen = watchWasm(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const extension = require(bundle) as { activate(context: unknown): unknown };
      activated = extension.activate(standIn());
    });
    assert.deepEqual(seen, [], 'loading or activating the extension loaded the parser');
    assert.ok(activated, 'activate() returned no API (it failed)');
    // Let the work activation defers (the first diagnostics pass) run; it must not throw either.
    await new Promise((r) => setTimeout(r, 10));
  } finally {
    loader._resolveFilename = resolve;
    delete loader._cache.vscode;
  }
});

test('the watch above does see a WebAssembly read (so the test can fail)', () => {
  const wasm = path.join(path.dirname(bundle), 'libpg-query.wasm');
  assert.ok(watchWasm(() => fs.readFileSync(wasm)).includes(wasm));
});
