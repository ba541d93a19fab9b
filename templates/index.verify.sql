-- Fails (division by zero) unless {{name}} exists and is valid.
SELECT 1 / count(*) FROM pg_index WHERE indexrelid = to_regclass({{qualifiedNameLiteral}}) AND indisvalid;
