// Typed wrappers over the editor's SecretStorage (passwords) and global Memento (dev marks). Both
// are bound to where the connection points, not only to its name: a workspace can define a
// connection with the name of one of the user's, pointing at its own server, and must get
// neither the user's password nor the user's dev mark.
import type * as vscode from 'vscode';
import { endpointKey, type Endpoint } from '../../core/db/connection';
import { isDevMark, type DevMark, type ServerIdentity } from '../../core/db/identity';

export type { DevMark, ServerIdentity };

/** Before passwords were bound to endpoints: one password per connection name. */
const NAME_ONLY_PREFIX = 'drydock.password.';
/** Per connection name, a JSON object of endpoint key → password. */
const PASSWORDS_PREFIX = 'drydock.endpointPasswords.';
const DEV_MARKS_KEY = 'drydock.devMarks';

/** Connection passwords, kept only in SecretStorage, each bound to the connection's name and endpoint. */
export class PasswordStore {
  constructor(private readonly storage: vscode.SecretStorage) {}

  /** The password stored for this connection at this endpoint (host, port, database, user), if any. */
  async get(connection: string, endpoint: Endpoint): Promise<string | undefined> {
    return (await this.entries(connection))[endpointKey(endpoint)];
  }

  async set(connection: string, endpoint: Endpoint, password: string): Promise<void> {
    await this.write(connection, { ...(await this.entries(connection)), [endpointKey(endpoint)]: password });
  }

  /** Forgets the connection's password at this endpoint, or at every endpoint (and its name-only one). */
  async delete(connection: string, endpoint?: Endpoint): Promise<void> {
    if (endpoint === undefined) {
      await this.storage.delete(PASSWORDS_PREFIX + connection);
      await this.storage.delete(NAME_ONLY_PREFIX + connection);
      return;
    }
    const { [endpointKey(endpoint)]: _removed, ...rest } = await this.entries(connection);
    await this.write(connection, rest);
  }

  /** A password an earlier Drydock stored under the connection's name alone (not knowing where it was meant for). */
  nameOnly(connection: string): Thenable<string | undefined> {
    return this.storage.get(NAME_ONLY_PREFIX + connection);
  }

  deleteNameOnly(connection: string): Thenable<void> {
    return this.storage.delete(NAME_ONLY_PREFIX + connection);
  }

  private async entries(connection: string): Promise<Record<string, string>> {
    const raw = await this.storage.get(PASSWORDS_PREFIX + connection);
    if (raw === undefined) return {};
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch {
      return {};
    }
  }

  private async write(connection: string, entries: Record<string, string>): Promise<void> {
    if (Object.keys(entries).length === 0) await this.storage.delete(PASSWORDS_PREFIX + connection);
    else await this.storage.store(PASSWORDS_PREFIX + connection, JSON.stringify(entries));
  }
}

/** Dev-database marks: connection name → the endpoint it was marked at and the server found there. */
export class DevMarks {
  constructor(private readonly memento: vscode.Memento) {}

  /** The connection's mark; undefined when it has none or only one recorded before marks were bound to endpoints. */
  get(connection: string): DevMark | undefined {
    const stored = this.all()[connection];
    return isDevMark(stored) ? stored : undefined;
  }

  /** True when the connection has a mark from before marks were bound to endpoints (it no longer allows an apply). */
  hasOutdated(connection: string): boolean {
    const stored = this.all()[connection];
    return stored !== undefined && !isDevMark(stored);
  }

  async set(connection: string, mark: DevMark): Promise<void> {
    await this.memento.update(DEV_MARKS_KEY, { ...this.all(), [connection]: mark });
  }

  async delete(connection: string): Promise<void> {
    const { [connection]: _removed, ...rest } = this.all();
    await this.memento.update(DEV_MARKS_KEY, rest);
  }

  private all(): Record<string, unknown> {
    return this.memento.get<Record<string, unknown>>(DEV_MARKS_KEY, {});
  }
}
