{{#attach}}-- Dropping the constraint drops its index; the DROP INDEX covers a build that never got attached.
ALTER TABLE {{table}} DROP CONSTRAINT IF EXISTS {{name}};
{{/attach}}{{#build}}DROP INDEX {{#concurrently}}CONCURRENTLY {{/concurrently}}IF EXISTS {{qualifiedName}};{{/build}}
