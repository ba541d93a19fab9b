// Options several commands share, parsed the same way everywhere.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { timeoutMs } from '../core/model/durations';
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from '../core/output/formats';
import { UsageError } from './io';

/** node:util parseArgs option specs shared by the commands. */
export const OUTPUT_OPTIONS = {
  json: { type: 'boolean' },
  format: { type: 'string' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** --format, with --json as its alias for `json`. */
export function outputFormatOf(values: { json?: boolean; format?: string }): OutputFormat {
  if (values.format !== undefined && !isOutputFormat(values.format)) {
    throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, got ${values.format}`);
  }
  if (values.json && values.format !== undefined && values.format !== 'json') throw new UsageError(`--json and --format ${values.format} contradict each other`);
  return values.json ? 'json' : (values.format as OutputFormat | undefined) ?? 'text';
}

/** A timeout given on the command line: whole milliseconds, or with PostgreSQL's units ("2s", "1min"); 0 turns it off. */
export function milliseconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = timeoutMs(value);
  if ('mustBe' in parsed) throw new UsageError(`${name} must be ${parsed.mustBe}, got ${value}${parsed.why ? `: ${parsed.why}` : ''}`);
  return parsed.ms;
}

/** Edits (insert, delete, replace, swap of neighbours) that turn `a` into `b`: how far a typo is from an option. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The option closest to an unknown one (`--fromat` → `--format`), when it is close enough to be the one meant. */
export function closestOption(given: string, known: readonly string[]): string | undefined {
  const bare = given.replace(/^-+/, '').split('=')[0]!;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(bare, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  // Within a third of the name's length (at least 1, at most 3 edits), or the given text is a prefix of it.
  const near = best && (best.distance <= Math.min(3, Math.max(1, Math.floor(best.name.length / 3))) || (bare.length >= 3 && best.name.startsWith(bare)));
  return near ? `--${best!.name}` : undefined;
}

/**
 * node:util parseArgs, its unknown-option error in Drydock's words: the option named, the closest
 * known one suggested, else the command's options listed (Node's own text explains `--` for
 * positionals, which is never what a typo needs).
 */
export function parseCommandArgs<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw err;
    const given = /Unknown option '([^']+)'/.exec((err as Error).message)?.[1] ?? 'option';
    const known = Object.keys(config.options ?? {});
    const suggestion = closestOption(given, known);
    throw new UsageError(suggestion
      ? `unknown option ${given} for ${command}: did you mean ${suggestion}?`
      : `unknown option ${given} for ${command}; its options are ${known.map((k) => `--${k}`).join(', ')}`);
  }
}
