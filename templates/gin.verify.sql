-- Fails (division by zero) unless {{name}} exists, is valid and uses GIN.
SELECT 1 / count(*)
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_am am ON am.oid = c.relam
WHERE i.indexrelid = to_regclass({{qualifiedNameLiteral}}) AND i.indisvalid AND am.amname = 'gin';
