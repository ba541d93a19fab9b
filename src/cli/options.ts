// Options several commands share, parsed the same way everywhere.
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
