// Typed wrappers over the editor's SecretStorage (passwords) and global Memento (dev marks).
import type * as vscode from 'vscode';
import type { ServerIdentity } from '../../core/db/identity';

export type { ServerIdentity };

const PASSWORD_PREFIX = 'drydock.password.';
const DEV_MARKS_KEY = 'drydock.devMarks';

/** Connection passwords, kept only in SecretStorage and keyed by connection name. */
export class PasswordStore {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get(connection: string): Thenable<string | undefined> {
    return this.storage.get(PASSWORD_PREFIX + connection);
  }

  set(connection: string, password: string): Thenable<void> {
    return this.storage.store(PASSWORD_PREFIX + connection, password);
  }

  delete(connection: string): Thenable<void> {
    return this.storage.delete(PASSWORD_PREFIX + connection);
  }
}

/** Dev-database marks: connection name → the identity of the server recorded at marking time. */
export class DevMarks {
  constructor(private readonly memento: vscode.Memento) {}

  get(connection: string): ServerIdentity | undefined {
    return this.all()[connection];
  }

  async set(connection: string, identity: ServerIdentity): Promise<void> {
    await this.memento.update(DEV_MARKS_KEY, { ...this.all(), [connection]: identity });
  }

  async delete(connection: string): Promise<void> {
    const { [connection]: _removed, ...rest } = this.all();
    await this.memento.update(DEV_MARKS_KEY, rest);
  }

  private all(): Record<string, ServerIdentity> {
    return this.memento.get<Record<string, ServerIdentity>>(DEV_MARKS_KEY, {});
  }
}
