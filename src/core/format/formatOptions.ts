// Formatting choices and their defaults, apart from the formatter itself: the extension reads its
// settings against these without loading the parser the formatter needs.

/** Layout choices; every key has a default (see DEFAULT_FORMAT_OPTIONS). */
export interface FormatOptions {
  keywordCase: 'upper' | 'lower' | 'preserve';
  /** Spaces per indent level. */
  indent: number;
  useTabs: boolean;
  /** Parenthesised expressions up to this many characters stay on one line. */
  lineWidth: number;
}

/** The layout formatSql uses for anything not given. */
export const DEFAULT_FORMAT_OPTIONS: Readonly<FormatOptions> = Object.freeze({
  keywordCase: 'upper',
  indent: 2,
  useTabs: false,
  lineWidth: 50,
});
