// Turns the configured connections (settings) and their passwords (SecretStorage) into what core
// connects with. With no configured connection, DATABASE_URL or the PG* variables make an
// "environment" connection. Core never reads the environment: the PG* variables and ~/.pgpass
// are read here and resolved by core's resolveConnection.
import * as vscode from 'vscode';
import { connectionEndpoint, describeConnection, maskSecrets, secretsOf, stripPassword, type ConnectionSettings, type Endpoint } from '../../core/db/connection';
import { sameEndpoint } from '../../core/db/identity';
import { loadConnectionEnvironment, resolveConnection } from '../../core/db/resolveConnection';
import { SHADOW_CONNECTION_NAME } from '../../server/protocol';
import type { Config, ConfiguredConnection } from '../config';
import type { Log } from '../log';
import type { PasswordStore } from './secrets';

/** Name of the connection built from DATABASE_URL / PG* when none is configured. */
export const ENVIRONMENT_CONNECTION = 'environment';

/** A connection ready to hand to core. */
export interface ResolvedConnection {
  name: string;
  settings: ConnectionSettings;
  /** "user@host:port/database", never with a password. */
  label: string;
  /** "host:port" as configured (or from the environment). */
  endpoint: string;
  /** Where it goes (host, port, database, user, the environment filled in): what its password and dev mark are bound to. */
  target: Endpoint;
  allowApply: boolean;
}

/** Resolves connection names to what core connects with. */
export class Connections {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly warnedAbout = new Set<string>();
  /** Fires when the configured connections, the active one or a password changes. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly config: Config, private readonly passwords: PasswordStore, private readonly log: Log) {}

  /** Names of the configured connections. */
  names(): string[] {
    return this.config.connections.map((c) => c.name);
  }

  /** The name runs use: the selected one, the only one configured, or the environment; undefined: the shadow (none, or the shadow chosen). */
  activeName(): string | undefined {
    const chosen = this.config.activeConnection;
    const names = this.names();
    if (chosen && names.includes(chosen)) return chosen;
    if (chosen === SHADOW_CONNECTION_NAME) return undefined;
    if (names.length === 1) return names[0];
    if (names.length === 0 && (process.env.DATABASE_URL || process.env.PGHOST || process.env.PGDATABASE)) return ENVIRONMENT_CONNECTION;
    return undefined;
  }

  /** The named (default: active) connection with its password, or undefined when there is none. */
  async resolve(name = this.activeName()): Promise<ResolvedConnection | undefined> {
    if (name === undefined) return undefined;
    if (name === ENVIRONMENT_CONNECTION && !this.names().includes(name)) return this.fromEnvironment();
    const configured = this.config.connections.find((c) => c.name === name);
    if (!configured) return undefined;
    const settings = withEnvironment(toConnectionSettings(configured, await this.storedPassword(configured)));
    if (hasUrlPassword(configured.connectionString) && !this.warnedAbout.has(name)) {
      this.warnedAbout.add(name);
      this.log.warn(`connection "${name}" has a password in its connectionString setting; run Drydock: Add Connection to keep it in secret storage instead`);
    }
    return this.resolved(name, settings, configured.allowApply === true);
  }

  fireChanged(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** The connection's endpoint: where its password may go. */
  endpointOf(configured: ConfiguredConnection): Endpoint {
    return connectionEndpoint(withEnvironment(toConnectionSettings(configured, undefined)));
  }

  /**
   * The password stored for this connection at the endpoint it points to now. A password an earlier
   * Drydock stored under the name alone is bound to an endpoint only where the user's own settings
   * define the connection at that same endpoint: a workspace's connection of the same name pointing
   * elsewhere never receives it.
   */
  private async storedPassword(configured: ConfiguredConnection): Promise<string | undefined> {
    const endpoint = this.endpointOf(configured);
    const stored = await this.passwords.get(configured.name, endpoint);
    if (stored !== undefined) return stored;
    const nameOnly = await this.passwords.nameOnly(configured.name);
    if (nameOnly === undefined) return undefined;
    const own = this.config.userConnections.find((c) => c.name === configured.name);
    if (own && sameEndpoint(this.endpointOf(own), endpoint)) {
      await this.passwords.set(configured.name, endpoint, nameOnly);
      await this.passwords.deleteNameOnly(configured.name);
      this.log.info(`connection "${configured.name}": its stored password is now bound to ${describeConnection(toConnectionSettings(own, undefined))}`);
      return nameOnly;
    }
    if (!this.warnedAbout.has(`name-only:${configured.name}`)) {
      this.warnedAbout.add(`name-only:${configured.name}`);
      this.log.warn(`connection "${configured.name}" has a password stored by an earlier Drydock under its name only; it is not sent to ${describeConnection(toConnectionSettings(configured, undefined))}, which your user settings do not define under that name. Run Drydock: Add Connection to store its password.`);
    }
    return undefined;
  }

  private fromEnvironment(): ResolvedConnection {
    const settings: ConnectionSettings = { applicationName: 'drydock (vscode)' };
    if (process.env.DATABASE_URL) settings.connectionString = process.env.DATABASE_URL;
    return this.resolved(ENVIRONMENT_CONNECTION, withEnvironment(settings), false);
  }

  private resolved(name: string, settings: ConnectionSettings, allowApply: boolean): ResolvedConnection {
    this.log.addSecrets(secretsOf(settings));
    return { name, settings, ...described(settings), target: connectionEndpoint(settings), allowApply };
  }
}

/** What libpq would take from the PG* variables and ~/.pgpass, filled in (read when a connection is resolved). */
export function withEnvironment(settings: ConnectionSettings): ConnectionSettings {
  return resolveConnection(settings, loadConnectionEnvironment(process.env));
}

function hasUrlPassword(connectionString: string | undefined): boolean {
  return connectionString !== undefined && stripPassword(connectionString).password !== undefined;
}

// Masked like every log line: a label is shown in the view and in dialogs, and a database or host
// name can contain the password text.
function described(settings: ConnectionSettings): { label: string; endpoint: string } {
  const { host, port } = connectionEndpoint(settings);
  const secrets = secretsOf(settings);
  return { label: maskSecrets(describeConnection(settings), secrets), endpoint: maskSecrets(`${host}:${port}`, secrets) };
}

/** Core's connection settings for a configured connection and its stored password (core puts it into a URL itself). */
export function toConnectionSettings(configured: ConfiguredConnection, password: string | undefined): ConnectionSettings {
  const settings: ConnectionSettings = { applicationName: 'drydock (vscode)', connectTimeoutMs: 10_000 };
  if (configured.connectionString) settings.connectionString = configured.connectionString;
  if (configured.host) settings.host = configured.host;
  if (configured.port) settings.port = configured.port;
  if (configured.database) settings.database = configured.database;
  if (configured.user) settings.user = configured.user;
  if (configured.sslmode) settings.sslmode = configured.sslmode;
  if (password) settings.password = password;
  return settings;
}
