// The generated migration the check benchmarks share: `count` statements cycling through an index,
// a CHECK constraint, a column with a default, a new table, an INSERT and an UPDATE, each after a
// comment line, with non-ASCII text so byte and UTF-16 offsets differ.

/** A migration of `count` statements. */
export function generatedMigration(count: number): string {
  const kinds = [
    (i: number) => `CREATE INDEX idx_t${i}_a ON t${i} (a, b) WHERE c > ${i};`,
    (i: number) => `ALTER TABLE t${i} ADD CONSTRAINT chk_t${i}_s CHECK (status IN ('a', 'b', 'c'));`,
    (i: number) => `ALTER TABLE t${i} ADD COLUMN note_${i} varchar(40) NOT NULL DEFAULT 'x';`,
    (i: number) => `CREATE TABLE n${i} (id serial PRIMARY KEY, at timestamp, owner_id bigint REFERENCES t${i} (id));`,
    (i: number) => `INSERT INTO t${i} (a, note) VALUES (${i}, 'ünïcødé ${i}');`,
    (i: number) => `UPDATE t${i} SET a = a + 1 WHERE id = ${i};`,
  ];
  return Array.from({ length: count }, (_, i) => `-- statement ${i}\n${kinds[i % kinds.length]!(i)}`).join('\n') + '\n';
}
