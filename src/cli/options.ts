// Options several commands share, parsed the same way everywhere.
import { DURATION_UNITS, parseDurationMs } from '../core/model/durations';
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

/** A duration given on the command line: milliseconds, or with PostgreSQL's units ("2s", "1min"). */
export function milliseconds(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDurationMs(value);
  if (ms === null) throw new UsageError(`${name} must be a number of milliseconds or a duration with a unit (${DURATION_UNITS.join(', ')}), got ${value}`);
  return ms;
}
