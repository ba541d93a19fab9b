-- CHECK constraint {{name}} on {{table}}: {{predicate}}.
-- Added NOT VALID (no table scan under the exclusive lock), then validated under a lighter lock.
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
$drydock$;

ALTER TABLE {{table}} VALIDATE CONSTRAINT {{name}};
