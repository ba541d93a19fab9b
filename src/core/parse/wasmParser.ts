// The boundary to libpg-query's WebAssembly module: text in, JSON out. Called directly rather than
// through the package's index for three reasons, each measured on `drydock check`: the index
// instantiates the module as soon as it is required (every command paid for it, `--help` too);
// it copies every input into WebAssembly memory one character at a time in JavaScript, where
// TextEncoder.encodeInto does it natively; and a piece of a large file that must be parsed after
// N bytes of padding (chunkedParse.ts) costs a memset here instead of an N-character string.
//
// A statement nested deeper than the module can print (its tree is written out by recursive C
// functions on the machine stack) ends the call with a RangeError. That unwinds the WebAssembly
// frames without their epilogues: the module's own stack pointer would stay where the deepest
// frame left it, and after a few such statements the next parse reads outside its memory. So each
// call puts the stack pointer back when it throws, and the instance (whose abandoned parse stays
// allocated) is replaced by a fresh one the next time the parser is loaded.
import fs from 'node:fs';
import path from 'node:path';
import createModule, { type LibpgQueryModule, type WasmImports, type WasmInstance } from 'libpg-query/wasm/libpg-query.js';
import libpgQueryPackage from 'libpg-query/package.json';

/** A syntax error from the parser, shaped as libpg-query's own SqlError. */
export class ParserSyntaxError extends Error {
  override name = 'SqlError';
  constructor(message: string, readonly sqlDetails: { message: string; cursorPosition: number; fileName?: string; functionName?: string; lineNumber?: number }) {
    super(message);
  }
}

/** A statement nested deeper than the parser can print: it ran out of stack (the parser is still usable). */
export class ParserStackOverflow extends Error {
  override name = 'ParserStackOverflow';
}

/** The module's stack pointer, read and written through its own exports. */
interface StackPointer {
  current(): number;
  restore(pointer: number): void;
}

// Emscripten names the module's exports with letters; its loader reads the stack pointer's two as
// wasmExports["R"] (emscripten_stack_get_current) and wasmExports["Q"] (_emscripten_stack_restore).
// The names change with each build of libpg-query: test/core/parserStack.test.ts fails until the
// installed version is listed here.
export const STACK_EXPORTS: Readonly<Record<string, { current: string; restore: string }>> = {
  '18.1.5': { current: 'R', restore: 'Q' },
};

/** The global WebAssembly API, as far as instantiating the module needs it. */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: WasmImports): Promise<WasmInstance>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let instance: LibpgQueryModule | null = null;
let stack: StackPointer | null = null;
let loading: Promise<void> | null = null;
let compiled: Promise<object> | null = null;
/** An overflow left an abandoned parse in the instance's memory: the next load replaces it. */
let spent = false;
const encoder = new TextEncoder();

/** The module's .wasm file: next to a bundle (dist/), else in the package. */
function wasmPath(): string {
  const beside = path.join(__dirname, 'libpg-query.wasm');
  return fs.existsSync(beside) ? beside : require.resolve('libpg-query/wasm/libpg-query.wasm');
}

/** The stack-pointer exports of this libpg-query build, when they are known and behave as such. */
function stackPointerOf(wasmExports: WasmInstance['exports'], memory: Uint8Array): StackPointer | null {
  const names = STACK_EXPORTS[libpgQueryPackage.version];
  const current = names ? wasmExports[names.current] : undefined;
  const restore = names ? wasmExports[names.restore] : undefined;
  if (typeof current !== 'function' || typeof restore !== 'function' || current.length !== 0 || restore.length !== 1) return null;
  const pointer: unknown = current();
  if (typeof pointer !== 'number' || pointer <= 0 || pointer >= memory.length) return null;
  return { current: current as () => number, restore: restore as (pointer: number) => void };
}

async function instantiate(): Promise<void> {
  compiled ??= fs.promises.readFile(wasmPath()).then((bytes) => wasm.compile(bytes));
  const module = await compiled;
  let made: WasmInstance | null = null;
  // The loader waits for `receive` forever: a failed instantiation rejects through the outer promise.
  const m = await new Promise<LibpgQueryModule>((resolve, reject) => {
    createModule({
      instantiateWasm(imports, receive) {
        wasm.instantiate(module, imports).then((instantiated) => {
          made = instantiated;
          receive(instantiated);
        }, reject);
        return {};
      },
    }).then(resolve, reject);
  });
  instance = m;
  stack = made ? stackPointerOf((made as WasmInstance).exports, m.HEAPU8) : null;
  spent = false;
}

