-- Fails (division by zero) unless {{triggerName}} exists on {{table}} and is enabled.
SELECT 1 / count(*) FROM pg_trigger
WHERE tgrelid = to_regclass({{tableLiteral}}) AND tgname = {{triggerNameLiteral}} AND tgenabled <> 'D';
