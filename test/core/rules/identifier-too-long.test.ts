import { test } from 'node:test';
import { expectNoFindings, expectRanges, spanOf } from './expect';

const LONG = `idx_${'a'.repeat(60)}`; // 64 bytes

test('identifier-too-long: names over 63 bytes, bare, quoted, multi-byte, and inside a DO block', async () => {
  const sql = `CREATE INDEX ${LONG} ON t (a);\nCREATE TABLE "${'É'.repeat(32)}" (a bigint);\nDO $$ BEGIN CREATE INDEX ${LONG}_x ON t (b); END $$;`;
  await expectRanges('identifier-too-long', sql, [spanOf(sql, LONG), spanOf(sql, `"${'É'.repeat(32)}"`), spanOf(sql, `${LONG}_x`)]);
});

test('identifier-too-long: not for 63-byte names, long string literals or comments', async () => {
  await expectNoFindings('identifier-too-long', `CREATE INDEX ${LONG.slice(0, 63)} ON t (a);\nINSERT INTO t VALUES ('${'x'.repeat(100)}');\n-- ${'y'.repeat(100)}\nSELECT 1;`);
});