/**
 * Instantiates the WebAssembly module once; later calls share it, except that an instance an
 * overflow left memory in is replaced (calls made meanwhile still use the old one).
 */
export function loadWasmParser(): Promise<void> {
  if (spent && loading) {
    spent = false;
    loading = null;
  }
  loading ??= instantiate().catch((err: unknown) => {
    // Not kept: the next load tries again (a wasm file missing now may be there then).
    loading = null;
    compiled = null;
    throw err;
  });
  return loading;
}

/**
 * Calls into the module. An exception that unwinds its frames (a stack overflow, in practice) puts
 * its stack pointer back and marks the instance for replacement; a stack overflow becomes a
 * ParserStackOverflow.
 */
function guarded<T>(call: () => T): T {
  const pointer = stack?.current() ?? null;
  try {
    return call();
  } catch (err) {
    if (pointer !== null) stack?.restore(pointer);
    spent = true;
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      throw new ParserStackOverflow('the statement is nested too deeply for the parser (it ran out of stack)');
    }
    throw err;
  }
}

/** True once loadWasmParser() has resolved. */
export function wasmParserLoaded(): boolean {
  return instance !== null;
}

function loaded(): LibpgQueryModule {
  if (!instance) throw new Error('the PostgreSQL parser is not loaded: await loadParser() first');
  return instance;
}

/** Copies `text`, after `padBytes` spaces, into the module's memory as a NUL-terminated string. */
function writeInput(m: LibpgQueryModule, text: string, padBytes: number): number {
  // TextEncoder would turn a lone surrogate into U+FFFD where Emscripten writes its three bytes
  // as they are: such (rare) text takes Emscripten's own path, so the parser sees what it always saw.
  const check = (text as string & { isWellFormed?: () => boolean }).isWellFormed;
  const wellFormed = check !== undefined && check.call(text);
  const size = padBytes + (wellFormed ? Buffer.byteLength(text, 'utf8') : m.lengthBytesUTF8(text)) + 1;
  const pointer = m._malloc(size);
  if (!pointer) throw new Error('the PostgreSQL parser is out of memory');
  const heap = m.HEAPU8;
  heap.fill(0x20, pointer, pointer + padBytes);
  if (wellFormed) {
    encoder.encodeInto(text, heap.subarray(pointer + padBytes, pointer + size - 1));
    heap[pointer + size - 1] = 0;
  } else {
    m.stringToUTF8(text, pointer + padBytes, size - padBytes);
  }
  return pointer;
}

/** The parse tree of `text` (read after `padBytes` spaces) as libpg-query's JSON; throws ParserSyntaxError. */
export function parseToJson(text: string, padBytes = 0): string {
  const m = loaded();
  const input = writeInput(m, text, padBytes);
  let result = 0;
  try {
    result = guarded(() => m._wasm_parse_query_raw(input));
    if (!result) throw new Error('Failed to parse query: memory allocation failed');
    const tree = m.getValue(result, 'i32');
    const error = m.getValue(result + 8, 'i32');
    if (error) {
      const text = (offset: number) => {
        const pointer = m.getValue(error + offset, 'i32');
        return pointer ? m.UTF8ToString(pointer) : undefined;
      };
      const message = text(0) ?? 'Unknown error';
      const line = m.getValue(error + 12, 'i32');
      const cursor = m.getValue(error + 16, 'i32');
      throw new ParserSyntaxError(message, {
        message, cursorPosition: cursor > 0 ? cursor - 1 : 0, fileName: text(8), functionName: text(4), lineNumber: line > 0 ? line : undefined,
      });
    }
    if (!tree) throw new Error('No parse tree generated');
    return m.UTF8ToString(tree);
  } finally {
    m._free(input);
    if (result) m._wasm_free_parse_result(result);
  }
}

type StringCall = '_wasm_scan' | '_wasm_parse_plpgsql' | '_wasm_fingerprint';

/** Calls one of the module's text-to-text functions; the caller tells a result from an error message. */
export function callWithText(name: StringCall, text: string): string {
  const m = loaded();
  const input = writeInput(m, text, 0);
  let result = 0;
  try {
    result = guarded(() => m[name](input));
    return m.UTF8ToString(result);
  } finally {
    m._free(input);
    if (result) m._wasm_free_string(result);
  }
}
