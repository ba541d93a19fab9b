{{#add}}-- CHECK constraint {{name}} on {{table}}: {{predicate}}.
-- Added NOT VALID: only new and updated rows are checked, so the ACCESS EXCLUSIVE lock lasts a moment
-- (no scan of the table under it).{{#validate}} The VALIDATE below scans the table under the same lock,
-- held until this transaction commits: on its own this migration is only safe on a small table.{{/validate}}{{^validate}}
-- The next migration validates the existing rows, in a transaction of its own.{{/validate}}
-- Re-runnable: the constraint is added only when the table does not have it yet.
DO $drydock$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint
    WHERE conrelid = to_regclass({{tableLiteral}}) AND conname = {{nameLiteral}}
  ) THEN
    ALTER TABLE {{table}} ADD CONSTRAINT {{name}} CHECK ({{predicate}}) NOT VALID;
  END IF;
END
$drydock$;{{/add}}{{#validate}}{{#add}}

{{/add}}-- Checks the existing rows of {{table}} against {{name}} (added NOT VALID{{#add}} above{{/add}}{{^add}} by the migration before{{/add}}).
-- VALIDATE takes SHARE UPDATE EXCLUSIVE: reads and writes go on during the scan. A row that
-- fails the check fails this migration; the constraint stays, NOT VALID, checking new rows.
ALTER TABLE {{table}} VALIDATE CONSTRAINT {{name}};{{/validate}}
