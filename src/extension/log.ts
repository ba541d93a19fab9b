// The "Drydock" log channel, and the one mask for everything the extension shows: every line,
// message and report passes through core's SecretMask with every password Drydock has handled in
// this session, so a connection error quoting a URL, or a notice echoing a password, never shows it.
import * as vscode from 'vscode';
import { SecretMask } from '../core/model/secretMask';

/** The "Drydock" LogOutputChannel with secret masking. */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();
  private masker = new SecretMask([]);

  constructor() {
    this.channel = vscode.window.createOutputChannel('Drydock', { log: true });
  }

  /** Remembers secrets to mask from now on. */
  addSecrets(secrets: readonly string[]): void {
    const before = this.secrets.size;
    for (const secret of secrets) if (secret) this.secrets.add(secret);
    if (this.secrets.size !== before) this.masker = new SecretMask([...this.secrets]);
  }

  /** The text with every known secret masked (for logs, messages and errors shown to the user). */
  mask(text: string): string {
    return this.masker.text(text);
  }

  /**
   * A copy of a report (or query rows) with every known secret masked in every string, before the
   * views, diagnostics and messages show or shorten any of it.
   */
  maskDeep<T>(value: T): T {
    return this.masker.deep(value);
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
