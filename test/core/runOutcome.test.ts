// Once a run began, its outcome reaches the user whatever fails in Drydock afterwards: an apply
// that committed is reported committed (with the failure as an internal-error finding), and a
// report that cannot be rendered is replaced by its outcome alone, in the format asked for.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { writeReport } from '../../src/cli/reportOutput';
import type { Io } from '../../src/cli/io';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import { DEFAULT_LINT_SETTINGS } from '../../src/core/model/lintSettings';
import type { RunReport } from '../../src/core/model/report';
import { renderRunOutcome, runReportChunks, type OutputFormat } from '../../src/core/output/formats';
import { runMigrations } from '../../src/core/run/runner';
import { describeEachServer, sql } from '../support/database';

describeEachServer('a run\'s outcome after Drydock fails', (server) => {
  test('an apply that committed is reported committed when judging the rules fails after it began', async () => {
    const url = server().url(await server().createDatabase());
    let calls = 0;
    const report = await runMigrations([{ path: 'm.sql', text: 'CREATE TABLE kept (a bigint);' }], {
      mode: 'apply', backend: pgBackend({ connectionString: url }),
      // The settings are read once for the plan, then again by the judging that runs beside the statements.
      lintSettings: () => {
        calls += 1;
        if (calls > 1) throw new Error('settings vanished');
        return DEFAULT_LINT_SETTINGS;
      },
    });
    assert.equal(report.committed, true);
    assert.equal(report.outcome, 'succeeded');
    assert.ok(report.diagnostics.some((d) => d.ruleId === 'internal-error' && /Drydock failed while judging the files by the rules \(Error: settings vanished\)/.test(d.message)),
      JSON.stringify(report.diagnostics));
    assert.deepEqual(await sql(url, "SELECT to_regclass('kept') IS NOT NULL AS kept"), [{ kept: true }]);
  });
});

/** An Io whose stdout is captured. */
function capture(): { io: Io; text: () => string } {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (d: Buffer) => { text += d.toString(); });
  return { io: { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: () => '/' }, text: () => text };
}

const REPORT: RunReport = {
  reportVersion: 1, files: ['m.sql'], mode: 'apply', startedAt: new Date(0).toISOString(), server: null, committed: true, transactional: true,
  outcome: 'succeeded', statements: [], diagnostics: [], verification: [], inventory: [], indexUsage: [], leftovers: [],
  timings: { parseMs: 0, connectMs: 0, executeMs: 0, verifyMs: 0, totalMs: 12 },
};

describe('a report that cannot be rendered', () => {
  test('its outcome alone is written, in every format, with the password masked', async () => {
    for (const format of ['text', 'json', 'sarif', 'github'] as OutputFormat[]) {
      const out = capture();
      await writeReport(out.io, {
        pieces: function* () {
          yield 'a first piece that must not be written';
          throw new RangeError('Invalid string length for s3cret');
        },
        outcome: (reason) => renderRunOutcome(REPORT, format, reason),
        verdict: () => 'succeeded: committed',
      }, ['s3cret']);
      const text = out.text();
      assert.doesNotMatch(text, /first piece|s3cret/);
      if (format === 'json') assert.deepEqual(JSON.parse(text), { reportVersion: 1, mode: 'apply', files: ['m.sql'], outcome: 'succeeded', committed: true, transactional: true, reportError: 'RangeError: Invalid string length for ****' });
      else if (format === 'sarif') assert.equal((JSON.parse(text) as { runs: { invocations: { executionSuccessful: boolean }[] }[] }).runs[0]!.invocations[0]!.executionSuccessful, true);
      else assert.match(text, /could not write the full report \(RangeError: Invalid string length for \*\*\*\*\)[\s\S]*\nsucceeded: committed, 12 ms\n$/);
    }
  });

  test('a report that renders is written whole, piece by piece, as the one-string rendering', async () => {
    const out = capture();
    await writeReport(out.io, { pieces: () => runReportChunks(REPORT, 'json', { color: false, baseDir: '/', toolVersion: '0', secrets: [] }), outcome: () => 'no', verdict: () => 'no' });
    assert.equal(out.text(), `${JSON.stringify(REPORT, null, 2)}\n`);
  });
});
