-- Keeps {{table}}.{{column}} current: {{triggerName}} sets it on every UPDATE.
{{#ownsFunction}}CREATE OR REPLACE FUNCTION {{functionName}}() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
  NEW.{{column}} := now();
  RETURN NEW;
END
$function$;

{{/ownsFunction}}{{^ownsFunction}}-- {{functionName}}() is shared with other tables' triggers: called here, never replaced.
{{/ownsFunction}}-- CREATE OR REPLACE TRIGGER (PostgreSQL 14+) makes this statement re-runnable.
CREATE OR REPLACE TRIGGER {{triggerName}}
  BEFORE UPDATE ON {{table}}
  FOR EACH ROW EXECUTE FUNCTION {{functionName}}();
