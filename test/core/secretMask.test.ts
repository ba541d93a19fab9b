// The one mask every output goes through: each form a password takes in shown text, short
// passwords, the first characters of one at a cut, whole reports of any depth and size.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretsOf } from '../../src/core/db/connection';
import { passwordsInFile } from '../../src/core/db/resolveConnection';
import { mapStringsDeep } from '../../src/core/model/deepStrings';
import { MASK, SecretMask, maskSecrets, secretForms } from '../../src/core/model/secretMask';

const HOSTILE = ['pa"ss\\word', 'per%cent%41', "it's a pw", 'two  spaces', 'ünïcødé-€-😀-pw'];

test('every form of a hostile password is masked: as given, percent-encoded, SQL-quoted, JSON- and workflow-escaped', () => {
  for (const password of HOSTILE) {
    const mask = new SecretMask([password]);
    const url = new URL('postgres://u@h');
    url.password = password;
    const shown = [
      password, encodeURIComponent(password), url.password, password.replace(/'/g, "''"), password.replace(/"/g, '""'),
      JSON.stringify(password).slice(1, -1), password.replace(/%/g, '%25'),
    ];
    for (const form of shown) {
      const masked = mask.text(`before ${form} after`);
      assert.equal(masked, `before ${MASK} after`, `${JSON.stringify(password)} as ${JSON.stringify(form)}`);
    }
    assert.ok(secretForms(password).includes(password));
  }
});

test('a text with no secret in it is returned as it is; URL and keyword passwords are masked without being known', () => {
  const mask = new SecretMask(['hunter22']);
  assert.equal(mask.text('SELECT 1; -- nothing to hide'), 'SELECT 1; -- nothing to hide');
  assert.equal(maskSecrets('postgres://u:p%40ss@h:5432/db failed'), 'postgres://u:****@h:5432/db failed');
  assert.equal(maskSecrets("host=h password='x y' user=u"), 'host=h password=**** user=u');
  assert.equal(maskSecrets('auth failed for hunter22', ['hunter22']), 'auth failed for ****');
});

test('a password shorter than four characters is masked only where it stands alone, so words that contain it stay readable', () => {
  const mask = new SecretMask(['ab']);
  assert.equal(mask.text("SELECT 'ab'"), `SELECT '${MASK}'`);
  assert.equal(mask.text('ab'), MASK);
  assert.equal(mask.text('table about cab'), 'table about cab');
  const punctuation = new SecretMask(['%"']);
  assert.equal(punctuation.text('x%"y'), `x${MASK}y`, 'a password of punctuation has no word to stand apart from');
});

test('the first six characters of a password are masked anywhere, its first four where a text ends with them or a cut marks them (..., …, ")', () => {
  const password = 'Zq7-secret-password';
  const mask = new SecretMask([password]);
  assert.equal(mask.text(`Failing row contains (1, ${password.slice(0, 5)}...)`), `Failing row contains (1, ${MASK}...)`);
  assert.equal(mask.text(`SELECT 'padding ${password.slice(0, 4)}`), `SELECT 'padding ${MASK}`);
  assert.equal(mask.text(`truncated to "t_${password.slice(0, 5)}"`), `truncated to "t_${MASK}"`);
  assert.equal(mask.text(`column t_${password.slice(0, 12)}.v is an integer`), `column t_${MASK}.v is an integer`, 'a name the server cut, quoted in a message');
  assert.equal(mask.text(`ends with ${password.slice(0, 3)}`), `ends with ${password.slice(0, 3)}`, 'fewer than four characters are not a password');
  assert.equal(mask.text(`${password.slice(0, 5)} in the middle of a text`), `${password.slice(0, 5)} in the middle of a text`);
});

test('secretsOf finds a URL password as written and decoded, a ?password= and a key=value password; a stray % does not hide one', () => {
  assert.deepEqual(secretsOf({ connectionString: 'postgres://u:p%22w%25x@h/db' }).sort(), ['p"w%x', 'p%22w%25x'].sort());
  assert.deepEqual(secretsOf({ connectionString: 'postgres://u@h/db?password=q%20pw' }), ['q pw']);
  assert.deepEqual(secretsOf({ connectionString: 'postgres://u:100%zz@h/db' }), ['100%zz']);
  assert.deepEqual(secretsOf({ connectionString: 'host=h password=kw-secret user=u' }), ['kw-secret']);
  assert.deepEqual(passwordsInFile('# comment\nh:5432:*:u:one\\:two\n*:*:*:*:three\nshort:line\n'), ['one:two', 'three']);
});

test('a whole report is masked as data: every string and key, shared objects stay shared, Dates and Buffers as JSON shows them', () => {
  const password = 'deep-secret-77';
  const error = { message: `bad ${password}`, fixRows: [{ [password]: password, at: new Date(0), bytes: Buffer.from('x') }] };
  const report = { statements: [{ sql: `SELECT '${password}'`, error }], error, count: 3, flag: true, none: null };
  const masked = new SecretMask([password]).deep(report);
  assert.equal(masked.statements[0]!.error, masked.error, 'the report error is still its statement error');
  assert.equal(masked.statements[0]!.sql, `SELECT '${MASK}'`);
  assert.deepEqual(masked.error.fixRows[0], { [MASK]: MASK, at: '1970-01-01T00:00:00.000Z', bytes: { type: 'Buffer', data: [120] } });
  assert.equal(masked.count, 3);
  assert.equal(report.statements[0]!.sql, `SELECT '${password}'`, 'the original is left as it was');
  assert.doesNotMatch(JSON.stringify(masked), new RegExp(password));
});

test('mapping strings copes with any depth and size without recursion', () => {
  let deep: unknown = 'leaf secret-leaf';
  for (let i = 0; i < 200_000; i++) deep = { next: deep };
  let walked = mapStringsDeep(deep, (t) => t.replace('secret-leaf', MASK)) as { next?: unknown } | string;
  while (typeof walked === 'object' && walked.next !== undefined) walked = walked.next as typeof walked;
  assert.equal(walked, `leaf ${MASK}`);
  const wide = Array.from({ length: 300_000 }, (_, i) => ({ sql: `SELECT ${i}, 'wide-secret'` }));
  const masked = new SecretMask(['wide-secret']).deep(wide);
  assert.equal(masked.length, 300_000);
  assert.equal(masked[299_999]!.sql, `SELECT 299999, '${MASK}'`);
});
