// The language server's log lines (window/logMessage) into the "Drydock" channel, written in
// batches. The language client's own handler formats each line with toLocaleTimeString (its first
// call loads locale data: ~70 ms of the extension host's thread) and writes it at once, into a
// channel that stamps the time again; a run's burst of lines then lands in one turn. Here each line
// keeps its level, and they are written a few dozen per turn, a short while after they arrive.
import { MessageType, type LogMessageParams } from 'vscode-languageclient/node';
import type { Log } from '../log';

/** How long lines gather before they are written. */
const FLUSH_AFTER_MS = 100;
/** Lines written per turn of the event loop; the rest wait for the next turn. */
const LINES_PER_TURN = 50;

/** Queues the server's log lines and writes them into the Drydock log in batches. */
export class ServerLogLines {
  private queue: LogMessageParams[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly log: Log) {}

  /** Takes one window/logMessage. */
  add(message: LogMessageParams): void {
    this.queue.push(message);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_AFTER_MS);
  }

  /** Writes up to LINES_PER_TURN lines now, and schedules the rest. */
  private flush(): void {
    this.timer = undefined;
    const lines = this.queue.splice(0, LINES_PER_TURN);
    for (const { type, message } of lines) {
      if (type === MessageType.Error) this.log.error(message);
      else if (type === MessageType.Warning) this.log.warn(message);
      else this.log.info(message);
    }
    if (this.queue.length > 0) this.timer = setTimeout(() => this.flush(), 0);
  }

  /** Writes whatever is still queued (the server is stopping). */
  dispose(): void {
    clearTimeout(this.timer);
    while (this.queue.length > 0) this.flush();
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
