import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('ban-drop-database: DROP DATABASE, with or without IF EXISTS', async () => {
  const sql = 'DROP DATABASE app;\nDROP DATABASE IF EXISTS old_app;';
  await expectRanges('ban-drop-database', sql, [spanOf(sql, 'DROP DATABASE app'), spanOf(sql, 'DROP DATABASE IF EXISTS old_app')]);
});

test('ban-drop-database: not for DROP SCHEMA or DROP TABLE', async () => {
  await expectNoFindings('ban-drop-database', 'DROP SCHEMA IF EXISTS scratch;\nDROP TABLE IF EXISTS t;');
});
