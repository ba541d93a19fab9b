-- GIN index {{name}} on the jsonb column {{table}}.{{column}} ({{opclass}}).
{{^guarded}}{{#concurrently}}-- CONCURRENTLY builds it without blocking writes; it cannot run inside a transaction.
-- A failed build leaves an INVALID index that IF NOT EXISTS would skip: drop it
-- (DROP INDEX CONCURRENTLY IF EXISTS {{qualifiedName}}) before running this again.
{{/concurrently}}CREATE INDEX {{#concurrently}}CONCURRENTLY {{/concurrently}}IF NOT EXISTS {{name}}
  ON {{table}} USING gin ({{column}} {{opclass}});{{/guarded}}{{#guarded}}-- Guarded: created only where {{column}} really is jsonb (a DO block cannot build CONCURRENTLY).
DO $drydock$
BEGIN
  IF EXISTS (
    SELECT 1 FROM pg_attribute
    WHERE attrelid = to_regclass({{tableLiteral}})
      AND attname = {{columnLiteral}}
      AND NOT attisdropped
      AND atttypid = 'jsonb'::regtype
  ) THEN
    CREATE INDEX IF NOT EXISTS {{name}} ON {{table}} USING gin ({{column}} {{opclass}});
  ELSE
    RAISE NOTICE 'skipped index %: %.% is not a jsonb column', {{nameLiteral}}, {{tableLiteral}}, {{columnLiteral}};
  END IF;
END
$drydock$;{{/guarded}}
