// 32-bit integers run out at 2,147,483,647; widening the column later rewrites the table.
import { typeRule } from './typeRule';

export const preferBigintOverInt = typeRule({
  id: 'prefer-bigint-over-int',
  summary: 'integer (and serial) columns run out at 2^31; widening them later rewrites the table.',
  help: 'Use bigint (bigserial, or bigint GENERATED … AS IDENTITY) for ids and counters.',
  reports: (t) => t.name === 'integer' || t.name === 'serial',
  action: (w) => `Use ${w.type.name === 'serial' ? 'bigserial' : 'bigint'}`,
  why: (w) => `${w.type.name} holds at most 2,147,483,647, and widening it later is an ALTER COLUMN TYPE that rewrites the table under ACCESS EXCLUSIVE (blocks reads and writes). bigint takes 8 bytes instead of 4.`,
  replacement: (t) => (t.name === 'serial' ? 'bigserial' : 'bigint'),
});
