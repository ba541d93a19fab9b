// Generated migration histories for property-based tests of identity: tables, partitions, indexes
// (named and unnamed), CHECK constraints, triggers and functions taking a table's row type, that
// are renamed, swapped (new table, old one dropped, new one renamed into its name), dropped with
// their dependents, spread over several files and in part run inside unconditional DO blocks.
// Each step is turned into SQL against a model of what exists, so every history is one psql -1
// applies cleanly: any result of Drydock's other than ok or dropped is then a false one.
import fc from 'fast-check';

export type Step =
  | { op: 'table'; quoted: boolean }
  | { op: 'partitioned'; quoted: boolean }
  | { op: 'index'; t: number; form: number; named: boolean }
  | { op: 'check'; t: number }
  | { op: 'trigger'; t: number }
  | { op: 'function'; t: number; array: boolean }
  | { op: 'renameTable'; t: number; quoted: boolean }
  | { op: 'renameIndex'; i: number }
  | { op: 'dropIndex'; i: number }
  | { op: 'dropTable'; t: number }
  | { op: 'swap'; t: number }
  | { op: 'compute' };

/** One step, where it goes: a new file starts before it, or it joins the DO block of the step before. */
export interface PlacedStep { step: Step; newFile: boolean; inDo: boolean }

const pick = fc.nat({ max: 50 });
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('table' as const), quoted: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('partitioned' as const), quoted: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('index' as const), t: pick, form: fc.nat({ max: 3 }), named: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('check' as const), t: pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('trigger' as const), t: pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('function' as const), t: pick, array: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('renameTable' as const), t: pick, quoted: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('renameIndex' as const), i: pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dropIndex' as const), i: pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dropTable' as const), t: pick }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('swap' as const), t: pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('compute' as const) }) },
);

export const historyArbitrary: fc.Arbitrary<PlacedStep[]> = fc.array(
  fc.record({ step: stepArbitrary, newFile: fc.nat({ max: 3 }).map((n) => n === 0), inDo: fc.boolean() }),
  { minLength: 3, maxLength: 24 },
);

interface Table { name: string; partitionOf: Table | null; partitioned: boolean }
interface Index { name: string; table: Table }
interface Fn { name: string; table: Table }

/** What exists at a point of the history, and the counter that keeps every new name new. */
class Model {
  tables: Table[] = [];
  indexes: Index[] = [];
  functions: Fn[] = [];
  private n = 0;

  fresh(prefix: string, quoted: boolean): string {
    this.n += 1;
    return quoted ? `"${prefix.toUpperCase()}x${this.n}"` : `${prefix}${this.n}`;
  }

  /** Removes a table with what PostgreSQL drops with it: its partitions, their indexes, functions of its row type. */
  drop(table: Table): void {
    for (const part of this.tables.filter((t) => t.partitionOf === table)) this.drop(part);
    this.tables = this.tables.filter((t) => t !== table);
    this.indexes = this.indexes.filter((i) => i.table !== table);
    this.functions = this.functions.filter((f) => f.table !== table);
  }

  /** Whether dropping it needs CASCADE (a function takes its row type, or a partition's). */
  needsCascade(table: Table): boolean {
    return this.functions.some((f) => f.table === table) || this.tables.some((t) => t.partitionOf === table && this.needsCascade(t));
  }
}

const COLUMNS = '(id int, a int, b text)';
const INDEX_FORMS = ['(a)', '(a, id)', '(lower(b))', '(a) WHERE a > 0'];

