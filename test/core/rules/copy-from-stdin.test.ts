import { test } from 'node:test';
import { expectFindings, expectNoFindings } from './expect';

test('copy-from-stdin: COPY … FROM STDIN', async () => {
  await expectFindings('copy-from-stdin', 'CREATE TABLE c (code text);\nCOPY c (code) FROM STDIN;', [2]);
});

test('copy-from-stdin: COPY TO STDOUT, COPY from a server file and INSERT are fine', async () => {
  await expectNoFindings('copy-from-stdin', "COPY c TO STDOUT;\nCOPY c FROM '/srv/data/c.csv' WITH (FORMAT csv);\nINSERT INTO c VALUES ('NL');");
});
