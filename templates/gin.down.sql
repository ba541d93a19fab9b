DROP INDEX {{#concurrently}}CONCURRENTLY {{/concurrently}}IF EXISTS {{qualifiedName}};