/** The SQL of one step against the model (which it updates), or null when the step has nothing to act on. */
function stepSql(model: Model, step: Step): string[] | null {
  const table = (k: number, plain = false) => {
    const choices = model.tables.filter((t) => !plain || !t.partitioned);
    return choices.length ? choices[k % choices.length]! : null;
  };
  switch (step.op) {
    case 'table': {
      const name = model.fresh('t', step.quoted);
      model.tables.push({ name, partitionOf: null, partitioned: false });
      return [`CREATE TABLE ${name} ${COLUMNS}`];
    }
    case 'partitioned': {
      const parent: Table = { name: model.fresh('p', step.quoted), partitionOf: null, partitioned: true };
      const part: Table = { name: model.fresh('part', false), partitionOf: parent, partitioned: false };
      model.tables.push(parent, part);
      return [`CREATE TABLE ${parent.name} ${COLUMNS} PARTITION BY RANGE (id)`, `CREATE TABLE ${part.name} PARTITION OF ${parent.name} FOR VALUES FROM (0) TO (100)`];
    }
    case 'index': {
      // Not on a partitioned table: its index would attach those of the partitions, which then cannot be dropped alone.
      const t = table(step.t, true);
      if (!t) return null;
      const form = INDEX_FORMS[step.form % INDEX_FORMS.length]!;
      const on = form.startsWith('(a) WHERE') ? `${t.name} (a) WHERE a > 0` : `${t.name} ${form}`;
      if (!step.named) return [`CREATE INDEX ON ${on}`];
      const name = model.fresh('i', false);
      model.indexes.push({ name, table: t });
      return [`CREATE INDEX ${name} ON ${on}`];
    }
    case 'check': {
      const t = table(step.t, true);
      return t ? [`ALTER TABLE ${t.name} ADD CONSTRAINT ${model.fresh('c', false)} CHECK (a IS DISTINCT FROM -1)`] : null;
    }
    case 'trigger': {
      const t = table(step.t, true);
      return t ? [`CREATE TRIGGER ${model.fresh('tr', false)} BEFORE UPDATE ON ${t.name} FOR EACH ROW EXECUTE FUNCTION touch()`] : null;
    }
    case 'function': {
      const t = table(step.t);
      if (!t) return null;
      const name = model.fresh('f', false);
      model.functions.push({ name, table: t });
      return [`CREATE FUNCTION ${name}(r ${t.name}${step.array ? '[]' : ''}) RETURNS integer LANGUAGE sql AS $f$ SELECT 1 $f$`];
    }
    case 'renameTable': {
      const t = table(step.t);
      if (!t) return null;
      const old = t.name;
      t.name = model.fresh('t', step.quoted);
      return [`ALTER TABLE ${old} RENAME TO ${t.name}`];
    }
    case 'renameIndex': {
      const i = model.indexes.length ? model.indexes[step.i % model.indexes.length]! : null;
      if (!i) return null;
      const old = i.name;
      i.name = model.fresh('i', false);
      return [`ALTER INDEX ${old} RENAME TO ${i.name}`];
    }
    case 'dropIndex': {
      const i = model.indexes.length ? model.indexes[step.i % model.indexes.length]! : null;
      if (!i) return null;
      model.indexes = model.indexes.filter((x) => x !== i);
      return [`DROP INDEX ${i.name}`];
    }
    case 'dropTable': {
      // A partition's parent is dropped instead: the case of an index dropped with its table's parent.
      const chosen = table(step.t);
      if (!chosen) return null;
      const t = chosen.partitionOf ?? chosen;
      const cascade = model.needsCascade(t);
      model.drop(t);
      return [`DROP TABLE ${t.name}${cascade ? ' CASCADE' : ''}`];
    }
    case 'swap': {
      const t = table(step.t, true);
      if (!t || t.partitionOf) return null;
      const oldIndex = model.indexes.find((i) => i.table === t);
      const replacement: Table = { name: model.fresh('t', false), partitionOf: null, partitioned: false };
      const newIndex: Index = { name: model.fresh('i', false), table: replacement };
      const cascade = model.needsCascade(t);
      const name = t.name;
      model.drop(t);
      model.tables.push(replacement);
      model.indexes.push(newIndex);
      const sql = [
        `CREATE TABLE ${replacement.name} ${COLUMNS}`,
        `CREATE INDEX ${newIndex.name} ON ${replacement.name} (a)`,
        `DROP TABLE ${name}${cascade ? ' CASCADE' : ''}`,
        `ALTER TABLE ${replacement.name} RENAME TO ${name}`,
      ];
      replacement.name = name;
      if (oldIndex) {
        sql.push(`ALTER INDEX ${newIndex.name} RENAME TO ${oldIndex.name}`);
        newIndex.name = oldIndex.name;
      }
      return sql;
    }
    case 'compute':
      return ['DO $c$ BEGIN PERFORM 1; END $c$'];
  }
}

/** The files of a generated history (name → SQL), in order. */
export function historyFiles(steps: PlacedStep[]): Record<string, string> {
  const model = new Model();
  const files: string[][] = [['CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN NEW; END $f$;']];
  let block: string[] | null = null;
  const flush = () => {
    if (block) files[files.length - 1]!.push(`DO $do$ BEGIN\n  ${block.join(';\n  ')};\nEND $do$;`);
    block = null;
  };
  for (const { step, newFile, inDo } of steps) {
    const sql = stepSql(model, step);
    if (!sql) continue;
    if (newFile) {
      flush();
      files.push([]);
    }
    // A DO block inside a DO block's body needs another quote: computing steps stay outside.
    if (inDo && step.op !== 'compute') {
      block ??= [];
      block.push(...sql);
    } else {
      flush();
      files[files.length - 1]!.push(...sql.map((s) => `${s};`));
    }
  }
  flush();
  return Object.fromEntries(files.filter((f) => f.length > 0).map((f, i) => [`${String(i + 1).padStart(3, '0')}_step.sql`, `${f.join('\n')}\n`]));
}
