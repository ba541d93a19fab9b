import { test } from 'node:test';
import { expectFindings, expectNoFindings } from './expect';

test('copy-from-stdin: COPY … FROM STDIN', async () => {
  await expectFindings('copy-from-stdin', 'CREATE TABLE c (code text);\nCOPY c (code) FROM STDIN;', [2]);
});

test('copy-from-stdin: COPY TO STDOUT, COPY from a server file and INSERT are fine', async () => {
  await expectNoFindings('copy-from-stdin', "COPY c TO STDOUT;\nCOPY c FROM '/srv/data/c.csv' WITH (FORMAT csv);\nINSERT INTO c VALUES ('NL');");
});

test('copy-from-stdin: also a COPY … FROM STDIN too deep for the parser (read from its words), not one that only reads a table named stdin', async () => {
  const deep = Array(12000).fill('1').join('+');
  await expectFindings('copy-from-stdin', `CREATE TABLE c (code int);\nCOPY c (code) FROM STDIN WHERE code < ${deep};`, [2]);
  await expectNoFindings('copy-from-stdin', `COPY (SELECT ${deep} FROM stdin) TO STDOUT;`);
});
