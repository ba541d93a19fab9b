// Options several commands share, parsed the same way everywhere.
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

/** A millisecond count given on the command line. */
export function milliseconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a number of milliseconds, got ${value}`);
  return n;
}
