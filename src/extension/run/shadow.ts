// The shadow the extension dry-runs on when no connection is configured: PGlite in this process,
// kept between runs (a dry-run on save restores nothing and replays only what changed), its
// snapshots in the extension's global storage; or a scratch database on `drydock.shadowConnection`.
// The PGlite instance lives in the backend lifetime: closed when the connections change and on
// deactivate (an open PGlite keeps the extension host alive).
import * as path from 'node:path';
import { connectionEndpoint, secretsOf } from '../../core/db/connection';
import type { ShadowHost } from '../../core/shadow/shadowHost';
import { withEnvironment } from '../connections/connections';
import type { DrydockContext } from '../context';
import { createShadowHost } from '../../server/engine';

/** Name runs on the shadow carry in the Migration Runs view and re-runs. */
export const SHADOW_CONNECTION = 'shadow';

/** The extension's shadow host, created on first use. */
export class ExtensionShadow {
  private host: { url: string; host: ShadowHost } | null = null;

  constructor(private readonly ctx: DrydockContext) {}

  /** True when the shadow runs on a server (drydock.shadowConnection is set) rather than PGlite. */
  get onServer(): boolean {
    return this.ctx.config.shadowConnection !== '';
  }

  /** The host for the next run (the same PGlite as the last run while the backend lives). */
  async current(): Promise<ShadowHost> {
    const url = this.ctx.config.shadowConnection;
    if (this.host && this.host.url === url) return this.host.host;
    await this.host?.host.close();
    const server = withEnvironment({ connectionString: url, applicationName: 'drydock shadow (vscode)' });
    if (url) this.ctx.log.addSecrets(secretsOf(server));
    // The project's database (the one the migrations are applied to) is the shadow server's and the
    // active connection's: their ALTER DATABASE … SET applies to the scratch database instead.
    const active = url ? await this.ctx.connections.resolve() : undefined;
    const projectDatabases = [connectionEndpoint(server).database, ...(active ? [connectionEndpoint(active.settings).database] : [])];
    const host = url
      ? await createShadowHost({ kind: 'scratch-database', server, projectDatabases })
      : await createShadowHost({ kind: 'pglite', cacheDir: path.join(this.ctx.extension.globalStorageUri.fsPath, 'shadow') });
    const entry = { url, host };
    this.host = entry;
    this.ctx.backend.subscribe({
      dispose: async () => {
        if (this.host === entry) this.host = null;
        await host.close();
      },
    });
    return host;
  }

  /** True while a PGlite instance is running (tests check that deactivate closes it). */
  get running(): boolean {
    return this.host?.host.running === true;
  }
}
