// `drydock lsp [--stdio]`: the language server on stdin/stdout (src/server), for any editor with an
// LSP client. It runs until the client sends `exit` or closes its end; the server ends the process.
import { UsageError, type Io } from '../io';
import type { CommandRun } from './command';

export const runLsp: CommandRun = async (argv: string[], io: Io) => {
  const unknown = argv.filter((a) => a !== '--stdio');
  if (unknown.length > 0) throw new UsageError(`lsp takes no arguments but --stdio (got ${unknown.join(' ')})`);
  const { startServer } = await import('../../server/server');
  startServer({ input: io.stdin, output: io.stdout });
  // Never settles: the server exits the process itself on `exit`, and the CLI must not exit first.
  return new Promise<number>(() => undefined);
};
