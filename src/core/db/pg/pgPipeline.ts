// A pipeline of statements as one pg submittable: for each statement Parse, Bind, Execute and
// Flush, then one Sync for all of them. The server runs them in order as it reads them, so a run
// pays one round trip for many statements instead of one each. After an error the server skips
// every message up to the Sync, so nothing after a failed statement runs, as in `psql -1` with
// ON_ERROR_STOP. Flush after each Execute makes the server send each answer as the statement ends:
// the time between two answers is the statement's own time (on this side of a busy event loop,
// answers read together are timed together).
import { performance } from 'node:perf_hooks';
import type { Client, Connection } from 'pg';
import type { NoticeReport } from '../../model/report';
import { noticeOf, type NoticeMessage, type PipelineOptions, type PipelineOutcome } from '../backend';
import { pushAll } from '../../model/arrays';

// "INSERT 0 5", "UPDATE 3", "SELECT 1", "CREATE TABLE": the row count is the last number, when there is one.
const COMMAND_TAG = /^[A-Za-z ]+?(?: (\d+))?(?: (\d+))?$/;

/** The row count a CommandComplete tag carries, as pg reads it. */
export function rowCountOf(tag: string): number | null {
  const match = COMMAND_TAG.exec(tag);
  const count = match?.[2] ?? match?.[1];
  return count === undefined ? null : Number(count);
}

class PipelineSubmittable {
  private readonly outcome: PipelineOutcome = { ran: [] };
  private notices: NoticeReport[] = [];
  private lastEnd = 0;
  private submitted = false;
  private settled = false;
  private connection: Connection | null = null;
  private readonly onReadyForQuery = (): void => this.finish();
  private readonly onEnd = (): void => {
    this.failed(new Error('Connection terminated while the statements ran'));
    this.finish();
  };

  constructor(
    private readonly statements: readonly string[],
    private readonly options: PipelineOptions,
    private readonly settle: (outcome: PipelineOutcome) => void,
  ) {}

  submit(connection: Connection): void {
    // pg stops telling a query anything after its ErrorResponse, but the transaction state comes
    // with the ReadyForQuery that answers the Sync: wait for it, or for the connection's end (pg's
    // own listeners run first: the state is updated, a broken connection already reported).
    this.connection = connection;
    connection.on('readyForQuery', this.onReadyForQuery);
    connection.on('end', this.onEnd);
    const stream = connection.stream as { cork?: () => void; uncork?: () => void };
    stream.cork?.();
    try {
      for (const text of this.statements) {
        connection.parse({ text, name: '', types: [] }, true);
        connection.bind({}, true);
        connection.execute({}, true);
        connection.flush();
      }
      connection.sync();
    } finally {
      stream.uncork?.();
    }
    this.lastEnd = performance.now();
    this.submitted = true;
  }

  /** A notice belongs to the statement whose answer has not arrived yet (messages arrive in order). */
  notice(msg: NoticeMessage): void {
    if (this.submitted && !this.settled) this.notices.push(noticeOf(msg));
  }

  private statementEnded(rowCount: number | null, command: string): void {
    const now = performance.now();
    this.outcome.ran.push({ rowCount, notices: this.notices, durationMs: now - this.lastEnd, command });
    this.notices = [];
    this.lastEnd = now;
    this.options.onStatementDone?.(this.outcome.ran.length - 1);
  }

  handleCommandComplete(msg: { text: string }): void {
    this.statementEnded(rowCountOf(msg.text), msg.text);
  }

  handleEmptyQuery(): void {
    this.statementEnded(null, '');
  }

  // Rows are not kept: the statements of a migration run for their effects.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCopyData(): void {}

  handlePortalSuspended(): void {
    // Only an Execute with a row limit suspends; these have none.
  }

  // In copy-in mode the server ignores Flush and Sync: after the CopyFail it skips messages up to a
  // Sync, and the pipeline's own was already ignored. The loop sends COPY last in its pipeline, so
  // one more Sync is its end. (A COPY with statements behind it fails on the first of them instead.)
  handleCopyInResponse(connection: Connection & { sendCopyFail(message: string): void }): void {
    connection.sendCopyFail('COPY FROM STDIN has no data in a Drydock run');
    if (this.outcome.ran.length === this.statements.length - 1) connection.sync();
  }

  /**
   * The server's ErrorResponse, or pg's word that the connection broke. Either way the pipeline
   * ends with the ReadyForQuery that answers its Sync or with the connection's end, whichever comes.
   */
  handleError(err: unknown): void {
    this.failed(err);
    if (!this.submitted) this.finish();
  }

  private failed(err: unknown): void {
    if (this.settled || this.outcome.error !== undefined) return;
    // A connection that breaks after the last answer but before the Sync's: the last statement's fate is unknown.
    if (this.outcome.ran.length < this.statements.length) {
      this.outcome.ran.push({ rowCount: null, notices: this.notices, durationMs: performance.now() - this.lastEnd, command: '' });
    }
    this.outcome.error = err;
  }

  handleReadyForQuery(): void {
    this.finish();
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    // Notices after the last answer (a deferred trigger at the commit that ends an implicit transaction) are its.
    const last = this.outcome.ran[this.outcome.ran.length - 1];
    if (last && this.notices.length > 0 && last.notices !== this.notices) pushAll(last.notices, this.notices);
    this.connection?.off('readyForQuery', this.onReadyForQuery);
    this.connection?.off('end', this.onEnd);
    this.settle(this.outcome);
  }
}

/** Runs the statements as one pipeline on the client (see the file's comment). */
export function runPipeline(client: Client, statements: readonly string[], options: PipelineOptions = {}): Promise<PipelineOutcome> {
  if (statements.length === 0) return Promise.resolve({ ran: [] });
  return new Promise((resolve) => {
    let submittable: PipelineSubmittable | null = null;
    const onNotice = (msg: NoticeMessage) => submittable?.notice(msg);
    client.on('notice', onNotice);
    submittable = new PipelineSubmittable(statements, options, (outcome) => {
      client.off('notice', onNotice);
      resolve(outcome);
    });
    client.query(submittable);
  });
}
