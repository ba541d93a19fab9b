DROP TRIGGER IF EXISTS {{triggerName}} ON {{table}};{{#ownsFunction}}
DROP FUNCTION IF EXISTS {{functionName}}();{{/ownsFunction}}{{^ownsFunction}}
-- {{functionName}}() is shared with other tables' triggers, so it stays.{{/ownsFunction}}
