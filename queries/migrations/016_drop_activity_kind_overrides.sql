-- Schema version 16: drop activity_kind_overrides, a table of migration 14 nothing reads or
-- writes ([activity_kinds] of the configuration is the table cfg_activity_kinds).
-- Grain: none (schema only).
-- Parameters: none.
DROP TABLE IF EXISTS activity_kind_overrides;
