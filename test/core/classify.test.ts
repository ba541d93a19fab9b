import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { categoryOf, classifyError } from '../../src/core/run/classify';
import { connectionEndpoint, describeConnection, maskSecrets, stripPassword } from '../../src/core/db/connection';
import { LineIndex } from '../../src/core/model/lineIndex';
import { conditionName, knownSqlstates, sqlstateTitle } from '../../src/core/sql/sqlstates';
import { pgBackend } from '../../src/core/db/pg/pgBackend';
import { describeEachServer } from '../support/database';
import { defaultServer } from '../support/throwawayPostgres';

describe('classifyError', () => {
  test('class 23 is integrity; connection, resource, lock and serialization codes are operational; the rest database', () => {
    for (const code of ['23505', '23514', '23502', '23503', '23P01']) assert.equal(categoryOf(code), 'integrity', code);
    for (const code of ['08006', '08001', '53300', '53100', '57014', '57P01', '55P03', '40001', '40P01', '58030']) assert.equal(categoryOf(code), 'operational', code);
    for (const code of ['42P01', '42601', '22P02', '2D000', '25001', 'XX000', 'P0001']) assert.equal(categoryOf(code), 'database', code);
  });

  test('labels follow the category', () => {
    assert.equal(classifyError({ code: '23505', message: 'dup' }).label, 'Data conflict');
    assert.equal(classifyError({ code: '57014', message: 'timeout' }).label, 'Service temporarily unavailable');
    assert.equal(classifyError({ code: '42P01', message: 'nope' }).label, 'Database error');
  });

  test('network errors from Node become connection-exception SQLSTATEs', () => {
    assert.equal(classifyError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).sqlstate, '08001');
    assert.equal(classifyError(Object.assign(new Error('getaddrinfo ENOTFOUND db'), { code: 'ENOTFOUND' })).sqlstate, '08001');
    assert.equal(classifyError(new Error('Connection terminated unexpectedly')).sqlstate, '08006');
    assert.equal(classifyError(new Error('Connection terminated unexpectedly')).category, 'operational');
  });

  test('the SQLSTATE table covers PostgreSQL Appendix A with a precise title per code', () => {
    const codes = knownSqlstates();
    assert.ok(codes.length >= 250, `${codes.length} codes`);
    assert.equal(new Set(codes).size, codes.length);
    assert.equal(conditionName('23505'), 'unique_violation');
    assert.equal(sqlstateTitle('23514'), 'Check violation');
    assert.equal(sqlstateTitle('55P03'), 'Lock not available (lock_timeout)');
    assert.equal(sqlstateTitle('22012'), 'Division by zero');
    assert.equal(sqlstateTitle('2203A'), 'SQL JSON member not found');
    assert.equal(sqlstateTitle('22ZZZ'), 'Data exception', 'unknown codes fall back to their class');
    for (const code of codes) assert.match(code, /^[0-9A-Z]{5}$/);
  });

  test('the server position (characters) maps to the file line/column (UTF-16) of the statement', () => {
    const text = 'SELECT 1;\n-- ☃🚀\nSELECT \'🚀\', nope FROM t;';
    const start = text.indexOf("SELECT '");
    const sql = text.slice(start, text.length - 1);
    const report = classifyError({ code: '42703', message: 'column "nope" does not exist', position: '13' },
      { file: 'f.sql', sql, offsets: { start, end: text.length - 1 }, lines: new LineIndex(text) });
    assert.deepEqual(report.position, { line: 3, column: 14 });
    assert.deepEqual(report.range, { start: { line: 3, column: 14 }, end: { line: 3, column: 18 } });
    assert.equal(report.file, 'f.sql');
  });
});

describe('secrets', () => {
  test('passwords are masked in URLs, key=value strings and wherever the secret appears', () => {
    assert.equal(maskSecrets('postgres://u:p%40ss@h:5432/db failed'), 'postgres://u:****@h:5432/db failed');
    assert.equal(maskSecrets("host=h password='x y' user=u"), 'host=h password=**** user=u');
    assert.equal(maskSecrets('auth failed for hunter22', ['hunter22']), 'auth failed for ****');
    assert.equal(describeConnection({ connectionString: 'postgresql://app:topsecret@db.internal:6543/main' }), 'app@db.internal:6543/main');
  });

  test('stripPassword removes a password from URL user info, ?password= and key=value strings', () => {
    assert.deepEqual(stripPassword('postgres://app:p%40ss@db:5432/main'), { connectionString: 'postgres://app@db:5432/main', password: 'p@ss' });
    assert.deepEqual(stripPassword('postgresql://app@db/main?sslmode=require&password=qs-secret'), { connectionString: 'postgresql://app@db/main?sslmode=require', password: 'qs-secret' });
    assert.deepEqual(stripPassword("host=db user=app password='k v' dbname=main"), { connectionString: 'host=db user=app dbname=main', password: 'k v' });
    assert.deepEqual(stripPassword('postgres://app@db/main'), { connectionString: 'postgres://app@db/main' });
  });

  test('connectionEndpoint reads URLs and key=value strings without the password', () => {
    assert.deepEqual(connectionEndpoint({ connectionString: 'postgres://app:pw@db.internal:6543/main' }), { user: 'app', host: 'db.internal', port: '6543', database: 'main' });
    assert.deepEqual(connectionEndpoint({ connectionString: 'host=db port=6000 user=app password=pw dbname=main' }), { user: 'app', host: 'db', port: '6000', database: 'main' });
  });
});

describeEachServer('classifying what the driver says', (server) => {
  test('a connection without a password to a server that asks for one is an authentication failure (28P01), not an internal error', async () => {
    const url = server().url().replace(`:${server().password}@`, '@');
    const err = await pgBackend({ connectionString: url }).openSession().then(() => null, (e: unknown) => e);
    assert.ok(err, 'the connection succeeded without a password');
    const report = classifyError(err);
    assert.equal(report.sqlstate, '28P01', report.message);
    assert.equal(report.title, sqlstateTitle('28P01'));
  });
}, [defaultServer()]);
