import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

test('require-concurrent-partition-detach: DETACH PARTITION without CONCURRENTLY; before 14 it says there is no concurrent form', async () => {
  const sql = 'ALTER TABLE measurements DETACH PARTITION measurements_2019;';
  const [found] = await expectRanges('require-concurrent-partition-detach', sql, [spanOf(sql, sql.slice(0, -1))]);
  assert.match(found!.message, /ACCESS EXCLUSIVE on measurements \(blocks reads and writes\) and ACCESS EXCLUSIVE on measurements_2019/);
  const [old] = await expectRanges('require-concurrent-partition-detach', sql, [[1, 1, 1, 60]], { settings: { pgVersion: 13 } });
  assert.match(old!.message, /PostgreSQL 13 cannot detach concurrently/);
});

test('require-concurrent-partition-detach: not for CONCURRENTLY, ATTACH, or a table created in the file', async () => {
  await expectNoFindings('require-concurrent-partition-detach', '-- drydock:no-transaction\nALTER TABLE measurements DETACH PARTITION measurements_2019 CONCURRENTLY;');
  await expectNoFindings('require-concurrent-partition-detach', "ALTER TABLE measurements ATTACH PARTITION m2020 FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');");
  await expectNoFindings('require-concurrent-partition-detach', 'CREATE TABLE p (d date) PARTITION BY RANGE (d);\nALTER TABLE p DETACH PARTITION p1;');
});
