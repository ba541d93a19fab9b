// The Emscripten module inside libpg-query (the package ships no types for it): only the exports
// core/parse/wasmParser.ts calls. The package's index wraps the same exports, but instantiates the
// module as soon as it is required and copies every input through a JavaScript loop.
declare module 'libpg-query/wasm/libpg-query.js' {
  export interface LibpgQueryModule {
    /** The module's memory; replaced when the memory grows, so read it after every call. */
    HEAPU8: Uint8Array;
    _malloc(size: number): number;
    _free(pointer: number): void;
    /** A PgQueryParseResult*: { char* tree JSON, char* stderr, PgQueryError* error }. */
    _wasm_parse_query_raw(query: number): number;
    _wasm_free_parse_result(result: number): void;
    /** A char*: the tokens as JSON, or an error message. */
    _wasm_scan(query: number): number;
    /** A char*: the PL/pgSQL tree as JSON, or an error message. */
    _wasm_parse_plpgsql(query: number): number;
    /** A char*: the fingerprint, or an error message. */
    _wasm_fingerprint(query: number): number;
    _wasm_free_string(pointer: number): void;
    getValue(pointer: number, type: 'i32'): number;
    UTF8ToString(pointer: number): string;
    lengthBytesUTF8(text: string): number;
    stringToUTF8(text: string, pointer: number, maxBytes: number): void;
  }
  /** The imports the module is instantiated with (Emscripten's loader makes them). */
  export type WasmImports = Record<string, Record<string, unknown>>;
  /** A WebAssembly instance as far as the loader needs one (this project's lib has no WebAssembly types). */
  export interface WasmInstance {
    exports: Record<string, unknown>;
  }
  export interface ModuleOptions {
    /** Instantiates the module instead of the loader; `receive` takes the instance (Emscripten's hook). */
    instantiateWasm?(imports: WasmImports, receive: (instance: WasmInstance) => void): object;
  }
  const createModule: (options?: ModuleOptions) => Promise<LibpgQueryModule>;
  export default createModule;
}
