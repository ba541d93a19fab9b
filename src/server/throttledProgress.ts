// Work done progress at a pace an editor can draw: a replay reports every migration (hundreds in a
// second on a warm shadow) and each report is a message the client forwards to its window. The
// latest message wins; at most one goes out per PROGRESS_INTERVAL_MS, and the last one is not lost.
import type { WorkDoneProgressReporter } from 'vscode-languageserver/node';

/** The least time between two progress messages sent to the client. */
const PROGRESS_INTERVAL_MS = 150;

/** Wraps a reporter so that report() sends at most one message per interval (the latest). */
export function throttledProgress(reporter: WorkDoneProgressReporter | null): WorkDoneProgressReporter | null {
  if (!reporter) return null;
  let lastSent = 0;
  let pending: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    lastSent = Date.now();
    const send = pending;
    pending = undefined;
    send?.();
  };
  const later = (send: () => void) => {
    pending = send;
    const wait = PROGRESS_INTERVAL_MS - (Date.now() - lastSent);
    if (wait <= 0) flush();
    else timer ??= setTimeout(flush, wait);
  };
  const stop = () => {
    clearTimeout(timer);
    timer = undefined;
    pending = undefined;
  };
  return {
    begin: (...args: Parameters<WorkDoneProgressReporter['begin']>) => reporter.begin(...args),
    report: ((...args: [number] | [string] | [number, string | undefined]) => later(() => (reporter.report as (...a: unknown[]) => void)(...args))) as WorkDoneProgressReporter['report'],
    done: () => {
      stop();
      reporter.done();
    },
  };
}
