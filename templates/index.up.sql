-- B-tree index {{name}} on {{table}} ({{columns}}).
{{^guarded}}{{#concurrently}}-- CONCURRENTLY builds it without blocking writes; it cannot run inside a transaction.
-- A failed build leaves an INVALID index that IF NOT EXISTS would skip: drop it
-- (DROP INDEX CONCURRENTLY IF EXISTS {{qualifiedName}}) before running this again.
{{/concurrently}}CREATE INDEX {{#concurrently}}CONCURRENTLY {{/concurrently}}IF NOT EXISTS {{name}}
  ON {{table}} ({{columns}}){{#partial}}
  WHERE {{where}}{{/partial}};{{/guarded}}{{#guarded}}-- Guarded: created only where {{table}} exists (a DO block cannot build CONCURRENTLY).
DO $drydock$
BEGIN
  IF to_regclass({{tableLiteral}}) IS NOT NULL THEN
    CREATE INDEX IF NOT EXISTS {{name}}
      ON {{table}} ({{columns}}){{#partial}}
      WHERE {{where}}{{/partial}};
  ELSE
    RAISE NOTICE 'skipped index %: table % does not exist', {{nameLiteral}}, {{tableLiteral}};
  END IF;
END
$drydock$;{{/guarded}}
