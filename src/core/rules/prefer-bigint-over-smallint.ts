// 16-bit integers run out at 32,767; widening the column later rewrites the table.
import { typeRule } from './typeRule';

export const preferBigintOverSmallint = typeRule({
  id: 'prefer-bigint-over-smallint',
  summary: 'smallint (and smallserial) columns run out at 32,767; widening them later rewrites the table.',
  help: 'Use bigint (or integer where 2^31 is certainly enough).',
  reports: (t) => t.name === 'smallint' || t.name === 'smallserial',
  action: (w) => `Use ${w.type.name === 'smallserial' ? 'bigserial' : 'bigint'}`,
  why: (w) => `${w.type.name} holds at most 32,767, and widening it later is an ALTER COLUMN TYPE that rewrites the table under ACCESS EXCLUSIVE (blocks reads and writes).`,
  replacement: (t) => (t.name === 'smallserial' ? 'bigserial' : 'bigint'),
});
