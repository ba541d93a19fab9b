-- Fails (division by zero) unless {{name}} exists and is validated.
SELECT 1 / count(*) FROM pg_constraint
WHERE conrelid = to_regclass({{tableLiteral}}) AND conname = {{nameLiteral}} AND contype = 'c' AND convalidated;
