// Writing a command's report. A report can be of any size (200,000 statements, a DO block's
// 200,000 notices, a 10 MB statement): it is rendered in pieces and written in blocks, never as
// one string. And once a command connected, its outcome reaches the user whatever fails while
// rendering: the outcome alone is written instead, and the exit code is the outcome's.
import { SecretMask } from '../core/model/secretMask';
import type { Io } from './io';

// About this much is handed to the stream at a time.
const BLOCK_CHARS = 1 << 20;

function reasonOf(err: unknown): string {
  return (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 300);
}

/** Writes pieces of text in blocks, waiting whenever the stream asks to. */
async function writeBlocks(stream: Io['stdout'], pieces: readonly string[]): Promise<void> {
  let block = '';
  const flush = async () => {
    if (block === '') return;
    const full = !stream.write(block);
    block = '';
    if (full) await new Promise<void>((resolve) => stream.once('drain', resolve));
  };
  for (const piece of pieces) {
    block += piece;
    if (block.length >= BLOCK_CHARS) await flush();
  }
  await flush();
}

/** What a command writes: its full report in pieces, and its outcome alone for when that fails. */
export interface ReportOutput {
  pieces(): Iterable<string>;
  /** The outcome alone, in the same format; `reason` says why the full report is missing. */
  outcome(reason: string): string;
  /** The last resort: one plain line that cannot fail. */
  verdict(): string;
}

/**
 * Writes the report, passwords masked, followed by a line break. Should rendering it fail, the
 * outcome alone is written (and, should that fail too, one plain line).
 */
export async function writeReport(io: Io, output: ReportOutput, secrets: readonly string[] = []): Promise<void> {
  // The renderers mask the report's data; this is the last look, at what they wrote around it.
  const mask = new SecretMask(secrets);
  let pieces: string[];
  try {
    pieces = [];
    // Each piece holds whole lines or whole JSON members, so a password is never split between two.
    for (const piece of output.pieces()) pieces.push(mask.text(piece));
  } catch (err) {
    try {
      pieces = [mask.text(output.outcome(reasonOf(err)))];
    } catch {
      pieces = [output.verdict()];
    }
  }
  pieces.push('\n');
  await writeBlocks(io.stdout, pieces);
}
