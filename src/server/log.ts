// The server's log, sent to the client as window/logMessage, and the one mask for everything the
// server sends: every line, error and report passes through core's SecretMask with every password
// the server has been handed (a connection in a command's arguments), so an error quoting a URL
// or a notice echoing a password never shows it. The passwords themselves are kept only as the
// mask's pattern, in memory, for the life of the process.
import { MessageType, type Connection } from 'vscode-languageserver/node';
import { secretsOf, type ConnectionSettings } from '../core/db/connection';
import { SecretMask } from '../core/model/secretMask';

/** Masked logging to the client. */
export class ServerLog {
  private readonly secrets = new Set<string>();
  private masker = new SecretMask([]);

  constructor(private readonly connection: Connection) {}

  /** Remembers a connection's passwords to mask from now on. */
  addConnection(settings: ConnectionSettings): void {
    this.addSecrets(secretsOf(settings));
  }

  addSecrets(secrets: readonly string[]): void {
    const before = this.secrets.size;
    for (const secret of secrets) if (secret) this.secrets.add(secret);
    if (this.secrets.size !== before) this.masker = new SecretMask([...this.secrets]);
  }

  /** The text with every known secret masked. */
  mask(text: string): string {
    return this.masker.text(text);
  }

  /** A copy of a report (or query rows) with every known secret masked in every string. */
  maskDeep<T>(value: T): T {
    return this.masker.deep(value);
  }

  info(message: string): void {
    this.send(MessageType.Info, message);
  }

  warn(message: string): void {
    this.send(MessageType.Warning, message);
  }

  error(message: string): void {
    this.send(MessageType.Error, message);
  }

  private send(type: MessageType, message: string): void {
    // A log line must never be the thing that fails (the connection may be closing).
    try {
      void this.connection.sendNotification('window/logMessage', { type, message: this.mask(message) }).catch(() => undefined);
    } catch {
      // ignored: see above
    }
  }
}

/** An error's message for the client, masked. */
export function errorText(log: ServerLog, err: unknown): string {
  return log.mask(err instanceof Error ? err.message : String(err));
}
