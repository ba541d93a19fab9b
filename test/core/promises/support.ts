// What the promise tests share: the servers they attack (PostgreSQL 13, 15 and 17, each with
// prepared transactions enabled so a PREPARE TRANSACTION that got through would show), the schema
// every attack meets, runs with hostile lint settings, and a PGlite target fingerprinted through
// its own session.
import { after, before, describe } from 'node:test';
import type { DatabaseBackend, PipelineOptions, PipelineOutcome, Session } from '../../../src/core/db/backend';
import { pgBackend } from '../../../src/core/db/pg/pgBackend';
import { DEFAULT_LINT_SETTINGS, type LintSettings, type RuleSetting } from '../../../src/core/model/lintSettings';
import type { RunReport } from '../../../src/core/model/report';
import type { RunMode } from '../../../src/core/model/runModes';
import { runMigrations, type MigrationFile } from '../../../src/core/run/runner';
import { sql } from '../../support/database';
import { everyMajorUnderTest, startPostgres, type PostgresBinaries, type ThrowawayPostgres } from '../../support/throwawayPostgres';

/** The majors the promises are proven on (DRYDOCK_LOCK_PG narrows them, as for the lock suite). */
export function attackedServers(): PostgresBinaries[] {
  return everyMajorUnderTest().filter((b) => [13, 15, 17].includes(b.major));
}

/** Server settings for the attacks: a PREPARE TRANSACTION that reached the server would succeed and stay. */
export const ATTACK_SERVER_SETTINGS = { max_prepared_transactions: '4' };

/** What every attacked database holds before the run (committed): rows, a sequence, a procedure that commits. */
export const ATTACK_SCHEMA = `
CREATE TABLE t (id int PRIMARY KEY, note text);
INSERT INTO t VALUES (1, 'before');
CREATE SEQUENCE s;
CREATE PROCEDURE p_commit() LANGUAGE plpgsql AS $$ BEGIN INSERT INTO t VALUES (100, 'from p_commit'); COMMIT; END $$;
CREATE PROCEDURE p_rollback() LANGUAGE plpgsql AS $$ BEGIN INSERT INTO t VALUES (101, 'from p_rollback'); ROLLBACK; END $$;
`;

/** Runs SQL on a database as the superuser. */
export async function exec(url: string, text: string): Promise<void> {
  await sql(url, text);
}

/** The attacked cluster of a describe() block: a fresh database holding ATTACK_SCHEMA for each call of `fresh`. */
export interface AttackedServer {
  server(): ThrowawayPostgres;
  fresh(): Promise<string>;
}

/** Runs `body` once per attacked server, in a describe() of its own with a running cluster and the attack schema as a template. */
export function describeAttacked(title: (major: number) => string, body: (attacked: AttackedServer, major: number) => void): void {
  for (const binaries of attackedServers()) {
    describe(title(binaries.major), () => {
      let server: ThrowawayPostgres | null = null;
      let template = '';
      before(async () => {
        server = await startPostgres(binaries, ATTACK_SERVER_SETTINGS);
        template = await server.createDatabase();
        await exec(server.url(template), ATTACK_SCHEMA);
      });
      after(async () => { await server?.stop(); });
      const started = () => {
        if (!server) throw new Error('server not started');
        return server;
      };
      body({ server: started, fresh: async () => started().url(await started().createDatabase(template)) }, binaries.major);
    });
  }
}

/** Lint settings as a drydock.json could give them: rule severities, off included. */
export function severities(rules: Record<string, RuleSetting>): LintSettings {
  return { ...DEFAULT_LINT_SETTINGS, rules };
}

/** A run of the files on the backend, the settings given for every file. */
export function runOn(backend: DatabaseBackend, files: MigrationFile[], mode: RunMode, settings: LintSettings = DEFAULT_LINT_SETTINGS): Promise<RunReport> {
  return runMigrations(files, { mode, backend, lintSettings: () => settings });
}

/** A run on a pg URL. */
export function runAt(url: string, files: MigrationFile[], mode: RunMode, settings?: LintSettings): Promise<RunReport> {
  return runOn(pgBackend({ connectionString: url }), files, mode, settings);
}

/**
 * A fault, not a mock: the real pg backend, with the text of chosen statements replaced as they
 * are sent, after the runner's send check has passed them. It stands for a defect in that check,
 * so the tests can prove the layer behind it (the transaction status after every answer).
 */
export function smugglingBackend(url: string, swaps: Readonly<Record<string, string>>): DatabaseBackend {
  const real = pgBackend({ connectionString: url });
  return {
    ...real,
    async openSession(): Promise<Session> {
      const session = await real.openSession();
      const swap = (sql: string) => swaps[sql] ?? sql;
      return Object.assign(Object.create(session) as Session, {
        pipeline: (statements: readonly string[], options?: PipelineOptions): Promise<PipelineOutcome> => session.pipeline(statements.map(swap), options),
      });
    },
  };
}
