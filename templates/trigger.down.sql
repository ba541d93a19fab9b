DROP TRIGGER IF EXISTS {{triggerName}} ON {{table}};{{#ownsFunction}}
DROP FUNCTION IF EXISTS {{functionName}}();{{/ownsFunction}}
