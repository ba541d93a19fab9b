-- Unique {{#asConstraint}}constraint{{/asConstraint}}{{^asConstraint}}index{{/asConstraint}} {{name}} on {{table}} ({{columns}}){{#asConstraint}}, built from an index so that the
-- table is locked only for the moment it takes to attach it{{/asConstraint}}.
{{#build}}{{#concurrently}}-- CONCURRENTLY builds the index without blocking writes; it cannot run inside a transaction.
-- A failed build leaves an INVALID index that IF NOT EXISTS would skip: drop it
-- (DROP INDEX CONCURRENTLY IF EXISTS {{qualifiedName}}) before running this again.
{{/concurrently}}CREATE UNIQUE INDEX {{#concurrently}}CONCURRENTLY {{/concurrently}}IF NOT EXISTS {{name}}
  ON {{table}} ({{columns}});{{/build}}{{#attach}}

DO $drydock$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint
    WHERE conrelid = to_regclass({{tableLiteral}}) AND conname = {{nameLiteral}}
  ) THEN
    ALTER TABLE {{table}} ADD CONSTRAINT {{name}} UNIQUE USING INDEX {{name}};
  END IF;
END
$drydock$;{{/attach}}
