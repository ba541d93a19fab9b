// A failure on one line, for a notification or a status bar tooltip: "Data conflict: duplicate key
// value violates …", and Drydock's own failures as the CLI says them ("Verification failed: index x
// is missing"), never "Database error: verification failed: …" (no database sent them).
import type { ErrorReport } from '../model/report';
import { isDrydockFailure } from './text';

/** The error's label (or Drydock's own title) and its message, on one line. */
export function errorLine(e: ErrorReport): string {
  if (!isDrydockFailure(e)) return `${e.label}: ${e.message}`;
  // Drydock's messages start with the title in lower case ("verification failed: …"): say it once.
  const lead = e.title.toLowerCase();
  return e.message.toLowerCase().startsWith(lead) ? `${e.title}${e.message.slice(lead.length)}` : `${e.title}: ${e.message}`;
}
