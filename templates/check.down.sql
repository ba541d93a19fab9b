{{^add}}-- PostgreSQL cannot mark a constraint NOT VALID again: reverting the validation drops the
-- constraint, and reverting the migration that added it then finds nothing to drop.
{{/add}}ALTER TABLE {{table}} DROP CONSTRAINT IF EXISTS {{name}};
