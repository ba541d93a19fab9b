// The boundary to libpg-query's WebAssembly module: text in, JSON out. Called directly rather than
// through the package's index for three reasons, each measured on `drydock check`: the index
// instantiates the module as soon as it is required (every command paid for it, `--help` too);
// it copies every input into WebAssembly memory one character at a time in JavaScript, where
// TextEncoder.encodeInto does it natively; and a piece of a large file that must be parsed after
// N bytes of padding (chunkedParse.ts) costs a memset here instead of an N-character string.
import createModule, { type LibpgQueryModule } from 'libpg-query/wasm/libpg-query.js';

/** A syntax error from the parser, shaped as libpg-query's own SqlError. */
export class ParserSyntaxError extends Error {
  override name = 'SqlError';
  constructor(message: string, readonly sqlDetails: { message: string; cursorPosition: number; fileName?: string; functionName?: string; lineNumber?: number }) {
    super(message);
  }
}

let instance: LibpgQueryModule | null = null;
let loading: Promise<void> | null = null;
const encoder = new TextEncoder();

/** Instantiates the WebAssembly module once; later calls share the first. */
export function loadWasmParser(): Promise<void> {
  loading ??= createModule().then((m) => {
    instance = m;
  });
  return loading;
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
    result = m._wasm_parse_query_raw(input);
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
    result = m[name](input);
    return m.UTF8ToString(result);
  } finally {
    m._free(input);
    if (result) m._wasm_free_string(result);
  }
}
