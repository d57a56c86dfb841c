-- pqrs-lakehouse serving store, step 1 of 5: the two schemas.
-- meta: the control plane (one record per pipeline run, its checks, its manifest).
-- gold: the KPI tables the dashboards read, keyed by run_id, and views of the latest good run.
-- Every script is idempotent and runs on PostgreSQL 15+ and on the embedded DuckDB store
-- (except 90-bi-role.sql, PostgreSQL only). The files run in name order.
CREATE SCHEMA IF NOT EXISTS meta;
CREATE SCHEMA IF NOT EXISTS gold;
