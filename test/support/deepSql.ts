// Statements nested thousands of levels deep, of every kind a migration holds, for the tests that
// check, dry-run and apply them. `depth` is the number of terms (or levels) of each deep part.

/** `1+1+…+1` with `terms` terms: a left-deep chain of that many A_Expr nodes. */
export const plus = (terms: number): string => Array(terms).fill('1').join('+');

function nested(levels: number, open: string, close: string, inner: string): string {
  return open.repeat(levels) + inner + close.repeat(levels);
}

function nestedSelects(levels: number): string {
  let sql = 'SELECT 1';
  for (let i = 0; i < levels; i++) sql = `SELECT (${sql})`;
  return sql;
}

/** One file of deep statements of every kind (for a server of that major version), each on lines of its own; every object it makes has the suffix. (An index keeps its expression and predicate in pg_index, which has no TOAST: they stay at 300 terms.) */
export function deepMigration(depth: number, major = 99, suffix = ''): string {
  const t = (name: string) => `${name}${suffix}`;
  return [
    `CREATE TABLE ${t('deep_t')} (a bigint DEFAULT ${plus(depth)}, b text, CHECK (a < ${plus(depth)} + 1));`,
    `INSERT INTO ${t('deep_t')} (a, b) VALUES (${plus(depth)}, ${Array(depth).fill("'x'").join(' || ')});`,
    `INSERT INTO ${t('deep_t')} (a) SELECT ${plus(depth)} FROM ${t('deep_t')} WHERE a = ${plus(depth)};`,
    `UPDATE ${t('deep_t')} SET a = ${plus(depth)} WHERE a < ${plus(depth)} + 1;`,
    `ALTER TABLE ${t('deep_t')} ADD COLUMN c bigint DEFAULT ${plus(depth)};`,
    `ALTER TABLE ${t('deep_t')} ADD CONSTRAINT ${t('chk_deep_t')} CHECK (c <= ${plus(depth)});`,
    `CREATE INDEX ${t('idx_deep_t')} ON ${t('deep_t')} ((a + ${plus(Math.min(depth, 300))})) WHERE a < ${plus(Math.min(depth, 300))} + 1;`,
    `CREATE VIEW ${t('deep_v')} AS SELECT ${plus(depth)} AS x, ${nested(Math.min(depth, 1000), 'abs(', ')', '1')} AS y;`,
    `${nestedSelects(Math.floor(depth / 4))};`,
    `SELECT ${nested(Math.min(depth, 1000), 'CASE WHEN random() > 2 THEN 0 ELSE ', ' END', '1')}, 1${'::int'.repeat(depth)}, '{}'::jsonb${"->'a'".repeat(Math.floor(depth / 2))};`,
    `SELECT ${'NOT '.repeat(Math.min(depth, 1500))}true;`,
    // A SQL-standard body (BEGIN ATOMIC) from PostgreSQL 14 on; a quoted SQL body before.
    major >= 14 ? `CREATE FUNCTION ${t('deep_f')}() RETURNS bigint LANGUAGE sql BEGIN ATOMIC\n  SELECT ${plus(depth)};\nEND;`
      : `CREATE FUNCTION ${t('deep_f')}() RETURNS bigint LANGUAGE sql AS $$ SELECT ${plus(depth)} $$;`,
    `CREATE FUNCTION ${t('deep_g')}() RETURNS bigint LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN ${plus(depth)};\nEND\n$$;`,
    `CREATE FUNCTION ${t('deep_trg')}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;`,
    `CREATE TRIGGER ${t('deep_tr')} BEFORE INSERT ON ${t('deep_t')} FOR EACH ROW WHEN (NEW.a < ${plus(depth)}) EXECUTE FUNCTION ${t('deep_trg')}();`,
    `DO $$\nBEGIN\n  PERFORM ${plus(depth)};\n${'  IF true THEN\n'.repeat(200)}  NULL;\n${'  END IF;\n'.repeat(200)}END\n$$;`,
  ].join('\n');
}
