{{#asConstraint}}-- Dropping the constraint drops its index; the DROP INDEX covers a build that never got attached.
ALTER TABLE {{table}} DROP CONSTRAINT IF EXISTS {{name}};
{{/asConstraint}}DROP INDEX {{#concurrently}}CONCURRENTLY {{/concurrently}}IF EXISTS {{qualifiedName}};
