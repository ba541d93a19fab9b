// Hang detection for the language server: a cheap request (drydock/ping) every interval while the
// server runs. The server answers it from its own event loop, which stays free while it works (the
// PGlite shadow runs in a worker thread, PostgreSQL runs are asynchronous), so no answer within a
// generous time means its thread is stuck: the owner ends the process, and the crash path restarts
// it, says so once and fails the requests in flight.
import type { PingResult } from '../../server/protocol';

/** How often the server is asked, and how long an answer may take before it counts as hung. */
export interface HeartbeatTiming {
  intervalMs: number;
  timeoutMs: number;
}

/** Generous: a check of a very large file on a loaded machine may hold the server's thread for seconds. */
export const DEFAULT_HEARTBEAT: HeartbeatTiming = { intervalMs: 10_000, timeoutMs: 45_000 };

/** Pings while started; calls onHung once when an answer does not come in time. */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private waiting = false;
  /** Increases on every start and stop: an answer or a deadline of an earlier life is ignored. */
  private life = 0;
  /** The server's process id, from its last answer. */
  pid: number | undefined;

  constructor(
    private readonly ping: () => Promise<PingResult>,
    private readonly onHung: (pid: number | undefined) => void,
    public timing: HeartbeatTiming = DEFAULT_HEARTBEAT,
  ) {}

  /** Starts pinging (again): once at once, so the server's pid is known early, then every interval. */
  start(): void {
    this.stop();
    this.timer = setInterval(() => this.beat(), this.timing.intervalMs);
    this.beat();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.waiting = false;
    this.life += 1;
  }

  private beat(): void {
    if (this.waiting) return;
    this.waiting = true;
    const life = this.life;
    let answered = false;
    const deadline = setTimeout(() => {
      if (answered || this.life !== life) return;
      this.stop();
      this.onHung(this.pid);
    }, this.timing.timeoutMs);
    this.ping().then((result) => {
      this.pid = result.pid;
    }, () => {
      // A failed ping is the transport's business (the crash path sees a closed connection).
    }).finally(() => {
      answered = true;
      clearTimeout(deadline);
      if (this.life === life) this.waiting = false;
    });
  }
}
