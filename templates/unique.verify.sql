{{#attach}}-- Fails (division by zero) unless the unique constraint {{name}} exists on {{table}}.
SELECT 1 / count(*) FROM pg_constraint
WHERE conrelid = to_regclass({{tableLiteral}}) AND conname = {{nameLiteral}} AND contype = 'u';{{/attach}}{{^attach}}-- Fails (division by zero) unless the unique index {{name}} exists and is valid.
SELECT 1 / count(*) FROM pg_index WHERE indexrelid = to_regclass({{qualifiedNameLiteral}}) AND indisunique AND indisvalid;{{/attach}}
