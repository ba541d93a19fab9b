-- Fails (division by zero) unless {{name}} exists{{#validate}} and is validated{{/validate}}.
SELECT 1 / count(*) FROM pg_constraint
WHERE conrelid = to_regclass({{tableLiteral}}) AND conname = {{nameLiteral}} AND contype = 'c'{{#validate}} AND convalidated{{/validate}};
