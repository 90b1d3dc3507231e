-- Schema version 17: the one place an event's component gets its activity kind (README:
-- "Where the hours go"), read by the split of the hours and by document coverage.
-- Grain: component_kinds (a view) one row per known component, lower case: the
--   configuration's [activity_kinds] (cfg_activity_kinds, rewritten at every configuration
--   sync: queries/warehouse/config_tables.sql), then every built-in activity_kinds row the
--   configuration does not override. A component in neither is of kind 'other' (readers
--   coalesce).
-- Parameters: none.
-- cfg_activity_kinds is created empty here when no configuration was synced yet, so the
-- view can be made; the sync replaces it (a DuckDB view binds its tables when read).
CREATE TABLE IF NOT EXISTS cfg_activity_kinds (component VARCHAR, kind VARCHAR);

CREATE VIEW component_kinds AS
SELECT component, kind FROM cfg_activity_kinds
UNION ALL
SELECT a.component, a.kind
FROM activity_kinds AS a
WHERE NOT EXISTS (SELECT 1 FROM cfg_activity_kinds AS o WHERE o.component = a.component);
