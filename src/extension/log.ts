// The "Drydock" log channel, and the one mask for everything the extension shows: every line,
// message and report passes through core's SecretMask with every password Drydock has handled in
// this session, so a connection error quoting a URL, or a notice echoing a password, never shows it.
import * as vscode from 'vscode';
import { GrowingSecretMask } from '../core/model/secretMask';

/** The "Drydock" LogOutputChannel with secret masking. */
export class Log extends GrowingSecretMask implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    super();
    this.channel = vscode.window.createOutputChannel('Drydock', { log: true });
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
