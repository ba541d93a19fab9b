-- B-tree index {{name}} on {{table}} ({{columns}}).
{{^guarded}}{{#concurrently}}-- CONCURRENTLY builds it without blocking writes; it cannot run inside a transaction.
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
