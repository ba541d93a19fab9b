-- B-tree index {{name}} on {{table}} ({{columns}}).
{{#concurrently}}-- CONCURRENTLY builds it without blocking writes; it cannot run inside a transaction.
{{/concurrently}}CREATE INDEX {{#concurrently}}CONCURRENTLY {{/concurrently}}IF NOT EXISTS {{name}}
  ON {{table}} ({{columns}}){{#partial}}
  WHERE {{where}}{{/partial}};
