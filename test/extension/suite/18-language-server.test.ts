import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/model/report';
import type { DrydockApi } from '../../../src/extension/extension';
import { REQUESTS } from '../../../src/server/protocol';
import { drydock, drydockDiagnostics, drydockLogFiles, fixture, ruleIdOf, waitFor, withoutConnections } from '../support';

/** The language server's process: the extension host's child running dist/server.js (read from /proc). */
function serverPid(): number | undefined {
  for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = fs.readFileSync(path.join('/proc', entry, 'stat'), 'utf8');
      // Fields after the command name (which may hold spaces) start at the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (fs.readFileSync(path.join('/proc', entry, 'cmdline'), 'utf8').includes('server.js')) return Number(entry);
    } catch {
      // the process ended meanwhile
    }
  }
  return undefined;
}

/** The Drydock log's lines on disk that match `pattern`. */
function logLines(api: DrydockApi, pattern: RegExp): string[] {
  return drydockLogFiles(api).flatMap((f) => fs.readFileSync(f, 'utf8').split('\n')).filter((line) => pattern.test(line));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * After the server `first` ended: a new server process, the file's diagnostic back, the restart said
 * once in the log (`said` matched one line more than `before`), and the next run works.
 */
async function expectRestarted(api: DrydockApi, ended: { first: number; uri: vscode.Uri; said: RegExp; before: number }): Promise<void> {
  const { first, uri, said, before } = ended;
  const second = await waitFor('a new server process', () => {
    const pid = serverPid();
    return pid !== undefined && pid !== first ? pid : undefined;
  }, 30_000);
  assert.notEqual(second, first);
  await waitFor('the meta-command diagnostic again', () => drydockDiagnostics(uri).some((d) => ruleIdOf(d) === 'psql-meta-command'), 30_000);
  await waitFor('the restart in the log', () => logLines(api, said).length > before);
  assert.equal(logLines(api, said).length, before + 1, 'one stop, one message');
  const next = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('shadow/c_projects_owner.sql'));
  assert.equal(next?.outcome, 'succeeded', JSON.stringify(next?.error));
}

describe('the language server', () => {
  withoutConnections();
  let api: DrydockApi;
  before(async () => { api = await drydock(); });

  it('runs in its own process, a child of the extension host', async () => {
    assert.ok(await waitFor('the server process', () => serverPid()), 'no dist/server.js child of the extension host');
  });

  it('an endless DO loop dry-run on the shadow is cancelled by Cancel Run (the Migration Runs view\'s button) and the next run works', async () => {
    await vscode.commands.executeCommand('drydock.results.clear');
    const running = vscode.commands.executeCommand<RunReport | undefined>('drydock.dryRunMigration', fixture('loop/b_forever.sql'));
    await waitFor('the run to start', () => api._private.context.runs.busy);
    // Long enough for the replay to end and the loop to spin (either way the run must end cancelled).
    await sleep(2_000);
    assert.equal(api._private.context.runs.busy, true, 'the endless loop ended on its own');
    await vscode.commands.executeCommand('drydock.cancelRun');
    const report = await running;
    assert.equal(report?.outcome, 'cancelled', JSON.stringify(report?.error));
    assert.equal(report.committed, false);
    assert.match(String(api._private.tree.getChildren()[0]?.description), /^dry-run cancelled/);
    const next = await vscode.commands.executeCommand<RunReport>('drydock.dryRunMigration', fixture('shadow/c_projects_owner.sql'));
    assert.equal(next?.outcome, 'succeeded', JSON.stringify(next?.error));
  });

  it('a killed server is restarted and said so once; the run in flight fails with a clear message; diagnostics come back', async () => {
    const uri = fixture('broken/meta_command.sql');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor('the meta-command diagnostic', () => drydockDiagnostics(uri).some((d) => ruleIdOf(d) === 'psql-meta-command'));
    const stopped = /language server stopped; restarting it/;
    const before = logLines(api, stopped).length;
    const first = serverPid();
    assert.ok(first);

    const running = vscode.commands.executeCommand<RunReport | undefined>('drydock.dryRunMigration', fixture('loop/b_forever.sql'));
    await waitFor('the run to start', () => api._private.context.runs.busy);
    await sleep(1_000);
    process.kill(first, 'SIGKILL');
    assert.equal(await running, undefined, 'a run whose server died has no report');
    await waitFor('the log to say the run failed with the server', () => logLines(api, /failed: the Drydock language server stopped while this request was in flight/).length > 0);

    await expectRestarted(api, { first, uri, said: stopped, before });
  });

  it('a server that stops answering (its thread held by a test hook) is ended by the heartbeat, restarted and said so once; the run in flight fails saying so', async function () {
    this.timeout(120_000);
    const { server } = api._private.context;
    const uri = fixture('broken/meta_command.sql');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor('the meta-command diagnostic', () => drydockDiagnostics(uri).some((d) => ruleIdOf(d) === 'psql-meta-command'), 30_000);
    const hung = /language server stopped answering; restarting it/;
    const before = logLines(api, hung).length;
    const first = await waitFor('the server process', () => serverPid());
    const timing = server.heartbeat.timing;
    // Short for this test only; the default is generous (a check of a huge file may hold the thread for seconds).
    server.heartbeat.timing = { intervalMs: 500, timeoutMs: 4_000 };
    server.heartbeat.start();
    try {
      const running = vscode.commands.executeCommand<RunReport | undefined>('drydock.dryRunMigration', fixture('loop/b_forever.sql'));
      await waitFor('the run to start', () => api._private.context.runs.busy);
      await sleep(1_000);
      const held = server.request(REQUESTS.testBlockEventLoop, { ms: 120_000 }).catch((err: unknown) => err);
      assert.equal(await running, undefined, 'a run whose server hung has no report');
      // The hang was seen: the new server is watched with the default timing again (on a loaded
      // machine a server starting up could miss the short deadline and be restarted a second time).
      server.heartbeat.timing = timing;
      await held;
      await waitFor('the log to say the run failed with the hung server', () => logLines(api, /failed: the Drydock language server stopped answering while this request was in flight/).length > 0);
      await expectRestarted(api, { first, uri, said: hung, before });
    } finally {
      server.heartbeat.timing = timing;
      if (server.running) server.heartbeat.start();
    }
  });
});
