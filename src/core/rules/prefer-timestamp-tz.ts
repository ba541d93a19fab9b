// timestamp (without time zone) stores wall-clock time with no zone: the same instant reads
// differently depending on the writer's TimeZone setting.
import { typeRule } from './typeRule';

export const preferTimestampTz = typeRule({
  id: 'prefer-timestamp-tz',
  summary: 'timestamp without time zone records no zone: instants depend on each session\'s TimeZone.',
  help: 'Use timestamptz: it stores an instant and shows it in each session\'s zone.',
  reports: (t) => t.name === 'timestamp',
  action: () => 'Use timestamptz',
  why: () => 'timestamp without time zone stores a wall-clock reading without its zone, so the same instant written by sessions in different TimeZone settings reads differently, and daylight-saving changes make values ambiguous. timestamptz takes the same 8 bytes.',
  replacement: (t) => (t.modifiers.length ? `timestamptz(${t.modifiers[0]})` : 'timestamptz'),
});
