// The "Drydock" log channel. Every line passes through maskSecrets with every password Drydock
// has handled in this session, so a connection error quoting a URL never shows its password.
import * as vscode from 'vscode';
import { maskSecrets } from '../core/db/connection';

/** The "Drydock" LogOutputChannel with secret masking. */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel('Drydock', { log: true });
  }

  /** Remembers secrets to mask from now on. */
  addSecrets(secrets: readonly string[]): void {
    for (const secret of secrets) if (secret) this.secrets.add(secret);
  }

  /** The text with every known secret masked (for logs, messages and errors shown to the user). */
  mask(text: string): string {
    return maskSecrets(text, [...this.secrets]);
  }

  info(message: string): void {
    this.channel.info(this.mask(message));
  }

  warn(message: string): void {
    this.channel.warn(this.mask(message));
  }

  error(message: string): void {
    this.channel.error(this.mask(message));
  }

  dispose(): void {
    this.channel.dispose();
  }
}
