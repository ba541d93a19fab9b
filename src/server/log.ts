// The server's log, sent to the client as window/logMessage, and the one mask for everything the
// server sends: every line, error and report passes through core's SecretMask with every password
// the server has been handed (a connection in a command's arguments), so an error quoting a URL
// or a notice echoing a password never shows it. The passwords themselves are kept only as the
// mask's pattern, in memory, for the life of the process.
import { MessageType, type Connection } from 'vscode-languageserver/node';
import { secretsOf, type ConnectionSettings } from '../core/db/connection';
import { GrowingSecretMask } from '../core/model/secretMask';

/** Masked logging to the client. */
export class ServerLog extends GrowingSecretMask {
  constructor(private readonly connection: Connection) {
    super();
  }

  /** Remembers a connection's passwords to mask from now on. */
  addConnection(settings: ConnectionSettings): void {
    this.addSecrets(secretsOf(settings));
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
